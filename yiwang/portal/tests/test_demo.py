import pytest
from django.core.management import call_command

from yiwang.cases.models import Case, CommitmentCheck, PreReview
from yiwang.cases.selectors import case_queue_for, commitment_checks_for

pytestmark = pytest.mark.django_db


def test_demo_gives_every_role_work_and_an_intact_audit_record(user_named, freeze):
    freeze("2026-11-23")
    call_command("load_demo", "--if-new")
    call_command("load_demo", "--if-new")  # a second run keeps the data as it is
    assert Case.objects.filter(status="received").count() == 1
    assert case_queue_for(user_named("clerk")).filter(status="received").exists()
    assert case_queue_for(user_named("reviewer")).filter(status="accepted").exists()
    assert case_queue_for(user_named("approver")).filter(status="reviewed").exists()
    assert case_queue_for(user_named("reviewer")).first().green
    assert commitment_checks_for(user_named("inspector1")).count() == 1
    assert CommitmentCheck.objects.get().case.status == "issued"
    assert PreReview.objects.filter(status="submitted").count() == 1
    call_command("verify_audit")
