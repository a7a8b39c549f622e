import uuid

import pytest

from yiwang import clock
from yiwang.events.models import Event
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department, Region

PERSON_ID = "11010519491231002X"


@pytest.fixture
def commission(demo):
    return Department.objects.get(name="大连市卫生健康委员会")


@pytest.fixture
def person(demo):
    return Applicant.objects.create(
        kind="person",
        name="张三丰",
        id_number=PERSON_ID,
        region=Region.objects.get(code="210202000000"),
        address="大连市中山区人民路1号3单元502室",
    )


@pytest.fixture
def event():
    """An event of the contract, built in memory: `event("penalty.decided", {...})`."""

    def make(name, payload):
        return Event(id=uuid.uuid4(), name=name, payload=payload, occurred_at=clock.now())

    return make


@pytest.fixture
def decision_payload(demo, commission):
    """A `case.decided` payload for a demo applicant (no real case needed for disclosure)."""

    def make(*, case_id=1, applicant, on="2026-02-12", outcome="approved", licence_number=None):
        return {
            "case_id": case_id,
            "action": "approve" if outcome == "approved" else "deny",
            "number": f"210200-001-{on.replace('-', '')}-{case_id:05d}",
            "item_code": "010010020000",
            "item_name": "医疗机构执业登记",
            "applicant_id": applicant.pk,
            "department_id": commission.pk,
            "region_code": "210200000000",
            "channel": "online",
            "procedure": "standard",
            "status": outcome,
            "from_status": "reviewed",
            "on": on,
            "at": f"{on}T10:00:00+08:00",
            "outcome": outcome,
            "decided_on": on,
            "legal_basis": "《医疗机构管理条例》第十五条",
            "licence_number": licence_number or "",
        }

    return make
