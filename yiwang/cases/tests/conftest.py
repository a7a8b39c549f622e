import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases import services
from yiwang.parties.models import Applicant

PRACTICE_REGISTRATION = "010010020000"  # 医疗机构执业登记: statutory 45, Dalian committed 7
CLINIC = "大连海滨口腔诊所"
FORM = {"contact_name": "王明", "contact_phone": "13800000000"}


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
            "form": FORM,
            "materials": materials,
            "applicant_id": clinic.pk,
        }
        arguments.update(extra)
        case, _created = services.case_submit(**arguments)
        return case

    return make
