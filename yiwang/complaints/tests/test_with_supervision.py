"""A report (举报) opens a special inspection in the supervision app, whose outcome comes back
to the ticket: both apps joined only by events."""

import pytest

from yiwang.complaints import services
from yiwang.complaints.models import Ticket
from yiwang.complaints.tests.factories import dispatched, user
from yiwang.events.testing import deliver_pending
from yiwang.supervision.inspections import inspection_record_findings, inspection_start
from yiwang.supervision.models import Task
from yiwang.supervision.outcomes import inspection_conclude
from yiwang.supervision.tasking import task_assign

pytestmark = pytest.mark.django_db


def test_a_report_opens_an_inspection_whose_outcome_comes_back_to_the_ticket(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched(kind="report").ticket.pk
    services.ticket_decide_inspection(
        actor=user("approver"), ticket_id=pk, open_inspection=True, reason="专项检查"
    )
    deliver_pending()
    task = Task.objects.get(source_ticket_id=pk)
    assert task.kind == Task.Kind.COMPLAINT
    task_assign(actor=user("leader"), task_id=task.pk, usernames=["inspector1", "inspector2"])
    freeze("2026-06-03")
    inspection = inspection_start(actor=user("leader"), task_id=task.pk)
    inspection_record_findings(
        actor=user("inspector1"), inspection_id=inspection.pk, findings="池水余氯合格"
    )
    inspection_conclude(
        actor=user("inspector1"),
        inspection_id=inspection.pk,
        outcome="compliant",
        findings_summary="未发现举报所述问题",
    )
    deliver_pending()
    ticket = Ticket.objects.get(pk=pk)
    assert (ticket.inspection_id, ticket.inspection_outcome) == (inspection.pk, "compliant")
