"""The standardization check (一把尺): every implementation against its base item.

An implementation must keep the base's name, type, statutory limit, legal basis and
materials, and may only tighten the rest: a committed limit no longer, no more visits, no
channel fewer, fully online if the base is. `implementation_differences` is the one place
that says so; the report page, `manage.py check_catalog` and `implementation_publish` use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.elements import STANDARDIZED, standard_view, version_data
from yiwang.catalog.models import Implementation, ItemVersion

FIELD_LABELS = {
    "name": _("name"),
    "item_type": _("type"),
    "statutory_limit_days": _("statutory time limit"),
    "legal_basis": _("legal basis"),
    "materials": _("materials"),
    "committed_limit_days": _("committed time limit"),
    "max_visits": _("most visits needed"),
    "channels": _("channels"),
    "online": _("fully online"),
    "published": _("published base version"),
}


@dataclass(frozen=True)
class Difference:
    field: str
    base: Any
    implementation: Any
    rule: str  # "differs": must be equal; "loosens": may only tighten

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))

    @property
    def explanation(self) -> str:
        if self.rule == "missing":
            return str(_("The base item has no published version."))
        if self.rule == "differs":
            return str(_("Must be the same as the base item at every level."))
        return str(_("May only be tightened, never loosened."))


def local_problems(base: dict, local: dict) -> list[Difference]:
    """Local elements that loosen the base (a longer limit, more visits, fewer channels)."""
    found = []
    committed = local.get("committed_limit_days")
    if committed is not None and committed > base["committed_limit_days"]:
        found.append(
            Difference("committed_limit_days", base["committed_limit_days"], committed, "loosens")
        )
    visits = local.get("max_visits")
    if visits is not None and visits > base["max_visits"]:
        found.append(Difference("max_visits", base["max_visits"], visits, "loosens"))
    channels = local.get("channels")
    if channels is not None and not set(base["channels"]) <= set(channels):
        found.append(Difference("channels", base["channels"], channels, "loosens"))
    online = local.get("online")
    if online is not None and base["online"] and not online:
        found.append(Difference("online", base["online"], online, "loosens"))
    return found


def implementation_differences(
    implementation: Implementation, base: ItemVersion | None
) -> list[Difference]:
    """Every way the implementation differs from the base's published version."""
    if base is None:
        return [Difference("published", None, implementation.base_version.version, "missing")]
    data = version_data(base)
    standard = standard_view(data)
    found = []
    for field in STANDARDIZED:
        value = getattr(implementation, field)
        if value != standard[field]:
            found.append(Difference(field, standard[field], value, "differs"))
    local = {
        "committed_limit_days": implementation.committed_limit_days,
        "max_visits": implementation.max_visits,
        "channels": implementation.channels,
        "online": implementation.online,
    }
    return found + local_problems(data, local)


def standardization_report(
    queryset=None,
) -> list[tuple[Implementation, list[Difference]]]:
    """Implementations that differ from their base, with the differences; a few queries."""
    published = (
        ItemVersion.objects.filter(status=ItemVersion.Status.PUBLISHED)
        .prefetch_related("legal_basis", "materials")
        .select_related("item")
    )
    queryset = queryset if queryset is not None else Implementation.objects.all()
    implementations = queryset.select_related(
        "item", "department", "department__region", "base_version"
    ).prefetch_related(Prefetch("item__versions", queryset=published, to_attr="published"))
    report = []
    for implementation in implementations:
        versions = implementation.item.published
        differences = implementation_differences(implementation, versions[0] if versions else None)
        if differences:
            report.append((implementation, differences))
    return report
