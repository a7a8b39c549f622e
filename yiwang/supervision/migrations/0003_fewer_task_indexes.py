"""Drop the task indexes that a draw pays for per row and that nothing reads.

Django's own AlterField(db_index=False) would drop every single-column index on `case_id`,
the partial unique index `task_one_post_check_per_case` included, so the indexes are named
and dropped here (the foreign keys themselves stay as they are).
"""

import django.db.models.deletion
from django.db import migrations, models

# (model, field, index made by 0001, its column): the queue index leads with the department,
# the partial unique index covers the case of a post-approval task, the partial index
# `task_follow_up` the source inspection, the unique (task, staff) constraint the task.
DROPPED = [
    ("supervision_task", "supervision_task_case_id_de35e220", "case_id"),
    ("supervision_task", "supervision_task_department_id_c1fe2419", "department_id"),
    ("supervision_task", "supervision_task_source_inspection_id_9cf3e290", "source_inspection_id"),
    ("supervision_taskinspector", "supervision_taskinspector_task_id_f3e67688", "task_id"),
]


def drop(table, index, column):
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{index}"',
        reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
    )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_load_checklists")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop(*row) for row in DROPPED],
            state_operations=[
                migrations.AlterField(
                    model_name="task",
                    name="case",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                migrations.AlterField(
                    model_name="task",
                    name="department",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.department",
                        verbose_name="department",
                    ),
                ),
                migrations.AlterField(
                    model_name="task",
                    name="source_inspection",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="follow_ups",
                        to="supervision.inspection",
                    ),
                ),
                migrations.AlterField(
                    model_name="taskinspector",
                    name="task",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments",
                        to="supervision.task",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("source_inspection__isnull", False)),
                fields=["source_inspection"],
                name="task_follow_up",
            ),
        ),
    ]
