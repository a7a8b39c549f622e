"""Indexes on the cases table for the indicators' live day (today is read from the cases).

The roll-ups hold every day up to yesterday; today's filings and closures are counted from the
cases by the day received and the day closed, which no index of the cases app covers (its
`case_decided` index already serves the decisions). Created here, by the app that reads them,
so the cases app's models stay as they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_positions_and_rollups"),
        ("cases", "0004_queue_and_indicator_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS indicators_case_received ON cases_case (received_at)",
            "DROP INDEX IF EXISTS indicators_case_received",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS indicators_case_closed ON cases_case (closed_on)",
            "DROP INDEX IF EXISTS indicators_case_closed",
        ),
    ]
