import pytest

MONDAY = "2026-09-28T09:00"


@pytest.fixture
def guidance_demo(freeze, request):
    freeze(MONDAY)
    return request.getfixturevalue("demo")
