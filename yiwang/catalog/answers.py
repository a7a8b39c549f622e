"""Answers to an application form (申请表): checked on filing, read back on pages and licences.

`answers_check` cleans the answers or refuses them (400, each field named as `form.<name>`
with its rule in the user's language); `answers_display` gives them as a person reads them;
`licence_entries` gives what they put on the licence (scope and register particulars).
The form definitions themselves are in `yiwang.catalog.forms`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang.catalog.forms import choices_of, entry_label, field_help, field_label
from yiwang.catalog.models import Dictionary, in_english
from yiwang.errors import InvalidInput
from yiwang.regions.models import Region

# Checking answers ----------------------------------------------------------------------


class _Checker:
    """Collects the problems of one set of answers, field by field."""

    def __init__(self, dictionaries: Mapping[str, Dictionary], region_codes: set[str]):
        self.dictionaries = dictionaries
        self.region_codes = region_codes
        self.problems: dict[str, Any] = {}

    def refuse(self, key: str, message: Any) -> None:
        self.problems.setdefault(key, message)

    def value(self, key: str, field: Mapping, label: str, raw: Any) -> Any:
        """The cleaned answer, or None when it is empty or broken (the problem is kept)."""
        if is_empty(raw):
            if field.get("required"):
                self.refuse(key, _("%(label)s is required.") % {"label": label})
            return None
        kind = field["type"]
        if kind == "text":
            return self._text(key, field, label, raw)
        if kind == "number":
            return self._number(key, field, label, raw)
        if kind == "date":
            return self._date(key, label, raw)
        if kind == "choice":
            return self._choice(key, field, label, raw)
        if kind == "address":
            return self._address(key, label, raw)
        return self._rows(key, field, label, raw)

    def _text(self, key, field, label, raw) -> str | None:
        text = str(raw).strip()
        limit = int(field.get("max_length") or 200)
        if len(text) > limit:
            self.refuse(
                key,
                _("%(label)s may have at most %(max)s characters.")
                % {"label": label, "max": limit},
            )
            return None
        if field.get("pattern") and not re.fullmatch(field["pattern"], text):
            self.refuse(
                key,
                _("%(label)s is not written as required: %(rule)s")
                % {"label": label, "rule": field_help(field) or field["pattern"]},
            )
            return None
        return text

    def _number(self, key, field, label, raw) -> int | float | None:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            self.refuse(key, _("%(label)s must be a number.") % {"label": label})
            return None
        if field.get("integer", True) and number != number.to_integral_value():
            self.refuse(key, _("%(label)s must be a whole number.") % {"label": label})
            return None
        if field.get("min") is not None and number < Decimal(str(field["min"])):
            self.refuse(
                key,
                _("%(label)s must be at least %(min)s.") % {"label": label, "min": field["min"]},
            )
            return None
        if field.get("max") is not None and number > Decimal(str(field["max"])):
            self.refuse(
                key,
                _("%(label)s must be at most %(max)s.") % {"label": label, "max": field["max"]},
            )
            return None
        return int(number) if field.get("integer", True) else float(number)

    def _date(self, key, label, raw) -> str | None:
        try:
            return datetime.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            self.refuse(key, _("%(label)s must be a date written YYYY-MM-DD.") % {"label": label})
            return None

    def _choice(self, key, field, label, raw) -> str | list[str] | None:
        allowed = {entry["code"]: entry for entry in choices_of(field, self.dictionaries)}
        values = raw if isinstance(raw, list) else [raw]
        values = [str(value).strip() for value in values if str(value).strip()]
        if not field.get("multiple") and len(values) > 1:
            self.refuse(key, _("%(label)s takes one value only.") % {"label": label})
            return None
        unknown = [value for value in values if value not in allowed]
        if unknown:
            self.refuse(
                key,
                _("%(label)s: “%(value)s” is not one of the listed values.")
                % {"label": label, "value": unknown[0]},
            )
            return None
        if field.get("multiple"):
            order = list(allowed)
            return sorted(set(values), key=order.index)
        return values[0]

    def _address(self, key, label, raw) -> dict | None:
        if not isinstance(raw, Mapping):
            raw = {"detail": str(raw)}
        region, detail = str(raw.get("region", "")).strip(), str(raw.get("detail", "")).strip()
        if region not in self.region_codes:
            self.refuse(
                f"{key}.region", _("%(label)s needs a region from the list.") % {"label": label}
            )
            return None
        if not detail:
            self.refuse(
                f"{key}.detail", _("%(label)s needs the street and number.") % {"label": label}
            )
            return None
        return {"region": region, "detail": detail[:200]}

    def _rows(self, key, field, label, raw) -> list[dict] | None:
        rows = [row for row in (raw if isinstance(raw, list) else []) if not is_empty(row)]
        least, most = int(field.get("min_rows") or 0), int(field.get("max_rows") or 50)
        if len(rows) < max(least, 1 if field.get("required") else 0):
            self.refuse(
                key,
                _("%(label)s needs at least %(min)s rows.")
                % {"label": label, "min": max(least, 1)},
            )
            return None
        if len(rows) > most:
            self.refuse(
                key, _("%(label)s takes at most %(max)s rows.") % {"label": label, "max": most}
            )
            return None
        cleaned = []
        for number, row in enumerate(rows, start=1):
            row = row if isinstance(row, Mapping) else {}
            cleaned.append(
                {
                    column["name"]: self.value(
                        f"{key}.{number}.{column['name']}",
                        column,
                        _("%(label)s, row %(row)s: %(column)s")
                        % {"label": label, "row": number, "column": field_label(column)},
                        row.get(column["name"]),
                    )
                    for column in field["columns"]
                }
            )
        return cleaned


def is_empty(value: Any) -> bool:
    """No answer: nothing, blank text, or only blanks inside (an address without either part)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(one) for one in value)
    if isinstance(value, Mapping):
        return all(is_empty(one) for one in value.values())
    return False


def answers_check(
    *, fields: list[dict], answers: Mapping, dictionaries: Mapping[str, Dictionary]
) -> dict:
    """The answers, cleaned; or 400 naming each field (`form.<name>`) and the rule it breaks.

    Keys the form does not define (the contact fields, older clients' extras) are kept.
    """
    checker = _Checker(dictionaries, _region_codes(fields, answers))
    cleaned = {key: value for key, value in answers.items() if key not in _names(fields)}
    for field in fields:
        value = checker.value(
            f"form.{field['name']}", field, field_label(field), answers.get(field["name"])
        )
        if value is not None:
            cleaned[field["name"]] = value
    if checker.problems:
        first = next(iter(checker.problems.values()))
        raise InvalidInput(first, code="invalid_form", fields=checker.problems)
    return cleaned


def _names(fields: Iterable[Mapping]) -> set[str]:
    return {field["name"] for field in fields}


def _region_codes(fields: list[dict], answers: Mapping) -> set[str]:
    given = [
        str(answers[field["name"]].get("region", ""))
        for field in fields
        if field["type"] == "address" and isinstance(answers.get(field["name"]), Mapping)
    ]
    return set(Region.objects.filter(code__in=given).values_list("code", flat=True))


# Reading answers back ------------------------------------------------------------------


def answer_text(
    field: Mapping,
    value: Any,
    dictionaries: Mapping[str, Dictionary],
    regions: Mapping[str, list[str]],
    *,
    chinese: bool = False,
) -> str:
    """One answer as a person reads it: entries by their label, an address with its region."""
    if value in (None, "", []):
        return ""
    kind = field["type"]
    if kind == "choice":
        entries = {entry["code"]: entry for entry in choices_of(field, dictionaries)}
        values = value if isinstance(value, list) else [value]
        joiner = ", " if in_english() and not chinese else "、"
        return joiner.join(
            entry_label(entries[one], chinese=chinese) if one in entries else str(one)
            for one in values
        )
    if kind == "address":
        names, detail = regions.get(value.get("region", ""), []), value.get("detail", "")
        # A profile address is often written in full already (辽宁省大连市中山区…).
        if any(name in detail for name in names):
            return detail
        return "".join(names[2:] or names) + detail
    if kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if kind == "rows":
        return "；".join(
            "，".join(
                answer_text(column, row.get(column["name"]), dictionaries, regions, chinese=chinese)
                for column in field["columns"]
                if row.get(column["name"]) not in (None, "")
            )
            for row in value
        )
    return str(value)


def answers_display(
    *, fields: list[dict], answers: Mapping, dictionaries: Mapping[str, Dictionary]
) -> list[dict]:
    """The answered fields in form order, as [{name, label, text}] for pages."""
    regions = region_names(fields, answers)
    shown = []
    for field in fields:
        text = answer_text(field, answers.get(field["name"]), dictionaries, regions)
        if text:
            shown.append({"name": field["name"], "label": field_label(field), "text": text})
    return shown


def region_names(fields: list[dict], answers: Mapping) -> dict[str, list[str]]:
    """For each region an address names, the names of it and its parents from the district
    down (中山区, 青泥洼桥街道, 天津街社区) and of its city and province, in one query."""
    codes = {
        answers[field["name"]].get("region", "")
        for field in fields
        if field["type"] == "address" and isinstance(answers.get(field["name"]), Mapping)
    }
    codes = {code for code in codes if len(code) == 12}
    lineage = {code: [code[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12)] for code in codes}
    wanted = {one for chain in lineage.values() for one in chain}
    known = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    return {
        code: list(dict.fromkeys(known[one] for one in chain if one in known))
        for code, chain in lineage.items()
        if code in known
    }


def licence_entries(
    *, fields: list[dict], answers: Mapping, dictionaries: Mapping[str, Dictionary]
) -> tuple[list[str], list[dict]]:
    """What the answers put on the licence: (scope, particulars), in Chinese as printed."""
    regions = region_names(fields, answers)
    scope: list[str] = []
    particulars: list[dict] = []
    for field in fields:
        value = answers.get(field["name"])
        if value in (None, "", []):
            continue
        if field.get("licence") == "scope":
            if field["type"] == "choice" and isinstance(value, list):
                scope += [
                    answer_text(field, one, dictionaries, regions, chinese=True) for one in value
                ]
            else:
                scope.append(answer_text(field, value, dictionaries, regions, chinese=True))
        elif field.get("licence") == "particular":
            particulars.append(
                {
                    "label": field["label"],
                    "value": answer_text(field, value, dictionaries, regions, chinese=True),
                }
            )
    return scope, particulars
