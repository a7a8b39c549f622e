"""Daily deadline work: deemed acceptance (Art. 32) and warning/overdue flags with alerts."""

import logging

from django_tasks import task

from yiwang import clock
from yiwang.cases import services
from yiwang.cases.engine.states import Status
from yiwang.cases.models import Case, StaffAlert
from yiwang.cases.procedures import case_lapse, cases_missing_supplement
from yiwang.cases.selectors import cases_needing_deadline_check

logger = logging.getLogger("yiwang.cases")


@task()
def apply_acceptance_deadline() -> int:
    """Received with no acceptance, refusal or notice in 5 working days: counts as accepted."""
    today = clock.today()
    count = 0
    for case_id in Case.objects.filter(status=Status.RECEIVED, due_on__lt=today).values_list(
        "pk", flat=True
    ):
        services.case_deem_accepted(case_id=case_id)
        count += 1
    return count


@task()
def refresh_deadline_levels() -> dict:
    """Recompute open cases' due dates and levels; alert once on each case at warning or overdue.

    A level may also rise inside an action (a deemed acceptance dated back to receipt is overdue
    at once), so the alert goes to every case at a level it was not yet alerted for.
    """
    changed = {"warning": 0, "overdue": 0}
    ids = cases_needing_deadline_check().values_list("pk", flat=True)
    for case_id in ids.iterator(chunk_size=2000):
        _old, new = services.case_refresh_deadlines(case_id=case_id)
        if new in changed and not StaffAlert.objects.filter(case_id=case_id, level=new).exists():
            changed[new] += 1
            services.case_alert_staff(case_id=case_id, level=new)
    return changed


@task()
def end_missed_supplements() -> int:
    """Tolerance cases whose promised materials did not arrive in time: end them (容缺后补)."""
    ids = cases_missing_supplement(clock.today())
    for case_id in ids:
        case_lapse(case_id=case_id)
    return len(ids)
