"""Demo regions, departments and staff: Liaoning → Dalian → Zhongshan and Xigang districts."""

from yiwang.parties.identifiers import make_uscc
from yiwang.regions.models import Department, Region, Role
from yiwang.regions.services import department_create, region_create, staff_create

# The password of every demo account (README); never a real deployment's.
DEMO_PASSWORD = "demo-pass-2026"

REGIONS = [
    # code, name, English name, parent code
    ("210000000000", "辽宁省", "Liaoning Province", None),
    ("210200000000", "大连市", "Dalian City", "210000000000"),
    ("210202000000", "中山区", "Zhongshan District", "210200000000"),
    ("210202003000", "青泥洼桥街道", "Qingniwaqiao Street", "210202000000"),
    ("210202003002", "天津街社区", "Tianjinjie Community", "210202003000"),
    ("210203000000", "西岗区", "Xigang District", "210200000000"),
]

# name, English name, kind, region, USCC, runs the hall
DEPARTMENTS = [
    (
        "大连市卫生健康委员会",
        "Dalian Municipal Health Commission",
        "health_commission",
        "210200000000",
        make_uscc("11210200", "MB1E7E6M"),
        False,
    ),
    (
        "大连市行政审批局",
        "Dalian Administrative Approval Bureau",
        "approval_bureau",
        "210200000000",
        make_uscc("11210200", "MB1E7E6N"),
        True,
    ),
    (
        "大连市市场监督管理局",
        "Dalian Market Supervision Administration",
        "market_supervision",
        "210200000000",
        "",
        False,
    ),
    (
        "大连市医疗保障局",
        "Dalian Medical Security Bureau",
        "medical_security",
        "210200000000",
        "",
        False,
    ),
    (
        "中山区卫生健康局",
        "Zhongshan District Health Bureau",
        "health_commission",
        "210202000000",
        "",
        False,
    ),
    (
        "西岗区卫生健康局",
        "Xigang District Health Bureau",
        "health_commission",
        "210203000000",
        "",
        False,
    ),
]

# user name, display name, department name, roles, certificate
STAFF = [
    ("clerk", "王晓琳", "大连市行政审批局", [Role.WINDOW_CLERK], ""),
    ("reviewer", "李建国", "大连市卫生健康委员会", [Role.REVIEWER], ""),
    ("approver", "张海燕", "大连市卫生健康委员会", [Role.APPROVER], ""),
    ("inspector1", "刘志强", "大连市卫生健康委员会", [Role.INSPECTOR], "21020000001"),
    ("inspector2", "陈丽华", "大连市卫生健康委员会", [Role.INSPECTOR], "21020000002"),
    ("leader", "赵莲", "大连市卫生健康委员会", [Role.LEADER], ""),
    ("catalogue", "孙文博", "大连市卫生健康委员会", [Role.CATALOGUE_ADMIN], ""),
    ("secretary", "周静", "大连市行政审批局", [Role.SERVICE_SECRETARY], ""),
    ("auditor", "吴敏", "大连市卫生健康委员会", [Role.AUDITOR], ""),
    ("zs_reviewer", "郑伟", "中山区卫生健康局", [Role.REVIEWER], ""),
    ("xg_reviewer", "冯雪", "西岗区卫生健康局", [Role.REVIEWER], ""),
    ("zs_approver", "韩磊", "中山区卫生健康局", [Role.APPROVER], ""),
    ("xg_approver", "杨帆", "西岗区卫生健康局", [Role.APPROVER], ""),
]


def load(admin) -> None:
    regions: dict[str, Region] = {}
    for code, name, name_en, parent in REGIONS:
        regions[code] = region_create(
            actor=admin, code=code, name=name, name_en=name_en, parent=regions.get(parent)
        )
    departments: dict[str, Department] = {}
    for name, name_en, kind, region, uscc, hall in DEPARTMENTS:
        departments[name] = department_create(
            actor=admin,
            name=name,
            name_en=name_en,
            kind=kind,
            region=regions[region],
            uscc=uscc,
            runs_service_hall=hall,
            hall_address="大连市沙河口区会展路45号 大连市民政务服务中心" if hall else "",
        )
    for username, display, department, roles, certificate in STAFF:
        staff_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            display_name=display,
            department=departments[department],
            roles=list(roles),
            certificate_number=certificate,
        )
