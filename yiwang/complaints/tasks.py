"""Daily ticket deadline work: warning and overdue levels, with alerts to the handlers."""

from django_tasks import task

from yiwang.complaints import services
from yiwang.complaints.models import Ticket
from yiwang.complaints.selectors import OPEN


@task()
def refresh_ticket_levels() -> dict:
    """Recompute open tickets' due dates and levels; alert on tickets entering warning or
    overdue (like the case clocks)."""
    changed = {"warning": 0, "overdue": 0}
    ids = Ticket.objects.filter(status__in=OPEN).values_list("pk", flat=True)
    for ticket_id in ids.iterator(chunk_size=2000):
        old, new = services.ticket_refresh_deadlines(ticket_id=ticket_id)
        if new != old and new in changed:
            changed[new] += 1
            services.ticket_alert_staff(ticket_id=ticket_id, level=new)
    return changed
