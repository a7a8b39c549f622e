"""The figures read from complaints, ratings, disclosure and supervision, computed by hand."""

import datetime

import pytest

from yiwang import clock
from yiwang.catalog.models import Item
from yiwang.complaints import services as ticket_services
from yiwang.complaints.tests import factories as tickets
from yiwang.disclosure.models import Publication
from yiwang.indicators import sources
from yiwang.indicators.slices import parse_slice
from yiwang.licences.models import IN_FORCE, Licence
from yiwang.ratings.models import Rating, RatingInvitation, Rectification
from yiwang.regions.models import Department
from yiwang.supervision.directory import GRADES, UNGRADED
from yiwang.supervision.models import Inspection, Task
from yiwang.supervision.selectors import coverage_by_grade
from yiwang.supervision.tests.factories import HEALTH, make_entities

MARCH = {"period": "custom", "from": "2026-03-01", "to": "2026-03-31"}
COMMISSION = "大连市卫生健康委员会"
ITEM = "010010020000"
COMMUNITY = "210202003002"  # 天津街社区
MARKET = "大连市市场监督管理局"


def slice_for(user, **params):
    return parse_slice(user, {**MARCH, **params})


def day(text):
    return datetime.date.fromisoformat(text)


# Complaints: the on-time reply rate.


def replied_ticket(freeze, received, replied):
    freeze(f"{received}T09:00")
    made = tickets.dispatched()
    freeze(f"{replied}T15:00")
    return ticket_services.ticket_reply(
        actor=tickets.user("reviewer"), ticket_id=made.ticket.pk, text="已核实处理。"
    )


@pytest.mark.django_db
def test_complaint_on_time_rate_counts_first_replies_in_the_period(demo, freeze, user_named):
    on_time_1 = replied_ticket(freeze, "2026-03-02", "2026-03-03")
    on_time_2 = replied_ticket(freeze, "2026-03-09", "2026-03-10")
    late = replied_ticket(freeze, "2026-02-02", "2026-03-16")  # due in February
    replied_ticket(freeze, "2026-04-01", "2026-04-02")  # replied after the period
    assert (on_time_1.first_reply_on_time, on_time_2.first_reply_on_time) == (True, True)
    assert late.first_reply_on_time is False
    leader = user_named("leader")
    assert sources.complaint_on_time_rate(slice_for(leader)) == 0.6667  # 2 of 3
    commission = Department.objects.get(name=COMMISSION)
    assert sources.complaint_on_time_rate(slice_for(leader, department=str(commission.pk))) == (
        0.6667
    )
    # Tickets carry no item: a slice by item has nothing to count.
    assert sources.complaint_on_time_rate(slice_for(leader, item=ITEM)) is None
    assert (
        sources.complaint_on_time_rate(
            slice_for(leader, **{"from": "2026-05-01", "to": "2026-05-31"})
        )
        is None
    )


# Ratings: satisfaction and the rectification of bad ratings.


def rating(number, level, rated_on, *, department, item_code=ITEM, region_code="210202000000"):
    invitation = RatingInvitation.objects.create(
        subject_kind="case",
        subject_id=number,
        number=f"R-{number}",
        department=department,
        region_code=region_code,
        item_code=item_code,
        opened_on=day(rated_on),
        rate_until=day(rated_on) + datetime.timedelta(days=30),
    )
    return Rating.objects.create(
        invitation=invitation,
        level=level,
        channel="web",
        rated_at=clock.now(),
        rated_on=day(rated_on),
        change_until=day(rated_on) + datetime.timedelta(days=14),
    )


def rectify(rating_, due, closed_on=None):
    return Rectification.objects.create(
        rating=rating_,
        status="closed" if closed_on else "open",
        opened_on=rating_.rated_on,
        due=day(due),
        closed_on=day(closed_on) if closed_on else None,
    )


@pytest.fixture
def rated(demo, freeze):
    freeze("2026-04-10")
    commission = Department.objects.get(name=COMMISSION)
    other = Department.objects.exclude(pk=commission.pk).first()
    rating(1, 5, "2026-03-02", department=commission)
    rating(2, 4, "2026-03-05", department=commission)
    rectify(rating(3, 1, "2026-03-06", department=commission), "2026-03-20", "2026-03-18")
    rectify(rating(4, 2, "2026-03-09", department=commission), "2026-03-23", "2026-03-27")
    rectify(rating(5, 1, "2026-03-16", department=other, region_code="210203000000"), "2026-03-30")
    rating(6, 3, "2026-03-20", department=other, item_code="010010010000")
    rating(7, 5, "2026-02-27", department=commission)  # before the period
    return commission, other


@pytest.mark.django_db
def test_satisfaction_is_ratings_four_or_five_over_ratings(rated, user_named):
    commission, _other = rated
    leader = user_named("leader")
    assert sources.satisfaction(slice_for(leader)) == 0.3333  # 2 of 6
    assert sources.satisfaction(slice_for(leader, department=str(commission.pk))) == 0.5
    assert sources.satisfaction(slice_for(leader, region="210202000000")) == 0.4  # 2 of 5
    assert sources.satisfaction(slice_for(leader, item=ITEM)) == 0.4
    assert (
        sources.satisfaction(slice_for(leader, **{"from": "2026-05-01", "to": "2026-05-31"}))
        is None
    )


@pytest.mark.django_db
def test_bad_rating_rectification_rate(rated, user_named):
    commission, _other = rated
    leader = user_named("leader")
    # Due in March: on time (closed 03-18 by 03-20), late (closed 03-27 after 03-23), open past
    # its due date 03-30 on 04-10: 1 of 3.
    assert sources.bad_rating_rectification_rate(slice_for(leader)) == 0.3333
    assert (
        sources.bad_rating_rectification_rate(slice_for(leader, department=str(commission.pk)))
        == 0.5
    )
    assert sources.bad_rating_rectification_rate(slice_for(leader, region="210203000000")) == 0.0


@pytest.mark.django_db
def test_an_open_rectification_not_yet_due_does_not_count(demo, freeze, user_named):
    freeze("2026-03-25")
    commission = Department.objects.get(name=COMMISSION)
    rectify(rating(1, 1, "2026-03-16", department=commission), "2026-03-30")
    assert sources.bad_rating_rectification_rate(slice_for(user_named("leader"))) is None


# Disclosure: publication within its due date.


def publication(number, kind, due, published, *, department, item_code=ITEM):
    return Publication.objects.create(
        kind=kind,
        source_id=number,
        number=f"P-{number}",
        department=department,
        region_code="210202000000",
        subject_name="大连某某有限公司",
        item_code=item_code,
        decision="approved",
        decided_on=day(due) - datetime.timedelta(days=9),
        publish_due=day(due),
        status="published" if published else "queued",
        queued_at=clock.now(),
        published_at=(
            datetime.datetime.fromisoformat(f"{published}T10:00:00+08:00") if published else None
        ),
    )


@pytest.fixture
def published(demo, freeze):
    freeze("2026-04-10")
    commission = Department.objects.get(name=COMMISSION)
    other = Department.objects.exclude(pk=commission.pk).first()
    publication(1, "licensing", "2026-03-10", "2026-03-09", department=commission)
    publication(2, "licensing", "2026-03-10", "2026-03-10", department=commission)
    publication(3, "penalty", "2026-03-10", "2026-03-12", department=other)
    publication(4, "penalty", "2026-03-20", None, department=other)  # not published: not counted
    publication(5, "licensing", "2026-04-03", "2026-04-02", department=commission)  # April
    publication(6, "inspection", "2026-03-25", "2026-03-24", department=commission)
    publication(7, "inspection", "2026-03-25", "2026-03-30", department=commission)
    return commission, other


@pytest.mark.django_db
def test_decision_publication_on_time_rate(published, user_named):
    commission, other = published
    leader = user_named("leader")
    assert sources.decision_publication_on_time_rate(slice_for(leader)) == 0.6667  # 2 of 3
    assert (
        sources.decision_publication_on_time_rate(slice_for(leader, department=str(commission.pk)))
        == 1.0
    )
    assert (
        sources.decision_publication_on_time_rate(slice_for(leader, department=str(other.pk)))
        == 0.0
    )
    assert sources.decision_publication_on_time_rate(slice_for(leader, item="010010010000")) is None


@pytest.mark.django_db
def test_inspection_publication_on_time_rate(published, user_named):
    leader = user_named("leader")
    assert sources.inspection_publication_on_time_rate(slice_for(leader)) == 0.5
    assert (
        sources.inspection_publication_on_time_rate(slice_for(leader, region="210203000000"))
        is None
    )


# Supervision: inspection coverage by credit grade.


def inspect(applicant, concluded_on, department):
    task = Task.objects.create(
        kind="special",
        status="done",
        department=department,
        applicant=applicant,
        entity_code=applicant.uscc,
        region_code=applicant.region.code,
        created_at=clock.now(),
    )
    return Inspection.objects.create(
        task=task,
        department=department,
        status="concluded",
        scheduled_for=day(concluded_on),
        outcome="compliant",
        concluded_on=day(concluded_on),
        created_at=clock.now(),
    )


@pytest.mark.django_db
def test_inspection_coverage_by_grade(demo, freeze, user_named):
    freeze("2026-04-10")
    health = Department.objects.get(name=HEALTH)
    leader = user_named("leader")
    march = slice_for(leader, region=COMMUNITY, item=ITEM)
    # The demo has one practice licence holder in the community, of grade B, not inspected.
    demo_only = [{"grade": "B", "entities": 1, "inspected": 0, "coverage": 0.0}]
    assert sources.inspection_coverage_by_grade(march) == demo_only
    entities = make_entities(
        7, grades="AABBBCX", region_code=COMMUNITY
    )  # A A B B B C, and one without a grade
    a1, a2, b1, b2, _b3, c1, _u = entities
    market = Department.objects.get(name=MARKET)
    inspect(a1, "2026-03-05", health)
    inspect(b1, "2026-03-10", health)
    inspect(b2, "2026-03-31", health)
    inspect(c1, "2026-02-20", health)  # before the period
    inspect(b1, "2026-03-20", health)  # a second visit: still one entity
    inspect(a2, "2026-03-06", market)  # by another department
    assert sources.inspection_coverage_by_grade(march) == [
        {"grade": "A", "entities": 2, "inspected": 2, "coverage": 1.0},
        {"grade": "B", "entities": 4, "inspected": 2, "coverage": 0.5},
        {"grade": "C", "entities": 1, "inspected": 0, "coverage": 0.0},
        {"grade": "U", "entities": 1, "inspected": 0, "coverage": 0.0},
    ]
    # By the health commission: its licence holders, its own inspections only.
    by_health = slice_for(leader, region=COMMUNITY, item=ITEM, department=str(health.pk))
    assert sources.inspection_coverage_by_grade(by_health)[0] == {
        "grade": "A",
        "entities": 2,
        "inspected": 1,
        "coverage": 0.5,
    }


@pytest.mark.django_db
def test_inspection_coverage_is_none_without_entities(demo, freeze, user_named):
    freeze("2026-04-10")
    leader = user_named("leader")
    assert sources.inspection_coverage_by_grade(slice_for(leader)) is not None  # the demo's
    market = Department.objects.get(name=MARKET)  # holds no practice licence
    by_market = slice_for(leader, department=str(market.pk), item=ITEM)
    assert sources.inspection_coverage_by_grade(by_market) is None


# The figures reach the API and the dashboard.


@pytest.mark.django_db
def test_the_api_and_dashboard_show_the_figures(published, rated, api_client, client):
    api = api_client.login_as("leader")
    query = "from=2026-03-01&to=2026-03-31"
    response = api.get(f"/api/v1/indicators?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["satisfaction"] == 0.3333
    assert body["bad_rating_rectification_rate"] == 0.3333
    assert body["decision_publication_on_time_rate"] == 0.6667
    assert body["inspection_publication_on_time_rate"] == 0.5
    client.login(username="leader", password="demo-pass-2026")
    page = client.get(f"/workbench/indicators/?{query}").content.decode()
    assert "33.33%" in page and "66.67%" in page and "50.00%" in page


def coverage_by_hand(*, start, end, as_of, region_prefix="", department=None, item=None):
    """The coverage recomputed row by row in Python from the licences and inspections."""
    holders = {
        licence.holder
        for licence in Licence.objects.select_related("holder__region")
        if licence.status in IN_FORCE
        and (licence.valid_until is None or licence.valid_until >= as_of)
        and licence.holder.region.code.startswith(region_prefix)
        and (department is None or licence.department_id == department.pk)
        and (item is None or licence.item_id == item.pk)
    }
    inspected = {
        inspection.task.applicant_id
        for inspection in Inspection.objects.select_related("task")
        if inspection.status == "concluded"
        and start <= inspection.concluded_on <= end
        and (department is None or inspection.department_id == department.pk)
    }
    grades: dict[str, list[int]] = {}
    for holder in holders:
        grade = holder.credit_grade if holder.credit_grade in GRADES else UNGRADED
        counted = grades.setdefault(grade, [0, 0])
        counted[0] += 1
        counted[1] += holder.pk in inspected
    return [
        {"grade": grade, "entities": n, "inspected": i, "coverage": round(i / n, 4)}
        for grade, (n, i) in sorted(grades.items())
    ]


@pytest.mark.django_db
def test_inspection_coverage_equals_a_recomputation_by_hand(demo, freeze):
    """The set-based query (from the entities of the subtree) counts what a walk over every
    licence and inspection counts, for every combination of region, department and item."""
    freeze("2026-04-10")
    health = Department.objects.get(name=HEALTH)
    market = Department.objects.get(name=MARKET)
    community = make_entities(6, grades="ABCDX", region_code=COMMUNITY)
    xigang = make_entities(5, grades="BBCA", region_code="210203000000", start=100)
    ended, revoked, other_item, by_market = community[0], community[1], xigang[0], xigang[1]
    # A second licence, expired, for one holder; one revoked; one of another item; one issued by
    # the market bureau; an entity holding two licences in force still counts once.
    first = Licence.objects.filter(holder=ended).first()
    first.pk, first.number, first.valid_until = None, "TEST-X1", datetime.date(2026, 3, 15)
    first.save()
    Licence.objects.filter(holder=ended).exclude(number="TEST-X1").update(
        valid_until=datetime.date(2026, 3, 31)
    )
    Licence.objects.filter(holder=revoked).update(status="revoked")
    Licence.objects.filter(holder=other_item).update(
        item=Item.objects.exclude(code=ITEM).order_by("pk").first()
    )
    Licence.objects.filter(holder=by_market).update(department=market)
    twice = Licence.objects.filter(holder=community[2]).first()
    twice.pk, twice.number = None, "TEST-X2"
    twice.save()
    inspect(community[2], "2026-03-05", health)
    inspect(community[3], "2026-03-31", market)
    inspect(community[4], "2026-02-28", health)  # before March
    inspect(xigang[2], "2026-03-01", health)
    inspect(xigang[2], "2026-03-02", market)
    inspect(by_market, "2026-03-20", market)
    item = Item.objects.get(code=ITEM)
    for start, end, as_of in (
        (day("2026-03-01"), day("2026-03-31"), day("2026-03-31")),
        (day("2026-03-01"), day("2026-03-31"), day("2026-03-20")),
        (day("2026-02-01"), day("2026-04-10"), day("2026-04-10")),
    ):
        for region_prefix in ("", "2102", "210202003002", "210203"):
            for department in (None, health, market):
                for by_item in (None, item):
                    expected = coverage_by_hand(
                        start=start,
                        end=end,
                        as_of=as_of,
                        region_prefix=region_prefix,
                        department=department,
                        item=by_item,
                    )
                    assert (
                        coverage_by_grade(
                            start=start,
                            end=end,
                            as_of=as_of,
                            region_prefix=region_prefix,
                            department_id=department.pk if department else None,
                            item_id=by_item.pk if by_item else None,
                        )
                        == expected
                    ), (start, end, as_of, region_prefix, department, by_item)
    # The walk is not vacuous: some slices count inspected entities, some grades are ungraded.
    march = coverage_by_hand(
        start=day("2026-03-01"), end=day("2026-03-31"), as_of=day("2026-03-31")
    )
    assert sum(row["inspected"] for row in march) >= 3
    assert "U" in {row["grade"] for row in march}
