"""Every periodic job, resolved and run exactly as the scheduler resolves it, on the demo data."""

import datetime

import pytest

from yiwang import demo as demo_data
from yiwang.cases.engine.states import Status
from yiwang.cases.models import Case, StaffAlert
from yiwang.schedule import PERIODIC, periodic_jobs


@pytest.fixture
def demo_with_cases(db, freeze):
    freeze("2026-09-28")
    demo_data.load(sample_cases=True)


def test_every_line_of_the_schedule_resolves_to_a_task():
    jobs = periodic_jobs()
    assert [path for path, _task, _cron in jobs] == [path for path, _cron in PERIODIC]
    for path, task, _cron in jobs:
        assert callable(task.enqueue), path


def test_every_periodic_job_runs_on_the_demo_data(demo_with_cases, freeze):
    open_cases = Case.objects.filter(status__in=[Status.RECEIVED, Status.ACCEPTED])
    assert open_cases.exists()
    # Two months on, every open case of the demo is past its time limit.
    freeze("2026-11-30")
    results = {path: task.call() for path, task, _cron in periodic_jobs()}
    levels = results["yiwang.cases.tasks.refresh_deadline_levels"]
    assert levels["overdue"] > 0
    alerted = set(StaffAlert.objects.filter(level="overdue").values_list("case_id", flat=True))
    assert len(alerted) == levels["overdue"]
    # The nightly job told the handlers and leaders of every case that is overdue now (a later
    # job may still end an alerted case, e.g. a tolerance case whose materials never came).
    assert set(Case.objects.filter(level="overdue").values_list("pk", flat=True)) <= alerted
    # Received cases with no acceptance decision in 5 working days count as accepted (Art. 32).
    assert results["yiwang.cases.tasks.apply_acceptance_deadline"] > 0
    assert not Case.objects.filter(
        status=Status.RECEIVED, due_on__lt=datetime.date(2026, 11, 30)
    ).exists()
    assert isinstance(results["yiwang.licences.tasks.send_reminders"], dict)
