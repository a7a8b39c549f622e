"""Checklists per licence type: data in `data/checklists.json`, loaded into versioned rows."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from yiwang.supervision.models import Checklist

DATA_FILE = Path(__file__).resolve().parent / "data" / "checklists.json"


def checklists_load(checklist_model=Checklist) -> int:
    """Load the shipped checklists; an existing (type, version) is left as it is. Idempotent."""
    document = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    created = 0
    for entry in document["checklists"]:
        _row, made = checklist_model.objects.get_or_create(
            licence_type_code=entry["licence_type_code"],
            version=entry["version"],
            defaults={
                "name": entry["name"],
                "valid_from": datetime.date.fromisoformat(entry["valid_from"]),
                "items": entry["items"],
            },
        )
        created += made
    return created


def checklist_for(licence_type_code: str, *, on: datetime.date) -> Checklist | None:
    """The latest version in force on a day for the type, else the general checklist."""
    for code in (licence_type_code, ""):
        found = (
            Checklist.objects.filter(licence_type_code=code, valid_from__lte=on)
            .order_by("-version")
            .first()
        )
        if found is not None:
            return found
    return None
