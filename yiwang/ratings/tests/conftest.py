import pytest

from yiwang.ratings.subscribers import invite_case_rating
from yiwang.ratings.tests import casework


@pytest.fixture
def decided(demo, user_named, freeze):
    """A case decided on the given day, its invitation opened and the notice's token returned."""

    def make(day="2026-09-28", *, approve=True):
        freeze(day)
        case = casework.decide_case(user_named, casework.file_case(user_named), approve=approve)
        invite_case_rating(casework.decided_event(case))
        return case

    return make
