"""The nightly roll-up: yesterday in, the last days refreshed (visits recorded late)."""

from __future__ import annotations

from django_tasks import task

from yiwang.indicators import rollups


@task()
def roll_up() -> int:
    return rollups.roll_up()
