"""The answer's lists read with the case in one statement (`yiwang.json_rows`) are the rows the
ORM reads, with their Python types and in the models' order (issue 19)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yiwang.cases import selectors, services
from yiwang.cases.models import Case, CaseMaterial, Suspension, TimelineEntry
from yiwang.permissions import scope_of

pytestmark = pytest.mark.django_db


def test_the_lists_of_a_case_come_in_one_statement_as_the_orm_reads_them(
    freeze, file_case, user_named
):
    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    freeze("2026-10-09")
    services.case_suspend(
        actor=user_named("reviewer"), case_id=case.pk, kind="expert_review", reason="专家评审"
    )
    with CaptureQueriesContext(connection) as log:
        lists = selectors.case_lists(case.pk)
        again = selectors.case_lists(case.pk)  # the statement compiled once, run again
    first, second = (query["sql"] for query in log.captured_queries)
    assert first == second
    assert [m.code for m in again.materials] == [m.code for m in lists.materials]

    assert [(m.code, m.file_id, m.missing) for m in lists.materials] == list(
        CaseMaterial.objects.filter(case=case).values_list("code", "file_id", "missing")
    )
    assert all(isinstance(m.missing, bool) for m in lists.materials)
    [suspension] = lists.suspensions
    stored = Suspension.objects.get(case=case)
    assert (suspension.kind, suspension.started_on, suspension.ended_on) == (
        stored.kind,
        datetime.date(2026, 10, 9),
        None,
    )
    assert [(t.at, t.action, t.actor_label) for t in lists.timeline] == list(
        TimelineEntry.objects.filter(case=case).values_list("at", "action", "actor_label")
    )
    assert lists.timeline[0].at.tzinfo is not None
    assert lists.corrections == [] and lists.visits == [] and lists.commitment_check is None


def test_the_read_answers_with_the_case_and_then_its_lists_in_two_statements(
    freeze, file_case, user_named
):
    freeze("2026-09-28")
    case = file_case()
    applicant = user_named("applicant")
    scope_of(applicant)  # a request resolves the caller's scope once, with the token
    with CaptureQueriesContext(connection) as log:
        found, lists = selectors.case_answer(user=applicant, case_id=case.pk)
    assert len(log.captured_queries) == 2
    assert found == Case.objects.get(pk=case.pk)
    assert [t.action for t in lists.timeline] == ["receive"]
