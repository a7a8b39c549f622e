"""Cases built straight into the tables, with exactly the dates, visits and suspensions a test
needs: the indicators read records, so a test states the records and the figures by hand."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo

from django.contrib.auth import get_user_model

from yiwang.cases.models import Case, Suspension, Visit
from yiwang.catalog.models import Implementation, Item
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department, Region

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PRACTICE_REGISTRATION = "010010020000"  # statutory 45, Dalian's committed limit 7
PUBLIC_PLACE = "010040010000"  # Dalian's committed limit 1, green limit 1
NURSE = "010020020000"  # Zhongshan's committed limit 5
DALIAN_HEALTH = "大连市卫生健康委员会"
ZHONGSHAN_HEALTH = "中山区卫生健康局"
_numbers = itertools.count(1)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def make_case(
    *,
    item: str = PRACTICE_REGISTRATION,
    department: str = DALIAN_HEALTH,
    channel: str = "online",
    procedure: str = "standard",
    filed_by: str = "applicant",
    received: str,
    accepted: str | None = None,
    decided: str | None = None,
    closed: str | None = None,
    status: str = "received",
    suspensions: tuple[tuple[str, str], ...] = (),
    visits: int = 0,
    green: bool = False,
    level: str = "normal",
    region: str | None = None,
) -> Case:
    item_row = Item.objects.get(code=item)
    department_row = Department.objects.select_related("region").get(name=department)
    implementation = Implementation.objects.filter(item=item_row, department=department_row).first()
    version = item_row.versions.filter(status="published").first()
    user = get_user_model().objects.get(username=filed_by)
    received_on = day(received)
    case = Case.objects.create(
        number=f"T{next(_numbers):08d}",
        item=item_row,
        item_version=version,
        implementation=implementation,
        department=department_row,
        region=Region.objects.get(code=region) if region else department_row.region,
        applicant=Applicant.objects.order_by("pk").first(),
        filed_by=user,
        channel=channel,
        procedure=procedure,
        status=status,
        received_at=datetime.datetime.combine(received_on, datetime.time(9, 30), SHANGHAI),
        submitted_on=received_on,
        accepted_on=day(accepted) if accepted else None,
        decided_on=day(decided) if decided else None,
        closed_on=day(closed) if closed else None,
        green=green,
        level=level,
    )
    for start, end in suspensions:
        Suspension.objects.create(
            case=case,
            kind="expert_review",
            reason="专家评审",
            started_on=day(start),
            ended_on=day(end),
            resume_status="accepted",
        )
    for number in range(visits):
        Visit.objects.create(
            case=case,
            at=datetime.datetime.combine(received_on, datetime.time(10, number), SHANGHAI),
            purpose="filing" if number == 0 else "pickup",
            recorded_by=get_user_model().objects.get(username="clerk"),
        )
    return case


def october_cases() -> dict[str, Case]:
    """Seven cases around National Day 2026 (holiday 1–7 October, make-up Saturday 10 October)."""
    return {
        # used: 29, 30 Sep, 8, 9 Oct = 4 ≤ 7: on time; no visit.
        "c1": make_case(
            received="2026-09-28",
            accepted="2026-09-28",
            decided="2026-10-09",
            closed="2026-10-09",
            status="issued",
        ),
        # 28, 29, 30 Sep, 8, 9, 10, 12, 13, 14 Oct = 9, less 30 Sep, 8, 9 Oct suspended = 6 ≤ 7.
        "c2": make_case(
            channel="window",
            filed_by="clerk",
            received="2026-09-24",
            accepted="2026-09-24",
            suspensions=(("2026-09-29", "2026-10-09"),),
            decided="2026-10-14",
            closed="2026-10-14",
            status="issued",
            visits=2,
        ),
        # At the department's own counter; 13, 14, 15 Oct = 3 > 1: late.
        "c3": make_case(
            item=PUBLIC_PLACE,
            channel="window",
            filed_by="reviewer",
            received="2026-10-12",
            accepted="2026-10-12",
            decided="2026-10-15",
            closed="2026-10-16",
            status="issued",
            visits=1,
        ),
        # Green channel: 21 Oct = 1 ≤ 1.
        "c4": make_case(
            item=PUBLIC_PLACE,
            channel="mobile",
            green=True,
            received="2026-10-20",
            accepted="2026-10-20",
            decided="2026-10-21",
            closed="2026-10-22",
            status="issued",
        ),
        # Still open, overdue.
        "c5": make_case(
            channel="window",
            filed_by="clerk",
            received="2026-10-26",
            level="overdue",
        ),
        # Zhongshan: 9, 10, 12, 13, 14, 15, 16 Oct = 7 > 5: late; denied.
        "c6": make_case(
            item=NURSE,
            department=ZHONGSHAN_HEALTH,
            received="2026-10-08",
            accepted="2026-10-08",
            decided="2026-10-16",
            closed="2026-10-16",
            status="denied",
        ),
        # Refused at the hall's window; one visit.
        "c7": make_case(
            channel="window",
            filed_by="clerk",
            received="2026-10-13",
            closed="2026-10-14",
            status="refused",
            visits=1,
        ),
    }
