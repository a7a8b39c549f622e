"""The item's application form (申请表) on pages: prefilled, re-shown after a refusal, read back.

The rules of the form live in `yiwang.catalog.forms`; this module only shapes them for the
filing page (values from what was posted, else the applicant's profile and earlier licences)
and for the case page (the answers as sentences, first on the page).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yiwang.catalog.answers import answers_display
from yiwang.catalog.forms import (
    answers_from_post,
    choices_of,
    entry_label,
    field_help,
    field_label,
    prefill_from_profile,
)
from yiwang.catalog.selectors import dictionaries_for
from yiwang.licences.models import Licence
from yiwang.regions.models import Region

BLANK_ROWS = 3


def earlier_answers(applicant, fields: list[dict]) -> dict:
    """Answers the applicant gave on the cases behind its licences, newest first."""
    names = {field["name"] for field in fields}
    answers: dict[str, Any] = {}
    forms = (
        Licence.objects.filter(holder=applicant, case__isnull=False)
        .order_by("-issued_at")
        .values_list("case__form", flat=True)[:10]
    )
    for form in forms:
        for name, value in (form or {}).items():
            if name in names and name not in answers and value not in (None, "", []):
                answers[name] = value
    return answers


def prefilled(fields: list[dict], applicant) -> dict:
    """What the form shows before the applicant types: the profile wins over older answers."""
    if applicant is None or not fields:
        return {}
    return {**earlier_answers(applicant, fields), **prefill_from_profile(fields, applicant)}


def fields_of_versions(versions) -> list[dict]:
    """One form for several items (a one-thing bundle): each field once, by name."""
    fields: dict[str, dict] = {}
    for version in versions:
        for field in version.application_form or []:
            fields.setdefault(field["name"], field)
    return list(fields.values())


def form_for_page(version, applicant, posted=None) -> list[dict]:
    """Each field of the version's form, with its label, help, choices and current value."""
    return fields_for_page(version.application_form or [], applicant, posted)


def fields_for_page(fields: list[dict], applicant, posted=None) -> list[dict]:
    if not fields:
        return []
    values = answers_from_post(fields, posted) if posted else prefilled(fields, applicant)
    dictionaries = dictionaries_for(fields)
    regions = _regions() if any(f["type"] == "address" for f in fields) else []
    return [
        _field_view(field, values.get(field["name"]), dictionaries, regions) for field in fields
    ]


def _field_view(field: Mapping, value: Any, dictionaries, regions) -> dict:
    view = {
        "name": field["name"],
        "type": field["type"],
        "label": field_label(field),
        "help": field_help(field),
        "required": bool(field.get("required")),
        # Left empty, the applicant's record fills it on filing (a clerk has not picked one yet).
        "from_profile": bool(field.get("prefill")),
        "multiple": bool(field.get("multiple")),
        "min": field.get("min"),
        "max": field.get("max"),
        "pattern": field.get("pattern", ""),
        "max_length": field.get("max_length") or 200,
        "value": value,
    }
    if field["type"] == "choice":
        chosen = value if isinstance(value, list) else [value]
        view["choices"] = [
            {"code": entry["code"], "label": entry_label(entry), "chosen": entry["code"] in chosen}
            for entry in choices_of(field, dictionaries)
        ]
    elif field["type"] == "address":
        view["value"] = value if isinstance(value, Mapping) else {"region": "", "detail": ""}
        view["regions"] = regions
    elif field["type"] == "rows":
        rows = [row for row in (value or []) if isinstance(row, Mapping)]
        rows += [{}] * max(BLANK_ROWS - len(rows), 1)
        view["columns"] = [
            {**_field_view(column, None, dictionaries, regions), "values": None}
            for column in field["columns"]
        ]
        view["rows"] = [
            [{**column, "value": row.get(column["name"], "")} for column in view["columns"]]
            for row in rows
        ]
    return view


def _regions() -> list[dict]:
    """The districts and streets an address may name, with their city for context."""
    return [
        {
            "code": region.code,
            "label": f"{region.parent.name if region.parent else ''}{region.name}",
        }
        for region in Region.objects.filter(level__gte=Region.Level.COUNTY)
        .select_related("parent")
        .order_by("code")
    ]


def answers_of_case(case) -> list[dict]:
    """The case's answers in form order, as [{label, text}], for the reviewer's page."""
    fields = case.item_version.application_form or []
    return answers_display(
        fields=fields, answers=case.form or {}, dictionaries=dictionaries_for(fields)
    )
