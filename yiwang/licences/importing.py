"""Importing licences from an existing register (an Excel workbook): every row is checked
first; if any row breaks a rule nothing is imported and the report lists each problem as
(row, column, rule). Imported licences are numbered as in the old register, signed, and get
their PDF from the task worker like issued ones.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.catalog.models import Item
from yiwang.errors import invalid_field
from yiwang.licences.models import Licence, LicenceImport, Status
from yiwang.licences.services import licence_create
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require
from yiwang.regions.models import Department

COLUMNS = [
    "number",
    "licence_type",
    "licence_type_code",
    "holder_code",
    "holder_name",
    "item_code",
    "issuer",
    "scope",
    "valid_from",
    "valid_until",
    "status",
]
IMPORTABLE = (Status.VALID, Status.EXPIRED, Status.SUSPENDED, Status.CANCELLED, Status.REVOKED)


def read_rows(content: bytes) -> list[dict]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise invalid_field("workbook", _("This file is not an Excel workbook (.xlsx).")) from error
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise invalid_field(
            "workbook",
            _("The first row misses the columns: %(columns)s.") % {"columns": ", ".join(missing)},
        )
    found = []
    for values in rows:
        if not any(value not in (None, "") for value in values):
            continue
        found.append(
            {
                name: values[index] if index < len(values) else None
                for index, name in enumerate(header)
            }
        )
    return found


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


def check_rows(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(clean rows, problems); a problem is {row, column, message} with the sheet's row number."""
    problems, clean, seen = [], [], set()
    numbers = [_text(row.get("number")) for row in rows]
    taken = set(Licence.objects.filter(number__in=numbers).values_list("number", flat=True))
    for index, row in enumerate(rows, start=2):

        def refuse(column: str, message: str, index=index) -> None:
            problems.append({"row": index, "column": column, "message": str(message)})

        number = _text(row.get("number"))
        if not number:
            refuse("number", _("The licence number is required."))
        elif number in seen:
            refuse("number", _("This number appears twice in the workbook."))
        elif number in taken:
            refuse("number", _("A licence with this number is already in the register."))
        seen.add(number)
        code, name = _text(row.get("holder_code")), _text(row.get("holder_name"))
        holder = (
            Applicant.objects.filter(uscc=code).first()
            or Applicant.objects.filter(id_number=code).first()
            if code
            else None
        )
        if holder is None:
            refuse("holder_code", _("No applicant has this code; register the applicant first."))
        elif name and holder.name != name:
            refuse(
                "holder_name",
                _("The name differs from the applicant's: %(name)s.") % {"name": holder.name},
            )
        item = Item.objects.filter(code=_text(row.get("item_code"))).first()
        if item is None:
            refuse("item_code", _("No item has this code."))
        issuer = Department.objects.filter(name=_text(row.get("issuer"))).first()
        if issuer is None:
            refuse("issuer", _("No department has this name."))
        if not _text(row.get("licence_type")):
            refuse("licence_type", _("The licence type is required."))
        valid_from, valid_until = _day(row.get("valid_from")), _day(row.get("valid_until"))
        if valid_from is None:
            refuse("valid_from", _("Give a date as YYYY-MM-DD."))
        if _text(row.get("valid_until")) and valid_until is None:
            refuse("valid_until", _("Give a date as YYYY-MM-DD, or leave it empty (no expiry)."))
        if valid_from and valid_until and valid_until < valid_from:
            refuse("valid_until", _("The licence ends before it starts."))
        status = _text(row.get("status")) or Status.VALID
        if status not in IMPORTABLE:
            refuse(
                "status", _("The status is one of: %(values)s.") % {"values": ", ".join(IMPORTABLE)}
            )
        elif status == Status.VALID and valid_until and valid_until < clock.today():
            refuse("status", _("A licence past its expiry date cannot be valid."))
        clean.append(
            {
                "number": number,
                "holder": holder,
                "item": item,
                "department": issuer,
                "licence_type": _text(row.get("licence_type")),
                "licence_type_code": _text(row.get("licence_type_code")),
                "scope": [
                    s.strip()
                    for s in _text(row.get("scope")).replace("；", ";").split(";")
                    if s.strip()
                ],
                "valid_from": valid_from,
                "valid_until": valid_until,
                "status": status,
            }
        )
    return clean, problems


def licence_import_workbook(*, actor: Any, filename: str, content: bytes) -> LicenceImport:
    require(actor, Action.LICENCE_IMPORT)
    rows = read_rows(content)
    clean, problems = check_rows(rows)
    with transaction.atomic():
        job = LicenceImport.objects.create(
            created_at=clock.now(),
            created_by=actor,
            filename=filename[:200],
            rows_total=len(rows),
            report=problems,
            status=LicenceImport.Status.REJECTED if problems else LicenceImport.Status.DONE,
        )
        if not problems:
            for row in clean:
                licence_create(actor=actor, imported=True, note=filename, **row)
            job.imported = len(clean)
            job.save(update_fields=["imported"])
        audit_record(
            actor=actor,
            action="licence.import",
            obj=job,
            after={"rows": len(rows), "imported": job.imported, "problems": len(problems)},
        )
    return job
