"""The authorization matrix for the services to applicants: appointments, front services,
enterprise list entries, one-thing bundles, green items, policy documents, the layout's
thresholds, and the public reads of the catalogue, the guidance and published policies.

The rule of `harness`: every row × every demo account × the object placed in each variant that
applies to its scope rule (a booking or a front-service request has no department, a policy
document no applicant); allowed → never 403/404, seen but not allowed → 403, not seen → 404;
a refused write changes nothing. Public rows add the anonymous caller: a published object is
read by anyone, an unpublished one is 404 to everyone.
"""

import datetime

import pytest
from django.utils import timezone

from yiwang.appointments.models import Booking, BookingStatus, Channel, Hall, Slot
from yiwang.catalog.models import Item, ItemVersion
from yiwang.disclosure.models import PolicyDocument
from yiwang.enterprise.models import EntryStatus, Expert, FrontServiceRequest, ListEntry, ListKind
from yiwang.guidance.models import Violation
from yiwang.permissions import Action, may, scope_of
from yiwang.regions.models import Department, Region, Staff
from yiwang.security.tests import harness
from yiwang.security.tests.harness import Row, seen_or_not

pytestmark = pytest.mark.django_db


def expert_or_table(user, request) -> str:
    """A front-service request is read by the expert assigned to it, and as the table says."""
    if user is not None and request.expert.user_id == user.pk:
        return "allowed"
    if may(user, Action.FRONT_SERVICE_VIEW, request):
        return "allowed"
    return seen_or_not(user, request)


def only_the_expert(user, request) -> str:
    """The assigned expert records the advice (enterprise-services.md), nobody else."""
    if user is not None and request.expert.user_id == user.pk:
        return "allowed"
    return seen_or_not(user, request, Action.FRONT_SERVICE_VIEW)


def files_for(user, applicant) -> str:
    """Portal users file for whom they represent; the window files for anyone in its region."""
    if user is not None and applicant.pk in scope_of(user).applicant_ids:
        return "allowed"
    if may(user, Action.CASE_FILE_FOR_OTHERS, applicant):
        return "allowed"
    return seen_or_not(user, applicant, Action.APPLICANT_VIEW)


SLOT = {"slot": "{other_slot}"}
SERVICE_ROWS = [
    Row("GET", "/api/v1/appointments/{booking}", Action.APPOINTMENT_CANCEL, "booking"),
    Row("POST", "/api/v1/appointments/{booking}/cancel", Action.APPOINTMENT_CANCEL, "booking"),
    Row(
        "POST", "/api/v1/appointments/{booking}/rebook", Action.APPOINTMENT_CANCEL, "booking", SLOT
    ),
    Row(
        "POST",
        "/api/v1/appointments/{booking}/check-in",
        Action.APPOINTMENT_DESK,
        "booking",
        view=Action.APPOINTMENT_CANCEL,
    ),
    Row(
        "POST",
        "/api/v1/appointments/{booking}/no-show",
        Action.APPOINTMENT_DESK,
        "booking",
        view=Action.APPOINTMENT_CANCEL,
    ),
    Row("GET", "/api/v1/front-services/{front}", None, "front", rule=expert_or_table),
    Row(
        "POST",
        "/api/v1/front-services/{front}/assign",
        Action.FRONT_SERVICE_COORDINATE,
        "front",
        {"expert_id": "{expert}"},
        view=Action.FRONT_SERVICE_VIEW,
    ),
    Row(
        "POST",
        "/api/v1/front-services/{front}/advice",
        None,
        "front",
        {"text": "matrix"},
        rule=only_the_expert,
        multipart=True,
    ),
    Row(
        "POST",
        "/api/v1/front-services/{front}/link",
        Action.FRONT_SERVICE_REQUEST,
        "front",
        {"case_id": "{case}"},
        view=Action.FRONT_SERVICE_VIEW,
    ),
    Row(
        "POST",
        "/api/v1/enterprises/entries/{entry}",
        Action.ENTERPRISE_LISTS_EDIT,
        "entry",
        {"status": EntryStatus.IN_PROGRESS, "note": "matrix"},
        view=Action.ENTERPRISE_LISTS_VIEW,
    ),
    Row(
        "POST",
        "/api/v1/bundles/{bundle}/applications",
        None,
        "filer",
        {"applicant": {"id": "{filer}"}, "form": {}, "materials": []},
        rule=files_for,
    ),
    Row(
        "POST",
        "/api/v1/procedures/items/{item}/green",
        Action.ITEM_MARK_GREEN,
        "item",
        {"reason": "matrix", "starts_on": "2026-12-01"},
    ),
    Row(
        "POST",
        "/api/v1/policies/{policy}/review",
        Action.POLICY_DRAFT,
        "policy",
        {"checklist": {}, "conclusion": "matrix"},
        view=Action.POLICY_DRAFT,
    ),
    Row(
        "POST",
        "/api/v1/policies/{policy}/interpretation",
        Action.POLICY_DRAFT,
        "policy",
        {"text": "matrix"},
        view=Action.POLICY_DRAFT,
    ),
    Row(
        "POST",
        "/api/v1/policies/{policy}/publish",
        Action.POLICY_PUBLISH,
        "policy",
        {},
        Action.POLICY_DRAFT,
    ),
    Row(
        "POST",
        "/api/v1/policies/{policy}/assess",
        Action.POLICY_ASSESS,
        "policy",
        {"year": 2026, "outcome": "keep", "note": "matrix"},
        view=Action.POLICY_DRAFT,
    ),
    Row(
        "PUT",
        "/api/v1/guidance/layout/thresholds/{measure}",
        Action.LAYOUT_EDIT,
        "measure",
        {"bands": [{"resource_class": "abundant", "min_percent": 120, "max_percent": None}]},
    ),
]
KEYS = {
    "booking": lambda booking: booking.ticket,
    "bundle": lambda bundle: bundle,
    "item": lambda item: item.code,
    "measure": lambda measure: measure,
}


def _hall_in(region: Region, department) -> Hall:
    if region.code == "210200000000":
        return Hall.objects.filter(region=region).first()
    return Hall.objects.create(
        code="MXG",
        name="matrix hall",
        address="matrix",
        department=department,
        region=region,
    )


@pytest.fixture
def service_objects(places, file_case, user_named):
    """Per variant: a booking, a front-service request (expert assigned), an enterprise list
    entry, the applicant a bundle is filed for, a green-capable item and a draft policy."""
    applicant_user = user_named("applicant")
    expert = Expert.objects.get(user__username="expert")
    case = file_case()  # the clinic's case, linked by the front-service rows
    now = timezone.now()
    slots = list(
        Slot.objects.filter(date__gte=timezone.localdate()).order_by("date", "starts_at")[:2]
    )
    items = [
        version.item
        for version in ItemVersion.objects.filter(status="published").select_related("item")
        if "green" in (version.procedures or [])
    ]
    built = {}
    for index, (variant, (department, applicant)) in enumerate(places.items()):
        found = {"case": case, "expert": expert, "other_slot": slots[1], "bundle": "open-a-clinic"}
        hall = _hall_in(
            applicant.region
            if variant == "other region"
            else Region.objects.get(code="210200000000"),
            department,
        )
        if variant != "other department":  # a booking and a request have no department
            booking = Booking.objects.create(
                ticket=f"MATRIX-{index}",
                hall=hall,
                slot=slots[0],
                date=slots[0].date,
                item=items[0],
                applicant=applicant,
                visitor_name="matrix",
                holder_key=f"matrix-{index}",
                channel=Channel.PORTAL,
                status=BookingStatus.BOOKED,
                booked_by=applicant_user,
                booked_at=now,
            )
            found["booking"] = Booking.objects.select_related("hall__region").get(pk=booking.pk)
            request = FrontServiceRequest.objects.create(
                applicant=applicant,
                item=items[0],
                kind="consultation",
                description="matrix",
                status="assigned",
                expert=expert,
                requested_by=applicant_user,
                requested_at=now,
            )
            found["front"] = FrontServiceRequest.objects.select_related(
                "applicant__region", "expert"
            ).get(pk=request.pk)
            entry = ListEntry.objects.create(
                applicant=applicant,
                kind=ListKind.PROBLEM,
                title="matrix",
                due_on=datetime.date(2026, 12, 31),
                owner=Staff.objects.get(user__username="secretary"),
                created_by=user_named("secretary"),
                created_at=now,
            )
            found["entry"] = ListEntry.objects.select_related("applicant__region").get(pk=entry.pk)
            found["filer"] = applicant
        item = items[index + 1]
        Item.objects.filter(pk=item.pk).update(owner_department=department)
        found["item"] = Item.objects.select_related("owner_department__region").get(pk=item.pk)
        if variant != "other applicant":  # a policy document concerns no applicant
            found["policy"] = PolicyDocument.objects.create(
                drafting_department=department,
                region_code=department.region.code,
                title="matrix",
                text="matrix",
                status=PolicyDocument.Status.DRAFT,
                created_by=user_named("leader"),
                created_at=now,
            )
        built[variant] = found
    built["global"] = {"measure": "beds"}  # the thresholds belong to no department or region
    return built


def test_service_object_endpoints_follow_the_permission_table(
    service_objects, client, user_named, settings
):
    settings.API_TOKEN_HOURS = 24
    pairs, seen, mismatches = harness.run(
        SERVICE_ROWS, service_objects, client=client, user_named=user_named, keys=KEYS
    )
    print(f"authorization matrix (services): {pairs} pairs {seen}, {len(mismatches)} mismatches")
    assert all(seen.values())
    assert mismatches == [], "\n".join(mismatches)


# Public reads ----------------------------------------------------------------------------------


def published(user, obj) -> str:
    """Public: anyone (anonymous included) reads a published object; no one an unpublished one."""
    return "allowed" if obj["public"] else "404"


PUBLIC_SERVICE_ROWS = [
    Row("GET", "/api/v1/items/{item}", None, "item", rule=published),
    Row(
        "GET",
        "/api/v1/guidance/compliance/violations/{violation}",
        None,
        "violation",
        rule=published,
    ),
    Row("GET", "/api/v1/guidance/layout/regions/{region}", None, "region", rule=published),
    Row("GET", "/api/v1/public/policies/{policy}", None, "policy", rule=published),
]
PUBLIC_KEYS = {
    kind: (lambda found: found["key"]) for kind in ("item", "violation", "region", "policy")
}


@pytest.fixture
def public_objects(demo, user_named):
    """A published and an unpublished object of each public read."""
    city = Region.objects.get(code="210200000000")
    in_force = PolicyDocument.objects.create(
        drafting_department=Department.objects.get(name="大连市卫生健康委员会"),
        region_code=city.code,
        title="matrix",
        text="matrix",
        status=PolicyDocument.Status.IN_FORCE,
        published_on=datetime.date(2026, 11, 2),
        created_by=user_named("leader"),
        created_at=timezone.now(),
    )
    draft = PolicyDocument.objects.create(
        drafting_department=in_force.drafting_department,
        region_code=city.code,
        title="matrix draft",
        text="matrix",
        status=PolicyDocument.Status.DRAFT,
        created_by=user_named("leader"),
        created_at=timezone.now(),
    )
    withdrawn = Item.objects.exclude(code="010010020000").order_by("code").first()
    ItemVersion.objects.filter(item=withdrawn, status="published").update(status="superseded")
    violation = Violation.objects.order_by("code").first()
    return {
        "published": {
            "item": {"key": "010010020000", "public": True},
            "violation": {"key": violation.code, "public": True},
            "region": {"key": city.code, "public": True},
            "policy": {"key": in_force.pk, "public": True},
        },
        "not published": {
            "item": {"key": withdrawn.code, "public": False},
            "violation": {"key": "V99-NOT-IN-THE-GUIDE", "public": False},
            "region": {"key": "999999999999", "public": False},
            "policy": {"key": draft.pk, "public": False},
        },
    }


def test_public_service_reads_answer_anyone_for_a_published_object_only(
    public_objects, client, user_named, settings
):
    settings.API_TOKEN_HOURS = 24
    pairs, seen, mismatches = harness.run(
        PUBLIC_SERVICE_ROWS,
        public_objects,
        client=client,
        user_named=user_named,
        keys=PUBLIC_KEYS,
        anonymous=True,
    )
    print(f"authorization matrix (public services): {pairs} pairs {seen}")
    assert seen["allowed"] and seen["404"]
    assert mismatches == [], "\n".join(mismatches)
