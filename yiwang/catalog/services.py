"""Every write to the catalogue: one function per use case, one transaction, one audit record.

Items: `item_create_draft` → `item_submit_for_review` → `item_publish` (supersedes the
previous version, records the diff and realigns the implementations' standardized elements);
`item_version_revise` starts the next draft from the published one; `item_version_update`
edits a draft. Implementations: `implementation_create` / `implementation_update` /
`implementation_publish` refuse anything that differs from the base or loosens it.
The workbook import lives in `yiwang.catalog.importing`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.catalog.elements import (
    build_children,
    diff,
    element_values,
    standard_view,
    version_data,
)
from yiwang.catalog.models import Dictionary, Implementation, Item, ItemVersion
from yiwang.catalog.rules import item_problems
from yiwang.catalog.standardization import implementation_differences, local_problems
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.permissions import Action, require
from yiwang.regions.models import Department

Status = ItemVersion.Status
LOCAL_FIELDS = (
    "committed_limit_days",
    "max_visits",
    "channels",
    "online",
    "hall_address",
    "office_hours",
    "phone",
    "fee_account",
)


def refuse_problems(problems: list[tuple[str, Any]]) -> None:
    if problems:
        fields = {}
        for field, message in problems:
            fields.setdefault(field, message)
        first_field, first_message = problems[0]
        raise InvalidInput(
            _("%(field)s: %(message)s") % {"field": first_field, "message": first_message},
            fields=fields,
        )


def _save_version(item: Item, number: int, data: dict, **extra: Any) -> ItemVersion:
    version = ItemVersion.objects.create(item=item, version=number, **element_values(data), **extra)
    bases, materials = build_children(version, data)
    version.legal_basis.model.objects.bulk_create(bases)
    version.materials.model.objects.bulk_create(materials)
    return version


def item_create_draft(*, actor: Any, owner_department: Department, data: dict) -> ItemVersion:
    """A new base item with its first version as a draft."""
    refuse_problems(item_problems(data))
    item = Item(code=data["code"], owner_department=owner_department)
    require(actor, Action.CATALOG_EDIT, item)
    if Item.objects.filter(code=data["code"]).exists():
        raise Conflict(
            _("An item with the basic code %(code)s already exists.") % {"code": data["code"]},
            code="duplicate",
            fields={"code": _("already in the catalogue")},
        )
    with transaction.atomic():
        item.save()
        version = _save_version(item, 1, data)
        audit_record(
            actor=actor, action="item.create", obj=item, after=version_data(version), note="v1"
        )
    return version


def _open_version(item: Item) -> ItemVersion | None:
    return item.versions.filter(status__in=[Status.DRAFT, Status.IN_REVIEW]).first()


def item_version_revise(*, actor: Any, item: Item, changes: dict) -> ItemVersion:
    """The next draft: the published version's elements with `changes` applied."""
    require(actor, Action.CATALOG_EDIT, item)
    if _open_version(item) is not None:
        raise Conflict(
            _("Item %(code)s already has a version being drafted or reviewed.")
            % {"code": item.code},
            code="open_version",
        )
    current = item.versions.filter(status=Status.PUBLISHED).first()
    if current is None:
        raise Conflict(_("Only a published item can be revised."), code="not_published")
    data = {**version_data(current), **changes, "code": item.code}
    refuse_problems(item_problems(data))
    with transaction.atomic():
        version = _save_version(item, _next_number(item), data)
        audit_record(
            actor=actor,
            action="item.revise",
            obj=item,
            after={"version": version.version, "changes": diff(version_data(current), data)},
        )
    return version


def _next_number(item: Item) -> int:
    last = item.versions.order_by("-version").values_list("version", flat=True).first()
    return (last or 0) + 1


def item_version_update(*, actor: Any, version: ItemVersion, data: dict) -> ItemVersion:
    """Replace a draft's elements (legal basis and materials included)."""
    require(actor, Action.CATALOG_EDIT, version)
    if version.status != Status.DRAFT:
        raise Conflict(_("Only a draft can be edited."), code="not_draft")
    data = {**data, "code": version.item.code}
    refuse_problems(item_problems(data))
    with transaction.atomic():
        before = version_data(version)
        for name, value in element_values(data).items():
            setattr(version, name, value)
        version.save()
        version.legal_basis.all().delete()
        version.materials.all().delete()
        bases, materials = build_children(version, data)
        version.legal_basis.model.objects.bulk_create(bases)
        version.materials.model.objects.bulk_create(materials)
        audit_record(
            actor=actor,
            action="item.update_draft",
            obj=version.item,
            after={"version": version.version, "changes": diff(before, version_data(version))},
        )
    return version


def item_submit_for_review(*, actor: Any, version: ItemVersion) -> ItemVersion:
    require(actor, Action.CATALOG_EDIT, version)
    return _move(actor, version, Status.DRAFT, Status.IN_REVIEW, "item.submit")


def item_return_to_draft(*, actor: Any, version: ItemVersion, note: str) -> ItemVersion:
    """The reviewer sends a version back with the reason."""
    require(actor, Action.CATALOG_REVIEW, version)
    if not note.strip():
        raise invalid_field("note", _("Give the reason for sending it back."), code="required")
    return _move(actor, version, Status.IN_REVIEW, Status.DRAFT, "item.return", note=note)


def _move(actor, version, source, target, action, note="") -> ItemVersion:
    with transaction.atomic():
        locked = ItemVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != source:
            raise Conflict(
                _("Version %(number)s is %(status)s, not %(expected)s.")
                % {
                    "number": locked.version,
                    "status": locked.get_status_display(),
                    "expected": Status(source).label,
                },
                code="wrong_status",
            )
        locked.status = target
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=action,
            obj=locked.item,
            before={"version": locked.version, "status": source},
            after={"version": locked.version, "status": target},
            note=note,
        )
    return locked


def item_publish(*, actor: Any, version: ItemVersion) -> ItemVersion:
    """Publish a reviewed version: the previous one is superseded, the diff kept, and every
    implementation takes the new standardized elements (its local ones are left to check)."""
    require(actor, Action.CATALOG_PUBLISH, version)
    with transaction.atomic():
        locked = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
        if locked.status != Status.IN_REVIEW:
            raise Conflict(_("Only a version in review can be published."), code="wrong_status")
        previous = locked.item.versions.filter(status=Status.PUBLISHED).first()
        data = version_data(locked)
        if previous is not None:
            locked.changes = diff(version_data(previous), data)
            previous.status = Status.SUPERSEDED
            previous.save(update_fields=["status"])
        locked.status = Status.PUBLISHED
        locked.published_at = clock.now()
        locked.save(update_fields=["status", "published_at", "changes"])
        standard = standard_view(data)
        realigned = Implementation.objects.filter(item=locked.item).update(
            base_version=locked, **standard
        )
        audit_record(
            actor=actor,
            action="item.publish",
            obj=locked.item,
            before={"version": previous.version} if previous else None,
            after={"version": locked.version, "changes": locked.changes},
            note=f"{realigned} implementation(s) realigned",
        )
    return locked


def implementation_code(department: Department, level: int, item: Item, uscc: str = "") -> str:
    """实施编码: the implementing body's USCC, the exercise level digit, the basic code."""
    uscc = uscc or department.uscc
    if len(uscc) != 18:
        raise invalid_field(
            "uscc",
            _("%(department)s has no unified social credit code: give one.")
            % {"department": department.name},
        )
    return f"{uscc}{level}{item.code}"


def implementation_create(
    *, actor: Any, item: Item, department: Department, uscc: str = "", **local: Any
) -> Implementation:
    """A draft implementation entry with the base's standardized elements and tighter local ones."""
    base = item.versions.filter(status=Status.PUBLISHED).first()
    if base is None:
        raise Conflict(_("Only a published item can be implemented."), code="not_published")
    data = version_data(base)
    values = {name: data[name] for name in LOCAL_FIELDS[:4]}
    values.update({name: value for name, value in local.items() if value is not None})
    _refuse_unknown(local)
    level = department.region.level + 1
    implementation = Implementation(
        item=item,
        department=department,
        base_version=base,
        exercise_level=level,
        implementation_code=implementation_code(department, level, item, uscc),
        **standard_view(data),
        **values,
    )
    require(actor, Action.CATALOG_EDIT, implementation)
    _refuse_loosening(data, values)
    if Implementation.objects.filter(item=item, department=department).exists():
        raise Conflict(
            _("%(department)s already has an implementation entry for %(code)s.")
            % {"department": department.name, "code": item.code},
            code="duplicate",
        )
    with transaction.atomic():
        implementation.save()
        audit_record(
            actor=actor,
            action="implementation.create",
            obj=implementation,
            after=snapshot(implementation),
        )
    return implementation


def _refuse_unknown(local: dict) -> None:
    unknown = set(local) - set(LOCAL_FIELDS)
    if unknown:
        raise invalid_field(
            sorted(unknown)[0],
            _("An implementation may only set its own elements: %(names)s.")
            % {"names": ", ".join(LOCAL_FIELDS)},
        )


def _refuse_loosening(base: dict, local: dict) -> None:
    problems = local_problems(base, local)
    if problems:
        raise InvalidInput(
            _("An implementation may only tighten the base item: %(fields)s.")
            % {"fields": ", ".join(problem.label for problem in problems)},
            code="loosens",
            fields={
                p.field: _("base %(base)s, here %(here)s")
                % {"base": p.base, "here": p.implementation}
                for p in problems
            },
        )


def implementation_update(
    *, actor: Any, implementation: Implementation, **local: Any
) -> Implementation:
    """Change the local elements; the entry goes back to draft until published again."""
    _refuse_unknown(local)
    require(actor, Action.CATALOG_EDIT, implementation)
    base = version_data(implementation.base_version)
    with transaction.atomic():
        locked = Implementation.objects.select_for_update().get(pk=implementation.pk)
        before = snapshot(locked)
        for name, value in local.items():
            setattr(locked, name, value)
        _refuse_loosening(base, {name: getattr(locked, name) for name in LOCAL_FIELDS[:4]})
        locked.status = Implementation.Status.DRAFT
        locked.save()
        audit_record(
            actor=actor,
            action="implementation.update",
            obj=locked,
            before=before,
            after=snapshot(locked),
        )
    return locked


def implementation_publish(*, actor: Any, implementation: Implementation) -> Implementation:
    """Publish an entry; refused while it differs from the base item in any way."""
    require(actor, Action.CATALOG_PUBLISH, implementation)
    base = implementation.item.versions.filter(status=Status.PUBLISHED).first()
    differences = implementation_differences(implementation, base)
    if differences:
        raise Conflict(
            _("This entry differs from the base item and cannot be published: %(fields)s.")
            % {"fields": ", ".join(difference.label for difference in differences)},
            code="differs_from_base",
            fields={d.field: d.explanation for d in differences},
        )
    with transaction.atomic():
        locked = Implementation.objects.select_for_update().get(pk=implementation.pk)
        locked.status = Implementation.Status.PUBLISHED
        locked.published_at = clock.now()
        locked.save(update_fields=["status", "published_at"])
        audit_record(
            actor=actor,
            action="implementation.publish",
            obj=locked,
            after={"status": locked.status, "base_version": base.version},
        )
    return locked


def dictionaries_load(*, actor: Any, dictionaries: list[dict]) -> list[Dictionary]:
    """Create or update dictionaries (数据字典) by code, e.g. from `data/dictionaries.json`."""
    require(actor, Action.CATALOG_EDIT, None)
    saved = []
    with transaction.atomic():
        for data in dictionaries:
            values = {key: data.get(key, "") for key in ("name", "name_en", "source")}
            dictionary, created = Dictionary.objects.update_or_create(
                code=data["code"], defaults={**values, "entries": data["entries"]}
            )
            audit_record(
                actor=actor,
                action="dictionary.create" if created else "dictionary.update",
                obj=dictionary,
                after=snapshot(dictionary),
            )
            saved.append(dictionary)
    return saved
