import base64

import pytest

from yiwang.cases import services as case_services
from yiwang.cases.tests import conftest as case_fixtures
from yiwang.licences.models import Licence

# The case app's fixtures, shared: a clinic, uploads, filing a case.
clinic = case_fixtures.clinic
upload = case_fixtures.upload
file_case = case_fixtures.file_case

KEY_2026 = "k2026:" + base64.b64encode(bytes(range(32))).decode()
KEY_2027 = "k2027:" + base64.b64encode(bytes(range(1, 33))).decode()


@pytest.fixture(autouse=True)
def _signing_key(settings):
    """A fixed key per test run, never the development key under var/."""
    settings.YIWANG_SIGNING_KEYS = KEY_2026


@pytest.fixture
def issue_case(file_case, user_named):
    """File, accept, approve and issue a case; returns its licence."""

    def make(**extra) -> Licence:
        case = file_case(**extra)
        case_services.case_accept(actor=user_named("clerk"), case_id=case.pk)
        case_services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
        case = case_services.case_issue(actor=user_named("approver"), case_id=case.pk)
        return Licence.objects.get(number=case.licence_number)

    return make


@pytest.fixture
def decide(user_named):
    """Accept, approve and issue an already-filed case."""

    def run(case):
        case_services.case_accept(actor=user_named("clerk"), case_id=case.pk)
        case_services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
        return case_services.case_issue(actor=user_named("approver"), case_id=case.pk)

    return run
