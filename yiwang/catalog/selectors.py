"""Reads of the catalogue for pages, the API and other apps.

What the cases app uses:
- `item_published(code)` → the current published `ItemVersion` of the item (NotFound otherwise);
  a case stores that version and keeps it.
- `implementation_for(item_version_or_item, department)` → the department's published
  `Implementation` of the item, or None; its `committed_limit_days`, `max_visits`, `channels`
  and hall details are the local ones (never looser than the base).
- `implementations_of(item)` → the item's published implementations.
The published catalogue is public: no permission filter on these reads.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.forms import dictionary_codes
from yiwang.catalog.models import Dictionary, Implementation, ImportJob, Item, ItemVersion
from yiwang.errors import NotFound
from yiwang.permissions import Action, require
from yiwang.regions.models import Department

PUBLISHED = ItemVersion.Status.PUBLISHED


def _published() -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(status=PUBLISHED).select_related(
        "item", "item__owner_department"
    )


def item_published(code: str) -> ItemVersion:
    """The current published version of the item with this basic code, or NotFound."""
    version = (
        _published().prefetch_related("legal_basis", "materials").filter(item__code=code).first()
    )
    if version is None:
        raise NotFound(_("No published item has the code %(code)s.") % {"code": code})
    return version


def item_by_code(code: str) -> Item:
    item = Item.objects.select_related("owner_department__region").filter(code=code).first()
    if item is None:
        raise NotFound(_("No item has the code %(code)s.") % {"code": code})
    return item


def items_published(
    *,
    query: str = "",
    department: int | None = None,
    level: int | None = None,
    online: bool | None = None,
    zero_visits: bool | None = None,
    procedure: str = "",
) -> QuerySet[ItemVersion]:
    """Published versions matching Chinese or English keywords, item or implementation codes,
    and the filters of the item list."""
    versions = _published().prefetch_related("legal_basis", "materials")
    for word in query.split():
        versions = versions.filter(
            Q(name__icontains=word)
            | Q(name_en__icontains=word)
            | Q(item__code__startswith=word)
            | Q(item__implementations__implementation_code=word.upper())
        )
    if department:
        versions = versions.filter(
            Q(item__implementations__department_id=department)
            & Q(item__implementations__status=Implementation.Status.PUBLISHED)
        )
    if level:
        versions = versions.filter(item__implementations__exercise_level=level)
    if online is not None:
        versions = versions.filter(online=online)
    if zero_visits:
        versions = versions.filter(max_visits=0)
    if procedure:
        # The list of procedures is JSON; SQLite has no list containment, and the catalogue
        # is a few hundred rows, so the ids are picked in Python.
        ids = [pk for pk, names in versions.values_list("pk", "procedures") if procedure in names]
        versions = versions.filter(pk__in=ids)
    return versions.distinct().order_by("item__code")


def implementation_for(item_version_or_item: Any, department: Department) -> Implementation | None:
    """The department's published implementation entry of the item, or None."""
    item_id = getattr(item_version_or_item, "item_id", None) or item_version_or_item.pk
    return (
        Implementation.objects.select_related("department", "department__region", "base_version")
        .filter(item_id=item_id, department=department, status=Implementation.Status.PUBLISHED)
        .first()
    )


def implementations_of(item: Item, *, published_only: bool = True) -> QuerySet[Implementation]:
    implementations = Implementation.objects.select_related(
        "department", "department__region"
    ).filter(item=item)
    if published_only:
        implementations = implementations.filter(status=Implementation.Status.PUBLISHED)
    return implementations.order_by("department__region__code", "department__name")


def implementations_of_department(department: Department) -> QuerySet[Implementation]:
    return Implementation.objects.select_related("department").filter(
        department=department, status=Implementation.Status.PUBLISHED
    )


def version_history(item: Item) -> QuerySet[ItemVersion]:
    """Every version that was ever published, newest first, with its changes."""
    return item.versions.filter(status__in=[PUBLISHED, ItemVersion.Status.SUPERSEDED]).order_by(
        "-version"
    )


def implementing_departments() -> QuerySet[Department]:
    published = Implementation.objects.filter(status=Implementation.Status.PUBLISHED)
    return (
        Department.objects.filter(implementations__in=published)
        .select_related("region")
        .distinct()
        .order_by("region__code", "name")
    )


def imports_of(user: Any) -> QuerySet[ImportJob]:
    require(user, Action.CATALOG_EDIT)
    return ImportJob.objects.filter(created_by=user).defer("content").order_by("-created_at")


def access_import(*, user: Any, job_id: int) -> ImportJob:
    require(user, Action.CATALOG_EDIT)
    job = ImportJob.objects.defer("content").filter(pk=job_id).first()
    if job is None or (job.created_by_id != user.pk and not user.is_superuser):
        raise NotFound(_("No such import."))
    return job


def dictionaries_for(fields: list[dict]) -> dict[str, Dictionary]:
    """The dictionaries an application form's choice fields name, by code (one query)."""
    codes = sorted(dictionary_codes(fields))
    if not codes:
        return {}
    return {d.code: d for d in Dictionary.objects.filter(code__in=codes)}
