"""A new score card is previewed, then put in force: it moves exactly the previewed counts."""

import pytest

from yiwang.credit.demo import reference_data
from yiwang.credit.grading import scorecard_activate, scorecard_create, scorecard_preview
from yiwang.credit.models import GradeRecord, ScoreCard
from yiwang.credit.tests.helpers import fact
from yiwang.errors import Conflict
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db


def grades():
    return dict(Applicant.objects.exclude(kind="person").values_list("pk", "credit_grade"))


def test_a_previewed_card_applied_changes_exactly_the_previewed_counts(w):
    fact(w, w.clinic, "commitment_kept")  # 85: B, A under a card whose A starts at 85
    fact(w, w.hospital, "penalty", "general")  # 65: C, B under a card whose B starts at 65
    before = grades()
    card = scorecard_create(
        actor=w.leader,
        name="v2: lower thresholds",
        base_score=80,
        a_min=85,
        b_min=65,
        c_min=50,
        indicators=reference_data()["scorecard"]["indicators"],
    )
    preview = scorecard_preview(actor=w.leader, card=card)
    assert preview["moves"] == {"B→A": 1, "C→B": 1} and preview["moving"] == 2
    # The preview changed nobody.
    assert grades() == before
    result = scorecard_activate(actor=w.leader, card=card)
    after = grades()
    moved = {}
    for pk, grade in after.items():
        if grade != before[pk]:
            key = f"{before[pk]}→{grade}"
            moved[key] = moved.get(key, 0) + 1
    assert moved == preview["moves"] == result["moves"]
    assert (w.clinic.pk, "A") in after.items() and (w.hospital.pk, "B") in after.items()
    card.refresh_from_db()
    assert card.status == "active" and str(card.effective_from) == "2026-03-02"
    assert ScoreCard.objects.get(version=1).status == "superseded"
    # Every entity's current grade names the version that computed it.
    latest = GradeRecord.objects.filter(applicant=w.clinic).order_by("-pk").first()
    assert latest.scorecard.version == 2 and latest.grade == "A"


def test_a_card_must_be_previewed_before_it_takes_effect(w):
    card = scorecard_create(
        actor=w.leader, name="v2", base_score=80, a_min=95, b_min=70, c_min=50, indicators=[]
    )
    with pytest.raises(Conflict) as error:
        scorecard_activate(actor=w.leader, card=card)
    assert error.value.code == "not_previewed"
    card.refresh_from_db()
    assert card.status == "draft"


def test_a_pass_that_moves_many_writes_every_event_at_once(w, monkeypatch):
    from yiwang.credit import grading
    from yiwang.events.models import Event

    monkeypatch.setattr(grading, "BULK_EVENTS_FROM", 0)
    card = scorecard_create(
        actor=w.leader,
        name="v2: everyone A",
        base_score=80,
        a_min=80,
        b_min=70,
        c_min=50,
        indicators=[],
    )
    scorecard_preview(actor=w.leader, card=card)
    result = scorecard_activate(actor=w.leader, card=card)
    events = Event.objects.filter(name="credit.grade_changed")
    assert events.count() == result["changed"] == Applicant.objects.exclude(kind="person").count()
    assert events.filter(payload__applicant_id=w.clinic.pk).get().payload == {
        "applicant_id": w.clinic.pk,
        "old_grade": "B",
        "new_grade": "A",
        "scorecard_version": 2,
    }
