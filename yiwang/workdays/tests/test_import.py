"""Loading a year from CSV or Excel, and single-day overrides, through the services."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yiwang.audit.models import AuditRecord
from yiwang.errors import InvalidInput, PermissionRefused
from yiwang.workdays import calendar as workdays
from yiwang.workdays.models import DayOverride, PublishedYear
from yiwang.workdays.services import (
    CalendarImportRefused,
    calendar_import_year,
    day_override_delete,
    day_override_set,
)

pytestmark = pytest.mark.django_db
D = datetime.date

GOOD_2030 = (
    "date,kind,name,notice\n"
    "2030-10-01,holiday,国庆节,国办发明电〔2029〕X号\n"
    "2030-10-02,holiday,国庆节,\n"
    "2030-10-03,holiday,国庆节,\n"
    "2030-09-29,makeup_workday,国庆节,\n"
)


def test_a_good_csv_loads_the_year_and_ends_its_provisional_status(demo, user_named):
    assert workdays.day_info(D(2030, 10, 1)).provisional
    result = calendar_import_year(
        actor=user_named("admin"), filename="2030.csv", content=GOOD_2030.encode(), notice="通知"
    )
    assert (result.year, result.loaded) == (2030, 4)
    info = workdays.day_info(D(2030, 10, 1))
    assert (info.kind, info.name, info.provisional) == ("holiday", "国庆节", False)
    assert workdays.day_info(D(2030, 9, 29)).workday  # a Sunday made a working day
    assert PublishedYear.objects.filter(year=2030).exists()
    assert AuditRecord.objects.filter(action="calendar.import_year").count() == 1


def test_a_bad_file_reports_every_row_and_loads_nothing(demo, user_named):
    content = (
        "date,kind,name,notice\n"
        "2030-10-01,holiday,国庆节,\n"
        "2030-02-30,holiday,春节,\n"
        "2030-10-08,makeup_workday,国庆节,\n"  # a Tuesday
        "2030-10-01,holiday,国庆节,\n"
        "2031-01-01,holiday,元旦,\n"
        "2030-10-12,day_off,,\n"
    ).encode()
    with pytest.raises(CalendarImportRefused) as refused:
        calendar_import_year(actor=user_named("admin"), filename="2030.csv", content=content)
    found = {(p.row, p.column, p.rule) for p in refused.value.problems}
    assert found == {
        (3, "date", "date"),
        (4, "kind", "makeup_on_weekday"),
        (5, "date", "duplicate"),
        (6, "date", "one_year"),
        (7, "kind", "kind"),
    }
    assert not DayOverride.objects.exists()
    assert not PublishedYear.objects.exists()
    assert workdays.day_info(D(2030, 10, 1)).provisional


def test_an_excel_file_loads_like_a_csv(demo, user_named):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "kind", "name", "notice"])
    sheet.append([datetime.datetime(2030, 10, 1), "holiday", "国庆节", ""])
    sheet.append(["2030-09-29", "makeup_workday", "国庆节", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    result = calendar_import_year(
        actor=user_named("admin"), filename="2030.xlsx", content=buffer.getvalue()
    )
    assert result.loaded == 2
    assert workdays.day_info(D(2030, 10, 1)).kind == "holiday"


def test_a_file_that_is_neither_csv_nor_excel_is_refused(demo, user_named):
    with pytest.raises(CalendarImportRefused) as refused:
        calendar_import_year(actor=user_named("admin"), filename="x.xlsx", content=b"not a zip")
    assert refused.value.problems[0].rule == "format"


def test_only_administrators_edit_the_calendar(demo, user_named):
    with pytest.raises(PermissionRefused):
        day_override_set(actor=user_named("clerk"), date=D(2026, 10, 7), kind="workday")
    with pytest.raises(PermissionRefused):
        calendar_import_year(
            actor=user_named("clerk"), filename="a.csv", content=GOOD_2030.encode()
        )


def test_an_override_is_audited_and_its_removal_restores_the_published_day(demo, user_named):
    admin = user_named("admin")
    override = day_override_set(
        actor=admin, date=D(2026, 10, 8), kind="holiday", name="临时休假", notice="测试"
    )
    assert workdays.day_info(D(2026, 10, 8)).kind == "holiday"
    day_override_delete(actor=admin, override=override)
    assert workdays.day_info(D(2026, 10, 8)).kind == "workday"
    actions = list(AuditRecord.objects.values_list("action", flat=True))
    assert "calendar.day_override_set" in actions and "calendar.day_override_delete" in actions


def test_an_override_must_fit_its_weekday(demo, user_named):
    with pytest.raises(InvalidInput) as refused:
        day_override_set(actor=user_named("admin"), date=D(2026, 10, 11), kind="workday")
    assert refused.value.fields.keys() == {"kind"}


def test_the_command_loads_a_file_and_refuses_a_bad_one(demo, tmp_path):
    good = tmp_path / "2030.csv"
    good.write_text(GOOD_2030, encoding="utf-8")
    call_command("import_calendar", str(good), "--notice", "通知")
    assert DayOverride.objects.filter(date__year=2030).count() == 4
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name,notice\n2030-13-01,holiday,x,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_calendar", str(bad))
    assert DayOverride.objects.filter(date__year=2030).count() == 4


def test_the_admin_import_page_shows_the_problems(demo, client, user_named):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(user_named("admin"))
    upload = SimpleUploadedFile("2030.csv", b"date,kind,name,notice\n2030-10-08,weekend,,\n")
    response = client.post(
        "/admin/workdays/dayoverride/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "A weekend day must be a Saturday or a Sunday." in response.content.decode()
    assert not DayOverride.objects.exists()
