"""Load the shipped inspection checklists (idempotent: an existing type and version stays)."""

from django.db import migrations

from yiwang.supervision.checklists import checklists_load


def load(apps, schema_editor):
    checklists_load(apps.get_model("supervision", "Checklist"))


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_supervision")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
