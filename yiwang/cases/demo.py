"""Demo data for cases: the one-thing bundles offered (`data/bundles.json`) and a handful of
cases in every state, filed and moved through the services like real ones, so that each
demo user finds work in their queue."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases import prereviews, procedures, services
from yiwang.cases.bundles import bundle_define
from yiwang.catalog.demo import example_answers
from yiwang.catalog.selectors import item_published
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department

DATA_FILE = Path(__file__).parent / "data" / "bundles.json"
FORM = {"contact_name": "王明", "contact_phone": "13800000000"}
PRACTICE_REGISTRATION = "010010020000"
PUBLIC_PLACE = "010040010000"


def load(admin) -> None:
    for entry in json.loads(DATA_FILE.read_text(encoding="utf-8"))["bundles"]:
        bundle_define(actor=admin, **entry)


def load_samples(admin) -> None:
    _demo_cases()


def _user(username):
    return get_user_model().objects.get(username=username)


def _file(actor, name):
    upload = SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4\n% demo material\n", "application/pdf")
    return services.file_store(actor=actor, upload=upload).pk


def _file_case(applicant, item_code, *, missing=(), **extra):
    actor = _user("applicant")
    materials = [
        {"code": m.code, "missing": True}
        if m.code in missing
        else {"code": m.code, "file_id": _file(actor, m.code)}
        for m in item_published(item_code).materials.all()
    ]
    case, _created = services.case_submit(
        actor=actor,
        item_code=item_code,
        channel="online",
        form={**FORM, **example_answers(item_code)},
        materials=materials,
        applicant_id=applicant.pk,
        **extra,
    )
    return case


def _demo_cases() -> None:
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    company = Applicant.objects.get(name="大连滨海健康管理有限公司")
    city = Department.objects.get(name="大连市卫生健康委员会")
    clerk, reviewer, approver, leader = (
        _user(u) for u in ("clerk", "reviewer", "approver", "leader")
    )

    _file_case(clinic, PRACTICE_REGISTRATION)  # waiting at the window
    incomplete = _file_case(clinic, PRACTICE_REGISTRATION, missing=("M03",))
    services.case_request_correction(
        actor=clerk,
        case_id=incomplete.pk,
        items=[{"material_code": "M03", "reason": "缺少医疗机构用房产权证明或租赁合同"}],
    )
    in_review = _file_case(clinic, PRACTICE_REGISTRATION)
    services.case_accept(actor=clerk, case_id=in_review.pk)
    suspended = _file_case(clinic, PRACTICE_REGISTRATION)
    services.case_accept(actor=clerk, case_id=suspended.pk)
    services.case_suspend(
        actor=reviewer, case_id=suspended.pk, kind="expert_review", reason="组织专家评审"
    )
    reviewed = _file_case(clinic, PRACTICE_REGISTRATION)
    services.case_accept(actor=clerk, case_id=reviewed.pk)
    services.case_review(
        actor=reviewer, case_id=reviewed.pk, opinion="材料齐全，符合设置标准，建议准予登记"
    )
    approved = _file_case(clinic, PRACTICE_REGISTRATION)
    services.case_accept(actor=clerk, case_id=approved.pk)
    services.case_approve(actor=approver, case_id=approved.pk, note="同意")
    urgent = _file_case(clinic, PRACTICE_REGISTRATION)
    services.case_accept(actor=clerk, case_id=urgent.pk)
    procedures.case_mark_green(
        actor=leader, case_id=urgent.pk, reason="疫情防控定点诊所急需开业", handler_id=reviewer.pk
    )
    _file_case(
        company, PUBLIC_PLACE, procedure="commitment", commitment_signed=True, department_id=city.pk
    )  # decided today; its check waits for the inspectors
    tolerated = _file_case(
        company,
        PUBLIC_PLACE,
        procedure="tolerance",
        commitment_signed=True,
        missing=("M04",),
        department_id=city.pk,
    )
    services.case_accept(actor=clerk, case_id=tolerated.pk)
    actor = _user("applicant")
    prereviews.prereview_submit(
        actor=actor,
        item_code=PRACTICE_REGISTRATION,
        applicant_id=clinic.pk,
        materials=[{"code": "M01", "file_id": _file(actor, "M01")}],
    )
