import pytest

from yiwang.parties.models import Applicant
from yiwang.regions.models import Staff

MONDAY = "2026-09-28T09:00"


@pytest.fixture
def services_demo(freeze, request):
    freeze(MONDAY)
    return request.getfixturevalue("demo")


@pytest.fixture
def company(services_demo):
    return Applicant.objects.get(name="大连滨海健康管理有限公司")


@pytest.fixture
def clinic(services_demo):
    return Applicant.objects.get(name="大连海滨口腔诊所")


@pytest.fixture
def secretary_staff(services_demo):
    return Staff.objects.get(user__username="secretary")
