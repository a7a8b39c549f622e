"""Cases to book for, filed through the cases service as a portal applicant would."""

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases import services as case_services
from yiwang.catalog.demo import example_answers
from yiwang.catalog.selectors import item_published

FORM = {"contact_name": "王明", "contact_phone": "13800000000"}


def file_case(*, actor, applicant, item_code: str):
    materials = []
    for material in item_published(item_code).materials.all():
        stored = case_services.file_store(
            actor=actor,
            upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
        )
        materials.append({"code": material.code, "file_id": stored.pk})
    case, _created = case_services.case_submit(
        actor=actor,
        item_code=item_code,
        channel="online",
        form={**FORM, **example_answers(item_code)},
        materials=materials,
        applicant_id=applicant.pk,
    )
    return case
