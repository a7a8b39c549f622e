"""The catalogue workbook (.xlsx): four sheets, one header row of element names each.

items: one row per item, every element of `elements.ELEMENT_FIELDS`; lists of words
(channels, procedures, exercise levels, service objects) are comma-separated, structured
elements (process steps, FAQ, sources) are JSON. legal_basis: item_code, reference, text.
materials: item_code and the material's elements. implementations: item_code, department
(its exact name), uscc (when the department has none on record) and the local elements.
An empty cell means the element's default (for an item already in the catalogue: its current
value). `export_workbook` writes it, `read_workbook` reads it into rows with every cell error noted.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from yiwang.catalog.elements import ELEMENT_FIELDS, MATERIAL_FIELDS, version_data
from yiwang.catalog.models import Implementation, ItemVersion, Material

WORD_LISTS = {"channels", "procedures", "exercise_levels", "service_objects", "allowed_types"}
IMPLEMENTATION_FIELDS = [
    "department",
    "uscc",
    "committed_limit_days",
    "max_visits",
    "channels",
    "online",
    "hall_address",
    "office_hours",
    "phone",
    "fee_account",
]
SHEETS = {
    "items": ["code", *ELEMENT_FIELDS],
    "legal_basis": ["item_code", "reference", "text"],
    "materials": ["item_code", *MATERIAL_FIELDS, "core"],
    "implementations": ["item_code", *IMPLEMENTATION_FIELDS],
}
REQUIRED_COLUMNS = {
    "items": ["code", "name", "statutory_limit_days", "committed_limit_days"],
    "legal_basis": ["item_code", "reference"],
    "materials": ["item_code", "code", "name"],
    "implementations": ["item_code", "department"],
}


def _kind(sheet: str, name: str) -> str:
    """int, bool, list, json or text, from the model field behind the column."""
    model = {"items": ItemVersion, "materials": Material, "implementations": Implementation}.get(
        sheet
    )
    if name in WORD_LISTS:
        return "list"
    if name == "core":
        return "bool"
    if model is None or name in {"code", "item_code", "department", "uscc"}:
        return "text"
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return "text"
    if isinstance(model_field, models.BooleanField):
        return "bool"
    if isinstance(model_field, models.IntegerField):
        return "int"
    if isinstance(model_field, models.JSONField):
        return "json"
    return "text"


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    rule: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "rule": self.rule}


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    columns: dict[str, str] = field(default_factory=dict)  # element → "C (name)"

    def where(self, name: str) -> str:
        return self.columns.get(name, name)


class BadWorkbook(ValueError):
    """The file is not a workbook at all; `problem` says so."""

    def __init__(self, problem: Problem):
        super().__init__(problem.rule)
        self.problem = problem


TRUE = {"1", "true", "yes", "y", "是", "√", "✓"}
FALSE = {"0", "false", "no", "n", "否", "", "none"}


def _convert(kind: str, value: Any) -> Any:
    """A cell's value as the element wants it; ValueError with the rule when it cannot be."""
    if kind == "text":
        return "" if value is None else str(value).strip()
    if value is None or (isinstance(value, str) and not value.strip()):
        return [] if kind == "list" else None
    if kind == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(_("Give a whole number."))
        return value
    if kind == "bool":
        text = str(value).strip().lower()
        if isinstance(value, bool):
            return value
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(_("Give 是 or 否 (yes or no)."))
    text = str(value).strip()
    if kind == "list" and not text.startswith("["):
        words = [word.strip() for word in text.replace("、", ",").replace("，", ",").split(",")]
        return [int(word) if word.isdigit() else word for word in words if word]
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(_("This cell must hold JSON: %(error)s") % {"error": error.msg}) from error


def read_workbook(content: bytes) -> tuple[dict[str, list[Row]], list[Problem]]:
    """Rows of every sheet and the problems of the cells; BadWorkbook if it is no workbook."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise BadWorkbook(
            Problem("", 0, "", str(_("The file is not an Excel workbook (.xlsx)."))),
        ) from error
    sheets: dict[str, list[Row]] = {}
    problems: list[Problem] = []
    if "items" not in book.sheetnames and "implementations" not in book.sheetnames:
        problems.append(
            Problem(
                "", 0, "", str(_("The workbook has neither an items nor an implementations sheet."))
            )
        )
    for sheet_name, known in SHEETS.items():
        if sheet_name not in book.sheetnames:
            sheets[sheet_name] = []
            continue
        rows = list(book[sheet_name].iter_rows(values_only=True))
        header = [
            str(cell).strip() if cell is not None else "" for cell in (rows[0] if rows else [])
        ]
        columns = {
            name: f"{get_column_letter(index + 1)} ({name})"
            for index, name in enumerate(header)
            if name
        }
        for name in header:
            if name and name not in known:
                problems.append(Problem(sheet_name, 1, columns[name], str(_("Unknown column."))))
        for name in REQUIRED_COLUMNS[sheet_name]:
            if name not in columns:
                problems.append(Problem(sheet_name, 1, name, str(_("This column is missing."))))
        sheets[sheet_name] = []
        for number, cells in enumerate(rows[1:], start=2):
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            values = {}
            for index, name in enumerate(header):
                if name not in known:
                    continue
                cell = cells[index] if index < len(cells) else None
                try:
                    values[name] = _convert(_kind(sheet_name, name), cell)
                except ValueError as error:
                    problems.append(Problem(sheet_name, number, columns[name], str(error)))
            sheets[sheet_name].append(Row(sheet_name, number, values, columns))
    book.close()
    return sheets, problems


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return ",".join(str(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def export_workbook(versions: list[ItemVersion], implementations: list[Implementation]) -> bytes:
    """The workbook of these versions and implementations, ready to edit and import back."""
    book = Workbook()
    book.remove(book.active)
    sheets = {name: book.create_sheet(name) for name in SHEETS}
    for name, sheet in sheets.items():
        sheet.append(SHEETS[name])
    for version in versions:
        data = version_data(version)
        sheets["items"].append([_cell(data.get(name)) for name in SHEETS["items"]])
        for entry in data["legal_basis"]:
            sheets["legal_basis"].append([data["code"], entry["reference"], entry["text"]])
        for material in data["materials"]:
            sheets["materials"].append(
                [
                    data["code"],
                    *(_cell(material.get(name)) for name in MATERIAL_FIELDS),
                    _cell(material["required"] and not material["tolerable"]),
                ]
            )
    for entry in implementations:
        row = {
            "department": entry.department.name,
            "uscc": entry.implementation_code[:18],
            **{name: getattr(entry, name) for name in IMPLEMENTATION_FIELDS[2:]},
        }
        sheets["implementations"].append(
            [entry.item.code, *(_cell(row[name]) for name in IMPLEMENTATION_FIELDS)]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def material_form(material: Material, *, example: bool) -> bytes:
    """The blank form of a material (or its filled example) as a workbook to print or fill."""
    book = Workbook()
    sheet = book.active
    sheet.title = "示例" if example else "空白表格"
    sheet.append([f"{material.version.name} — {material.name}"])
    sheet.append([])
    for entry in material.form_fields:
        sheet.append([entry.get("label", ""), entry.get("example", "") if example else ""])
    if material.notes:
        sheet.append([])
        sheet.append(["填写说明", material.notes])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 48
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
