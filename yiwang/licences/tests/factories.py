"""Licences made directly in the register (as imported), for tests that do not need a case."""

import datetime

from yiwang.catalog.models import Item
from yiwang.licences.models import Licence, Status
from yiwang.licences.services import licence_create
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department

PRACTICE = "010010020000"  # 医疗机构执业登记 → 医疗机构执业许可证 (verified)
PUBLIC_PLACE = "010040010000"  # 公共场所卫生许可 → 公共场所卫生许可证
D = datetime.date


def make_licence(
    *,
    holder="大连海滨口腔诊所",
    item_code=PRACTICE,
    valid_from=None,
    valid_until=None,
    status=Status.VALID,
    scope=("口腔科",),
    years=5,
    number="",
) -> Licence:
    valid_from = valid_from or D(2021, 11, 1)
    valid_until = valid_until or D(2026, 10, 31)
    item = Item.objects.get(code=item_code)
    version = item.versions.get(status="published")
    return licence_create(
        actor=None,
        holder=Applicant.objects.get(name=holder),
        item=item,
        department=Department.objects.get(name="大连市卫生健康委员会"),
        licence_type=version.licence_type,
        licence_type_en=version.licence_type_en,
        licence_type_code=version.licence_type_code,
        valid_from=valid_from,
        valid_until=valid_until,
        validity_years=years,
        scope=list(scope),
        status=status,
        imported=True,
        number=number,
    )
