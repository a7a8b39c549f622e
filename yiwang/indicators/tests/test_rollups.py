"""The roll-ups equal a full recomputation from the cases, whatever the data; they follow the
events, the nightly job and the calendar's version."""

import datetime
import random

import pytest

from yiwang.events import Event
from yiwang.indicators import rollups, selectors, subscribers
from yiwang.indicators.models import DailyFigure, MonthlyFigure, WorkdayPosition
from yiwang.indicators.slices import parse_slice
from yiwang.indicators.tests.factories import (
    DALIAN_HEALTH,
    NURSE,
    PRACTICE_REGISTRATION,
    PUBLIC_PLACE,
    ZHONGSHAN_HEALTH,
    make_case,
)
from yiwang.regions.models import Department

SLICES = [
    {},
    {"department": DALIAN_HEALTH},
    {"region": "210202000000"},
    {"item": PUBLIC_PLACE},
    {"from": "2026-09-10", "to": "2026-11-20"},  # partial months: daily and monthly rows
    {"from": "2026-10-03", "to": "2026-10-29", "department": DALIAN_HEALTH},
]


def random_cases(rng: random.Random, n: int) -> None:
    for _ in range(n):
        received = datetime.date(2026, 9, 1) + datetime.timedelta(days=rng.randrange(60))
        item, department = rng.choice(
            [
                (PRACTICE_REGISTRATION, DALIAN_HEALTH),
                (PUBLIC_PLACE, DALIAN_HEALTH),
                (NURSE, ZHONGSHAN_HEALTH),
            ]
        )
        channel = rng.choice(["online", "window", "mobile", "mail"])
        filed_by = rng.choice(["clerk", "reviewer"]) if channel == "window" else "applicant"
        arguments = {
            "item": item,
            "department": department,
            "channel": channel,
            "filed_by": filed_by,
            "received": received.isoformat(),
            "visits": rng.choice([0, 0, 1, 2, 3]),
            "green": rng.random() < 0.2,
        }
        if rng.random() < 0.8:
            accepted = received + datetime.timedelta(days=rng.randrange(3))
            decided = accepted + datetime.timedelta(days=rng.randrange(25))
            suspensions = ()
            if rng.random() < 0.3 and (decided - accepted).days > 4:
                start = accepted + datetime.timedelta(days=1)
                suspensions = (
                    (start.isoformat(), (start + datetime.timedelta(days=2)).isoformat()),
                )
            closed = decided + datetime.timedelta(days=rng.randrange(3))
            arguments.update(
                accepted=accepted.isoformat(),
                decided=decided.isoformat(),
                closed=closed.isoformat(),
                status=rng.choice(["issued", "denied"]),
                suspensions=suspensions,
            )
        make_case(**arguments)


def every_value(user, params, *, live: bool) -> dict:
    slice_ = parse_slice(
        user, {"period": "custom", "from": "2026-09-01", "to": "2026-11-30", **params}
    )
    if live:
        # A full recomputation: every day from the cases, through the same definitions.
        import dataclasses

        slice_ = dataclasses.replace(slice_, channel="", procedure="")
        return rollups.read(
            slice_.start,
            slice_.end,
            figure_filter=slice_.figure_filter(),
            case_filter=slice_.case_filter(),
            live_only=True,
        ).get(None)
    return selectors.total_counts(slice_)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_roll_ups_equal_a_full_recomputation(demo, freeze, user_named, seed):
    freeze("2026-12-15")
    random_cases(random.Random(seed), 60)
    rollups.roll_up()
    leader = user_named("leader")
    assert DailyFigure.objects.exists()
    dalian = Department.objects.get(name=DALIAN_HEALTH).pk
    for params in SLICES:
        if params.get("department"):
            params = {**params, "department": str(dalian)}
        from_rollups = every_value(leader, params, live=False)
        recomputed = every_value(leader, params, live=True)
        assert from_rollups == recomputed, params
        figures = selectors.figures_from(from_rollups)
        assert figures == selectors.figures_from(recomputed)
        # The dashboard's one read by (region, item) sums to the same total, and to the same
        # rows as the reads by region and by item alone.
        slice_ = parse_slice(
            leader, {"period": "custom", "from": "2026-09-01", "to": "2026-11-30", **params}
        )
        by_region_item = selectors.counts_for(slice_, group="region_item")
        assert selectors.regrouped(by_region_item, None)[None] == recomputed, params
        assert selectors.regrouped(by_region_item, 0) == selectors.counts_for(
            slice_, group="region"
        )
        assert selectors.regrouped(by_region_item, 1) == selectors.counts_for(slice_, group="item")


@pytest.mark.django_db
def test_history_from_roll_ups_and_today_live(demo, freeze, user_named):
    freeze("2026-10-20")
    make_case(
        received="2026-10-19",
        accepted="2026-10-19",
        decided="2026-10-19",
        closed="2026-10-19",
        status="issued",
    )
    rollups.roll_up()  # up to yesterday, 19 October
    assert rollups.rolled_up_to() == datetime.date(2026, 10, 19)
    make_case(
        received="2026-10-20",
        accepted="2026-10-20",
        decided="2026-10-20",
        closed="2026-10-20",
        status="issued",
    )
    month = parse_slice(user_named("leader"), {"period": "month"})
    counts = selectors.total_counts(month)
    assert (counts.filed, counts.decided, counts.closed) == (2, 2, 2)
    # The dashboard reads the same two days (one rolled up, one live) in its one grouped read.
    page = selectors.dashboard(month)
    assert (page["counts"].filed, page["counts"].decided, page["counts"].closed) == (2, 2, 2)
    assert sum(row["decided"] for row in page["by_region"]) == 2
    assert sum(row["decided"] for row in page["by_item"]) == 2


@pytest.mark.django_db
def test_a_decision_event_refreshes_its_day(demo, freeze, user_named):
    freeze("2026-10-20")
    rollups.roll_up()
    case = make_case(
        received="2026-10-12",
        accepted="2026-10-12",
        decided="2026-10-14",
        closed="2026-10-14",
        status="issued",
    )
    event = Event(
        name="case.decided",
        payload={
            "case_id": case.pk,
            "department_id": case.department_id,
            "on": "2026-10-14",
            "decided_on": "2026-10-14",
        },
    )
    subscribers.refresh_case_day(event)
    subscribers.refresh_case_day(event)  # delivered twice: the same rows
    rows = DailyFigure.objects.filter(day=datetime.date(2026, 10, 14))
    assert [(row.decided, row.used_days, row.closed) for row in rows] == [(1, 2, 1)]
    month = MonthlyFigure.objects.get(day=datetime.date(2026, 10, 1))
    assert (month.decided, month.used_days, month.closed) == (1, 2, 1)


@pytest.mark.django_db
def test_a_new_calendar_version_rebuilds_positions_and_voids_roll_ups(demo, freeze, user_named):
    from yiwang.workdays.models import CalendarVersion

    freeze("2026-10-20")
    make_case(
        received="2026-10-12",
        accepted="2026-10-12",
        decided="2026-10-14",
        closed="2026-10-14",
        status="issued",
    )
    rollups.roll_up()
    assert DailyFigure.objects.exists()
    CalendarVersion.objects.update_or_create(pk=1, defaults={"version": 99})
    assert rollups.rolled_up_to() is None
    assert not DailyFigure.objects.exists()
    assert WorkdayPosition.objects.get(day=datetime.date(2026, 10, 14)).position > 0


@pytest.mark.django_db
def test_rebuild_takes_in_cases_loaded_without_events(demo, freeze, user_named):
    from django.core.management import call_command

    freeze("2026-10-20")
    rollups.roll_up()  # nothing yet; rolled up to 19 October
    make_case(
        received="2026-03-02",
        accepted="2026-03-02",
        decided="2026-03-05",
        closed="2026-03-05",
        status="issued",
    )
    call_command("indicators_rebuild")
    assert DailyFigure.objects.get(day=datetime.date(2026, 3, 5)).decided == 1
    assert rollups.rolled_up_to() == datetime.date(2026, 10, 19)
