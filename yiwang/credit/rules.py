"""The credit rules that are law or the commission's fixed practice, each in one place.

Weights, thresholds, list-entry rules and the four lists are data (score cards, list rules,
inclusive measures); what stays here are the kinds of fact, the severities with their periods,
and the deadlines for answering an objection.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

GRADES = ("A", "B", "C", "D")

# Severity of a fact (失信程度): minor facts are not published and may be repaired at once;
# general and serious ones only after their minimum publication period (the national rules on
# credit repair: 3 months for general administrative penalties, 1 year for serious ones), and
# they count for 1 and 3 years (the maximum publication periods).
SEVERITIES = {
    "minor": _("Minor"),
    "general": _("General"),
    "serious": _("Serious"),
}
MINIMUM_MONTHS = {"minor": 0, "general": 3, "serious": 12}
VALIDITY_MONTHS = {"minor": 6, "general": 12, "serious": 36}

# Who sends which facts: health (our own records), medical insurance, market supervision.
SOURCES = {
    "health": _("Health"),
    "medical_insurance": _("Medical insurance"),
    "market_supervision": _("Market supervision"),
}
# parties' department kinds → the source they speak for
SOURCE_OF_DEPARTMENT_KIND = {
    "health_commission": "health",
    "approval_bureau": "health",
    "medical_security": "medical_insurance",
    "market_supervision": "market_supervision",
}

FACT_KINDS = {
    # health (our own department, arriving as events or from the case engine)
    "penalty": _("Administrative penalty"),
    "inspection_compliant": _("Inspection found it compliant"),
    "inspection_rectify": _("Inspection ordered rectification"),
    "inspection_violation": _("Inspection found a violation"),
    "false_commitment": _("False commitment (告知承诺失信)"),
    "commitment_kept": _("Commitment confirmed by inspection"),
    "supplement_missed": _("Promised materials not supplied in time"),
    "complaint_upheld": _("Complaint upheld"),
    # medical insurance
    "insurance_fraud": _("Medical insurance fraud finding"),
    "settlement_violation": _("Medical insurance settlement violation"),
    # market supervision
    "abnormal_operation": _("Listed for abnormal operation"),
    "market_penalty": _("Market supervision penalty"),
}
FACT_KINDS_OF_SOURCE = {
    "health": (
        "penalty",
        "inspection_compliant",
        "inspection_rectify",
        "inspection_violation",
        "false_commitment",
        "commitment_kept",
        "supplement_missed",
        "complaint_upheld",
    ),
    "medical_insurance": ("insurance_fraud", "settlement_violation"),
    "market_supervision": ("abnormal_operation", "market_penalty"),
}

# The severity our own facts take when the case engine or an event records them.
OWN_FACT_SEVERITY = {
    "false_commitment": "serious",
    "commitment_kept": "minor",
    "supplement_missed": "general",
    "inspection_compliant": "minor",
    "inspection_rectify": "minor",
    "inspection_violation": "general",
    "penalty": "general",
    "complaint_upheld": "minor",
}

# An objection (异议) is answered by the department that owns the fact within this many working
# days; the commission's practice follows the national public credit information rules.
OBJECTION_ANSWER_WORKING_DAYS = 5
# A repair application (信用修复) is decided within this many working days.
REPAIR_DECISION_WORKING_DAYS = 5

# Joint measures (联合惩戒 / 联合激励) of each list: what they block or grant, shown with the
# list and applied where the gates and the grade are read.
LIST_MEASURES = {
    "black": [
        _("No notification-commitment (告知承诺)"),
        _("No tolerance acceptance (容缺受理)"),
        _("No priority in queues"),
        _("Graded D: the highest supervision sampling ratio"),
    ],
    "red": [
        _("Priority in queues"),
        _("Notification-commitment and tolerance offered first"),
    ],
}

INCLUSIVE_LISTS = {
    "no_penalty": _("No-penalty list (不予处罚)"),
    "lighter": _("Lighter-penalty list (从轻处罚)"),
    "mitigated": _("Mitigated-penalty list (减轻处罚)"),
    "no_compulsory": _("No-compulsory-measure list (免予行政强制)"),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of a shorter month)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def grade_for(score: int, *, a_min: int, b_min: int, c_min: int, black_listed: bool) -> str:
    """A score's grade under a score card's thresholds; the black list always grades D."""
    if black_listed:
        return "D"
    if score >= a_min:
        return "A"
    if score >= b_min:
        return "B"
    if score >= c_min:
        return "C"
    return "D"
