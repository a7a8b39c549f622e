"""In Chromium: a case is issued, and its licence verifies through the QR code's URL."""

import pytest

from yiwang.licences.documents import verification_url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_issued_licence_verifies_through_its_qr_url(site, settings, user_named):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang import demo
    from yiwang.cases import services as case_services
    from yiwang.cases.tests.conftest import FORM, PRACTICE_REGISTRATION
    from yiwang.catalog.demo import example_answers
    from yiwang.catalog.selectors import item_published
    from yiwang.licences.models import Licence
    from yiwang.parties.models import Applicant

    demo.load()
    settings.PUBLIC_URL = site.base
    applicant = user_named("applicant")
    materials = []
    for material in item_published(PRACTICE_REGISTRATION).materials.all():
        stored = case_services.file_store(
            actor=applicant,
            upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
        )
        materials.append({"code": material.code, "file_id": stored.pk})
    case, _created = case_services.case_submit(
        actor=applicant,
        item_code=PRACTICE_REGISTRATION,
        channel="online",
        form={**FORM, **example_answers(PRACTICE_REGISTRATION)},
        materials=materials,
        applicant_id=Applicant.objects.get(name="大连海滨口腔诊所").pk,
    )
    case_services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    case_services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
    case = case_services.case_issue(actor=user_named("approver"), case_id=case.pk)
    licence = Licence.objects.get(number=case.licence_number)

    url = verification_url(licence.number)  # what the PDF's QR code encodes
    assert url.startswith(site.base)
    site.page.goto(url)
    verdict = site.page.locator("#verdict")
    assert verdict.get_attribute("data-verdict") == "valid"
    assert licence.number in site.page.content()
    assert site.page.locator("[data-signature=valid]").count() == 1

    Licence.objects.filter(pk=licence.pk).update(scope=["全科"])
    site.page.goto(url)
    assert site.page.locator("#verdict").get_attribute("data-verdict") == "invalid"
