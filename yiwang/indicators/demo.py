"""Demo: the roll-ups of the demo's cases, so the dashboard reads history as in production."""

from yiwang.indicators import rollups


def load_samples(admin) -> None:
    rollups.roll_up()
