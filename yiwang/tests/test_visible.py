"""`visible` adds "OR department IS NULL" only where the column may hold NULL."""

from yiwang.cases.models import Case
from yiwang.complaints.models import Ticket
from yiwang.permissions import _may_be_null, region_ids_under


def test_a_department_column_that_may_be_null_keeps_its_is_null_branch():
    assert _may_be_null(Case, "department_id") is False
    assert _may_be_null(Case, "department") is False
    assert _may_be_null(Ticket, "lead_department_id") is True
    # A path through a relation is not resolved: kept, as before.
    assert _may_be_null(Case, "department__region_id") is True


def test_a_scope_without_a_region_prefix_covers_no_region(demo):
    assert region_ids_under("") == []
    assert region_ids_under("2102")  # Dalian's subtree: the city and its districts
