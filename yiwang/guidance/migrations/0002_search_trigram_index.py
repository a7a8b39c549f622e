"""On PostgreSQL, a trigram index serves the guide's search (`search_text ILIKE '%term%'`),
CJK terms included; SQLite has no such index and scans the (small) table."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS violation_search_trgm ON guidance_violation "
    "USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS violation_search_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_layout_and_compliance_guide")]

    operations = [migrations.RunPython(forwards, backwards)]
