"""The default ticket time limits (editable afterwards in the admin); idempotent."""

from django.db import migrations

# kind, urgency, reply days, inspection decision days (reports)
DEFAULTS = [
    ("complaint", "normal", 5, None),
    ("complaint", "urgent", 1, None),
    ("report", "normal", 5, 15),
    ("report", "urgent", 1, 15),
    ("consultation", "normal", 5, None),
    ("consultation", "urgent", 1, None),
    ("suggestion", "normal", 5, None),
    ("suggestion", "urgent", 1, None),
]


def create_defaults(apps, schema_editor):
    DeadlineRule = apps.get_model("complaints", "DeadlineRule")
    for kind, urgency, reply_days, decision_days in DEFAULTS:
        DeadlineRule.objects.get_or_create(
            kind=kind,
            urgency=urgency,
            defaults={
                "reply_days": reply_days,
                "decision_days": decision_days,
                "extension_days": 5,
                "reopen_days": 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_tickets")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
