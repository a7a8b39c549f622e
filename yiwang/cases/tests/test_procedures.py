"""The reform procedures through their whole paths, failure paths and credit gates."""

import datetime

import pytest

from yiwang.cases import bundles, prereviews, procedures, services
from yiwang.cases.models import Case, CommitmentCheck, EmergencyListing
from yiwang.cases.tests.conftest import bundle_answers
from yiwang.catalog.demo import example_answers
from yiwang.credit.models import CreditEvent
from yiwang.errors import Conflict, InvalidInput, NotFound, PermissionRefused
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department

pytestmark = pytest.mark.django_db
D = datetime.date
PUBLIC_PLACE = "010040010000"  # commitment, tolerance (provisional), green
RADIOLOGY = "010030010000"  # first use, then review
DISINFECTION = "010060010000"  # emergency listing, tolerance (held)


@pytest.fixture
def city(demo):
    return Department.objects.get(name="大连市卫生健康委员会")


def grade(applicant, value, black=False):
    Applicant.objects.filter(pk=applicant.pk).update(credit_grade=value, black_listed=black)


def licence_of(case):
    from yiwang.licences.services import licence_for_case

    return licence_for_case(Case.objects.get(pk=case.pk))


# Notification-commitment -----------------------------------------------------------------


def test_commitment_is_decided_the_same_day_with_a_check_to_follow(freeze, file_case, city):
    freeze("2026-09-28")
    case = file_case(
        item_code=PUBLIC_PLACE,
        procedure="commitment",
        commitment_signed=True,
        department_id=city.pk,
    )
    assert case.status == "issued"
    assert case.accepted_on == case.decided_on == case.issued_on == D(2026, 9, 28)
    assert case.commitment_signer == "applicant" and "承诺" in case.commitment_text
    assert licence_of(case).status == "valid"
    check = CommitmentCheck.objects.get(case=case)
    # 20 working days after 28 September 2026: 29, 30 Sep, 8, 9, 10 (make-up), 12–16, 19–23,
    # 26–30 October.
    assert check.due_on == D(2026, 10, 30) and check.result == "pending"


def test_unsigned_commitment_is_refused_and_files_nothing(freeze, file_case, city):
    freeze("2026-09-28")
    with pytest.raises(InvalidInput) as error:
        file_case(item_code=PUBLIC_PLACE, procedure="commitment", department_id=city.pk)
    assert "commitment_signed" in error.value.fields
    assert Case.objects.count() == 0


@pytest.mark.parametrize(("grade_value", "black"), [("D", False), ("B", True)])
def test_d_grade_and_black_list_cannot_use_commitment(
    freeze, file_case, city, clinic, grade_value, black
):
    freeze("2026-09-28")
    grade(clinic, grade_value, black)
    with pytest.raises(Conflict) as error:
        file_case(
            item_code=PUBLIC_PLACE,
            procedure="commitment",
            commitment_signed=True,
            department_id=city.pk,
        )
    assert error.value.code == "credit_gate"
    assert Case.objects.count() == 0


def test_false_commitment_revokes_the_licence_and_enters_credit(
    freeze, file_case, city, user_named
):
    freeze("2026-09-28")
    case = file_case(
        item_code=PUBLIC_PLACE,
        procedure="commitment",
        commitment_signed=True,
        department_id=city.pk,
    )
    check = CommitmentCheck.objects.get(case=case)
    with pytest.raises(PermissionRefused):
        procedures.commitment_check_record(
            actor=user_named("reviewer"), check_id=check.pk, truthful=False, findings="x"
        )
    freeze("2026-10-12")
    procedures.commitment_check_record(
        actor=user_named("inspector1"),
        check_id=check.pk,
        truthful=False,
        findings="现场无卫生设施，承诺不实",
    )
    assert licence_of(case).status == "revoked"
    assert CreditEvent.objects.get(applicant=case.applicant).kind == "false_commitment"
    with pytest.raises(Conflict):
        procedures.commitment_check_record(
            actor=user_named("inspector2"), check_id=check.pk, truthful=True, findings="x"
        )


def test_confirmed_commitment_closes_the_follow_up(freeze, file_case, city, user_named):
    freeze("2026-09-28")
    case = file_case(
        item_code=PUBLIC_PLACE,
        procedure="commitment",
        commitment_signed=True,
        department_id=city.pk,
    )
    check = CommitmentCheck.objects.get(case=case)
    procedures.commitment_check_record(
        actor=user_named("inspector2"), check_id=check.pk, truthful=True, findings="与承诺一致"
    )
    check.refresh_from_db()
    assert check.result == "confirmed" and licence_of(case).status == "valid"


def test_a_grade_sees_trust_procedures_first_and_d_grade_none(demo, clinic):
    from yiwang.credit.gates import offered

    allowed = ["standard", "green", "commitment", "tolerance"]
    grade(clinic, "A")
    clinic.refresh_from_db()
    assert offered(clinic, allowed)[:2] == ["commitment", "tolerance"]
    grade(clinic, "D")
    clinic.refresh_from_db()
    assert offered(clinic, allowed) == ["standard", "green"]


# Tolerance -------------------------------------------------------------------------------


def test_tolerance_accepts_with_only_tolerable_materials_missing(
    freeze, file_case, city, user_named, upload
):
    freeze("2026-09-28")
    case = file_case(
        item_code=PUBLIC_PLACE,
        procedure="tolerance",
        commitment_signed=True,
        missing=("M03",),
        department_id=city.pk,
    )
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    case = Case.objects.get(pk=case.pk)
    from yiwang.cases.engine.clocks import deadlines_of

    # Supplement period 10 working days from acceptance on 28 September: 29, 30 Sep, 8, 9,
    # 10 (make-up), 12–16 October.
    assert deadlines_of(case, D(2026, 9, 28)).supplement_due == D(2026, 10, 16)
    services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
    issued = services.case_issue(actor=user_named("approver"), case_id=case.pk)
    assert issued.status == "issued" and licence_of(issued).status == "provisional"
    supplied = procedures.case_supplement(
        actor=user_named("applicant"),
        case_id=case.pk,
        materials=[{"code": "M03", "file_id": upload().pk}],
    )
    assert supplied.supplemented_on == D(2026, 9, 28)
    assert licence_of(case).status == "valid"


def test_a_missing_core_material_is_never_tolerated(freeze, file_case, city):
    freeze("2026-09-28")
    with pytest.raises(InvalidInput) as error:
        file_case(
            item_code=PUBLIC_PLACE,
            procedure="tolerance",
            commitment_signed=True,
            missing=("M01",),
            department_id=city.pk,
        )
    assert error.value.code == "core_material_missing"
    assert Case.objects.count() == 0


def test_missed_supplement_deadline_ends_the_case(freeze, file_case, city, user_named):
    freeze("2026-09-28")
    case = file_case(
        item_code=PUBLIC_PLACE,
        procedure="tolerance",
        commitment_signed=True,
        missing=("M03",),
        department_id=city.pk,
    )
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    freeze("2026-10-19")
    from yiwang.cases.tasks import end_missed_supplements

    assert end_missed_supplements.call() == 1
    assert Case.objects.get(pk=case.pk).status == "lapsed"
    assert CreditEvent.objects.filter(kind="supplement_missed").count() == 1


def test_missed_supplement_withdraws_a_provisional_licence(freeze, file_case, city, user_named):
    freeze("2026-09-28")
    case = file_case(
        item_code=PUBLIC_PLACE,
        procedure="tolerance",
        commitment_signed=True,
        missing=("M04",),
        department_id=city.pk,
    )
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    services.case_approve(actor=user_named("approver"), case_id=case.pk)
    services.case_issue(actor=user_named("approver"), case_id=case.pk)
    freeze("2026-10-19")
    from yiwang.cases.tasks import end_missed_supplements

    assert end_missed_supplements.call() == 1
    assert licence_of(case).status == "revoked"
    assert end_missed_supplements.call() == 0  # once only


def test_held_licence_waits_for_the_materials(freeze, file_case, city, user_named, upload):
    freeze("2026-09-28")
    case = file_case(
        item_code=DISINFECTION,
        procedure="tolerance",
        commitment_signed=True,
        missing=("M05",),
        department_id=city.pk,
    )
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    services.case_approve(actor=user_named("approver"), case_id=case.pk)
    with pytest.raises(Conflict) as error:
        services.case_issue(actor=user_named("approver"), case_id=case.pk)
    assert error.value.code == "licence_held"
    procedures.case_supplement(
        actor=user_named("applicant"),
        case_id=case.pk,
        materials=[{"code": "M05", "file_id": upload().pk}],
    )
    assert services.case_issue(actor=user_named("approver"), case_id=case.pk).status == "issued"
    assert licence_of(case).status == "valid"


def test_d_grade_cannot_use_tolerance(freeze, file_case, city, clinic):
    freeze("2026-09-28")
    grade(clinic, "D")
    with pytest.raises(Conflict):
        file_case(
            item_code=PUBLIC_PLACE,
            procedure="tolerance",
            commitment_signed=True,
            missing=("M03",),
            department_id=city.pk,
        )


# Green channel ---------------------------------------------------------------------------


def test_leader_marks_an_item_green_for_a_period(freeze, file_case, user_named, city):
    from yiwang.catalog.models import Item

    freeze("2026-09-28")
    item = Item.objects.get(code=PUBLIC_PLACE)
    with pytest.raises(PermissionRefused):
        procedures.item_mark_green(
            actor=user_named("reviewer"),
            item=item,
            reason="疫情",
            starts_on=D(2026, 9, 28),
            ends_on=D(2026, 10, 31),
        )
    with pytest.raises(Conflict) as error:
        file_case(item_code=PUBLIC_PLACE, procedure="green", department_id=city.pk)
    assert error.value.code == "green_not_open"
    procedures.item_mark_green(
        actor=user_named("leader"),
        item=item,
        reason="疫情防控急需",
        starts_on=D(2026, 9, 28),
        ends_on=D(2026, 10, 31),
    )
    ordinary = file_case(item_code=PUBLIC_PLACE, department_id=city.pk)
    assert ordinary.green
    services.case_accept(actor=user_named("clerk"), case_id=ordinary.pk)
    from yiwang.cases.engine.clocks import deadlines_of

    # The item's green limit (1 working day) instead of the committed 1 → the same here; the
    # statutory clock is untouched.
    assert deadlines_of(Case.objects.get(pk=ordinary.pk), D(2026, 9, 28)).committed_due == D(
        2026, 9, 29
    )
    freeze("2026-11-02")
    assert not file_case(item_code=PUBLIC_PLACE, department_id=city.pk).green


def test_leader_marks_a_case_green_with_a_dedicated_handler(freeze, file_case, user_named):
    freeze("2026-09-28")
    first = file_case()
    second = file_case()
    reviewer = user_named("reviewer")
    with pytest.raises((PermissionRefused, NotFound)):
        procedures.case_mark_green(actor=user_named("approver"), case_id=second.pk, reason="急")
    marked = procedures.case_mark_green(
        actor=user_named("leader"),
        case_id=second.pk,
        reason="疫情定点医院急需",
        handler_id=reviewer.pk,
    )
    assert marked.green and marked.handler == reviewer
    from yiwang.cases.selectors import case_queue_for

    assert [c.pk for c in case_queue_for(user_named("clerk"))][:2] == [second.pk, first.pk]
    assert marked.green_marks.get().marked_by == user_named("leader")


# First use, then review ------------------------------------------------------------------


def test_first_use_gives_a_provisional_permit_confirmed_by_approval(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case(item_code=RADIOLOGY, procedure="first_use")
    assert case.status == "received"
    assert licence_of(case).status == "provisional"
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
    assert licence_of(case).status == "valid"


def test_denied_first_use_withdraws_the_permit(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case(item_code=RADIOLOGY, procedure="first_use")
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    services.case_deny(actor=user_named("approver"), case_id=case.pk, reason="防护检测不合格")
    assert licence_of(case).status == "revoked"


def test_first_use_needs_a_complete_filing(freeze, file_case):
    freeze("2026-09-28")
    with pytest.raises(InvalidInput) as error:
        file_case(item_code=RADIOLOGY, procedure="first_use", missing=("M04",))
    assert error.value.code == "incomplete"


def test_procedure_the_item_does_not_allow_is_refused(freeze, file_case):
    freeze("2026-09-28")
    with pytest.raises(InvalidInput) as error:
        file_case(procedure="first_use")
    assert "procedure" in error.value.fields


# Emergency listing -----------------------------------------------------------------------


def test_emergency_listing_runs_on_its_own_limit_and_lists_the_product(
    freeze, file_case, user_named, city
):
    freeze("2026-09-28")
    case = file_case(
        item_code=DISINFECTION,
        procedure="emergency",
        department_id=city.pk,
        form={
            "contact_name": "王明",
            "contact_phone": "138",
            "product_name": "含氯消毒片",
            "listing_ends_on": "2027-03-31",
        },
    )
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    from yiwang.cases.engine.clocks import deadlines_of

    # Emergency limit 5 working days: 29, 30 Sep, 8, 9, 10 (make-up) Oct.
    assert deadlines_of(Case.objects.get(pk=case.pk), D(2026, 9, 28)).committed_due == D(
        2026, 10, 10
    )
    services.case_approve(actor=user_named("approver"), case_id=case.pk, note="应急期间上市")
    listing = EmergencyListing.objects.get(case=case)
    assert listing.product_name == "含氯消毒片" and listing.ends_on == D(2027, 3, 31)


# Pre-review ------------------------------------------------------------------------------


def test_prereview_comments_revision_then_filing_keeps_the_history(
    freeze, demo, clinic, user_named, upload
):
    freeze("2026-09-20")
    applicant = user_named("applicant")
    first = upload()
    prereview = prereviews.prereview_submit(
        actor=applicant,
        item_code="010010020000",
        applicant_id=clinic.pk,
        materials=[{"code": "M01", "file_id": first.pk}],
    )
    commented = prereviews.prereview_comment(
        actor=user_named("reviewer"),
        prereview_id=prereview.pk,
        comments={"M01": {"acceptable": False, "comment": "缺少法定代表人签字"}},
    )
    assert commented.status == "commented"
    revised = prereviews.prereview_revise(
        actor=applicant,
        prereview_id=prereview.pk,
        materials=[{"code": "M01", "file_id": upload().pk}],
    )
    assert revised.status == "submitted" and revised.rounds == 2
    prereviews.prereview_comment(
        actor=user_named("reviewer"),
        prereview_id=prereview.pk,
        comments={"M01": {"acceptable": True, "comment": ""}},
    )
    assert Case.objects.count() == 0  # pre-review starts no clock
    freeze("2026-09-28")
    case, _ = services.case_submit(
        actor=applicant,
        item_code="010010020000",
        channel="online",
        form={"contact_name": "王明", "contact_phone": "138", **example_answers("010010020000")},
        materials=[],
        applicant_id=clinic.pk,
        prereview_id=prereview.pk,
    )
    assert case.prereview.status == "filed"
    assert [h["action"] for h in case.prereview.history] == [
        "submit",
        "comment",
        "revise",
        "comment",
        "filed",
    ]
    assert case.received_at.date() == D(2026, 9, 28)


# One-thing bundles -----------------------------------------------------------------------


def test_bundle_takes_shared_materials_once_and_completes_when_all_are_decided(
    freeze, demo, clinic, user_named, upload
):
    freeze("2026-09-28")
    bundle = bundles.bundle_get("open-a-clinic")
    shared = [m for m in bundles.bundle_materials(bundle) if len(m["needed_by"]) > 1]
    assert shared, "the clinic bundle shares at least one material between items"
    given = [{"key": m["key"], "file_id": upload().pk} for m in bundles.bundle_materials(bundle)]
    application = bundles.bundle_submit(
        actor=user_named("applicant"),
        bundle_code="open-a-clinic",
        form={"contact_name": "王明", "contact_phone": "138", **bundle_answers(*bundle.item_codes)},
        materials=given,
        applicant_id=clinic.pk,
    )
    cases = list(application.cases.order_by("pk"))
    assert [c.item.code for c in cases] == bundle.item_codes
    shared_file = given[
        [m["key"] for m in bundles.bundle_materials(bundle)].index(shared[0]["key"])
    ]["file_id"]
    assert sum(c.materials.filter(file_id=shared_file).count() for c in cases) == len(
        shared[0]["needed_by"]
    )
    clerk, approver = user_named("clerk"), user_named("approver")
    for case in cases:
        services.case_accept(actor=clerk, case_id=case.pk)
    for case in cases[:-1]:
        services.case_approve(actor=approver, case_id=case.pk)
    assert bundles.bundle_result(application).status == "in_progress"
    application.refresh_from_db()
    assert application.completed_on is None
    services.case_deny(actor=approver, case_id=cases[-1].pk, reason="设备未验收")
    outcome = bundles.bundle_result(application)
    assert (outcome.status, outcome.result) == ("completed", "partly_granted")
    application.refresh_from_db()
    assert application.completed_on == D(2026, 9, 28)
