"""Application forms as data (申请表): each item version's fields, their rules, and the answers.

A field is a dict: `name`, `type` (text, number, date, choice, address, rows), `label` and
`label_en`, `required`, `help`/`help_en`, and by type `max_length`/`pattern`, `min`/`max`/
`integer`, `dictionary` or `choices` and `multiple`, `columns`/`min_rows`/`max_rows`.
`licence` says where an answer goes on the issued licence: `scope` (许可范围) or `particular`
(a register field such as the institution's address); `prefill` names the applicant's profile
field that fills it in. Answers are plain JSON keyed by field name, stored on the case;
checking and reading them back is `yiwang.catalog.answers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models import Dictionary, in_english

FIELD_TYPES = ("text", "number", "date", "choice", "address", "rows")
COLUMN_TYPES = ("text", "number", "date", "choice")
LICENCE_TARGETS = ("scope", "particular")
# Filled by every filing page, whatever the item: not part of an item's form.
CONTACT_FIELDS = ("contact_name", "contact_phone", "remarks")
PREFILL_SOURCES = (
    "applicant.name",
    "applicant.address",
    "applicant.region",
    "applicant.legal_representative",
    "applicant.phone",
    "applicant.institution_category",
    "applicant.beds",
    "applicant.practice_licence_number",
    "applicant.code",
)
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
Problems = list[tuple[str, Any]]


# The definition ----------------------------------------------------------------------


def definition_problems(fields: Any, known_dictionaries: Iterable[str]) -> Problems:
    """Every broken rule of a form definition as (application_form.N.key, message)."""
    if not isinstance(fields, list):
        return [("application_form", _("The application form must be a list of fields."))]
    known = set(known_dictionaries)
    problems: Problems = []
    seen: set[str] = set()
    for index, field in enumerate(fields):
        path = f"application_form.{index}"
        problems += _field_problems(path, field, known, FIELD_TYPES)
        name = field.get("name") if isinstance(field, dict) else None
        if name in seen or name in CONTACT_FIELDS:
            problems.append((f"{path}.name", _("Each field needs its own name.")))
        seen.add(name)
    return problems


def _field_problems(path: str, field: Any, known: set[str], types: tuple) -> Problems:
    if not isinstance(field, dict):
        return [(path, _("A field is an object with a name, a type and a label."))]
    problems: Problems = []
    if not NAME.match(str(field.get("name", ""))):
        problems.append((f"{path}.name", _("Use lower-case letters, digits and _.")))
    if field.get("type") not in types:
        problems.append((f"{path}.type", _("Use one of: %(types)s.") % {"types": ", ".join(types)}))
    if not str(field.get("label", "")).strip():
        problems.append((f"{path}.label", _("A field needs its Chinese label.")))
    if field.get("licence", "") not in ("", *LICENCE_TARGETS):
        problems.append((f"{path}.licence", _("Use scope or particular.")))
    if field.get("prefill", "") not in ("", *PREFILL_SOURCES):
        problems.append(
            (f"{path}.prefill", _("Use one of: %(types)s.") % {"types": ", ".join(PREFILL_SOURCES)})
        )
    if (
        field.get("type") == "choice"
        and not field.get("choices")
        and field.get("dictionary") not in known
    ):
        problems.append((f"{path}.dictionary", _("No dictionary has this code.")))
    if field.get("pattern"):
        try:
            re.compile(field["pattern"])
        except re.error:
            problems.append((f"{path}.pattern", _("This is not a regular expression.")))
    if field.get("type") == "rows":
        columns = field.get("columns") or []
        if not columns:
            problems.append((f"{path}.columns", _("Repeating rows need their columns.")))
        for number, column in enumerate(columns):
            problems += _field_problems(f"{path}.columns.{number}", column, known, COLUMN_TYPES)
    return problems


def field_label(field: Mapping) -> str:
    return field.get("label_en") or field["label"] if in_english() else field["label"]


def field_help(field: Mapping) -> str:
    return (
        (field.get("help_en") or field.get("help", "")) if in_english() else field.get("help", "")
    )


def entry_label(entry: Mapping, *, chinese: bool = False) -> str:
    if not chinese and in_english() and entry.get("label_en"):
        return entry["label_en"]
    return entry["label"]


def dictionary_codes(fields: Iterable[Mapping]) -> set[str]:
    codes = set()
    for field in fields:
        if not isinstance(field, Mapping):
            continue
        if field.get("dictionary"):
            codes.add(field["dictionary"])
        codes |= dictionary_codes(field.get("columns") or [])
    return codes


def choices_of(field: Mapping, dictionaries: Mapping[str, Dictionary]) -> list[dict]:
    """The entries a choice field offers: its own list, else its dictionary's."""
    if field.get("choices"):
        return list(field["choices"])
    dictionary = dictionaries.get(field.get("dictionary", ""))
    return list(dictionary.entries) if dictionary else []


def answers_from_post(fields: list[dict], post: Any) -> dict:
    """The answers a filing page posted (`answer_<name>`, rows as parallel lists)."""
    answers: dict[str, Any] = {}
    for field in fields:
        key = f"answer_{field['name']}"
        if field["type"] == "choice" and field.get("multiple"):
            answers[field["name"]] = post.getlist(key)
        elif field["type"] == "address":
            answers[field["name"]] = {
                "region": post.get(f"{key}_region", ""),
                "detail": post.get(f"{key}_detail", ""),
            }
        elif field["type"] == "rows":
            columns = {c["name"]: post.getlist(f"{key}_{c['name']}") for c in field["columns"]}
            count = max((len(values) for values in columns.values()), default=0)
            answers[field["name"]] = [
                {name: (values[i] if i < len(values) else "") for name, values in columns.items()}
                for i in range(count)
            ]
        else:
            answers[field["name"]] = post.get(key, "")
    return answers


def prefill_from_profile(
    fields: list[dict], applicant: Any, dictionaries: Mapping[str, Dictionary] | None = None
) -> dict:
    """Answers the applicant's profile already gives (名称、地址、法定代表人 …); `dictionaries`
    are the form's, when the caller has read them already (else read here)."""
    answers: dict[str, Any] = {}
    for field in fields:
        source = field.get("prefill", "")
        if not source.startswith("applicant."):
            continue
        attribute = source.removeprefix("applicant.")
        if attribute == "region" or field["type"] == "address":
            answers[field["name"]] = {
                "region": applicant.region.code,
                "detail": applicant.address or "",
            }
        elif attribute == "code":
            answers[field["name"]] = applicant.uscc or applicant.id_number or ""
        elif attribute == "institution_category":
            answers[field["name"]] = _category_code(
                field, applicant.institution_category, dictionaries
            )
        else:
            value = getattr(applicant, attribute, None)
            if value not in (None, ""):
                answers[field["name"]] = value
    return {name: value for name, value in answers.items() if value not in (None, "")}


def _category_code(
    field: Mapping, category: str, dictionaries: Mapping[str, Dictionary] | None
) -> str:
    """The profile keeps a category's name (口腔诊所); the form answers with the code of the
    dictionary entry it names, or the nearest one it contains (诊所)."""
    if not category:
        return ""
    entries = list(field.get("choices") or [])
    code = field.get("dictionary", "")
    if dictionaries is None:
        dictionaries = {d.code: d for d in Dictionary.objects.filter(code=code)}
    if code in dictionaries:
        entries += dictionaries[code].entries
    best = ("", 0)
    for entry in entries:
        label = re.sub(r"（.*?）", "", entry["label"])
        if category in (entry["code"], entry["label"]):
            return entry["code"]
        if label and label in category and len(label) > best[1]:
            best = (entry["code"], len(label))
    return best[0]
