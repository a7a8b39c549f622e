import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from yiwang.catalog import selectors
from yiwang.catalog.importing import catalog_import_workbook, import_job_create
from yiwang.catalog.models import ImportJob, Item, ItemVersion
from yiwang.catalog.tasks import import_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(demo, client):
    client.login(username="catalogue", password="demo-pass-2026")
    response = client.get("/items/manage/export.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _bytes(book) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _column(sheet, name) -> int:
    return [cell.value for cell in sheet[1]].index(name) + 1


def _run(user, content, publish=False) -> ImportJob:
    job = import_job_create(actor=user, filename="t.xlsx", content=content, publish=publish)
    return catalog_import_workbook(actor=user, job=job)


def _row_of(sheet, code) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == code:
            return row
    raise AssertionError(code)


def test_a_good_workbook_is_imported_as_new_versions(exported, user_named):
    items = exported["items"]
    row = _row_of(items, "010040010000")
    items.cell(row, _column(items, "committed_limit_days")).value = 4
    job = _run(user_named("catalogue"), _bytes(exported), publish=True)
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.summary["items_revised"] >= 15
    version = selectors.item_published("010040010000")
    assert version.version == 2
    assert {"field": "committed_limit_days", "before": 5, "after": 4} in version.changes
    assert ItemVersion.objects.filter(item__code="010010020000", status="superseded").exists()


def test_a_new_item_in_a_workbook_is_created(exported, user_named):
    items, materials, bases = exported["items"], exported["materials"], exported["legal_basis"]
    source = _row_of(items, "010020020000")
    items.append([cell.value for cell in items[source]])
    items.cell(items.max_row, 1).value = "019900000099"
    items.cell(items.max_row, _column(items, "name")).value = "测试新事项"
    bases.append(["019900000099", "《护士条例》第八条", ""])
    materials.append(["019900000099", "M01", "申请表"])
    job = _run(user_named("catalogue"), _bytes(exported))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.summary["items_created"] == 1
    assert Item.objects.get(code="019900000099").versions.get().status == "draft"


def test_a_bad_workbook_is_rejected_whole_with_the_place_of_each_problem(exported, user_named):
    items, materials, bases = exported["items"], exported["materials"], exported["legal_basis"]
    row = _row_of(items, "010010020000")
    items.cell(row, _column(items, "committed_limit_days")).value = 50
    items.cell(_row_of(items, "010040010000"), _column(items, "name")).value = "应该不会保存"
    duplicate = [cell.value for cell in items[row]]
    items.append(duplicate)
    material_row = _row_of(materials, "010020010000")
    materials.cell(material_row, _column(materials, "tolerable")).value = "是"
    materials.cell(material_row, _column(materials, "core")).value = "是"
    bases.cell(_row_of(bases, "010030010000"), 2).value = "放射诊疗管理规定 第十一条"
    before = ItemVersion.objects.count()

    job = _run(user_named("catalogue"), _bytes(exported), publish=True)

    assert job.status == ImportJob.Status.REJECTED
    places = {(p["sheet"], p["row"], p["column"].split(" ")[0]) for p in job.report}
    committed = get_column_letter(_column(items, "committed_limit_days"))
    assert ("items", row, committed) in places
    assert ("items", items.max_row, "A") in places  # the duplicate code
    tolerable = get_column_letter(_column(materials, "tolerable"))
    assert ("materials", material_row, tolerable) in places
    assert ("legal_basis", _row_of(bases, "010030010000"), "B") in places
    rules = " ".join(p["rule"] for p in job.report)
    assert "50" in rules
    assert ItemVersion.objects.count() == before
    assert selectors.item_published("010040010000").name == "公共场所卫生许可"


def test_a_file_that_is_not_a_workbook_is_rejected(demo, user_named):
    job = _run(user_named("catalogue"), b"PK\x03\x04 this is not really a zip")
    assert job.status == ImportJob.Status.REJECTED
    assert job.report[0]["rule"]
    assert "xlsx" in job.report[0]["rule"].lower()


def test_the_upload_page_shows_progress_and_the_report(exported, client):
    response = client.post(
        "/items/manage/import/",
        {"workbook": io.BytesIO(b"not a workbook")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<progress id="import-bar" max="100" value="100">' in page
    assert "Nothing was imported" in page
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<section id="import-progress"')


def test_a_large_import_runs_in_the_task_worker(exported, user_named):
    user = user_named("catalogue")
    job = import_job_create(
        actor=user, filename="big.xlsx", content=_bytes(exported), publish=False
    )
    assert import_workbook.call(job.pk) == ImportJob.Status.DONE
    job.refresh_from_db()
    assert job.rows_done == job.rows_total > 0


def test_a_window_clerk_cannot_import(demo, client):
    client.login(username="clerk", password="demo-pass-2026")
    response = client.post("/items/manage/import/", {"workbook": io.BytesIO(b"x")})
    assert response.status_code == 403
