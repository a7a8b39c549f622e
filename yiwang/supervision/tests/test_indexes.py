"""The partial index the directory's coverage figure reads matches the licences in force."""

import importlib

from yiwang.licences.models import IN_FORCE

HOLDER_INDEX = importlib.import_module("yiwang.supervision.migrations.0005_directory_holder_index")


def test_the_holder_index_covers_exactly_the_licences_in_force():
    # A state added to IN_FORCE but not to the index would send every probe of the coverage
    # figure back to the table (and one removed would leave the index holding ended licences).
    assert sorted(HOLDER_INDEX.IN_FORCE_STATES) == sorted(str(state) for state in IN_FORCE)
