import pytest


@pytest.fixture
def w(request, freeze, user_named):
    """The demo world on a Monday of 2026, with the names the credit tests use."""
    from yiwang.parties.models import Applicant
    from yiwang.regions.models import Department

    freeze("2026-03-02")
    request.getfixturevalue("demo")

    class World:
        health = Department.objects.get(name="大连市卫生健康委员会")
        insurance = Department.objects.get(kind="medical_security")
        market = Department.objects.get(kind="market_supervision")
        clinic = Applicant.objects.get(name="大连海滨口腔诊所")
        hospital = Applicant.objects.get(name="大连中山仁和医院")
        admin = user_named("admin")
        leader = user_named("leader")
        approver = user_named("approver")
        applicant_user = user_named("applicant")

    return World
