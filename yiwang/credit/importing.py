"""Importing a department's facts from an Excel workbook or a CSV file: every row is checked
first; if any row breaks a rule nothing is imported and the report lists each problem as
(row, column, rule). Rows whose record id the department already sent are skipped (idempotent).
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.credit.grading import grade_pass
from yiwang.credit.models import CreditFact, FactImport
from yiwang.credit.services import check_fact, fact_create
from yiwang.errors import invalid_field
from yiwang.regions.models import Department

COLUMNS = ["record_id", "entity_code", "kind", "severity", "occurred_on", "source_document"]
OPTIONAL = ["valid_until", "summary"]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value))
    except ValueError:
        return None


def _table(filename: str, content: bytes) -> list[list[Any]]:
    if filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise invalid_field("file", _("A CSV file must be UTF-8 encoded.")) from error
        return [row for row in csv.reader(io.StringIO(text))]

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise invalid_field(
            "file", _("This file is neither a CSV file nor an Excel workbook (.xlsx).")
        ) from error
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_rows(filename: str, content: bytes) -> list[dict]:
    table = _table(filename, content)
    header = [_text(cell) for cell in (table[0] if table else [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise invalid_field(
            "file",
            _("The first row misses the columns: %(columns)s.") % {"columns": ", ".join(missing)},
        )
    rows = []
    for values in table[1:]:
        if not any(_text(value) for value in values):
            continue
        rows.append({name: values[i] if i < len(values) else None for i, name in enumerate(header)})
    return rows


def check_rows(department: Department, rows: list[dict]) -> tuple[list[dict], list[dict], int]:
    """(clean rows to create, problems, rows already recorded)."""
    problems, clean, seen = [], [], set()
    ids = [_text(row.get("record_id")) for row in rows]
    known = set(
        CreditFact.objects.filter(department=department, record_id__in=ids).values_list(
            "record_id", flat=True
        )
    )
    repeated = 0
    for number, row in enumerate(rows, start=2):
        record_id = _text(row.get("record_id"))
        if record_id in seen:
            problems.append(
                {
                    "row": number,
                    "column": "record_id",
                    "message": _("This record id appears twice in the file."),
                }
            )
            continue
        seen.add(record_id)
        if record_id and record_id in known:
            repeated += 1
            continue
        occurred_on = _day(row.get("occurred_on"))
        valid_until = _day(row.get("valid_until")) if _text(row.get("valid_until")) else None
        applicant, found = check_fact(
            department=department,
            entity_code=_text(row.get("entity_code")),
            kind=_text(row.get("kind")),
            severity=_text(row.get("severity")),
            occurred_on=occurred_on,
            source_document=_text(row.get("source_document")),
            record_id=record_id,
            valid_until=valid_until,
        )
        if _text(row.get("valid_until")) and valid_until is None:
            found["valid_until"] = _("Give the date as YYYY-MM-DD.")
        for column, message in found.items():
            problems.append({"row": number, "column": column, "message": str(message)})
        clean.append(
            {
                "applicant": applicant,
                "kind": _text(row.get("kind")),
                "severity": _text(row.get("severity")),
                "occurred_on": occurred_on,
                "source_document": _text(row.get("source_document"))[:200],
                "record_id": record_id,
                "valid_until": valid_until,
                "summary": _text(row.get("summary")),
            }
        )
    return clean, problems, repeated


def fact_import(*, actor: Any, department: Department, filename: str, content: bytes) -> FactImport:
    """Import a department's file: all rows or none; the entities are regraded once, set-based."""
    rows = read_rows(filename, content)
    clean, problems, repeated = check_rows(department, rows)
    with transaction.atomic():
        job = FactImport.objects.create(
            department=department,
            filename=filename[:200],
            rows_total=len(rows),
            report=problems,
            status=FactImport.Status.REJECTED if problems else FactImport.Status.DONE,
            created_at=clock.now(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if not problems:
            for row in clean:
                fact_create(actor=actor, department=department, **row)
            job.imported = len(clean)
            job.save(update_fields=["imported"])
            entities = sorted({row["applicant"].pk for row in clean})
            if entities:
                grade_pass(actor=actor, reason=f"import {job.pk}", applicant_ids=entities)
        audit_record(
            actor=actor,
            action="credit.fact_import",
            obj=job,
            after={
                "rows": len(rows),
                "imported": job.imported,
                "already_recorded": repeated,
                "problems": len(problems),
            },
        )
    return job
