"""Writes to regions, departments and staff."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.audit.services import audit_record, snapshot
from yiwang.errors import Conflict, invalid_field
from yiwang.permissions import Action, require
from yiwang.regions.models import PREFIX_LENGTH, Department, Region, Role, Staff, StaffRole


def _expected_level(code: str) -> int:
    """The level a 12-digit code stands for: the shortest prefix after which all is zero."""
    for level in (1, 2, 3, 4):
        if set(code[PREFIX_LENGTH[level] :]) <= {"0"}:
            return level
    return 5


def region_create(
    *, actor: Any, code: str, name: str, name_en: str = "", parent: Region | None = None
) -> Region:
    """Add a region under its parent; the code must extend the parent's prefix at the next level."""
    if len(code) != 12 or not code.isdigit():
        raise invalid_field("code", _("A division code has exactly 12 digits."))
    level = _expected_level(code)
    if parent is None and level != 1:
        raise invalid_field("parent", _("Only a province has no parent region."))
    if parent is not None and (
        level != parent.level + 1 or not parent.contains(Region(code=code, level=level))
    ):
        raise invalid_field(
            "code",
            _("Code %(code)s is not a direct subdivision of %(parent)s.")
            % {"code": code, "parent": parent.name},
        )
    if parent is not None:
        require(actor, Action.REGION_MANAGE, _RegionScope(parent))
    elif not getattr(actor, "is_superuser", False):
        require(actor, Action.REGION_MANAGE, None)
    if Region.objects.filter(code=code).exists():
        raise Conflict(
            _("Division code %(code)s already exists.") % {"code": code}, code="duplicate"
        )
    with transaction.atomic():
        region = Region.objects.create(
            code=code, name=name, name_en=name_en, level=level, parent=parent
        )
        audit_record(actor=actor, action="region.create", obj=region, after=snapshot(region))
    return region


class _RegionScope:
    """A region seen by the permission module."""

    scope_department_id = None
    scope_applicant_ids = frozenset()

    def __init__(self, region: Region):
        self.scope_region_code = region.code


def department_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    region: Region,
    name_en: str = "",
    uscc: str = "",
    runs_service_hall: bool = False,
    hall_address: str = "",
) -> Department:
    require(actor, Action.REGION_MANAGE, _RegionScope(region))
    if kind not in Department.Kind.values:
        raise invalid_field("kind", _("Unknown department kind."))
    if Department.objects.filter(region=region, name=name).exists():
        raise Conflict(_("This region already has a department of that name."), code="duplicate")
    with transaction.atomic():
        department = Department.objects.create(
            name=name,
            name_en=name_en,
            kind=kind,
            region=region,
            uscc=uscc,
            runs_service_hall=runs_service_hall,
            hall_address=hall_address,
        )
        audit_record(
            actor=actor, action="department.create", obj=department, after=snapshot(department)
        )
    return department


def staff_create(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str,
    department: Department,
    roles: list[str],
    region: Region | None = None,
    certificate_number: str = "",
) -> Staff:
    """A staff account; its region must lie inside its department's region."""
    region = region or department.region
    if not department.region.contains(region):
        raise invalid_field(
            "region", _("A staff member's region must lie within the department's region.")
        )
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise invalid_field(
            "roles", _("Unknown roles: %(roles)s") % {"roles": ", ".join(sorted(unknown))}
        )
    if Role.INSPECTOR in roles and not certificate_number:
        raise invalid_field(
            "certificate_number", _("An inspector needs an enforcement certificate number.")
        )
    require(actor, Action.STAFF_MANAGE, _RegionScope(region))
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise Conflict(_("The user name %(name)s is taken.") % {"name": username}, code="duplicate")
    with transaction.atomic():
        user = user_model.objects.create_user(username=username, password=password)
        staff = Staff.objects.create(
            user=user,
            department=department,
            region=region,
            display_name=display_name,
            certificate_number=certificate_number,
        )
        StaffRole.objects.bulk_create(
            StaffRole(staff=staff, role=role) for role in sorted(set(roles))
        )
        audit_record(
            actor=actor,
            action="staff.create",
            obj=staff,
            after={**snapshot(staff), "roles": sorted(set(roles))},
        )
    return staff
