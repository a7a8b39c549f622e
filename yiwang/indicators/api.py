"""Indicators in the API (API.md, "Indicators"): a slice's figures and the cases behind one."""

from __future__ import annotations

from ninja import Query, Router, Schema

from yiwang.indicators import rollups, selectors
from yiwang.indicators.slices import parse_slice
from yiwang.replica import operation_reads_from_replica

router = Router(tags=["indicators"])


class SliceQuery(Schema):
    period: str | None = None
    on: str | None = None
    department: str | None = None
    region: str | None = None
    item: str | None = None
    channel: str | None = None
    procedure: str | None = None


class IndicatorsOut(Schema):
    start: str
    end: str
    online_rate: float | None
    single_window_share: float | None
    compression: float | None
    mean_used_working_days: float | None
    on_time_rate: float | None
    zero_visit_share: float | None
    at_most_one_visit_share: float | None
    visits_saved: float | None
    complaint_on_time_rate: float | None
    satisfaction: float | None
    bad_rating_rectification_rate: float | None
    decision_publication_on_time_rate: float | None
    inspection_publication_on_time_rate: float | None
    counts: dict[str, int]
    licences_by_type: list[dict]


class CaseRowOut(Schema):
    id: int
    number: str
    item_code: str
    department: str
    received_on: str
    decided_on: str | None
    closed_on: str | None
    used_working_days: int | None
    committed_limit: int | None
    on_time: bool | None
    visits: int | None


class CasePageOut(Schema):
    count: int
    results: list[CaseRowOut]


def _params(request, query: SliceQuery) -> dict:
    params = {key: value for key, value in query.dict().items() if value is not None}
    # `from` is a Python keyword: read it (and `to`) straight from the query string.
    for name in ("from", "to"):
        if request.GET.get(name) is not None:
            params[name] = request.GET[name]
    return params


@router.get("", response=IndicatorsOut)
@operation_reads_from_replica
def indicators(request, query: Query[SliceQuery]):
    """Every indicator of the slice (`from`, `to` as YYYY-MM-DD, or `period` and `on`)."""
    slice_ = parse_slice(request.user, _params(request, query))
    with rollups.one_reading():
        values, counts, catalogue = selectors.indicator_values(slice_)
        licences = selectors.licences_by_type(slice_)
    return {
        "start": slice_.start.isoformat(),
        "end": slice_.end.isoformat(),
        **values,
        "counts": {**counts.as_dict(), "published_items": catalogue["published_items"]},
        "licences_by_type": licences,
    }


@router.get("/cases", response=CasePageOut)
@operation_reads_from_replica
def indicator_cases(
    request, indicator: str, query: Query[SliceQuery], limit: int = 50, offset: int = 0
):
    """The cases behind one figure, with the same filters: newest first."""
    slice_ = parse_slice(request.user, _params(request, query))
    cases = selectors.drill_down_counted(slice_, indicator)
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    rows = [selectors.drill_down_row(case) for case in cases[offset : offset + limit]]
    return {"count": cases.count(), "results": rows}
