"""Guidance in the API: resource-layout classes (public), thresholds and figures import
(leaders), the compliance guide (public) and its import."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.urls import reverse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from yiwang.guidance import compliance, importing, layout, linking, selectors
from yiwang.guidance.models import Violation
from yiwang.replica import operation_reads_from_replica

router = Router(tags=["guidance"])


class FigureOut(Schema):
    measure: str
    value: Decimal | None
    target: Decimal | None
    percent: Decimal | None
    resource_class: str | None


class LayoutRowOut(Schema):
    region_code: str
    region: str
    year: int
    specialty_code: str
    specialty: str
    institutions: int
    resource_class: str | None
    figures: list[FigureOut]


class BandIn(Schema):
    resource_class: str
    min_percent: Decimal
    max_percent: Decimal | None = None


class ThresholdsIn(Schema):
    bands: list[BandIn]


class BandOut(Schema):
    resource_class: str
    min_percent: Decimal
    max_percent: Decimal | None


class ImportOut(Schema):
    figures: int
    targets: int


class ArticleOut(Schema):
    law: str
    number: str
    text: str


class ViolationOut(Schema):
    code: str
    title: str
    category: str
    description: str
    legal_responsibility: str
    advice: str
    articles: list[ArticleOut]
    item_codes: list[str]


class LawOut(Schema):
    code: str
    name: str
    issuer: str
    field: str
    effective_on: str
    amended_on: str | None
    articles: list[ArticleOut]


class GuideOut(Schema):
    version: int
    title: str


def row_body(row: layout.LayoutRow) -> dict:
    return {
        "region_code": row.region.code,
        "region": row.region.name,
        "year": row.year,
        "specialty_code": row.specialty.code,
        "specialty": row.specialty.name,
        "institutions": row.institutions,
        "resource_class": row.resource_class,
        "figures": [
            {
                "measure": figure.measure,
                "value": figure.rounded,
                "target": figure.target,
                "percent": figure.percent,
                "resource_class": figure.resource_class,
            }
            for figure in row.figures
        ],
    }


def violation_body(violation: Violation) -> dict:
    return {
        "code": violation.code,
        "title": violation.title,
        "category": violation.category,
        "description": violation.description,
        "legal_responsibility": violation.legal_responsibility,
        "advice": violation.advice,
        "articles": [
            {"law": article.law.name, "number": article.number, "text": article.text}
            for article in violation.articles.all()
        ],
        "item_codes": violation.item_codes,
    }


@router.get("/layout", auth=None, response=list[LayoutRowOut])
@operation_reads_from_replica
def layout_table(request, year: int | None = None):
    """Public: every region with figures, per specialty, with its class and the figures."""
    return [row_body(row) for row in layout.layout_table(year)]


@router.get("/layout/regions/{code}", auth=None, response=list[LayoutRowOut])
@operation_reads_from_replica
def region_layout(request, code: str, specialty: str | None = None):
    """Public: the class a would-be institution of this region sees (nearest region with
    figures), for one specialty or all."""
    region = selectors.region_by_code(code)
    chosen = selectors.specialty_by_code(specialty) if specialty else None
    return [row_body(row) for row in layout.region_layout(region, specialty=chosen)]


@router.put("/layout/thresholds/{measure}", response=list[BandOut])
def thresholds_set(request, measure: str, payload: ThresholdsIn):
    """Replace one measure's bands; overlapping bands are refused (400, nothing changed)."""
    bands = layout.thresholds_set(
        actor=request.user, measure=measure, bands=[band.dict() for band in payload.bands]
    )
    return [
        {
            "resource_class": b.resource_class,
            "min_percent": b.min_percent,
            "max_percent": b.max_percent,
        }
        for b in bands
    ]


@router.post("/layout/figures", response=ImportOut)
def figures_import(request, file: File[UploadedFile]):
    """Import an Excel workbook with the sheets `figures` and `targets`."""
    return importing.figures_import(actor=request.user, content=file.read())


@router.get("/compliance/violations", auth=None, response=list[ViolationOut])
@operation_reads_from_replica
def violations(request, q: str = "", item_code: str = ""):
    """Public: the common violations of the current guide, searched in Chinese."""
    return [violation_body(v) for v in compliance.violations_search(query=q, item_code=item_code)]


@router.get("/compliance/violations/{code}", auth=None, response=ViolationOut)
@operation_reads_from_replica
def violation_detail(request, code: str):
    return violation_body(compliance.violation_get(code))


class LinkOut(Schema):
    code: str
    title: str
    matched_on: str
    url: str


@router.get("/compliance/links", auth=None, response=list[LinkOut])
@operation_reads_from_replica
def violation_links(request, subject_kind: Literal["inspection", "penalty"], subject_id: int):
    """Public: the guide's violations an inspection's findings or a penalty's basis name."""
    return [
        {
            "code": link.violation.code,
            "title": link.violation.title,
            "matched_on": link.matched_on,
            "url": reverse("guidance:violation", args=[link.violation.code]),
        }
        for link in linking.links_of(subject_kind=subject_kind, subject_id=subject_id)
    ]


@router.get("/compliance/laws", auth=None, response=list[LawOut])
@operation_reads_from_replica
def laws(request):
    return [
        {
            "code": law.code,
            "name": law.name,
            "issuer": law.issuer,
            "field": law.field,
            "effective_on": law.effective_on.isoformat(),
            "amended_on": law.amended_on.isoformat() if law.amended_on else None,
            "articles": [
                {"law": law.name, "number": article.number, "text": article.text}
                for article in law.articles.all()
            ],
        }
        for law in compliance.laws_current()
    ]


@router.post("/compliance/import", response={201: GuideOut})
def guide_import(request, title: Form[str], file: File[UploadedFile]):
    """A new edition from an Excel workbook with the sheets `laws`, `articles`, `violations`."""
    version = importing.guide_import(actor=request.user, content=file.read(), title=title)
    return Status(201, {"version": version.number, "title": version.title})
