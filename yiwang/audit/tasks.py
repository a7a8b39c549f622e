from django_tasks import task

from yiwang.audit.heads import export_heads
from yiwang.audit.services import audit_anchor


@task()
def anchor_audit_streams() -> int:
    """Periodic (every minute): sign a head over the streams that moved, export the heads."""
    anchor = audit_anchor()
    export_heads()  # catches up when a previous export did not run after its commit
    return anchor.seq if anchor else 0
