"""Concurrent actions on PostgreSQL: row locks decide, nothing half-changes, no number gaps."""

import threading

import pytest
from django.db import close_old_connections, connection

from yiwang.audit.models import AuditRecord
from yiwang.cases import services, submission
from yiwang.cases.engine import perform as perform_module
from yiwang.cases.models import Case, TimelineEntry
from yiwang.catalog.demo import example_answers
from yiwang.errors import Conflict, PermissionRefused
from yiwang.licences.models import Licence

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


def test_two_approvers_at_once_one_wins_the_other_gets_409(file_case, user_named, freeze):
    from yiwang.regions.models import Department
    from yiwang.regions.services import staff_create

    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    second = staff_create(
        actor=user_named("admin"),
        username="approver2",
        password="demo-pass-2026",
        display_name="第二审批人",
        department=Department.objects.get(name="大连市卫生健康委员会"),
        roles=["approver"],
    ).user
    first = user_named("approver")
    results, errors = run_together(
        [
            lambda: services.case_approve(actor=first, case_id=case.pk, note="同意"),
            lambda: services.case_deny(actor=second, case_id=case.pk, reason="不同意"),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], Conflict)
    final = Case.objects.get(pk=case.pk)
    assert final.status in ("approved", "denied")
    decisions = TimelineEntry.objects.filter(case=final, action__in=["approve", "deny"])
    assert decisions.count() == 1
    assert decisions.get().action == {"approved": "approve", "denied": "deny"}[final.status]


def test_concurrent_filings_get_consecutive_numbers(file_case, freeze):
    freeze("2026-09-28")
    results, errors = run_together([file_case for _ in range(6)])
    assert not errors
    numbers = sorted(case.number[-5:] for case in results)
    assert numbers == [f"{n:05d}" for n in range(1, 7)]


def test_concurrent_retries_with_one_key_make_one_case(demo, clinic, user_named, freeze):
    freeze("2026-09-28")
    actor = user_named("applicant")

    def submit():
        return services.case_submit(
            actor=actor,
            item_code="010010020000",
            channel="online",
            form={
                "contact_name": "王明",
                "contact_phone": "138",
                **example_answers("010010020000"),
            },
            materials=[],
            applicant_id=clinic.pk,
            idempotency_key="double-click",
        )[0].pk

    results, errors = run_together([submit for _ in range(4)])
    assert not errors
    assert len(set(results)) == 1
    assert Case.objects.count() == 1


def test_filings_of_one_department_do_not_wait_for_a_filing_in_progress(
    file_case, freeze, monkeypatch
):
    """The case number is taken in a short step of its own: 16 filings of the same department
    and day complete while a 17th holds its filing transaction open (with the number row
    locked for the whole filing, they would all wait for it)."""
    freeze("2026-09-28")
    holding, release = threading.Event(), threading.Event()
    real_record_step = submission.record_step

    def record_then_hold(*args, **kwargs):
        if threading.current_thread().name == "held-filing":
            holding.set()
            release.wait(60)
        return real_record_step(*args, **kwargs)

    monkeypatch.setattr(submission, "record_step", record_then_hold)
    held = {}

    def held_filing():
        try:
            held["case"] = file_case()
        finally:
            connection.close()

    thread = threading.Thread(target=held_filing, name="held-filing")
    thread.start()
    try:
        assert holding.wait(30), "the held filing never reached its timeline entry"
        results, errors = run_together([file_case for _ in range(16)])
    finally:
        release.set()
        thread.join(30)
    assert not errors
    assert len(results) == 16
    numbers = {case.number for case in results} | {held["case"].number}
    assert len(numbers) == 17
    assert len({number.rsplit("-", 1)[0] for number in numbers}) == 1  # one department-day


def test_a_failed_filing_leaves_an_audited_gap(file_case, freeze, monkeypatch):
    freeze("2026-09-28")
    first = file_case()
    real_record_step = submission.record_step

    def storage_down(*args, **kwargs):
        raise RuntimeError("the timeline is down")

    monkeypatch.setattr(submission, "record_step", storage_down)
    with pytest.raises(RuntimeError):
        file_case()
    monkeypatch.setattr(submission, "record_step", real_record_step)
    third = file_case()
    assert first.number.endswith("-00001")
    assert third.number.endswith("-00003")
    void = AuditRecord.objects.get(action="case.number_void")
    assert void.object_id == first.number[:-5] + "00002"
    assert void.after == {"number": void.object_id, "reason": "RuntimeError"}
    assert not Case.objects.filter(number=void.object_id).exists()


def approved_cases(file_case, user_named, count):
    cases = []
    for _ in range(count):
        case = file_case()
        services.case_accept(actor=user_named("clerk"), case_id=case.pk)
        services.case_review(actor=user_named("reviewer"), case_id=case.pk, opinion="符合条件")
        services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
        cases.append(case)
    return cases


def test_issues_of_one_licence_type_do_not_wait_for_an_issue_in_progress(
    file_case, user_named, freeze, monkeypatch
):
    """The licence number is taken in a short step of its own: 8 issues of the same licence
    type and year complete while a 9th holds its issuing transaction open (with the sequence
    row locked for the whole issue, they would all wait for it)."""
    freeze("2026-09-28")
    cases = approved_cases(file_case, user_named, 9)
    approver = user_named("approver")
    holding, release = threading.Event(), threading.Event()
    real_record_step = perform_module.record_step

    def record_then_hold(*args, **kwargs):
        if threading.current_thread().name == "held-issue":
            holding.set()
            release.wait(60)
        return real_record_step(*args, **kwargs)

    monkeypatch.setattr(perform_module, "record_step", record_then_hold)
    held = {}

    def held_issue():
        try:
            held["case"] = services.case_issue(actor=approver, case_id=cases[0].pk)
        finally:
            connection.close()

    thread = threading.Thread(target=held_issue, name="held-issue")
    thread.start()
    try:
        assert holding.wait(30), "the held issue never reached its timeline entry"
        results, errors = run_together(
            [
                lambda pk=case.pk: services.case_issue(actor=approver, case_id=pk)
                for case in cases[1:]
            ]
        )
        # All eight committed while the ninth still holds its transaction open.
        assert not errors
        assert Licence.objects.filter(case__in=cases[1:]).count() == 8
    finally:
        release.set()
        thread.join(30)
    numbers = sorted([case.licence_number for case in results] + [held["case"].licence_number])
    assert len(set(numbers)) == 9
    sequence = sorted(int(n[-6:]) for n in numbers)  # the demo data issued some already
    assert sequence == list(range(sequence[0], sequence[0] + 9))
    assert set(Licence.objects.filter(case__in=cases).values_list("number", flat=True)) == set(
        numbers
    )


def test_a_failed_issue_leaves_an_audited_licence_number_gap(
    file_case, user_named, freeze, monkeypatch
):
    freeze("2026-09-28")
    first, second, third = approved_cases(file_case, user_named, 3)
    approver = user_named("approver")
    issued = services.case_issue(actor=approver, case_id=first.pk)
    real_record_step = perform_module.record_step

    def timeline_down(*args, **kwargs):
        raise RuntimeError("the timeline is down")

    monkeypatch.setattr(perform_module, "record_step", timeline_down)
    with pytest.raises(RuntimeError):
        services.case_issue(actor=approver, case_id=second.pk)
    monkeypatch.setattr(perform_module, "record_step", real_record_step)
    assert Case.objects.get(pk=second.pk).status == "approved"
    later = services.case_issue(actor=approver, case_id=third.pk)
    prefix, first_number = issued.licence_number[:-6], int(issued.licence_number[-6:])
    assert later.licence_number == f"{prefix}{first_number + 2:06d}"
    void = AuditRecord.objects.get(action="licence.number_void")
    assert void.object_id == f"{prefix}{first_number + 1:06d}"
    assert void.after == {"number": void.object_id, "reason": "RuntimeError"}
    assert not Licence.objects.filter(number=void.object_id).exists()
    # A refused issue (not the approver's to issue) takes no number at all.
    with pytest.raises(PermissionRefused):
        services.case_issue(actor=user_named("clerk"), case_id=second.pk)
    assert AuditRecord.objects.filter(action="licence.number_void").count() == 1
