"""Demo services to enterprises: the expert pool, the front services offered per item (clinics
and the production items of seed 002), a secretary for two enterprises with their lists."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from yiwang import clock
from yiwang.catalog.models import Item
from yiwang.enterprise import front, services
from yiwang.enterprise.models import Expert, FrontServiceOffer, ListKind
from yiwang.parties.models import Applicant
from yiwang.regions.demo import DEMO_PASSWORD
from yiwang.regions.models import Staff

ALL_KINDS = ["consultation", "site_selection", "layout", "drawing_review"]
# Setting up and registering medical institutions and clinics (seed 004: consultation, drawing
# review); the production items of seed 002 (site selection, workshop layout, equipment).
OFFERS = {
    "010010010000": ALL_KINDS,  # 医疗机构设置审批
    "010010020000": ["consultation", "drawing_review"],  # 医疗机构执业登记
    "130010040000": ALL_KINDS,  # 诊所备案
    "010060010000": ALL_KINDS,  # 消毒产品生产企业卫生许可
    "010050020000": ALL_KINDS,  # 涉及饮用水卫生安全的产品卫生许可
    "010050010000": ["consultation", "site_selection", "layout"],  # 供水单位卫生许可
}
EXPERTS = [
    ("expert", "高建平", "医院建筑与院感布局", "大连医科大学附属第一医院"),
    (None, "林淑芬", "口腔诊疗与放射防护", "大连市口腔医院"),
    (None, "马春雷", "消毒产品生产卫生规范", "大连市疾病预防控制中心"),
]


def load(admin) -> None:
    for code, kinds in OFFERS.items():
        item = Item.objects.get(code=code)
        for kind in kinds:
            FrontServiceOffer.objects.get_or_create(item=item, kind=kind)
    for username, name, specialty, organisation in EXPERTS:
        user = None
        if username:
            user = get_user_model().objects.create_user(username=username, password=DEMO_PASSWORD)
        Expert.objects.create(name=name, specialty=specialty, organisation=organisation, user=user)
    secretary = Staff.objects.get(user__username="secretary")
    for name in ("大连滨海健康管理有限公司", "大连海滨口腔诊所"):
        services.secretary_assign(
            actor=admin,
            applicant_id=Applicant.objects.get(name=name).pk,
            secretary_id=secretary.pk,
            note="演示数据",
        )


def load_samples(admin) -> None:
    secretary = Staff.objects.get(user__username="secretary")
    company = Applicant.objects.get(name="大连滨海健康管理有限公司")
    today = clock.today()
    for kind, title, days in (
        (ListKind.PROBLEM, "新址公共场所卫生许可需重新检测，检测机构排期长", 10),
        (ListKind.DONE_FOR, "协调检测机构加急出具空气质量检测报告", 5),
        (ListKind.POTENTIAL, "拟拓展健康体检业务，需提前了解医疗机构设置规划", 30),
    ):
        services.list_entry_add(
            actor=admin,
            applicant_id=company.pk,
            kind=kind,
            title=title,
            owner_id=secretary.pk,
            due_on=today + datetime.timedelta(days=days),
        )
    front.front_service_request(
        actor=admin,
        applicant_id=Applicant.objects.get(name="大连海滨口腔诊所").pk,
        item_code="010010010000",
        kind="drawing_review",
        description="拟在中山区开设第二家口腔诊所，4 张牙椅，请审查平面布局图。",
    )
