"""Load the dictionaries the law lists (诊疗科目, 医疗机构类别, 公共场所种类 …) from the data file.

Idempotent: a dictionary is created or updated by its code; nothing else is touched.
"""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "dictionaries.json"


def load(apps, schema_editor):
    Dictionary = apps.get_model("catalog", "Dictionary")
    for data in json.loads(DATA_FILE.read_text(encoding="utf-8"))["dictionaries"]:
        Dictionary.objects.update_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "name_en": data.get("name_en", ""),
                "source": data.get("source", ""),
                "entries": data["entries"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_application_form_and_dictionaries")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
