"""Every case indicator over a known set of cases, to the figure computed by hand."""

import pytest

from yiwang.indicators import rollups, selectors
from yiwang.indicators.slices import parse_slice
from yiwang.indicators.tests.factories import october_cases

OCTOBER = {"period": "custom", "from": "2026-10-01", "to": "2026-10-31"}


@pytest.fixture
def october(demo, freeze):
    freeze("2026-11-02")
    return october_cases()


def values_for(user, **params):
    values, counts, _catalogue = selectors.indicator_values(parse_slice(user, params))
    return values, counts


@pytest.mark.django_db
@pytest.mark.parametrize("rolled_up", [False, True])
def test_october_figures_for_the_city(october, user_named, rolled_up):
    if rolled_up:
        rollups.roll_up()
    values, counts = values_for(user_named("leader"), **OCTOBER)
    # Filed in October: c3, c4, c5, c6, c7; at the window c3, c5, c7; at the hall c5, c7.
    assert (counts.filed, counts.window_filed, counts.window_at_hall) == (5, 3, 2)
    assert values["single_window_share"] == 0.6667
    # Decided: c1 4, c2 6, c3 3 (late), c4 1, c6 7 (late).
    assert (counts.decided, counts.used_days, counts.on_time) == (5, 21, 3)
    assert values["mean_used_working_days"] == 4.2
    assert values["on_time_rate"] == 0.6
    # Closed: c1 0, c2 2, c3 1, c4 0, c6 0, c7 1 visits.
    assert (counts.closed, counts.zero_visit, counts.one_visit_or_less) == (6, 3, 5)
    assert values["zero_visit_share"] == 0.5
    assert values["at_most_one_visit_share"] == 0.8333
    assert values["visits_saved"] == 2 + 0 + 1 + 2 + 2 + 1


@pytest.mark.django_db
def test_sources_without_records_show_no_data_not_zero(october, user_named):
    values, _counts = values_for(user_named("leader"), **OCTOBER)
    for key in ("complaint_on_time_rate", "satisfaction", "bad_rating_rectification_rate"):
        assert values[key] is None


@pytest.mark.django_db
def test_a_department_slice_counts_its_own_cases(october, user_named):
    department = october["c1"].department_id
    values, counts = values_for(user_named("leader"), department=str(department), **OCTOBER)
    assert (counts.decided, counts.used_days, counts.on_time) == (4, 14, 3)
    assert values["mean_used_working_days"] == 3.5
    assert values["on_time_rate"] == 0.75


@pytest.mark.django_db
def test_a_region_subtree_counts_the_cases_in_it(october, user_named):
    values, counts = values_for(user_named("leader"), region="210202000000", **OCTOBER)
    assert (counts.decided, counts.closed) == (1, 1)
    assert values["mean_used_working_days"] == 7
    assert values["on_time_rate"] == 0.0


@pytest.mark.django_db
def test_channel_and_procedure_slices(october, user_named):
    values, counts = values_for(user_named("leader"), channel="window", **OCTOBER)
    assert (counts.filed, counts.decided, counts.closed) == (3, 2, 3)
    assert values["on_time_rate"] == 0.5  # c2 on time, c3 late
    _values, counts = values_for(user_named("leader"), procedure="commitment", **OCTOBER)
    assert counts.decided == 0


@pytest.mark.django_db
def test_empty_denominators_give_no_data(october, user_named):
    values, counts = values_for(user_named("leader"), period="month", on="2026-09-15")
    # September: c1 and c2 filed (c2 at the hall's window), nothing decided or closed.
    assert (counts.filed, counts.window_filed, counts.decided) == (2, 1, 0)
    assert values["single_window_share"] == 1.0
    assert values["on_time_rate"] is None
    assert values["mean_used_working_days"] is None
    assert values["visits_saved"] is None


@pytest.mark.django_db
def test_catalogue_figures(demo, user_named, freeze):
    freeze("2026-11-02")
    values, _counts = values_for(user_named("leader"), **OCTOBER)
    # 14 of the 21 published items are fully online.
    assert values["online_rate"] == 0.6667
    # Mean (statutory − committed) / statutory over the 20 items with a statutory limit.
    assert values["compression"] == 0.5478


@pytest.mark.django_db
def test_dashboard_compares_with_the_previous_period_and_targets(october, user_named):
    data = selectors.dashboard(
        parse_slice(user_named("leader"), {"period": "month", "on": "2026-10-05"})
    )
    figures = {row["indicator"].key: row for row in data["figures"]}
    assert figures["single_window_share"]["value"] == 0.6667
    assert figures["single_window_share"]["previous"] == 1.0
    assert figures["single_window_share"]["met"] is False  # target ≥ 70%
    assert figures["mean_used_working_days"]["met"] is True  # 4.2 ≤ 5
    assert figures["on_time_rate"]["numerator"] == 3
    assert figures["on_time_rate"]["denominator"] == 5
    regions = {row["code"]: row for row in data["by_region"]}
    assert regions["210202000000"]["decided"] == 1
    assert regions["210200000000"]["decided"] == 4
    months = {row["month"]: row for row in data["by_month"]}
    assert len(months) == 12 and months["2026-10"]["decided"] == 5
    assert months["2026-09"]["decided"] == 0
    items = {row["code"]: row for row in data["by_item"]}
    assert items["010040010000"]["on_time_rate"] == 0.5
    below = {row["code"] for row in data["warnings"]["items_below_on_time"]}
    assert below == {"010040010000", "010020020000"}
    overdue = data["warnings"]["departments_with_overdue"]
    assert [(row["department_id"], row["overdue"]) for row in overdue] == [
        (october["c5"].department_id, 1)
    ]
    assert [row["number"] for row in data["warnings"]["oldest_open"]] == [october["c5"].number]
