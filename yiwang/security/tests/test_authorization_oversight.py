"""The authorization matrix for oversight: credit facts, objections, repairs, list entries and
score cards; disclosure; ratings and rectifications; a complaint's rating and reopening; the
supervision tasks, inspections and penalties; and the public reads (a licence's verification,
a published grade, the red and black lists, a draw).

The rule of `harness`: every row × every demo account × the object placed in each variant that
applies to its scope rule; allowed → never 403/404, seen but not allowed → 403, not seen → 404;
a refused write changes nothing. The personal rules the table alone does not state are written
out below with the document that states them.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from yiwang.complaints import services as complaint_services
from yiwang.complaints.models import Ticket
from yiwang.complaints.tests import factories as tickets
from yiwang.credit.models import CreditFact, ListEntry, Objection, Repair
from yiwang.disclosure.models import Publication
from yiwang.permissions import Action, may, scope_of
from yiwang.ratings.models import Rating, RatingInvitation, Rectification
from yiwang.regions.models import PREFIX_LENGTH, Region, Staff
from yiwang.security.tests import harness
from yiwang.security.tests.harness import Row, seen_or_not
from yiwang.supervision import services as supervision_services
from yiwang.supervision.models import Inspection, Participation, Penalty, Task, TaskInspector

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 30)


# Personal rules ------------------------------------------------------------------------------


def the_entity(user, fact) -> str:
    """credit.md: the entity objects to its own facts and applies to repair them, nobody for it."""
    if user is not None and fact.applicant_id in scope_of(user).applicant_ids:
        return "allowed"
    return seen_or_not(user, fact, Action.CREDIT_VIEW)


def the_rater(user, rating) -> str:
    """ratings: only the rater changes a rating (the applicant's representatives when the
    rating came through the applicant's link, without an account)."""
    if user is not None and rating.rater_id == user.pk:
        return "allowed"
    owner = rating.invitation.applicant_id
    if user is not None and rating.rater_id is None and owner in scope_of(user).applicant_ids:
        return "allowed"
    return seen_or_not(user, rating)


def the_reporter(user, ticket) -> str:
    """complaints.md: the reporter rates and reopens, or an operator taking it by phone."""
    if user is not None and ticket.reporter_user_id == user.pk:
        return "allowed"
    if may(user, Action.TICKET_INTAKE, ticket):
        return "allowed"
    return seen_or_not(user, ticket, Action.TICKET_VIEW)


def _assigned(user, task) -> bool:
    return user is not None and task.assignments.filter(staff__user_id=user.pk).exists()


def starts_the_inspection(user, task) -> str:
    """supervision.md: the task is read as the table says; a leader of its department or one
    of the inspectors assigned to it starts the inspection."""
    if not may(user, Action.SUPERVISION_VIEW, task):
        return seen_or_not(user, task)
    if may(user, Action.SUPERVISION_PLAN, task) or _assigned(user, task):
        return "allowed"
    return "403"


def records_the_result(user, task) -> str:
    """supervision.md: "Record the result (one of the inspectors assigned to the task)"."""
    if not may(user, Action.SUPERVISION_VIEW, task):
        return seen_or_not(user, task)
    if user.is_superuser or (may(user, Action.SUPERVISION_INSPECT, task) and _assigned(user, task)):
        return "allowed"
    return "403"


def _participation(user, inspection):
    staff = Staff.objects.filter(user_id=getattr(user, "pk", None)).first()
    department = getattr(staff, "department_id", None)
    return inspection.participations.filter(department_id=department).first()


def reads_the_inspection(user, inspection) -> str:
    """supervision.md: the table's readers, and the inspectors of every department taking part
    in a joint visit (each records its own findings on the same inspection)."""
    if may(user, Action.SUPERVISION_VIEW, inspection):
        return "allowed"
    own = _participation(user, inspection)
    if own is not None and may(user, Action.SUPERVISION_INSPECT, own):
        return "allowed"
    return seen_or_not(user, inspection)


def records_findings(user, inspection) -> str:
    """supervision.md: each taking department records its own findings; in the task's own
    department, an inspector assigned to the task."""
    if reads_the_inspection(user, inspection) != "allowed":
        return reads_the_inspection(user, inspection)
    own = _participation(user, inspection)
    if own is None or not may(user, Action.SUPERVISION_INSPECT, own):
        return "403"
    if own.department_id == inspection.department_id and not (
        user.is_superuser or _assigned(user, inspection.task)
    ):
        return "403"
    return "allowed"


def gated_by_the_inspection(action: Action, area: bool = False):
    """Reading the inspection first, then the table's `action` (for point to area: a plan of
    the caller's own department over the inspected entity's district)."""

    def rule(user, inspection) -> str:
        if reads_the_inspection(user, inspection) != "allowed":
            return reads_the_inspection(user, inspection)
        target = inspection
        if area:
            staff = Staff.objects.filter(user_id=user.pk).first()
            code = inspection.task.region_code[: PREFIX_LENGTH[Region.Level.COUNTY]].ljust(12, "0")
            target = SimpleNamespace(
                scope_region_code=code,
                scope_department_id=getattr(staff, "department_id", None),
                scope_applicant_ids=frozenset(),
            )
        return "allowed" if may(user, action, target) else "403"

    return rule


# Rows ------------------------------------------------------------------------------------------

CREDIT_ROWS = [
    Row(
        "POST",
        "/api/v1/credit/facts/{fact}/objection",
        None,
        "fact",
        {"reason": "matrix"},
        rule=the_entity,
    ),
    Row(
        "POST",
        "/api/v1/credit/facts/{fact}/repair",
        None,
        "fact",
        {"statement": "matrix", "evidence": "matrix"},
        rule=the_entity,
    ),
    Row(
        "POST",
        "/api/v1/credit/objections/{objection}/answer",
        Action.CREDIT_OBJECTION_ANSWER,
        "objection",
        {"upheld": False, "answer": "matrix"},
        view=Action.CREDIT_VIEW,
    ),
    Row(
        "POST",
        "/api/v1/credit/repairs/{repair}/decide",
        Action.CREDIT_REPAIR_DECIDE,
        "repair",
        {"grant": False, "note": "matrix"},
        view=Action.CREDIT_VIEW,
    ),
    Row(
        "POST",
        "/api/v1/credit/list-entries/{listing}/decide",
        Action.CREDIT_LIST_APPROVE,
        "listing",
        {"approve": False, "note": "matrix"},
        view=Action.CREDIT_VIEW,
    ),
    Row("GET", "/api/v1/credit/scorecards/{card}", Action.CREDIT_SCORECARD, "card"),
    Row("POST", "/api/v1/credit/scorecards/{card}/preview", Action.CREDIT_SCORECARD, "card", {}),
    Row("POST", "/api/v1/credit/scorecards/{card}/activate", Action.CREDIT_SCORECARD, "card", {}),
    Row(
        "POST",
        "/api/v1/disclosure/{publication}/publish",
        Action.DISCLOSURE_PUBLISH,
        "publication",
        {},
        Action.DISCLOSURE_VIEW_QUEUE,
    ),
    Row(
        "POST",
        "/api/v1/disclosure/{publication}/withdraw",
        Action.DISCLOSURE_WITHDRAW,
        "publication",
        {"reason": "matrix"},
        Action.DISCLOSURE_VIEW_QUEUE,
    ),
    Row("PATCH", "/api/v1/ratings/{rating}", None, "rating", {"level": 4}, rule=the_rater),
    *[
        Row(
            "POST",
            f"/api/v1/ratings/rectifications/{{rectification}}/actions/{step}",
            Action.RECTIFICATION_HANDLE,
            "rectification",
            {"genuine": True, "reason": "matrix", "note": "matrix"},
        )
        for step in ("verify", "call_back", "fix", "close")
    ],
    Row(
        "POST",
        "/api/v1/complaints/{ticket}/actions/rate",
        None,
        "ticket",
        {"level": 4, "comment": "matrix"},
        rule=the_reporter,
    ),
    Row(
        "POST",
        "/api/v1/complaints/{ticket}/actions/reopen",
        None,
        "ticket",
        {"reason": "matrix"},
        rule=the_reporter,
    ),
]
SUPERVISION_ROWS = [
    Row("GET", "/api/v1/supervision/tasks/{task}", Action.SUPERVISION_VIEW, "task"),
    Row(
        "POST",
        "/api/v1/supervision/tasks/{task}/assign",
        Action.SUPERVISION_PLAN,
        "task",
        {"inspectors": ["inspector1", "inspector2"]},
        Action.SUPERVISION_VIEW,
    ),
    Row(
        "POST",
        "/api/v1/supervision/tasks/{task}/join",
        Action.SUPERVISION_INSPECT,
        "task",
        {},
        Action.SUPERVISION_VIEW,
    ),
    Row(
        "POST",
        "/api/v1/supervision/tasks/{task}/inspection",
        None,
        "task",
        {},
        rule=starts_the_inspection,
    ),
    Row(
        "POST",
        "/api/v1/supervision/tasks/{task}/result",
        None,
        "task",
        {"outcome": "compliant", "findings": "matrix"},
        rule=records_the_result,
    ),
    Row(
        "GET",
        "/api/v1/supervision/inspections/{inspection}",
        None,
        "inspection",
        rule=reads_the_inspection,
    ),
    Row(
        "POST",
        "/api/v1/supervision/inspections/{inspection}/findings",
        None,
        "inspection",
        {"findings": "matrix"},
        rule=records_findings,
        multipart=True,
    ),
    Row(
        "POST",
        "/api/v1/supervision/inspections/{concluded}/publish",
        None,
        "concluded",
        {},
        rule=gated_by_the_inspection(Action.SUPERVISION_PUBLISH),
    ),
    Row(
        "POST",
        "/api/v1/supervision/inspections/{concluded}/point-to-area",
        None,
        "concluded",
        {"area": "district", "ratios": {"A": "0.1", "B": "0.1", "C": "0.1", "D": "0.1"}},
        rule=gated_by_the_inspection(Action.SUPERVISION_PLAN, area=True),
    ),
    Row(
        "POST",
        "/api/v1/supervision/penalties/{penalty}/decide",
        Action.SUPERVISION_PENALTY,
        "penalty",
        {"legal_basis": "matrix", "amount": "1000"},
        Action.SUPERVISION_VIEW,
    ),
]
KEYS = {"card": lambda card: card}


# Objects ---------------------------------------------------------------------------------------


def _fact(applicant, department, status=CreditFact.Status.ACTIVE, number=0) -> CreditFact:
    fact = CreditFact.objects.create(
        applicant=applicant,
        entity_code=applicant.code,
        department=department,
        source="health",
        record_id=f"MATRIX-{number}",
        kind="penalty",
        severity="minor",
        occurred_on=datetime.date(2024, 3, 1),
        source_document="matrix",
        valid_from=datetime.date(2024, 3, 1),
        valid_until=datetime.date(2027, 3, 1),
        repairable_from=datetime.date(2024, 6, 1),
        status=status,
        recorded_at=timezone.now(),
    )
    return CreditFact.objects.select_related("applicant__region").get(pk=fact.pk)


@pytest.fixture
def oversight_objects(places, user_named, freeze):
    """Per variant: an active credit fact, an open objection, a pending repair, a proposed
    list entry, a queued publication, a rating and its open rectification, a replied ticket
    (its reporter the demo applicant in the applicant's own variants)."""
    freeze(TODAY.isoformat())
    now = timezone.now()
    applicant_user = user_named("applicant")
    represented = scope_of(applicant_user).applicant_ids
    built = {}
    for index, (variant, (department, applicant)) in enumerate(places.items()):
        found = {"card": 1}
        found["fact"] = _fact(applicant, department, number=index * 3)
        disputed = _fact(applicant, department, CreditFact.Status.DISPUTED, index * 3 + 1)
        objection = Objection.objects.create(
            fact=disputed,
            reason="matrix",
            filed_at=now,
            filed_by=applicant_user,
            answer_due=datetime.date(2026, 12, 14),
        )
        found["objection"] = Objection.objects.select_related("fact__applicant__region").get(
            pk=objection.pk
        )
        repaired = _fact(applicant, department, number=index * 3 + 2)
        repair = Repair.objects.create(
            fact=repaired,
            statement="matrix",
            evidence="matrix",
            filed_at=now,
            filed_by=applicant_user,
            decision_due=datetime.date(2026, 12, 14),
        )
        found["repair"] = Repair.objects.select_related("fact__applicant__region").get(pk=repair.pk)
        if variant != "other department":  # a list entry has no department
            listing = ListEntry.objects.create(
                applicant=applicant,
                list_kind="red",
                status=ListEntry.Status.PROPOSED,
                legal_basis="matrix",
                reason="matrix",
                starts_on=TODAY,
                ends_on=datetime.date(2027, 11, 30),
                proposed_by=user_named("approver"),
                created_at=now,
            )
            found["listing"] = ListEntry.objects.select_related("applicant__region").get(
                pk=listing.pk
            )
        if variant != "other applicant":  # a publication and a rectification: no applicant
            found["publication"] = Publication.objects.create(
                kind=Publication.Kind.LICENSING,
                source_id=index + 1,
                department=department,
                region_code=department.region.code,
                subject_name="matrix",
                decision="approved",
                decided_on=TODAY,
                publish_due=datetime.date(2026, 12, 9),
                status=Publication.Status.QUEUED,
                queued_at=now,
            )
        invitation = RatingInvitation.objects.create(
            subject_kind="case",
            subject_id=index + 1,
            number=f"MATRIX-{index}",
            applicant=applicant,
            department=department,
            region_code=department.region.code
            if variant != "other applicant"
            else applicant.region.code,
            opened_on=TODAY,
            rate_until=datetime.date(2026, 12, 30),
        )
        rating = Rating.objects.create(
            invitation=invitation,
            level=1,
            channel="portal",
            rated_at=now,
            rated_on=TODAY,
            change_until=datetime.date(2026, 12, 14),
            rater=applicant_user if variant == "own department" else None,
        )
        found["rating"] = Rating.objects.select_related("invitation").get(pk=rating.pk)
        if variant != "other applicant":
            rectification = Rectification.objects.create(
                rating=rating,
                status=Rectification.Status.OPEN,
                opened_on=TODAY,
                due=datetime.date(2026, 12, 21),
            )
            found["rectification"] = Rectification.objects.select_related("rating__invitation").get(
                pk=rectification.pk
            )
        ticket = tickets.ticket().ticket
        complaint_services.ticket_dispatch(
            actor=user_named("operator"), ticket_id=ticket.pk, department_id=department.pk
        )
        Ticket.objects.filter(pk=ticket.pk).update(
            region=department.region,
            status="replied",
            replied_on=TODAY,
            reporter_user=applicant_user if applicant.pk in represented else None,
        )
        found["ticket"] = Ticket.objects.select_related("region").get(pk=ticket.pk)
        built[variant] = found
    return built


def test_oversight_object_endpoints_follow_the_permission_table(
    oversight_objects, client, user_named, settings
):
    settings.API_TOKEN_HOURS = 24
    pairs, seen, mismatches = harness.run(
        CREDIT_ROWS, oversight_objects, client=client, user_named=user_named, keys=KEYS
    )
    print(f"authorization matrix (oversight): {pairs} pairs {seen}, {len(mismatches)} mismatches")
    assert all(seen.values())
    assert mismatches == [], "\n".join(mismatches)


def _task(applicant, department, *, number: int) -> Task:
    task = Task.objects.create(
        kind=Task.Kind.SPECIAL,
        department=department,
        applicant=applicant,
        entity_code=f"MATRIX-{number}",
        region_code=applicant.region.code,
        reason="matrix",
        created_at=timezone.now(),
    )
    for username in ("inspector1", "inspector2"):
        staff = Staff.objects.get(user__username=username)
        TaskInspector.objects.create(task=task, staff=staff, code=staff.certificate_number)
    return task


def _inspection(task, *, concluded: bool) -> Inspection:
    inspection = Inspection.objects.create(
        task=task,
        department=task.department,
        scheduled_for=TODAY,
        created_at=timezone.now(),
        **(
            {
                "status": Inspection.Status.CONCLUDED,
                "outcome": "violation",
                "findings_summary": "matrix",
                "concluded_on": TODAY,
                "publish_due": datetime.date(2026, 12, 28),
            }
            if concluded
            else {}
        ),
    )
    Participation.objects.create(inspection=inspection, department=task.department)
    Task.objects.filter(pk=task.pk).update(status=Task.Status.IN_PROGRESS)
    return Inspection.objects.select_related("task").get(pk=inspection.pk)


@pytest.fixture
def supervision_objects(places, user_named, freeze):
    """Per variant: an open special task (inspector1 and inspector2 assigned), one with its
    inspection under way, one concluded with a violation and its open penalty."""
    freeze(TODAY.isoformat())
    built = {}
    for index, (variant, (department, applicant)) in enumerate(places.items()):
        if variant == "other applicant":
            continue  # supervision objects belong to a department and a region, no applicant
        task = _task(applicant, department, number=index * 3)
        found = {"task": Task.objects.get(pk=task.pk)}
        found["inspection"] = _inspection(
            _task(applicant, department, number=index * 3 + 1), concluded=False
        )
        concluded = _inspection(_task(applicant, department, number=index * 3 + 2), concluded=True)
        found["concluded"] = concluded
        found["penalty"] = Penalty.objects.select_related("inspection__task").get(
            pk=Penalty.objects.create(
                inspection=concluded,
                department=department,
                applicant=applicant,
                legal_basis="matrix",
                amount="1000",
                opened_at=timezone.now(),
            ).pk
        )
        built[variant] = found
    return built


def test_supervision_object_endpoints_follow_the_permission_table(
    supervision_objects, client, user_named, settings
):
    settings.API_TOKEN_HOURS = 24
    pairs, seen, mismatches = harness.run(
        SUPERVISION_ROWS, supervision_objects, client=client, user_named=user_named
    )
    print(f"authorization matrix (supervision): {pairs} pairs {seen}, {len(mismatches)} mismatches")
    assert all(seen.values())
    assert mismatches == [], "\n".join(mismatches)


# Public reads ----------------------------------------------------------------------------------


def published(user, obj) -> str:
    """Public: anyone (anonymous included) reads a published object; no one an unpublished one."""
    return "allowed" if obj["public"] else "404"


PUBLIC_OVERSIGHT_ROWS = [
    Row("GET", "/api/v1/licences/{licence}/verify", None, "licence", rule=published),
    Row("GET", "/api/v1/credit/{grade}", None, "grade", rule=published),
    Row("GET", "/api/v1/credit/lists/{list}", None, "list", rule=published),
    Row("GET", "/api/v1/supervision/draws/{draw}", None, "draw", rule=published),
]
PUBLIC_KEYS = {kind: (lambda found: found["key"]) for kind in ("licence", "grade", "list", "draw")}


@pytest.fixture
def public_oversight_objects(objects, user_named, clinic, freeze):
    """A published and an unknown object of each public read: a licence and an unknown number;
    an organisation's grade and a code no organisation has; both lists (every list is public:
    no unpublished variant); a draw and an id no draw has."""
    leader = user_named("leader")
    plan = supervision_services.plan_create(
        actor=leader,
        name="matrix",
        year=2026,
        licence_types=["11100000000002"],
        region_code="210200000000",
        ratios={"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"},
        inspectors_per_task=2,
    )
    supervision_services.plan_commit(actor=leader, plan_id=plan.pk)
    draw = supervision_services.plan_draw(actor=leader, plan_id=plan.pk, witness="matrix")
    return {
        "published": {
            "licence": {"key": objects["own department"]["licence"].number, "public": True},
            "grade": {"key": clinic.uscc, "public": True},
            "list": {"key": "red", "public": True},
            "draw": {"key": draw.pk, "public": True},
        },
        "not published": {
            "licence": {"key": "NO-SUCH-LICENCE", "public": False},
            "grade": {"key": "91210200MA0000000X", "public": False},
            "list": {"key": "black", "public": True},
            "draw": {"key": draw.pk + 1000, "public": False},
        },
    }


def test_public_oversight_reads_answer_anyone_for_a_published_object_only(
    public_oversight_objects, client, user_named, settings
):
    settings.API_TOKEN_HOURS = 24
    pairs, seen, mismatches = harness.run(
        PUBLIC_OVERSIGHT_ROWS,
        public_oversight_objects,
        client=client,
        user_named=user_named,
        keys=PUBLIC_KEYS,
        anonymous=True,
    )
    print(f"authorization matrix (public oversight): {pairs} pairs {seen}")
    assert seen["allowed"] and seen["404"]
    assert mismatches == [], "\n".join(mismatches)
