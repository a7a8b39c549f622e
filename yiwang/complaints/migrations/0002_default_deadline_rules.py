"""The default ticket time limits (editable afterwards in the admin); idempotent."""

from django.db import migrations

from yiwang.complaints.limits import DEFAULT_RULES, EXTENSION_DAYS, REOPEN_DAYS


def create_defaults(apps, schema_editor):
    DeadlineRule = apps.get_model("complaints", "DeadlineRule")
    for kind, urgency, reply_days, decision_days in DEFAULT_RULES:
        DeadlineRule.objects.get_or_create(
            kind=kind,
            urgency=urgency,
            defaults={
                "reply_days": reply_days,
                "decision_days": decision_days,
                "extension_days": EXTENSION_DAYS,
                "reopen_days": REOPEN_DAYS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_tickets")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
