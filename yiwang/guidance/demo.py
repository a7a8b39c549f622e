"""Demo guidance: specialties, thresholds, figures of Dalian and two districts, and an edition
of the compliance guide — figures and guide go through the Excel imports, as real data would."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import Workbook

from yiwang.guidance import importing, layout
from yiwang.guidance.models import Specialty

DATA = Path(__file__).parent / "data"


def workbook(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    """An .xlsx file with one sheet per entry: (header, rows)."""
    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load(admin) -> None:
    data = json.loads((DATA / "layout.json").read_text(encoding="utf-8"))
    for entry in data["specialties"]:
        Specialty.objects.create(**entry)
    # The licences loaded before the specialties existed; later ones are counted by events.
    layout.counted_institutions_rebuild()
    for measure, bands in data["thresholds"].items():
        layout.thresholds_set(
            actor=admin,
            measure=measure,
            bands=[
                {"resource_class": name, "min_percent": low, "max_percent": high}
                for name, low, high in bands
            ],
        )
    importing.figures_import(
        actor=admin,
        content=workbook(
            {
                "figures": (importing.FIGURE_COLUMNS, data["figures"]),
                "targets": (importing.TARGET_COLUMNS, data["targets"]),
            }
        ),
    )
    guide = json.loads((DATA / "compliance.json").read_text(encoding="utf-8"))
    importing.guide_import(
        actor=admin,
        title=guide["title"],
        content=workbook(
            {
                "laws": (importing.LAW_COLUMNS, guide["laws"]),
                "articles": (importing.ARTICLE_COLUMNS, guide["articles"]),
                "violations": (importing.VIOLATION_COLUMNS, guide["violations"]),
            }
        ),
    )
