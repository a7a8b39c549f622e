"""Test data for the catalogue: item data dicts (as the services take them) and a small world."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from yiwang.catalog import services
from yiwang.catalog.models import Item, ItemVersion
from yiwang.parties.identifiers import make_uscc
from yiwang.regions.models import Department, Region


class MaterialData(factory.DictFactory):
    code = factory.Sequence(lambda n: f"M{n % 99 + 1:02d}")
    name = factory.Sequence(lambda n: f"申请材料{n}")
    required = True
    tolerable = False
    form = "either"
    copies = 1


class ItemData(factory.DictFactory):
    code = factory.Sequence(lambda n: f"0199{n:08d}")
    name = "公共场所卫生许可（测试）"
    name_en = "Public place hygiene permit (test)"
    item_type = "licensing"
    case_kind = "promised"
    implementing_body = "县级以上地方人民政府卫生健康主管部门"
    conditions = "场所符合卫生标准。"
    legal_basis = factory.LazyFunction(lambda: ["《公共场所卫生管理条例》第八条"])
    statutory_limit_days = 20
    committed_limit_days = 10
    green_limit_days = 3
    supplement_days = 10
    tolerance_licence_mode = "provisional"
    procedures = factory.LazyFunction(lambda: ["standard", "tolerance", "green"])
    channels = factory.LazyFunction(lambda: ["online", "window"])
    online = False
    max_visits = 1
    approval_mode = "optimised"
    exercise_levels = factory.LazyFunction(lambda: [3, 4])
    materials = factory.LazyFunction(
        lambda: [
            MaterialData(code="M01", name="申请书"),
            MaterialData(code="M02", name="平面图", tolerable=True),
            MaterialData(code="M03", name="营业执照", from_elicence=True),
        ]
    )


def world() -> dict:
    """A superuser, a city with its health commission (with a USCC) and a district bureau."""
    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    province = Region.objects.create(code="210000000000", name="辽宁省", level=1)
    city = Region.objects.create(code="210200000000", name="大连市", level=2, parent=province)
    district = Region.objects.create(code="210202000000", name="中山区", level=3, parent=city)
    commission = Department.objects.create(
        name="大连市卫生健康委员会",
        kind="health_commission",
        region=city,
        uscc=make_uscc("11210200", "MB1E7E6M"),
    )
    bureau = Department.objects.create(
        name="中山区卫生健康局", kind="health_commission", region=district
    )
    return {"admin": admin, "commission": commission, "bureau": bureau}


def published_item(actor, owner, **overrides) -> ItemVersion:
    draft = services.item_create_draft(
        actor=actor, owner_department=owner, data=ItemData(**overrides)
    )
    services.item_submit_for_review(actor=actor, version=draft)
    return services.item_publish(actor=actor, version=draft)


def item_count() -> int:
    return Item.objects.count()
