"""Demo hall: the Dalian government service centre, run by the approval bureau, with its
windows, opening hours, item groups and the slots of the coming two weeks."""

from __future__ import annotations

import datetime

from yiwang import clock
from yiwang.appointments import services
from yiwang.appointments.models import Hall, ItemGroup, OpeningPeriod, Window
from yiwang.catalog.models import Item
from yiwang.regions.models import Department

WINDOWS = [
    (1, "综合受理窗口一", False),
    (2, "综合受理窗口二", False),
    (3, "公共卫生许可窗口", False),
    (9, "急事急办绿色通道窗口", True),
]
PERIODS = [
    (datetime.time(9, 0), datetime.time(11, 30)),
    (datetime.time(13, 30), datetime.time(17, 0)),
]
# group name, item codes, windows, minutes, people per slot
GROUPS = [
    (
        "医疗机构设置与执业",
        ["010010010000", "010010020000", "100010030000", "130010040000"],
        [1, 2],
        30,
        4,
    ),
    (
        "公共卫生与涉水产品许可",
        ["010040010000", "010050010000", "010050020000", "010060010000"],
        [3],
        30,
        3,
    ),
    ("医护人员执业注册", ["010020010000", "010020020000"], [1, 2], 15, 2),
]


def load(admin) -> None:
    bureau = Department.objects.select_related("region").get(name="大连市行政审批局")
    hall = Hall.objects.create(
        code="DL",
        name="大连市政务服务中心",
        address=bureau.hall_address or "大连市沙河口区东北路99号",
        department=bureau,
        region=bureau.region,
    )
    windows = {
        number: Window.objects.create(hall=hall, number=number, name=name, is_green=green)
        for number, name, green in WINDOWS
    }
    for starts, ends in PERIODS:
        OpeningPeriod.objects.create(hall=hall, starts_at=starts, ends_at=ends)
    for name, codes, numbers, minutes, capacity in GROUPS:
        group = ItemGroup.objects.create(
            hall=hall, name=name, slot_minutes=minutes, capacity=capacity
        )
        group.items.set(Item.objects.filter(code__in=codes))
        group.windows.set([windows[number] for number in numbers])
    services.hall_open_slots(
        actor=admin,
        hall=hall,
        start=clock.today(),
        end=clock.today() + datetime.timedelta(days=21),
    )
