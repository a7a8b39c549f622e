import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases import services
from yiwang.catalog.demo import example_answers
from yiwang.parties.models import Applicant

PRACTICE_REGISTRATION = "010010020000"  # 医疗机构执业登记: statutory 45, Dalian committed 7
CLINIC = "大连海滨口腔诊所"
FORM = {"contact_name": "王明", "contact_phone": "13800000000"}


def posted_answers(item_code: str = PRACTICE_REGISTRATION) -> dict:
    """The item's example answers as the filing page posts them (`answer_<name>`)."""
    data: dict = {}
    for name, value in example_answers(item_code).items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for column in value[0]:
                data[f"answer_{name}_{column}"] = [str(row.get(column, "")) for row in value]
        elif isinstance(value, list):
            data[f"answer_{name}"] = value
        else:
            data[f"answer_{name}"] = str(value)
    return data


def fill_answers(page, item_code: str = PRACTICE_REGISTRATION, answers: dict | None = None):
    """Fill the filing page's application form in Chromium with the item's example answers."""
    from yiwang.catalog.selectors import item_published

    kinds = {f["name"]: f for f in item_published(item_code).application_form}
    for name, value in (answers or example_answers(item_code)).items():
        field = kinds[name]
        if field["type"] == "rows":
            for number, row in enumerate(value):
                if number >= page.locator(f"table[data-rows={name}] tbody tr").count():
                    page.click(f"[data-add-row={name}]")
                cells = page.locator(f"table[data-rows={name}] tbody tr").nth(number)
                for column, cell in row.items():
                    cells.locator(f"input[name=answer_{name}_{column}]").fill(str(cell))
        elif field["type"] == "choice" and field.get("multiple"):
            page.locator(f"input[name=answer_{name}]").evaluate_all(
                "boxes => boxes.forEach(box => { box.checked = false; })"
            )
            for one in value:
                page.check(f"input[name=answer_{name}][value='{one}']")
        elif field["type"] == "choice":
            page.select_option(f"#answer_{name}", value=str(value))
        else:
            page.fill(f"#answer_{name}", str(value))


def bundle_answers(*item_codes: str) -> dict:
    answers: dict = {}
    for code in item_codes:
        answers = {**example_answers(code), **answers}
    return answers


@pytest.fixture
def clinic(demo):
    return Applicant.objects.get(name=CLINIC)


@pytest.fixture
def upload(user_named):
    def make(
        username="applicant", name="licence.pdf", content=b"%PDF-1.4 demo", kind="application/pdf"
    ):
        return services.file_store(
            actor=user_named(username), upload=SimpleUploadedFile(name, content, content_type=kind)
        )

    return make


@pytest.fixture
def file_case(demo, clinic, user_named, upload):
    """File a practice-registration case online as the portal applicant, all materials given."""

    def make(*, missing=(), item_code=PRACTICE_REGISTRATION, username="applicant", **extra):
        from yiwang.catalog.selectors import item_published

        version = item_published(item_code)
        materials = []
        for material in version.materials.all():
            if material.code in missing:
                materials.append({"code": material.code, "missing": True})
            else:
                materials.append({"code": material.code, "file_id": upload(username).pk})
        arguments = {
            "actor": user_named(username),
            "item_code": item_code,
            "channel": "online",
            "form": {**FORM, **example_answers(item_code), **extra.pop("form", {})},
            "materials": materials,
            "applicant_id": clinic.pk,
        }
        arguments.update(extra)
        case, _created = services.case_submit(**arguments)
        return case

    return make
