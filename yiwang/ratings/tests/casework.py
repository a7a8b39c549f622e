"""Test helpers shared by the ratings and disclosure tests: a real decided case, and the
`case.decided` event the engine publishes for it, built in memory."""

from __future__ import annotations

import datetime
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang import clock
from yiwang.cases import services
from yiwang.catalog.demo import example_answers
from yiwang.catalog.selectors import item_published
from yiwang.events.models import Event
from yiwang.parties.models import Applicant

PRACTICE_REGISTRATION = "010010020000"
CLINIC = "大连海滨口腔诊所"
FORM = {"contact_name": "王明", "contact_phone": "13800000000"}


def file_case(user_named, *, applicant: Applicant | None = None, username="applicant"):
    applicant = applicant or Applicant.objects.get(name=CLINIC)
    version = item_published(PRACTICE_REGISTRATION)
    materials = []
    for material in version.materials.all():
        upload = services.file_store(
            actor=user_named(username),
            upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
        )
        materials.append({"code": material.code, "file_id": upload.pk})
    case, _created = services.case_submit(
        actor=user_named(username),
        item_code=PRACTICE_REGISTRATION,
        channel="online",
        form={**FORM, **example_answers(PRACTICE_REGISTRATION)},
        materials=materials,
        applicant_id=applicant.pk,
    )
    return case


def decide_case(user_named, case, *, approve=True):
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    if approve:
        return services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
    return services.case_deny(
        actor=user_named("approver"), case_id=case.pk, reason="场所不符合《医疗机构基本标准》"
    )


def decided_event(case, *, licence_number=None) -> Event:
    """The `case.decided` event of the contract for a decided case (not stored)."""
    approved = case.status != "denied"
    decided_on: datetime.date = case.decided_on or clock.today()
    return Event(
        id=uuid.uuid4(),
        name="case.decided",
        payload={
            "case_id": case.pk,
            "number": case.number,
            "item_code": case.item.code,
            "item_name": case.item_version.name,
            "applicant_id": case.applicant_id,
            "department_id": case.department_id,
            "region_code": case.region.code,
            "channel": case.channel,
            "procedure": case.procedure,
            "status": case.status,
            "from_status": "accepted",
            "on": decided_on.isoformat(),
            "at": clock.now().isoformat(),
            "outcome": "approved" if approved else "denied",
            "decided_on": decided_on.isoformat(),
            "legal_basis": "《医疗机构管理条例》第十五条",
            "licence_number": licence_number if approved else None,
        },
        occurred_at=clock.now(),
    )
