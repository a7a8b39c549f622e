"""Background jobs of the catalogue: large workbook imports."""

from django.contrib.auth import get_user_model
from django_tasks import task

from yiwang.catalog.importing import catalog_import_workbook
from yiwang.catalog.models import ImportJob


@task()
def import_workbook(job_id: int) -> str:
    """Check and import one uploaded workbook; the page polls the job for its progress."""
    job = ImportJob.objects.get(pk=job_id)
    actor = get_user_model().objects.get(pk=job.created_by_id)
    return catalog_import_workbook(actor=actor, job=job).status
