"""The state table itself: every transition names real states and a rule; nothing else passes."""

import pytest

from yiwang.cases.engine import table as workflow
from yiwang.cases.engine.states import FINAL, Status
from yiwang.cases.engine.table import TRANSITIONS
from yiwang.errors import Conflict


def test_every_transition_names_real_states_and_a_law_or_reform():
    for step in TRANSITIONS.values():
        assert step.sources <= set(Status.values), step.action
        assert step.target is None or step.target in Status.values, step.action
        assert step.article, step.action


def test_final_states_allow_only_recording_visits_and_supplying_promised_materials():
    for status in FINAL:
        allowed = {t.action for t in workflow.actions_from(status)}
        assert allowed <= {"record_visit", "supplement"}, (status, allowed)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve", Status.RECEIVED),
        ("accept", Status.ACCEPTED),
        ("extend", Status.SUSPENDED),
        ("issue", Status.REVIEWED),
        ("withdraw", Status.APPROVED),
        ("resume", Status.ACCEPTED),
        ("resubmit", Status.RECEIVED),
    ],
)
def test_an_action_the_state_does_not_allow_is_a_409_that_says_why(action, status):
    with pytest.raises(Conflict) as error:
        workflow.check(action, status)
    assert error.value.code == "not_allowed_now"


def test_the_system_alone_deems_acceptance_and_lapses():
    assert TRANSITIONS["deem_accepted"].permission is None
    assert TRANSITIONS["lapse"].permission is None
    assert all(t.permission is not None for t in workflow.actions_from(Status.RECEIVED))


def test_decisions_are_taken_only_from_review():
    assert TRANSITIONS["approve"].sources == TRANSITIONS["deny"].sources == {"accepted", "reviewed"}
