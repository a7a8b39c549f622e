"""Demo data: a 12345 hotline operator at the service hall, and (with samples) a few tickets."""

from django.contrib.auth import get_user_model

from yiwang.complaints import services
from yiwang.demo import DEMO_PASSWORD
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department, Role
from yiwang.regions.services import staff_create

OPERATOR = ("operator", "陈思远", "大连市行政审批局")


def load(admin) -> None:
    username, display, department = OPERATOR
    staff_create(
        actor=admin,
        username=username,
        password=DEMO_PASSWORD,
        display_name=display,
        department=Department.objects.get(name=department),
        roles=[Role.HOTLINE_OPERATOR],
    )


def load_samples(admin) -> None:
    operator = get_user_model().objects.get(username="operator")
    commission = Department.objects.get(name="大连市卫生健康委员会")
    pool = Applicant.objects.get(name="大连星海游泳馆有限公司")
    report = services.ticket_receive(
        actor=operator,
        channel="12345",
        external_number="DL12345-2026-000001",
        kind="report",
        urgency="normal",
        content="泳池水浑浊，有刺鼻气味，怀疑余氯超标，未见水质公示。",
        subject_code=pool.uscc,
        reporter_name="王先生",
        reporter_phone="13940981234",
    ).ticket
    services.ticket_dispatch(actor=operator, ticket_id=report.pk, department_id=commission.pk)
    services.ticket_receive(
        actor=operator,
        channel="phone",
        kind="consultation",
        urgency="normal",
        content="咨询开办口腔诊所需要准备哪些材料，能否网上办理。",
        reporter_name="李女士",
        reporter_phone="13804115678",
    )
    services.ticket_receive(
        actor=operator,
        channel="12315",
        external_number="DL12315-2026-000001",
        kind="complaint",
        urgency="urgent",
        content="美容店使用未消毒的器具，顾客皮肤红肿。",
        subject_name="大连美丽人生美容美发店",
        anonymous=True,
    )
