"""A partial index on the open cases by time received, for the dashboard's warnings.

"The oldest open cases" orders a region subtree's open cases by the day received and takes ten.
With only the day's index the database walks every case from the oldest (years of closed ones)
until it meets ten open ones in the subtree (16 s at a million cases: the planner takes the
open cases to be spread evenly over the years). Open cases are about one percent of the table,
so an index over them alone, in the order received, is small: the same ordered walk meets only
open cases, and the count of overdue cases per department scans it too. Its condition lists the open states (`OPEN_STATUSES` of
`yiwang.indicators.selectors`); the migration is checked against them by a test.
"""

from django.db import migrations

OPEN_STATES = ("accepted", "approved", "correction_requested", "received", "reviewed", "suspended")
CONDITION = "status IN ({})".format(", ".join(f"'{state}'" for state in OPEN_STATES))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_region_day_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS indicators_case_open_received "
            f"ON cases_case (received_at, id) WHERE {CONDITION}",
            "DROP INDEX IF EXISTS indicators_case_open_received",
        )
    ]
