"""Excel imports of the guidance data: the resource figures and targets, and a new edition of
the compliance guide. Every row is checked first; if any breaks a rule nothing is imported and
the refusal names each (sheet, row, column) and its rule."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.errors import InvalidInput, invalid_field
from yiwang.guidance.models import (
    Article,
    GuideVersion,
    Law,
    ResourceFigures,
    Specialty,
    SpecialtyTarget,
    Violation,
)
from yiwang.permissions import Action, require
from yiwang.regions.models import Region

FIGURE_COLUMNS = [
    "region_code",
    "year",
    "population",
    "beds",
    "licensed_doctors",
    "beds_target",
    "doctors_target",
]
TARGET_COLUMNS = ["region_code", "year", "specialty_code", "institutions_target"]
LAW_COLUMNS = ["code", "name", "issuer", "field", "effective_on", "amended_on"]
ARTICLE_COLUMNS = ["law_code", "number", "text"]
VIOLATION_COLUMNS = [
    "code",
    "title",
    "category",
    "description",
    "legal_responsibility",
    "advice",
    "articles",
    "item_codes",
]


def _cell(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def read_sheets(content: bytes, wanted: dict[str, list[str]]) -> dict[str, list[dict]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise invalid_field("workbook", _("This file is not an Excel workbook (.xlsx).")) from error
    sheets = {}
    for name, columns in wanted.items():
        if name not in workbook.sheetnames:
            raise invalid_field(
                "workbook", _("The workbook has no sheet named %(name)s.") % {"name": name}
            )
        rows = workbook[name].iter_rows(values_only=True)
        header = [_cell(cell) for cell in next(rows, [])]
        missing = [column for column in columns if column not in header]
        if missing:
            raise invalid_field(
                "workbook",
                _("Sheet %(sheet)s misses the columns: %(columns)s.")
                % {"sheet": name, "columns": ", ".join(missing)},
            )
        sheets[name] = [
            dict(zip(header, (_cell(value) for value in values), strict=False))
            for values in rows
            if any(value not in (None, "") for value in values)
        ]
    workbook.close()
    return sheets


class Problems:
    def __init__(self):
        self.fields: dict[str, Any] = {}

    def add(self, sheet: str, row: int, column: str, message) -> None:
        self.fields[f"{sheet}!{row}.{column}"] = message

    def raise_if_any(self) -> None:
        if self.fields:
            raise InvalidInput(
                _("The workbook has %(count)s problem(s); nothing was imported.")
                % {"count": len(self.fields)},
                code="import_refused",
                fields=self.fields,
            )


def _number(problems, sheet, row, data, column, kind=int, positive=False):
    try:
        value = (
            kind(Decimal(data.get(column, ""))) if kind is int else Decimal(data.get(column, ""))
        )
    except ArithmeticError:
        problems.add(sheet, row, column, _("Give a number."))
        return None
    if value < 0 or (positive and value == 0):
        problems.add(sheet, row, column, _("Give a number above zero."))
        return None
    return value


def _date(problems, sheet, row, data, column, required=True):
    text = data.get(column, "")
    if not text and not required:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        problems.add(sheet, row, column, _("Give a date as YYYY-MM-DD."))
        return None


# Resource figures -------------------------------------------------------------------------


def figures_import(*, actor: Any, content: bytes) -> dict:
    """Import or replace regions' figures and specialty targets (sheets `figures`, `targets`)."""
    require(actor, Action.LAYOUT_EDIT)
    sheets = read_sheets(content, {"figures": FIGURE_COLUMNS, "targets": TARGET_COLUMNS})
    regions = {region.code: region for region in Region.objects.all()}
    specialties = {specialty.code: specialty for specialty in Specialty.objects.all()}
    problems = Problems()
    figures, targets = [], []
    for row, data in enumerate(sheets["figures"], start=2):
        region = regions.get(data.get("region_code", ""))
        if region is None:
            problems.add("figures", row, "region_code", _("No region has this code."))
        values = {
            "year": _number(problems, "figures", row, data, "year", positive=True),
            "population": _number(problems, "figures", row, data, "population", positive=True),
            "beds": _number(problems, "figures", row, data, "beds"),
            "licensed_doctors": _number(problems, "figures", row, data, "licensed_doctors"),
            "beds_target": _number(problems, "figures", row, data, "beds_target", Decimal, True),
            "doctors_target": _number(
                problems, "figures", row, data, "doctors_target", Decimal, True
            ),
        }
        figures.append((region, values))
    for row, data in enumerate(sheets["targets"], start=2):
        region = regions.get(data.get("region_code", ""))
        if region is None:
            problems.add("targets", row, "region_code", _("No region has this code."))
        specialty = specialties.get(data.get("specialty_code", ""))
        if specialty is None:
            problems.add("targets", row, "specialty_code", _("No specialty has this code."))
        year = _number(problems, "targets", row, data, "year", positive=True)
        target = _number(problems, "targets", row, data, "institutions_target", Decimal, True)
        targets.append((region, specialty, year, target))
    problems.raise_if_any()
    now = clock.now()
    with transaction.atomic():
        for region, values in figures:
            year = values.pop("year")
            ResourceFigures.objects.update_or_create(
                region=region, year=year, defaults={**values, "imported_at": now}
            )
        for region, specialty, year, target in targets:
            SpecialtyTarget.objects.update_or_create(
                region=region,
                year=year,
                specialty=specialty,
                defaults={"institutions_target": target},
            )
        summary = {"figures": len(figures), "targets": len(targets)}
        audit_record(
            actor=actor,
            action="layout.figures_import",
            object_type="guidance.resourcefigures",
            object_id=now.isoformat(),
            after=summary,
        )
    return summary


# Compliance guide -------------------------------------------------------------------------


def _article_refs(text: str) -> list[tuple[str, str]]:
    """`L01/第二十三条; L02/第五条` → [(law code, article number), …]."""
    refs = []
    for part in text.replace("；", ";").split(";"):
        part = part.strip()
        if part:
            law_code, _slash, number = part.partition("/")
            refs.append((law_code.strip(), number.strip()))
    return refs


def guide_import(*, actor: Any, content: bytes, title: str) -> GuideVersion:
    """A new edition of the compliance guide (sheets `laws`, `articles`, `violations`); it
    becomes the one shown, earlier editions stay."""
    require(actor, Action.COMPLIANCE_EDIT)
    title = (title or "").strip()
    if not title:
        raise invalid_field("title", _("Give the guide a title."))
    sheets = read_sheets(
        content,
        {"laws": LAW_COLUMNS, "articles": ARTICLE_COLUMNS, "violations": VIOLATION_COLUMNS},
    )
    problems = Problems()
    laws: dict[str, dict] = {}
    for row, data in enumerate(sheets["laws"], start=2):
        for column in ("code", "name", "issuer"):
            if not data.get(column):
                problems.add("laws", row, column, _("This column is required."))
        if data.get("field") not in Law.Field.values:
            problems.add("laws", row, "field", _("Give health, insurance or market."))
        effective = _date(problems, "laws", row, data, "effective_on")
        amended = _date(problems, "laws", row, data, "amended_on", required=False)
        if data.get("code") in laws:
            problems.add("laws", row, "code", _("This code appears twice."))
        laws[data.get("code", "")] = {**data, "effective_on": effective, "amended_on": amended}
    articles: set[tuple[str, str]] = set()
    for row, data in enumerate(sheets["articles"], start=2):
        if data.get("law_code") not in laws:
            problems.add("articles", row, "law_code", _("No law of this guide has this code."))
        if not data.get("number") or not data.get("text"):
            problems.add("articles", row, "text", _("Give the article's number and text."))
        articles.add((data.get("law_code", ""), data.get("number", "")))
    codes = set()
    for row, data in enumerate(sheets["violations"], start=2):
        for column in ("code", "title", "category", "legal_responsibility", "advice"):
            if not data.get(column):
                problems.add("violations", row, column, _("This column is required."))
        if data.get("code") in codes:
            problems.add("violations", row, "code", _("This code appears twice."))
        codes.add(data.get("code"))
        for ref in _article_refs(data.get("articles", "")):
            if ref not in articles:
                problems.add(
                    "violations",
                    row,
                    "articles",
                    _("%(ref)s is not an article of this guide.") % {"ref": "/".join(ref)},
                )
    problems.raise_if_any()
    return _store_guide(actor=actor, title=title, sheets=sheets, laws=laws)


def _store_guide(*, actor: Any, title: str, sheets: dict, laws: dict) -> GuideVersion:
    with transaction.atomic():
        number = (GuideVersion.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        version = GuideVersion.objects.create(
            number=number, title=title, imported_at=clock.now(), imported_by=actor
        )
        stored_laws = {
            code: Law.objects.create(
                version=version,
                code=code,
                name=data["name"],
                issuer=data["issuer"],
                field=data["field"],
                effective_on=data["effective_on"],
                amended_on=data["amended_on"],
            )
            for code, data in laws.items()
        }
        stored_articles = {}
        for data in sheets["articles"]:
            article = Article.objects.create(
                law=stored_laws[data["law_code"]], number=data["number"], text=data["text"]
            )
            stored_articles[(data["law_code"], data["number"])] = article
        for data in sheets["violations"]:
            refs = [stored_articles[ref] for ref in _article_refs(data.get("articles", ""))]
            item_codes = [
                code.strip()
                for code in data.get("item_codes", "").replace("；", ";").split(";")
                if code.strip()
            ]
            violation = Violation.objects.create(
                version=version,
                code=data["code"],
                title=data["title"],
                category=data["category"],
                description=data.get("description", ""),
                legal_responsibility=data["legal_responsibility"],
                advice=data["advice"],
                item_codes=item_codes,
                item_codes_key=f";{';'.join(item_codes)};" if item_codes else "",
                search_text=" ".join(
                    [data["title"], data["category"], data.get("description", "")]
                    + [data["legal_responsibility"], data["advice"]]
                    + [f"{article.law.name}{article.number}" for article in refs]
                ),
            )
            violation.articles.set(refs)
        audit_record(
            actor=actor,
            action="compliance.guide_import",
            obj=version,
            after={
                "title": title,
                "laws": len(stored_laws),
                "articles": len(stored_articles),
                "violations": len(sheets["violations"]),
            },
        )
    return version
