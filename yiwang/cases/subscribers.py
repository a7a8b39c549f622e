"""What the cases app does after an event commits: write the applicant's inbox message of a
step and send it on, and keep the queue's applicant priority current when a credit grade
changes."""

from django.db import transaction

from yiwang.audit.services import audit_record
from yiwang.cases import events as case_events
from yiwang.cases.engine.states import OPEN, Status
from yiwang.cases.models import Case, Notification, applicant_priority_of
from yiwang.cases.notifications import notify_of_step, send_all
from yiwang.credit.events import GRADE_CHANGED
from yiwang.events import subscriber
from yiwang.parties.models import Applicant

# The statuses the staff queue shows (the `case_open_queue` index); a closed case keeps the
# priority it was worked with.
QUEUED = sorted({*OPEN, Status.APPROVED})


@subscriber(*case_events.STEP_EVENTS)
def write_step_notice(event) -> None:
    """The step's inbox message, off the request that took the step (issue 19)."""
    with transaction.atomic():
        notify_of_step(event)


@subscriber(case_events.NOTICE)
def send_notices(event) -> None:
    ids = event.payload["notification_ids"]
    send_all(list(Notification.objects.filter(pk__in=ids).order_by("pk")))


@subscriber(GRADE_CHANGED.name)
def reprioritize_applicant_cases(event) -> None:
    """One UPDATE over the applicant's queued cases whose priority differs (重排队列优先级).

    The priority follows the applicant's grade as it is now, not the event's `new_grade`, so
    deliveries that arrive late or out of order still leave the current grade in force."""
    applicant_id = event.payload["applicant_id"]
    grade = Applicant.objects.filter(pk=applicant_id).values_list("credit_grade", flat=True).first()
    if grade is None:
        return
    priority = applicant_priority_of(grade)
    with transaction.atomic():
        moved = (
            Case.objects.filter(applicant_id=applicant_id, status__in=QUEUED)
            .exclude(applicant_priority=priority)
            .update(applicant_priority=priority)
        )
        if moved:
            audit_record(
                actor=None,
                action="case.reprioritized",
                object_type="parties.applicant",
                object_id=applicant_id,
                after={"grade": grade, "priority": priority, "cases": moved},
                note=f"credit.grade_changed {event.pk}",
            )
