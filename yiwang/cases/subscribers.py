"""What the cases app does after an event commits: tell the applicant through the senders."""

from yiwang.cases import events as case_events
from yiwang.cases.models import Notification
from yiwang.cases.notifications import send_all
from yiwang.events import subscriber


@subscriber(case_events.NOTICE)
def send_notices(event) -> None:
    ids = event.payload["notification_ids"]
    send_all(list(Notification.objects.filter(pk__in=ids).order_by("pk")))
