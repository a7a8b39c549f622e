"""Demo supervision: more inspectors with certificates (health, medical security, market
supervision), licences for the demo institutions, a 2026 plan committed and drawn, inspections in
every state and one joint inspection, so that `inspector1` and `leader` have work at once.

Everything goes through the services, so the demo has its audit record like real data.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from yiwang import clock
from yiwang.cases.models import CommitmentCheck
from yiwang.catalog.models import Item
from yiwang.demo import DEMO_PASSWORD
from yiwang.licences import rules
from yiwang.licences.services import licence_create
from yiwang.parties.models import Applicant
from yiwang.parties.services import applicant_set_credit
from yiwang.regions.models import Department, Role
from yiwang.regions.services import staff_create
from yiwang.supervision import inspections, outcomes, services, tasking
from yiwang.supervision.checklists import checklists_load
from yiwang.supervision.models import Task

HEALTH = "大连市卫生健康委员会"
PRACTICE = "010010020000"
PUBLIC_PLACE = "010040010000"

# user name, display name, department, certificate
INSPECTORS = [
    ("inspector3", "王建军", HEALTH, "21020000003"),
    ("yb_inspector", "孙海波", "大连市医疗保障局", "21020000101"),
    ("sc_inspector", "何晓梅", "大连市市场监督管理局", "21020000201"),
]

# holder, item, grade (the grade a leader set after the last credit review)
LICENSED = [
    ("大连西岗康宁医院", PRACTICE, "A"),
    ("大连天津街社区卫生服务中心", PRACTICE, "A"),
    ("大连明目眼科门诊部", PRACTICE, "B"),
    ("大连仁心中医诊所", PRACTICE, "B"),
    ("大连康桥妇产医院", PRACTICE, "C"),
    ("大连影像医学诊断中心", PRACTICE, "C"),
    ("大连恒爱护理院", PRACTICE, "D"),
    ("大连明德医学检验实验室", PRACTICE, "B"),
    ("大连悦来宾馆有限公司", PUBLIC_PLACE, "B"),
    ("大连海韵沐浴有限公司", PUBLIC_PLACE, "C"),
    ("大连美丽人生美容美发店", PUBLIC_PLACE, "D"),
]

WITNESS = "2026年第055期福彩3D开奖号码 4 1 7（公证员见证）"


def load(admin) -> None:
    """The shipped checklists, which a data migration also loads: a database emptied by a
    transactional test or restored without them gets them back with the demo (idempotent)."""
    checklists_load()


def load_samples(admin) -> None:
    departments = {department.name: department for department in Department.objects.all()}
    for username, display, department, certificate in INSPECTORS:
        staff_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            display_name=display,
            department=departments[department],
            roles=[Role.INSPECTOR],
            certificate_number=certificate,
        )
    _licences(admin, departments[HEALTH])
    _post_approval_tasks()
    _plan_and_inspections(admin)


def _licences(admin, department) -> None:
    today = clock.today()
    leader = get_user_model().objects.get(username="leader")
    for holder_name, item_code, grade in LICENSED:
        holder = Applicant.objects.get(name=holder_name)
        item = Item.objects.get(code=item_code)
        version = item.versions.get(status="published")
        valid_from = today - datetime.timedelta(days=400)
        licence_create(
            actor=admin,
            holder=holder,
            item=item,
            department=department,
            licence_type=version.licence_type,
            licence_type_en=version.licence_type_en,
            licence_type_code=version.licence_type_code,
            valid_from=valid_from,
            valid_until=rules.add_years(valid_from, 5) - datetime.timedelta(days=1),
            validity_years=5,
            imported=True,
        )
        if holder.credit_grade != grade:
            applicant_set_credit(
                actor=leader, applicant=holder, grade=grade, reason="2026年度信用评价结果"
            )


def _post_approval_tasks() -> None:
    """Commitment checks decided before supervision existed join its queue."""
    for case_id, due in CommitmentCheck.objects.filter(result="pending").values_list(
        "case_id", "due_on"
    ):
        tasking.post_approval_task_open(case_id=case_id, due_on=due)


def _plan_and_inspections(admin) -> None:
    users = {user.username: user for user in get_user_model().objects.all()}
    leader = users["leader"]
    plan = services.plan_create(
        actor=leader,
        name="2026年度医疗机构“双随机、一公开”抽查计划",
        year=2026,
        licence_types=["11100000000002"],
        region_code="210200000000",
        ratios={"A": "0.5", "B": "0.5", "C": "1", "D": "1"},
        inspectors_per_task=2,
        inspector_pool=["inspector1", "inspector2", "inspector3"],
    )
    services.plan_commit(actor=leader, plan_id=plan.pk)
    services.plan_draw(actor=leader, plan_id=plan.pk, witness=WITNESS)
    by_code = {staff_code: name for name, _d, _dep, staff_code in INSPECTORS}
    by_code.update({"21020000001": "inspector1", "21020000002": "inspector2"})

    def inspector_of(task):
        codes = list(task.assignments.values_list("code", flat=True))
        preferred = "21020000001" if "21020000001" in codes else codes[0]
        return users[by_code[preferred]]

    drawn = list(Task.objects.filter(plan=plan, status="open").order_by("draw_order"))
    # 1: compliant and published; 2: rectify, re-inspection waiting; 3: violation, penalty
    # open for the leader; 4: visit under way; the rest stay open for inspector1.
    steps = [
        ("compliant", "证照公示规范，诊疗科目与登记一致，医疗废物交接记录完整。", {}),
        ("rectify", "消毒记录不完整，部分医疗废物暂存未贴警示标识。", {"rectify_days": 10}),
        (
            "violation",
            "使用未取得护士执业证书的人员从事护理活动。",
            {"legal_basis": "《护士条例》第二十八条", "amount": "5000"},
        ),
    ]
    for task, (outcome, findings, extra) in zip(drawn, steps, strict=False):
        inspection = outcomes.inspection_result(
            actor=inspector_of(task), task_id=task.pk, outcome=outcome, findings=findings, **extra
        )
        if outcome == "compliant":
            outcomes.inspection_publish(actor=leader, inspection_id=inspection.pk)
    if len(drawn) > 3:
        inspections.inspection_start(actor=inspector_of(drawn[3]), task_id=drawn[3].pk)
    _joint_inspection(users)


def _joint_inspection(users) -> None:
    """综合查一次: health, medical security and market supervision visit once together."""
    leader = users["leader"]
    hospital = Applicant.objects.get(name="大连康桥妇产医院")
    task = tasking.special_task_open(
        actor=leader,
        applicant_id=hospital.pk,
        reason="综合查一次：卫生健康、医疗保障、市场监管联合检查（群众反映收费不规范）",
        due_on=clock.today() + datetime.timedelta(days=14),
    )
    tasking.task_assign(actor=leader, task_id=task.pk, usernames=["inspector1", "inspector2"])
    partners = Department.objects.filter(name__in=["大连市医疗保障局", "大连市市场监督管理局"])
    inspection = inspections.inspection_start(
        actor=users["inspector1"],
        task_id=task.pk,
        joint_department_ids=[department.pk for department in partners],
    )
    inspections.inspection_record_findings(
        actor=users["yb_inspector"],
        inspection_id=inspection.pk,
        findings="抽查住院病历30份，发现2份存在重复收费，已调取收费明细。",
    )
