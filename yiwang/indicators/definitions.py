"""Every indicator in one place: its name, its definition (shown beside every figure), its
target from the seeds, and how it is computed from the counts of a slice.

A figure is None ("no data", never zero) when nothing counts (an empty denominator); the figures
not made from case counts are read by `sources.py` from the apps that own their records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import lazy as make_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.indicators.facts import TRADITIONAL_VISITS, Counts

SHARE = "share"
DAYS = "days"
COUNT = "count"


@dataclass(frozen=True)
class Target:
    value: float
    higher_is_better: bool = True
    label: object = ""

    def met_by(self, figure: float | None) -> bool | None:
        if figure is None:
            return None
        return figure >= self.value if self.higher_is_better else figure <= self.value


@dataclass(frozen=True)
class Indicator:
    key: str
    name: object
    definition: object
    unit: str
    target: Target | None = None
    # From the case counts; None for catalogue and other sources (see `sources.py`).
    from_counts: Callable[[Counts], float | None] | None = None
    numerator: str = ""
    denominator: str = ""
    drill_down: bool = False


def _visits_saved_definition() -> str:
    return gettext(
        "Over the cases closed in the period: the visits each needed fewer than the %(n)s of "
        "the traditional process (one to file, one to collect the result)."
    ) % {"n": TRADITIONAL_VISITS}


def share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


INDICATORS: list[Indicator] = [
    Indicator(
        "online_rate",
        _("Online rate"),
        _(
            "Published items that can be done fully online / all published items (a department's "
            "or region's slice counts its implementation entries). Catalogue as of today."
        ),
        SHARE,
        Target(0.90, label=_("≥ 90% (97.34% reported)")),
    ),
    Indicator(
        "single_window_share",
        _("Single-window share"),
        _(
            "Window-filed cases received at the comprehensive window of the service hall / all "
            "window-filed cases, by the day received."
        ),
        SHARE,
        Target(0.70, label=_("≥ 70%")),
        lambda c: share(c.window_at_hall, c.window_filed),
        "window_at_hall",
        "window_filed",
        drill_down=True,
    ),
    Indicator(
        "compression",
        _("Compression"),
        _(
            "Mean over published items of (statutory limit − committed limit) / statutory limit. "
            "Catalogue as of today."
        ),
        SHARE,
        Target(round(38 / 45, 4), label=_("45 → 7 days (84.4%)")),
    ),
    Indicator(
        "mean_used_working_days",
        _("Working days used"),
        _(
            "Mean working days from acceptance to decision of the cases decided in the period, "
            "suspensions excluded (the day of acceptance not counted, Art. 82)."
        ),
        DAYS,
        Target(5, higher_is_better=False, label=_("done in 5 working days")),
        lambda c: mean(c.used_days, c.decided),
        "used_days",
        "decided",
        drill_down=True,
    ),
    Indicator(
        "on_time_rate",
        _("On-time rate"),
        _(
            "Cases decided within their committed limit (working days used ≤ committed limit) / "
            "cases decided in the period."
        ),
        SHARE,
        Target(1.0, label=_("100%")),
        lambda c: share(c.on_time, c.decided),
        "on_time",
        "decided",
        drill_down=True,
    ),
    Indicator(
        "zero_visit_share",
        _("Zero-visit share"),
        _("Cases closed in the period with no recorded visit / cases closed in the period."),
        SHARE,
        None,
        lambda c: share(c.zero_visit, c.closed),
        "zero_visit",
        "closed",
        drill_down=True,
    ),
    Indicator(
        "at_most_one_visit_share",
        _("At-most-one-visit share"),
        _(
            "Cases closed in the period with at most one recorded visit / cases closed in the "
            "period (最多跑一次)."
        ),
        SHARE,
        Target(1.0, label=_("at most one visit (100%)")),
        lambda c: share(c.one_visit_or_less, c.closed),
        "one_visit_or_less",
        "closed",
        drill_down=True,
    ),
    Indicator(
        "visits_saved",
        _("Visits saved"),
        make_lazy(_visits_saved_definition, str)(),
        COUNT,
        None,
        lambda c: c.visits_saved if c.closed else None,
        "visits_saved",
        "closed",
        drill_down=True,
    ),
    Indicator(
        "complaint_on_time_rate",
        _("Complaint on-time rate"),
        _("Hotline tickets replied by their due date / tickets replied in the period."),
        SHARE,
        Target(1.0, label=_("100%")),
    ),
    Indicator(
        "satisfaction",
        _("Satisfaction"),
        _("Ratings of 4 or 5 (satisfied, very satisfied) / all ratings given in the period."),
        SHARE,
    ),
    Indicator(
        "bad_rating_rectification_rate",
        _("Bad-rating rectification rate"),
        _(
            "Bad ratings (1 or 2) rectified within 15 working days / bad ratings whose "
            "rectification fell due in the period."
        ),
        SHARE,
        Target(1.0, label=_("100%")),
    ),
    Indicator(
        "decision_publication_on_time_rate",
        _("Decisions published on time"),
        _(
            "Licensing decisions and penalties published within 7 working days of the decision / "
            "those published in the period."
        ),
        SHARE,
        Target(1.0, label=_("100%")),
    ),
    Indicator(
        "inspection_publication_on_time_rate",
        _("Inspection results published on time"),
        _(
            "Inspection results published within 20 working days / inspection results "
            "published in the period."
        ),
        SHARE,
        Target(1.0, label=_("100%")),
    ),
]

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
DRILL_DOWN_KEYS = [indicator.key for indicator in INDICATORS if indicator.drill_down]

LICENCES_BY_TYPE = _(
    "Licences issued in the period (not imported from a register), by licence type."
)
INSPECTION_COVERAGE = _(
    "Entities inspected in the period / entities in the inspection directory, by credit grade."
)
