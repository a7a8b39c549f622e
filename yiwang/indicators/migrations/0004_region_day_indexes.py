"""Indexes on the cases table by (region, day of the counted event) for the drill-down.

A drill-down into a region subtree filters the cases on the subtree's region ids and one day
range (decided, closed or received). With the day alone the database reads every case of the
period in the province and drops the other regions'; with (region_id, day) it reads only the
subtree's. Created here, by the app that reads them, as 0002 does.
"""

from django.db import migrations

INDEXES = {
    # accepted_on too: a decided case counts only if accepted, and the count reads the index only.
    "indicators_case_region_decided": "(region_id, decided_on, accepted_on)",
    "indicators_case_region_closed": "(region_id, closed_on)",
    "indicators_case_region_received": "(region_id, received_at)",
}


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_monthly_rollups")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_case {columns}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
