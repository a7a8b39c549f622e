"""Concurrent actions on one ticket on PostgreSQL: the row lock decides, the loser gets 409."""

import threading

import pytest
from django.db import close_old_connections, connection

from yiwang.complaints import services
from yiwang.complaints.models import Assignment, Ticket, TimelineEntry
from yiwang.complaints.tests.factories import MARKET, department, ticket, user
from yiwang.errors import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(functions):
    """Start every function at once on its own connection; return (results, errors)."""
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def worker(function):
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # collected for the assertions, never hidden
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def test_two_dispatches_at_once_one_wins_the_other_gets_409(freeze):
    from yiwang import demo

    demo.load(sample_cases=False)
    freeze("2026-06-01")
    pk = ticket().ticket.pk
    operator, clerk = user("operator"), user("clerk")
    results, errors = run_together(
        [
            lambda: services.ticket_dispatch(
                actor=operator, ticket_id=pk, department_id=department().pk
            ),
            lambda: services.ticket_dispatch(
                actor=clerk, ticket_id=pk, department_id=department(MARKET).pk
            ),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], Conflict)
    won = Ticket.objects.get(pk=pk)
    assert won.lead_department_id == results[0].lead_department_id
    assert Assignment.objects.filter(ticket_id=pk).count() == 1
    assert TimelineEntry.objects.filter(ticket_id=pk, action="dispatch").count() == 1


def test_the_same_hotline_ticket_posted_twice_at_once_makes_one_ticket(freeze):
    from yiwang import demo

    demo.load(sample_cases=False)
    freeze("2026-06-01")
    results, errors = run_together([lambda: ticket(external_number="DL-RACE-1") for _ in range(3)])
    assert errors == []
    assert len({received.ticket.pk for received in results}) == 1
    assert sum(received.created for received in results) == 1
    assert Ticket.objects.count() == 1
