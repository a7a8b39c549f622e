"""Tickets for tests, made through the intake service so they carry their real deadlines."""

from django.contrib.auth import get_user_model

from yiwang.complaints import services
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department

COMMISSION = "大连市卫生健康委员会"
MARKET = "大连市市场监督管理局"
POOL = "大连星海游泳馆有限公司"


def user(username):
    return get_user_model().objects.get(username=username)


def department(name=COMMISSION):
    return Department.objects.get(name=name)


def entity(name=POOL):
    return Applicant.objects.get(name=name)


def ticket(**overrides):
    """A normal complaint about the swimming pool, taken by the operator from 12345."""
    fields = {
        "actor": user("operator"),
        "channel": "12345",
        "kind": "complaint",
        "urgency": "normal",
        "content": "泳池水浑浊，有刺鼻气味。",
        "subject_code": entity().uscc,
        "reporter_name": "王小明",
        "reporter_phone": "13940981234",
    }
    fields.update(overrides)
    return services.ticket_receive(**fields)


def dispatched(**overrides):
    received = ticket(**overrides)
    services.ticket_dispatch(
        actor=user("operator"), ticket_id=received.ticket.pk, department_id=department().pk
    )
    received.ticket.refresh_from_db()
    return received
