"""The rules an item's elements must meet, checked before anything is saved.

`item_problems(data)` returns every broken rule as `(field, message)`, where `field` is a
path such as `materials.2.tolerable`; services raise them together, the workbook import maps
them to sheet, row and column. Legal basis references are parsed here:
《医疗机构管理条例》第九条 → law 医疗机构管理条例, article 第九条.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang.catalog.forms import definition_problems, dictionary_codes
from yiwang.catalog.models import (
    CHANNELS,
    PROCEDURES,
    Dictionary,
    ExerciseLevel,
    ItemVersion,
    Material,
)
from yiwang.parties.models import Applicant

GRADES = tuple(Applicant.Grade.values)

_NUMBER = "[零〇一二三四五六七八九十百千0-9]+"
_ARTICLE = f"第{_NUMBER}条(?:之{_NUMBER})?(?:第{_NUMBER}款)?(?:第{_NUMBER}项)?"
REFERENCE = re.compile(
    rf"^《(?P<law>[^《》\s]{{2,100}})》(?P<article>{_ARTICLE}(?:[、，,]{_ARTICLE})*)$"
)
MATERIAL_CODE = re.compile(r"^M\d{2}$")
FILE_TYPES = ("pdf", "jpg", "png", "ofd", "docx", "xlsx")

CHOICE_FIELDS = {
    "item_type": ItemVersion.ItemType.values,
    "case_kind": ItemVersion.CaseKind.values,
    "approval_mode": ItemVersion.ApprovalMode.values,
    "cross_region_scope": ItemVersion.CrossRegion.values,
}
CHOICE_DEFAULTS = {"cross_region_scope": "none"}
LIMIT_FIELDS = (
    "statutory_limit_days",
    "committed_limit_days",
    "green_limit_days",
    "emergency_limit_days",
    "commitment_check_days",
    "supplement_days",
    "licence_validity_years",
)
REQUIRED_TEXT = ("name", "implementing_body", "conditions")

Problems = list[tuple[str, Any]]


def parse_reference(reference: str) -> tuple[str, str] | None:
    """(law, article) of a reference written 《法规名称》第X条, or None when malformed."""
    match = REFERENCE.match((reference or "").strip())
    if match is None:
        return None
    return match["law"], match["article"]


def legal_basis_entries(data: dict) -> list[dict]:
    """The legal basis as [{reference, text}], whether given as strings or dicts."""
    entries = []
    for entry in data.get("legal_basis") or []:
        entries.append(entry if isinstance(entry, dict) else {"reference": entry, "text": ""})
    return entries


def item_problems(data: dict) -> Problems:
    """Every rule the item's elements break; an empty list means it may be saved."""
    problems: Problems = []
    code = str(data.get("code") or "")
    if not re.fullmatch(r"\d{12}", code):
        problems.append(("code", _("A basic code has exactly 12 digits.")))
    for field in REQUIRED_TEXT:
        if not str(data.get(field) or "").strip():
            problems.append((field, _("This element is required.")))
    for field, allowed in CHOICE_FIELDS.items():
        if data.get(field, CHOICE_DEFAULTS.get(field)) not in allowed:
            problems.append((field, _("Use one of: %(values)s.") % {"values": ", ".join(allowed)}))
    problems += _limit_problems(data)
    problems += _list_problems(data)
    problems += _procedure_problems(data)
    problems += _legal_basis_problems(data)
    problems += material_problems(data.get("materials") or [])
    problems += _form_problems(data.get("application_form") or [])
    return problems


def _form_problems(fields: Any) -> Problems:
    named = dictionary_codes(fields) if isinstance(fields, list) else set()
    known = Dictionary.objects.filter(code__in=sorted(named)).values_list("code", flat=True)
    return definition_problems(fields, known)


def _whole(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(value)
    return value


def _limit_problems(data: dict) -> Problems:
    problems: Problems = []
    limits: dict[str, int | None] = {}
    for field in (*LIMIT_FIELDS, "max_visits"):
        try:
            limits[field] = _whole(data.get(field))
        except ValueError:
            problems.append((field, _("Give a whole number of days.")))
            limits[field] = None
            continue
        if limits[field] is not None and limits[field] < 0:
            problems.append((field, _("A number of days cannot be negative.")))
    statutory, committed = limits["statutory_limit_days"], limits["committed_limit_days"]
    if statutory is None:
        problems.append(("statutory_limit_days", _("The statutory time limit is required.")))
    if committed is None:
        problems.append(("committed_limit_days", _("The committed time limit is required.")))
    if statutory is not None and committed is not None and committed > statutory:
        problems.append(
            (
                "committed_limit_days",
                _(
                    "The committed time limit (%(committed)s working days) cannot exceed the "
                    "statutory one (%(statutory)s)."
                )
                % {"committed": committed, "statutory": statutory},
            )
        )
    green = limits["green_limit_days"]
    if green is not None and committed is not None and green > committed:
        problems.append(
            ("green_limit_days", _("The green-channel limit cannot exceed the committed limit."))
        )
    visits = limits["max_visits"]
    if visits is None or not 0 <= visits <= 5:
        problems.append(("max_visits", _("The most visits needed is a number from 0 to 5.")))
    if data.get("online") and visits not in (None, 0):
        problems.append(("max_visits", _("An item done fully online needs zero visits.")))
    return problems


def _list_problems(data: dict) -> Problems:
    problems: Problems = []
    channels = data.get("channels") or []
    if not channels or not set(channels) <= set(CHANNELS):
        problems.append(
            ("channels", _("Channels are some of: %(values)s.") % {"values": ", ".join(CHANNELS)})
        )
    if data.get("online") and "online" not in channels:
        problems.append(("online", _("An item done fully online must have the online channel.")))
    levels = data.get("exercise_levels") or []
    if not set(levels) <= set(ExerciseLevel.values):
        problems.append(("exercise_levels", _("Exercise levels are numbers from 1 to 6.")))
    for field in ("process_steps", "special_procedures", "faq", "service_objects"):
        if not isinstance(data.get(field) or [], list):
            problems.append((field, _("This element is a list.")))
    return problems


def _procedure_problems(data: dict) -> Problems:
    problems: Problems = []
    procedures = data.get("procedures") or []
    if not procedures or not set(procedures) <= set(PROCEDURES):
        problems.append(
            (
                "procedures",
                _("Procedures are some of: %(values)s.") % {"values": ", ".join(PROCEDURES)},
            )
        )
    if "commitment" in procedures:
        if data.get("commitment_check_days") in (None, ""):
            problems.append(
                ("commitment_check_days", _("Notification-commitment needs a check period."))
            )
        if not str(data.get("commitment_text") or "").strip():
            problems.append(
                ("commitment_text", _("Notification-commitment needs the text applicants sign."))
            )
    if "tolerance" in procedures:
        if data.get("supplement_days") in (None, ""):
            problems.append(
                ("supplement_days", _("Tolerance acceptance needs a supplement period."))
            )
        if data.get("tolerance_licence_mode") not in ItemVersion.LicenceMode.values:
            problems.append(
                ("tolerance_licence_mode", _("Tolerance acceptance needs provisional or held."))
            )
        if not any(m.get("tolerable") for m in data.get("materials") or []):
            problems.append(
                ("procedures", _("Tolerance acceptance needs at least one tolerable material."))
            )
    grades = data.get("procedure_grades") or {}
    if not isinstance(grades, dict):
        problems.append(("procedure_grades", _("This element maps procedures to conditions.")))
        grades = {}
    for procedure, condition in grades.items():
        if procedure not in procedures:
            problems.append(
                (
                    "procedure_grades",
                    _("%(procedure)s is gated by grade but not offered.")
                    % {"procedure": procedure},
                )
            )
        elif not isinstance(condition, dict) or condition.get("min_grade") not in GRADES:
            problems.append(
                ("procedure_grades", _("The lowest grade of a procedure is A, B, C or D."))
            )
        elif not str(condition.get("legal_basis") or "").strip():
            problems.append(("procedure_grades", _("A grade condition needs its legal basis.")))
    if "green" in procedures and data.get("green_limit_days") in (None, ""):
        problems.append(("green_limit_days", _("The green channel needs its own time limit.")))
    if "emergency" in procedures and data.get("emergency_limit_days") in (None, ""):
        problems.append(("emergency_limit_days", _("Emergency listing needs its own time limit.")))
    return problems


def _legal_basis_problems(data: dict) -> Problems:
    entries = legal_basis_entries(data)
    if not entries:
        return [("legal_basis", _("An item needs at least one legal basis."))]
    problems: Problems = []
    for index, entry in enumerate(entries):
        if parse_reference(entry.get("reference", "")) is None:
            problems.append(
                (
                    f"legal_basis.{index}",
                    _(
                        "“%(reference)s” is not a legal reference: write 《name of the law》"
                        "第X条 (optionally 第X款, 第X项)."
                    )
                    % {"reference": entry.get("reference", "")},
                )
            )
    return problems


def material_problems(materials: list[dict]) -> Problems:
    problems: Problems = []
    if not materials:
        problems.append(("materials", _("An item needs at least one material.")))
    seen: set[str] = set()
    for index, material in enumerate(materials):
        where = f"materials.{index}"
        code = str(material.get("code") or "")
        if not MATERIAL_CODE.match(code):
            problems.append((f"{where}.code", _("A material code is M and two digits (M01).")))
        elif code in seen:
            problems.append(
                (f"{where}.code", _("The material code %(code)s appears twice.") % {"code": code})
            )
        seen.add(code)
        if not str(material.get("name") or "").strip():
            problems.append((f"{where}.name", _("A material needs a name.")))
        required = material.get("required", True)
        tolerable = bool(material.get("tolerable"))
        if tolerable and material.get("core"):
            problems.append(
                (
                    f"{where}.tolerable",
                    _(
                        "A material cannot be tolerable and core at once: "
                        "a core material is needed at acceptance."
                    ),
                )
            )
        if tolerable and not required:
            problems.append((f"{where}.tolerable", _("Only a required material can be tolerable.")))
        if material.get("form", "either") not in Material.Form.values:
            problems.append((f"{where}.form", _("The form is electronic, paper or either.")))
        if material.get("source_channel", "applicant") not in Material.Source.values:
            problems.append(
                (
                    f"{where}.source_channel",
                    _("The source is one of: %(values)s.")
                    % {"values": ", ".join(Material.Source.values)},
                )
            )
        copies = material.get("copies", 1)
        if not isinstance(copies, int) or isinstance(copies, bool) or not 0 <= copies <= 20:
            problems.append((f"{where}.copies", _("Paper copies are a number from 0 to 20.")))
        if not set(material.get("allowed_types") or []) <= set(FILE_TYPES):
            problems.append(
                (
                    f"{where}.allowed_types",
                    _("File types are some of: %(values)s.") % {"values": ", ".join(FILE_TYPES)},
                )
            )
    return problems
