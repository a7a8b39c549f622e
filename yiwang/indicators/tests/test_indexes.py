"""The indexes the indicators add to the cases table match what the dashboard asks for."""

import importlib

from yiwang.indicators.selectors import OPEN_STATUSES

OPEN_CASE_INDEX = importlib.import_module("yiwang.indicators.migrations.0005_open_case_index")


def test_the_open_case_index_covers_exactly_the_open_states():
    # A state added to OPEN_STATUSES but not to the index would send "the oldest open cases"
    # back to a walk over every case.
    assert sorted(OPEN_CASE_INDEX.OPEN_STATES) == sorted(str(state) for state in OPEN_STATUSES)
