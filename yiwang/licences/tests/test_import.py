"""Importing a register workbook: all rows checked first, all or nothing, with a report."""

import datetime
import io

import pytest
from openpyxl import Workbook

from yiwang.errors import InvalidInput
from yiwang.licences.authenticity import licence_authenticity
from yiwang.licences.importing import COLUMNS, licence_import_workbook
from yiwang.licences.models import Licence
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db
D = datetime.date


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(column) for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(**changes):
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    values = {
        "number": "PDY0001210202",
        "licence_type": "医疗机构执业许可证",
        "licence_type_code": "11100000000002",
        "holder_code": clinic.uscc,
        "holder_name": clinic.name,
        "item_code": "010010020000",
        "issuer": "大连市卫生健康委员会",
        "scope": "口腔科；医学检验科",
        "valid_from": D(2022, 5, 1),
        "valid_until": D(2027, 4, 30),
        "status": "valid",
    }
    values.update(changes)
    return values


def test_a_clean_workbook_imports_every_row_signed(freeze, demo, user_named):
    freeze("2026-09-28")
    job = licence_import_workbook(
        actor=user_named("leader"),
        filename="register.xlsx",
        content=workbook([row(), row(number="PDY0002210202")]),
    )
    assert job.status == "done" and job.imported == 2 and job.report == []
    licence = Licence.objects.get(number="PDY0001210202")
    assert licence.scope == ["口腔科", "医学检验科"] and licence.imported
    assert licence_authenticity(licence).signature_valid


def test_one_bad_row_rejects_the_whole_workbook_with_a_report(freeze, demo, user_named):
    freeze("2026-09-28")
    content = workbook(
        [
            row(),
            row(number="PDY0001210202"),  # twice
            row(number="X2", holder_code="91210202MA00000000"),
            row(number="X3", valid_from="2027-01-01", valid_until="2026-01-01"),
            row(number="X4", valid_until=D(2026, 1, 1)),  # valid though past expiry
            row(number="X5", item_code="999999999999", status="lost"),
        ]
    )
    job = licence_import_workbook(actor=user_named("leader"), filename="bad.xlsx", content=content)
    assert job.status == "rejected" and job.imported == 0
    problems = {(p["row"], p["column"]) for p in job.report}
    assert problems >= {
        (3, "number"),
        (4, "holder_code"),
        (5, "valid_until"),
        (6, "status"),
        (7, "item_code"),
        (7, "status"),
    }
    assert not Licence.objects.filter(number__in=["PDY0001210202", "X2", "X3"]).exists()


def test_a_file_that_is_not_a_workbook_is_refused(demo, user_named):
    with pytest.raises(InvalidInput):
        licence_import_workbook(actor=user_named("leader"), filename="x.xlsx", content=b"nope")
