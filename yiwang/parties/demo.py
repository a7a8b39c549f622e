"""Demo applicants: about twenty enterprises and medical institutions of Dalian, with valid codes.

The names are invented; the codes are built with correct check characters.
"""

from django.contrib.auth import get_user_model

from yiwang.parties.identifiers import make_uscc
from yiwang.parties.services import applicant_create, representation_grant
from yiwang.regions.demo import DEMO_PASSWORD

# name, kind, region, USCC prefix (authority, category, division), category, beds
APPLICANTS = [
    ("大连滨海健康管理有限公司", "organisation", "210202003002", "91210202", "", None),
    ("大连星海游泳馆有限公司", "organisation", "210202000000", "91210202", "", None),
    ("大连清泉供水有限公司", "organisation", "210203000000", "91210203", "", None),
    ("大连洁康消毒用品有限公司", "organisation", "210202000000", "91210202", "", None),
    ("大连碧水涉水产品有限公司", "organisation", "210203000000", "91210203", "", None),
    ("大连悦来宾馆有限公司", "organisation", "210202003000", "91210202", "", None),
    ("大连美丽人生美容美发店", "organisation", "210202003002", "92210202", "", None),
    ("大连海韵沐浴有限公司", "organisation", "210203000000", "91210203", "", None),
    ("大连福源二次供水服务有限公司", "organisation", "210202000000", "91210202", "", None),
    ("大连安心卫生用品有限公司", "organisation", "210203000000", "91210203", "", None),
    ("大连中山仁和医院", "medical_institution", "210202000000", "12210202", "综合医院", 260),
    ("大连西岗康宁医院", "medical_institution", "210203000000", "12210203", "综合医院", 120),
    ("大连海滨口腔诊所", "medical_institution", "210202003002", "52210202", "口腔诊所", None),
    (
        "大连天津街社区卫生服务中心",
        "medical_institution",
        "210202003002",
        "12210202",
        "社区卫生服务中心",
        30,
    ),
    ("大连明目眼科门诊部", "medical_institution", "210202000000", "91210202", "专科门诊部", None),
    ("大连仁心中医诊所", "medical_institution", "210203000000", "52210203", "中医诊所", None),
    ("大连康桥妇产医院", "medical_institution", "210202000000", "91210202", "专科医院", 80),
    (
        "大连影像医学诊断中心",
        "medical_institution",
        "210203000000",
        "91210203",
        "医学影像诊断中心",
        None,
    ),
    ("大连恒爱护理院", "medical_institution", "210202003000", "52210202", "护理院", 150),
    (
        "大连明德医学检验实验室",
        "medical_institution",
        "210203000000",
        "91210203",
        "医学检验实验室",
        None,
    ),
]


# Streets of each district, for the demo addresses that application forms are prefilled with.
STREETS = {"210202": "中山区人民路", "210203": "西岗区长江路"}
REPRESENTATIVES = ("王立新", "李海燕", "张振华", "刘晓梅", "陈国强", "杨丽娟", "赵志远", "孙晓东")


def demo_address(region: str, index: int) -> str:
    return f"辽宁省大连市{STREETS[region[:6]]}{index * 11 + 3}号"


def demo_uscc(prefix: str, index: int) -> str:
    return make_uscc(prefix, f"MA{index:02d}DL{index * 7 % 97:02d}")


def load(admin) -> list:
    created = []
    for index, (name, kind, region, prefix, category, beds) in enumerate(APPLICANTS, start=1):
        created.append(
            applicant_create(
                actor=admin,
                kind=kind,
                name=name,
                region_code=region,
                uscc=demo_uscc(prefix, index),
                institution_category=category,
                beds=beds,
                practice_licence_number=f"PDY{index:05d}210202"
                if kind == "medical_institution"
                else "",
                legal_representative=REPRESENTATIVES[index % len(REPRESENTATIVES)],
                address=demo_address(region, index),
            )
        )
    portal_user = get_user_model().objects.create_user(username="applicant", password=DEMO_PASSWORD)
    for applicant in (created[0], created[12]):
        representation_grant(
            actor=admin, user=portal_user, applicant=applicant, capacity="legal_representative"
        )
    return created
