"""The open-data export of published records (CSV and JSON, one schema) and the Atom feed."""

from __future__ import annotations

import csv
import io
import json

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from yiwang.disclosure.models import Publication
from yiwang.disclosure.selectors import public_records

FIELDS = [
    "id",
    "kind",
    "number",
    "subject_name",
    "subject_code",
    "item_code",
    "item_name",
    "decision",
    "licence_number",
    "legal_basis",
    "summary",
    "department",
    "decided_on",
    "publish_due",
    "published_at",
    "status",
    "withdrawal_reason",
]


def record_row(record: Publication) -> dict:
    return {
        "id": record.pk,
        "kind": record.kind,
        "number": record.number,
        "subject_name": record.subject_name,
        "subject_code": record.subject_code,
        "item_code": record.item_code,
        "item_name": record.item_name,
        "decision": record.decision,
        "licence_number": record.licence_number,
        "legal_basis": record.legal_basis,
        "summary": record.summary,
        "department": record.department.name if record.department else "",
        "decided_on": record.decided_on.isoformat(),
        "publish_due": record.publish_due.isoformat(),
        "published_at": record.published_at.isoformat() if record.published_at else "",
        "status": record.status,
        "withdrawal_reason": record.withdrawal_reason,
    }


def export_json(records) -> str:
    return json.dumps(
        {"fields": FIELDS, "records": [record_row(record) for record in records]},
        ensure_ascii=False,
        indent=1,
    )


def export_csv(records) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for record in records:
        writer.writerow(record_row(record))
    # A byte-order mark so that spreadsheet programs read the Chinese text as UTF-8.
    return "\ufeff" + buffer.getvalue()


class NewRecordsFeed(Feed):
    """The Atom feed of the newest published records."""

    feed_type = Atom1Feed
    title = _("Yiwang: published decisions and results")
    subtitle = _("Licensing decisions, penalties and inspection results as they are published.")

    def link(self):
        return reverse("disclosure:records")

    def items(self):
        return public_records().order_by("-published_at", "-pk")[:50]

    def item_title(self, item: Publication):
        return f"{item.get_kind_display()} · {item.subject_name} · {item.decided_on.isoformat()}"

    def item_description(self, item: Publication):
        parts = [item.item_name, item.decision_label, item.legal_basis, item.summary]
        if item.withdrawal_reason:
            parts.append(str(_("Withdrawn: %(reason)s") % {"reason": item.withdrawal_reason}))
        return " · ".join(part for part in parts if part)

    def item_link(self, item: Publication):
        return reverse("disclosure:record", args=[item.pk])

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.withdrawn_at or item.published_at
