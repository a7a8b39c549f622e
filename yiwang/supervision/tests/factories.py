"""Directory entities made directly in the register (as imported), in bulk, for draw tests."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from yiwang import clock
from yiwang.catalog.models import Item
from yiwang.demo import DEMO_PASSWORD
from yiwang.licences.models import Licence, Status
from yiwang.parties.identifiers import make_uscc
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department, Region, Role
from yiwang.regions.services import staff_create

PRACTICE = "010010020000"  # 医疗机构执业登记 → 医疗机构执业许可证
PRACTICE_TYPE = "11100000000002"
HEALTH = "大连市卫生健康委员会"
STREET = "210202003000"  # 青泥洼桥街道, 中山区


def make_entities(
    count: int,
    *,
    grades: str = "ABCD",
    region_code: str = STREET,
    item_code: str = PRACTICE,
    start: int = 0,
) -> list[Applicant]:
    """`count` medical institutions, each holding one valid licence; grades cycle."""
    region = Region.objects.get(code=region_code)
    item = Item.objects.get(code=item_code)
    version = item.versions.get(status="published")
    department = Department.objects.get(name=HEALTH)
    applicants = Applicant.objects.bulk_create(
        Applicant(
            kind=Applicant.Kind.MEDICAL_INSTITUTION,
            name=f"测试诊所{start + index:05d}",
            uscc=make_uscc("52210202", f"MA{start + index:06d}"),
            region=region,
            credit_grade=grades[index % len(grades)],
        )
        for index in range(count)
    )
    now = clock.now()
    Licence.objects.bulk_create(
        Licence(
            number=f"TEST-{start + index:06d}",
            licence_type=version.licence_type,
            licence_type_code=version.licence_type_code,
            holder=applicant,
            item=item,
            department=department,
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2030, 12, 31),
            status=Status.VALID,
            issued_at=now,
            imported=True,
        )
        for index, applicant in enumerate(applicants)
    )
    return applicants


def make_inspector(username: str, certificate: str, *, department: str = HEALTH):
    return staff_create(
        actor=get_user_model().objects.get(username="admin"),
        username=username,
        password=DEMO_PASSWORD,
        display_name=username,
        department=Department.objects.get(name=department),
        roles=[Role.INSPECTOR],
        certificate_number=certificate,
    )
