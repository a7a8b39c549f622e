import datetime

import pytest

from yiwang.appointments.models import Hall, Slot

MONDAY = "2026-09-28T08:00"  # a working day; National Day (1-7 October) follows
SETTING_UP = "010010010000"  # 医疗机构设置审批, served in the "医疗机构设置与执业" group


@pytest.fixture
def hall(freeze, request):
    freeze(MONDAY)
    request.getfixturevalue("demo")
    return Hall.objects.get(code="DL")


@pytest.fixture
def slot_at(hall):
    def find(day: str, time: str = "09:00", group: str = "医疗机构设置与执业") -> Slot:
        return Slot.objects.get(
            hall=hall,
            date=datetime.date.fromisoformat(day),
            starts_at=datetime.time.fromisoformat(time),
            group__name=group,
        )

    return find
