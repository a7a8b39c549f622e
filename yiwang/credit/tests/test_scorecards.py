"""A new score card is previewed, then put in force: it moves exactly the previewed counts."""

import pytest

from yiwang.credit.demo import reference_data
from yiwang.credit.grading import (
    grade_everyone,
    scorecard_activate,
    scorecard_create,
    scorecard_preview,
)
from yiwang.credit.models import CreditStanding, GradeRecord, ScoreCard
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


def draft_lowering_a_to_85(w):
    return scorecard_create(
        actor=w.leader,
        name="v2: A from 85",
        base_score=80,
        a_min=85,
        b_min=70,
        c_min=50,
        indicators=reference_data()["scorecard"]["indicators"],
    )


def test_a_card_previewed_before_grades_moved_is_not_put_in_force(w):
    fact(w, w.clinic, "commitment_kept")  # 85: A under the draft
    card = draft_lowering_a_to_85(w)
    assert scorecard_preview(actor=w.leader, card=card)["moves"] == {"B→A": 1}
    fact(w, w.hospital, "commitment_kept")  # after the preview: the hospital would move too
    before = grades()
    with pytest.raises(Conflict) as error:
        scorecard_activate(actor=w.leader, card=card)
    assert error.value.code == "preview_outdated" and "请重新预览" in str(error.value.message)
    card.refresh_from_db()
    assert card.status == "draft" and ScoreCard.objects.get(version=1).status == "active"
    assert grades() == before
    # Previewed again, it applies exactly what the new preview shows.
    preview = scorecard_preview(actor=w.leader, card=card)
    assert preview["moves"] == {"B→A": 2}
    assert scorecard_activate(actor=w.leader, card=card)["moves"] == {"B→A": 2}


def test_a_pass_with_nothing_changed_writes_nothing(w, freeze):
    fact(w, w.clinic, "penalty", "general")
    grade_everyone()
    history = GradeRecord.objects.count()
    standings = dict(CreditStanding.objects.values_list("applicant_id", "graded_on"))
    freeze("2026-03-03")
    assert grade_everyone() == []
    assert GradeRecord.objects.count() == history
    assert dict(CreditStanding.objects.values_list("applicant_id", "graded_on")) == standings


def test_the_leader_previews_a_draft_on_its_page_and_puts_it_in_force(w, client):
    fact(w, w.clinic, "commitment_kept")
    card = draft_lowering_a_to_85(w)
    client.force_login(w.leader)
    listing = client.get("/workbench/credit/scorecards/").content.decode()
    assert 'data-version="2" data-status="draft"' in listing and "草稿" in listing
    client.post("/workbench/credit/scorecards/2/preview/")
    page = client.get("/workbench/credit/scorecards/2/").content.decode()
    assert 'data-moving="1"' in page
    assert '<td data-move="BA" class="moves"><strong>1</strong>' in page
    # Without the confirmation nothing is applied.
    refused = client.post("/workbench/credit/scorecards/2/activate/", follow=True)
    assert "confirm" in refused.content.decode()
    card.refresh_from_db()
    assert card.status == "draft"
    before = grades()
    done = client.post(
        "/workbench/credit/scorecards/2/activate/", {"confirm": "yes"}, follow=True
    ).content.decode()
    card.refresh_from_db()
    assert card.status == "active" and "B→A: 1" in done
    assert {pk for pk, grade in grades().items() if grade != before[pk]} == {w.clinic.pk}


def test_the_score_card_page_speaks_english_and_is_for_leaders(w, client, user_named):
    draft_lowering_a_to_85(w)
    client.force_login(w.leader)
    page = client.get("/workbench/credit/scorecards/2/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Preview the effect" in page.decode() and "Draft" in page.decode()
    client.force_login(user_named("approver"))
    assert client.get("/workbench/credit/scorecards/").status_code == 403
    assert client.post("/workbench/credit/scorecards/2/preview/").status_code == 403
    assert ScoreCard.objects.get(version=2).preview == {}


def test_a_score_card_is_read_over_the_api_by_leaders_only(w, api_client):
    # Found by the authorization matrix: the card (and a draft's preview) was served to any
    # signed-in caller, the portal applicant included; its page was for leaders already.
    assert api_client.login_as("applicant").get("/api/v1/credit/scorecards/1").status_code == 403
    assert api_client.login_as("reviewer").get("/api/v1/credit/scorecards/1").status_code == 403
    card = api_client.login_as("leader").get("/api/v1/credit/scorecards/1")
    assert card.status_code == 200 and card.json()["version"] == 1
