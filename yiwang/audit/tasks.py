from django_tasks import task

from yiwang.audit.services import audit_anchor


@task()
def anchor_audit_streams() -> int:
    """Periodic: chain the stream heads that moved into the global chain."""
    anchor = audit_anchor()
    return anchor.seq if anchor else 0
