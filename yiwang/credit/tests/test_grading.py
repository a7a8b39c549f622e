"""Grades computed from facts with the score card in force; score cards as dated data."""

import datetime

import pytest

from yiwang.credit.grading import grade_explained, grade_pass, scorecard_create
from yiwang.credit.models import CreditFact, CreditStanding, GradeRecord, ScoreCard
from yiwang.credit.services import fact_record
from yiwang.credit.tests.helpers import fact, grade_a
from yiwang.errors import InvalidInput, PermissionRefused
from yiwang.events.models import Event
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db
D = datetime.date


def test_every_organisation_is_graded_by_the_card_in_force(w):
    graded = Applicant.objects.exclude(kind="person").count()
    assert CreditStanding.objects.count() == graded
    standing = CreditStanding.objects.get(applicant=w.clinic)
    assert (standing.grade, standing.score) == ("B", 80)
    # Nobody moved from the default B, so there is no history yet.
    assert GradeRecord.objects.count() == 0


def test_a_new_fact_regrades_its_entity_at_once_and_publishes_the_change(w):
    grade_a(w, w.clinic)
    history = list(GradeRecord.objects.filter(applicant=w.clinic).order_by("pk"))
    assert [(r.previous_grade, r.grade, r.score, r.scorecard.version) for r in history] == [
        ("B", "A", 90, 1)
    ]
    assert history[-1].graded_on == D(2026, 3, 2)
    event = Event.objects.get(name="credit.grade_changed")
    assert event.payload == {
        "applicant_id": w.clinic.pk,
        "old_grade": "B",
        "new_grade": "A",
        "scorecard_version": 1,
    }
    # Another entity was not touched.
    assert GradeRecord.objects.filter(applicant=w.hospital).count() == 0
    assert CreditStanding.objects.get(applicant=w.hospital).graded_on == D(2026, 3, 2)


def test_grade_falls_through_c_to_d_and_explains_why(w):
    fact(w, w.clinic, "penalty", "general")  # 80 - 15 = 65: C
    w.clinic.refresh_from_db()
    assert w.clinic.credit_grade == "C"
    fact(w, w.clinic, "insurance_fraud", "general", department=w.insurance)  # 45: D
    w.clinic.refresh_from_db()
    assert w.clinic.credit_grade == "D"
    why = grade_explained(w.clinic)
    assert why["score"] == 45 and why["base"] == 80
    assert sorted(line["points"] for line in why["lines"]) == [-20, -15]


def test_a_fact_past_its_validity_no_longer_counts_in_the_daily_pass(w, freeze):
    fact(w, w.clinic, "penalty", "general", on=D(2026, 2, 2))  # counts 12 months
    w.clinic.refresh_from_db()
    assert w.clinic.credit_grade == "C"
    assert CreditFact.objects.get(applicant=w.clinic).valid_until == D(2027, 2, 2)
    freeze("2027-02-03")
    from django.db import transaction

    with transaction.atomic():
        grade_pass(actor=None, reason="daily")
    w.clinic.refresh_from_db()
    assert w.clinic.credit_grade == "B"


def test_the_same_record_id_from_a_department_is_recorded_once(w):
    first = fact(w, w.clinic, "penalty", "general", record_id="XZCF-1")
    again, created = fact_record(
        actor=None,
        department=w.health,
        entity_code=w.clinic.code,
        kind="penalty",
        severity="general",
        occurred_on=D(2026, 2, 2),
        source_document="x",
        record_id="XZCF-1",
    )
    assert again.pk == first.pk and created is False
    assert CreditFact.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("entity_code", {"entity_code": "91210202MA0000000X"}),
        ("kind", {"kind": "insurance_fraud"}),
        ("severity", {"severity": "grave"}),
        ("occurred_on", {"occurred_on": D(2026, 3, 3)}),
        ("source_document", {"source_document": " "}),
        ("valid_until", {"valid_until": D(2026, 1, 1)}),
    ],
)
def test_a_bad_fact_names_the_field_and_records_nothing(w, field, changes):
    arguments = {
        "actor": None,
        "department": w.health,
        "entity_code": w.clinic.code,
        "kind": "penalty",
        "severity": "general",
        "occurred_on": D(2026, 2, 2),
        "source_document": "大连卫监〔2026〕1号",
        "record_id": "R-1",
        **changes,
    }
    with pytest.raises(InvalidInput) as error:
        fact_record(**arguments)
    assert field in error.value.fields
    assert CreditFact.objects.count() == 0


def test_overlapping_thresholds_are_refused_and_nothing_is_created(w):
    with pytest.raises(InvalidInput) as error:
        scorecard_create(
            actor=w.leader, name="v2", base_score=80, a_min=70, b_min=70, c_min=50, indicators=[]
        )
    assert error.value.code == "thresholds_overlap" and "thresholds" in error.value.fields
    assert ScoreCard.objects.count() == 1


def test_only_leaders_write_score_cards(w):
    with pytest.raises(PermissionRefused):
        scorecard_create(
            actor=w.approver, name="v2", base_score=80, a_min=90, b_min=70, c_min=50, indicators=[]
        )
