"""The public catalogue endpoints of API.md: `GET /items` and `GET /items/{code}`.

With `?department=` (id or exact name) the answer shows that department's implementation
entry: its name, exercise level and its own (never looser) committed limit, visits and
channels.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from yiwang.catalog import selectors
from yiwang.catalog.forms import choices_of
from yiwang.catalog.models import ExerciseLevel, Implementation, ItemVersion
from yiwang.errors import NotFound
from yiwang.regions.models import Department

router = Router(tags=["items"], auth=None)

LEVEL_NAMES = {
    ExerciseLevel.NATIONAL: "national",
    ExerciseLevel.PROVINCE: "province",
    ExerciseLevel.CITY: "city",
    ExerciseLevel.COUNTY: "county",
    ExerciseLevel.TOWN: "town",
    ExerciseLevel.VILLAGE: "village",
}


class LegalBasisOut(Schema):
    reference: str
    law: str
    article: str
    text: str


class MaterialOut(Schema):
    code: str
    name: str
    name_en: str
    required: bool
    tolerable: bool
    core: bool
    form: str
    copies: int
    source_channel: str
    from_elicence: bool
    max_size_mb: int
    allowed_types: list[str]


class ChoiceOut(Schema):
    code: str
    label: str
    label_en: str = ""


class FormColumnOut(Schema):
    name: str
    type: str
    label: str
    label_en: str = ""
    required: bool = False
    help: str = ""
    help_en: str = ""
    choices: list[ChoiceOut] = []
    multiple: bool = False
    min: float | None = None
    max: float | None = None
    integer: bool = True
    pattern: str = ""
    max_length: int | None = None


class FormFieldOut(FormColumnOut):
    """One field of the application form (申请表): answer it under `form.<name>` when filing."""

    dictionary: str = ""
    columns: list[FormColumnOut] = []
    min_rows: int | None = None
    max_rows: int | None = None
    licence: str = ""
    prefill: str = ""


class FormOut(Schema):
    fields: list[FormFieldOut]


class ResultOut(Schema):
    licence_type: str
    licence_type_en: str
    licence_type_code: str
    validity_years: int | None


class ImplementationOut(Schema):
    implementation_code: str
    department_id: int
    department: str
    level: str
    committed_limit_days: int
    max_visits: int
    channels: list[str]
    online: bool
    hall_address: str
    office_hours: str
    phone: str


class ItemSummaryOut(Schema):
    code: str
    name: str
    name_en: str
    type: str
    department: str
    level: str
    statutory_limit_days: int
    committed_limit_days: int
    online: bool
    max_visits: int
    procedures: list[str]
    version: int


class ItemOut(ItemSummaryOut):
    legal_basis: list[LegalBasisOut]
    approval_mode: str
    channels: list[str]
    onsite_inspection: bool
    fee: str
    result: ResultOut
    materials: list[MaterialOut]
    case_kind: str
    green_limit_days: int | None
    commitment_check_days: int | None
    supplement_days: int | None
    sources: dict[str, str]
    implementations: list[ImplementationOut]
    form: FormOut


def _department(value: str) -> Department:
    department = (
        Department.objects.filter(pk=int(value)).first()
        if re.fullmatch(r"[0-9]{1,18}", value)
        else Department.objects.filter(name=value).first()
    )
    if department is None:
        raise NotFound(_("No department is %(value)s.") % {"value": value})
    return department


def _implementation(entry: Implementation) -> dict:
    return {
        "implementation_code": entry.implementation_code,
        "department_id": entry.department_id,
        "department": entry.department.name,
        "level": LEVEL_NAMES[entry.exercise_level],
        "committed_limit_days": entry.committed_limit_days,
        "max_visits": entry.max_visits,
        "channels": entry.channels,
        "online": entry.online,
        "hall_address": entry.hall_address,
        "office_hours": entry.office_hours,
        "phone": entry.phone,
    }


def summary(version: ItemVersion, local: Implementation | None = None) -> dict:
    levels = ",".join(LEVEL_NAMES[level] for level in version.exercise_levels)
    return {
        "code": version.item.code,
        "name": version.name,
        "name_en": version.name_en,
        "type": version.item_type,
        "department": local.department.name if local else version.implementing_body,
        "level": LEVEL_NAMES[local.exercise_level] if local else levels,
        "statutory_limit_days": version.statutory_limit_days,
        "committed_limit_days": local.committed_limit_days
        if local
        else version.committed_limit_days,
        "online": local.online if local else version.online,
        "max_visits": local.max_visits if local else version.max_visits,
        "procedures": version.procedures,
        "version": version.version,
    }


def detail(version: ItemVersion, local: Implementation | None = None) -> dict:
    implementations = selectors.implementations_of(version.item)
    return {
        **summary(version, local),
        "legal_basis": [
            {"reference": b.reference, "law": b.law, "article": b.article, "text": b.text}
            for b in version.legal_basis.all()
        ],
        "approval_mode": version.approval_mode,
        "channels": local.channels if local else version.channels,
        "onsite_inspection": version.onsite_inspection,
        "fee": version.fee,
        "result": {
            "licence_type": version.licence_type,
            "licence_type_en": version.licence_type_en,
            "licence_type_code": version.licence_type_code,
            "validity_years": version.licence_validity_years,
        },
        "materials": [
            {**{name: getattr(m, name) for name in MaterialOut.model_fields}, "core": m.core}
            for m in version.materials.all()
        ],
        "case_kind": version.case_kind,
        "green_limit_days": version.green_limit_days,
        "commitment_check_days": version.commitment_check_days,
        "supplement_days": version.supplement_days,
        "sources": version.sources,
        "implementations": [_implementation(entry) for entry in implementations],
        "form": {"fields": published_form(version.application_form or [])},
    }


def published_form(fields: list[dict]) -> list[dict]:
    """The form with every choice spelled out, so a client needs no second request."""
    dictionaries = selectors.dictionaries_for(fields)
    return [_published_field(field, dictionaries) for field in fields]


def _published_field(field: dict, dictionaries) -> dict:
    published = {**field, "choices": choices_of(field, dictionaries)}
    if field.get("columns"):
        published["columns"] = [
            _published_field(column, dictionaries) for column in field["columns"]
        ]
    return published


@router.get("", response=list[ItemSummaryOut])
def list_items(
    request,
    q: str = "",
    department: str = "",
    online: bool | None = None,
    procedure: str = "",
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    local_department = _department(department) if department else None
    versions = selectors.items_published(
        query=q,
        department=local_department.pk if local_department else None,
        online=online,
        procedure=procedure,
    )[offset : offset + limit]
    locals_by_item = {}
    if local_department is not None:
        locals_by_item = {
            entry.item_id: entry
            for entry in selectors.implementations_of_department(local_department)
        }
    return [summary(version, locals_by_item.get(version.item_id)) for version in versions]


@router.get("/{code}", response=ItemOut)
def get_item(request, code: str, department: str = ""):
    version = selectors.item_published(code)
    local = None
    if department:
        local = selectors.implementation_for(version, _department(department))
        if local is None:
            raise NotFound(
                _("%(department)s has no published entry for item %(code)s.")
                % {"department": department, "code": code}
            )
    return detail(version, local)
