"""Our own department's facts arrive as events: inspections, penalties, upheld complaints."""

import datetime
import uuid

import pytest
from django.db import transaction

from yiwang.credit import subscribers
from yiwang.credit.models import CreditFact, InclusiveMeasure
from yiwang.credit.tasks import daily_regrade
from yiwang.credit.tests.helpers import fact
from yiwang.events import Event, publish
from yiwang.events.testing import deliver_pending
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db


def event(name, **payload):
    return Event(
        id=uuid.uuid4(),
        name=name,
        payload=payload,
        occurred_at=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC),
    )


def inspection(w, outcome, inspection_id=7):
    return event(
        "inspection.concluded",
        inspection_id=inspection_id,
        task_id=inspection_id,
        kind="drawn",
        entity_id=1,
        entity_code=w.clinic.uscc,
        entity_name=w.clinic.name,
        department_id=w.health.pk,
        departments=[w.health.pk],
        region_code="210202000000",
        outcome=outcome,
        concluded_on="2026-02-27",
        findings_summary="消毒记录不全",
        publish_due="2026-03-27",
    )


def test_a_violation_found_by_inspection_becomes_a_fact_once(w):
    subscribers.record_inspection(inspection(w, "violation"))
    subscribers.record_inspection(inspection(w, "violation"))
    fact = CreditFact.objects.get()
    assert (fact.kind, fact.severity, fact.record_id) == (
        "inspection_violation",
        "general",
        "inspection:7",
    )
    assert str(fact.occurred_on) == "2026-02-27" and fact.summary == "消毒记录不全"
    assert Applicant.objects.get(pk=w.clinic.pk).credit_grade == "B"  # 80 - 10 = 70


def test_a_published_inspection_is_delivered_to_credit(w):
    with transaction.atomic():
        publish("inspection.concluded", payload=inspection(w, "compliant", 8).payload)
    assert deliver_pending() >= 1
    assert CreditFact.objects.get().kind == "inspection_compliant"


def test_a_penalty_with_a_no_penalty_entry_weighs_as_minor(w):
    measure = InclusiveMeasure.objects.filter(list_kind="no_penalty").first()
    subscribers.record_penalty(
        event(
            "penalty.decided",
            penalty_id=3,
            entity_id=1,
            entity_code=w.clinic.uscc,
            department_id=w.health.pk,
            legal_basis="《公共场所卫生管理条例实施细则》第三十六条",
            amount="0",
            decided_on="2026-02-27",
            inclusive_list_entry=measure.pk,
        )
    )
    fact = CreditFact.objects.get()
    assert (fact.kind, fact.severity, fact.inclusive_measure_id) == ("penalty", "minor", measure.pk)


def test_only_an_upheld_complaint_counts(w):
    closed = {
        "ticket_id": 5,
        "number": "12345-2026-0005",
        "kind": "complaint",
        "department_id": w.health.pk,
        "subject_entity_id": w.clinic.pk,
        "closed_on": "2026-02-27",
    }
    subscribers.record_upheld_complaint(event("ticket.closed", upheld=False, **closed))
    assert CreditFact.objects.count() == 0
    subscribers.record_upheld_complaint(event("ticket.closed", upheld=True, **closed))
    assert CreditFact.objects.get().kind == "complaint_upheld"


def test_the_daily_job_regrades_once_a_fact_stops_counting(w, freeze):
    fact(w, w.clinic, "penalty", "general", on=datetime.date(2026, 2, 2))  # counts 12 months
    assert Applicant.objects.get(pk=w.clinic.pk).credit_grade == "C"
    freeze("2027-02-02")
    assert daily_regrade.call() == 0
    freeze("2027-02-03")
    assert daily_regrade.call() == 1
    assert Applicant.objects.get(pk=w.clinic.pk).credit_grade == "B"
