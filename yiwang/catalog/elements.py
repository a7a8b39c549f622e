"""An item version as plain data, and back: the one format of the data file, the workbook,
the diff between versions and the standardization check.

`version_data(version)` gives the dict that `services.item_create_draft(data=...)` takes.
"""

from __future__ import annotations

from typing import Any

from yiwang.catalog.models import ItemVersion, LegalBasis, Material
from yiwang.catalog.rules import legal_basis_entries, parse_reference

# Elements of a version that are not bookkeeping.
ELEMENT_FIELDS = [
    field.name
    for field in ItemVersion._meta.concrete_fields
    if field.name
    not in {"id", "item", "version", "status", "published_at", "created_at", "changes"}
]
MATERIAL_FIELDS = [
    field.name
    for field in Material._meta.concrete_fields
    if field.name not in {"id", "version", "position"}
]
# The elements every level must keep identical (一把尺, 无差异化).
STANDARDIZED = ("name", "item_type", "statutory_limit_days", "legal_basis", "materials")
STANDARD_MATERIAL_KEYS = ("code", "name", "required", "tolerable")


def version_data(version: ItemVersion) -> dict[str, Any]:
    data: dict[str, Any] = {"code": version.item.code}
    for name in ELEMENT_FIELDS:
        data[name] = getattr(version, name)
    data["legal_basis"] = [
        {"reference": basis.reference, "text": basis.text} for basis in version.legal_basis.all()
    ]
    data["materials"] = [
        {name: getattr(material, name) for name in MATERIAL_FIELDS}
        for material in version.materials.all()
    ]
    return data


def element_values(data: dict) -> dict[str, Any]:
    """The model field values of a version from its data (defaults for what is missing)."""
    values = {}
    for name in ELEMENT_FIELDS:
        if name in data and data[name] is not None:
            values[name] = data[name]
    return values


def build_children(version: ItemVersion, data: dict) -> tuple[list[LegalBasis], list[Material]]:
    bases = []
    for position, entry in enumerate(legal_basis_entries(data)):
        law, article = parse_reference(entry["reference"])
        bases.append(
            LegalBasis(
                version=version,
                position=position,
                law=law,
                article=article,
                text=entry.get("text", ""),
            )
        )
    materials = []
    for position, entry in enumerate(data.get("materials") or []):
        values = {name: entry[name] for name in MATERIAL_FIELDS if entry.get(name) is not None}
        materials.append(Material(version=version, position=position, **values))
    return bases, materials


def standard_view(data: dict) -> dict[str, Any]:
    """The standardized elements only, in the form an implementation stores them."""
    return {
        "name": data["name"],
        "item_type": data["item_type"],
        "statutory_limit_days": data["statutory_limit_days"],
        "legal_basis": [entry["reference"] for entry in legal_basis_entries(data)],
        "materials": [
            {key: material.get(key, key == "required") for key in STANDARD_MATERIAL_KEYS}
            for material in data.get("materials") or []
        ],
    }


def diff(before: dict, after: dict) -> list[dict]:
    """What changed between two versions' data: [{field, before, after}], materials by code."""
    changes = []
    for name in ["code", *ELEMENT_FIELDS, "legal_basis"]:
        if before.get(name) != after.get(name):
            changes.append({"field": name, "before": before.get(name), "after": after.get(name)})
    old = {m["code"]: m for m in before.get("materials") or []}
    new = {m["code"]: m for m in after.get("materials") or []}
    for code in sorted(old.keys() | new.keys()):
        if code not in new:
            changes.append(
                {"field": f"materials.{code}", "before": old[code]["name"], "after": None}
            )
        elif code not in old:
            changes.append(
                {"field": f"materials.{code}", "before": None, "after": new[code]["name"]}
            )
        else:
            for key in MATERIAL_FIELDS:
                if old[code].get(key) != new[code].get(key):
                    changes.append(
                        {
                            "field": f"materials.{code}.{key}",
                            "before": old[code].get(key),
                            "after": new[code].get(key),
                        }
                    )
    return changes
