"""The nightly recount of the institutions counted towards each specialty."""

from __future__ import annotations

from django_tasks import task

from yiwang.guidance import layout


@task()
def recount_institutions() -> int:
    """The licence events keep the counts current holder by holder; what no event reports (a
    holder that moved to another region) is caught here, from the whole register."""
    return layout.counted_institutions_rebuild()
