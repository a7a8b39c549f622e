"""A partial index of the licences in force by holder, for the directory's coverage figure.

The leaders' dashboard counts, per credit grade, the entities of a region subtree that hold a
licence in force (`selectors.coverage_by_grade`): every holder of the subtree probes its own
licences. The holder index alone sends each probe to the table to read the status and the end of
validity; this one holds only the licences in force (`licences.models.IN_FORCE`, a test keeps
them equal) with their end of validity, so each probe is answered from the index.
"""

from django.db import migrations

IN_FORCE_STATES = ("provisional", "valid")
CONDITION = "status IN ({})".format(", ".join(f"'{state}'" for state in IN_FORCE_STATES))


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_penalty_four_list_entry"),
        ("licences", "0005_licence_type_in_english"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS supervision_licence_in_force_holder "
            f"ON licences_licence (holder_id, valid_until) WHERE {CONDITION}",
            "DROP INDEX IF EXISTS supervision_licence_in_force_holder",
        )
    ]
