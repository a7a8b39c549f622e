"""双公示 and inspection results against the real 2026 calendar: Spring Festival 2-15..23 with
the make-up Saturdays 2-14 and 2-28; Mid-Autumn 9-25..27, National Day 10-1..7, make-up 10-10."""

import csv
import datetime
import io
import json

import pytest
from django.db import transaction

from yiwang.audit.models import AuditRecord
from yiwang.disclosure import services
from yiwang.disclosure.masking import mask_text
from yiwang.disclosure.models import Publication, PublicationAlert
from yiwang.disclosure.subscribers import (
    add_licence_number,
    note_revocation,
    queue_inspection_result,
    queue_licensing_decision,
    queue_penalty,
)
from yiwang.errors import Conflict, InvalidInput
from yiwang.events import publish
from yiwang.events.testing import deliver_pending
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db
D = datetime.date
CLINIC = "大连海滨口腔诊所"


@pytest.fixture
def clinic(demo):
    return Applicant.objects.get(name=CLINIC)


def test_a_decision_before_the_spring_festival_is_due_on_the_make_up_saturday(
    freeze, clinic, event, decision_payload
):
    freeze("2026-02-12")
    queue_licensing_decision(event("case.decided", decision_payload(applicant=clinic)))
    record = Publication.objects.get()
    # 13 Feb, 14 Feb (make-up Saturday), 24, 25, 26, 27 Feb, 28 Feb (make-up Saturday).
    assert record.publish_due == D(2026, 2, 28)
    assert record.kind == "licensing" and record.decided_on == D(2026, 2, 12)


def test_mid_autumn_and_national_day_move_both_limits(freeze, clinic, event, decision_payload):
    freeze("2026-09-24")
    queue_licensing_decision(
        event("case.decided", decision_payload(applicant=clinic, on="2026-09-24"))
    )
    queue_inspection_result(
        event(
            "inspection.concluded",
            {
                "inspection_id": 9,
                "entity_id": clinic.pk,
                "entity_code": clinic.uscc,
                "entity_name": clinic.name,
                "department_id": None,
                "region_code": "210202000000",
                "outcome": "compliant",
                "concluded_on": "2026-09-21",
                "findings_summary": "未发现问题",
            },
        )
    )
    decision = Publication.objects.get(kind="licensing")
    result = Publication.objects.get(kind="inspection")
    # 7 working days after Thu 24 Sep: 28, 29, 30 Sep, 8, 9, 10 (make-up Saturday), 12 Oct.
    assert decision.publish_due == D(2026, 10, 12)
    # 20 working days after Mon 21 Sep: 22–24, 28–30 Sep, 8–10, 12–16, 19–23, 26 Oct.
    assert result.publish_due == D(2026, 10, 26)


def test_an_approval_for_an_organisation_is_published_at_once(
    freeze, clinic, event, decision_payload
):
    freeze("2026-02-12")
    queue_licensing_decision(event("case.decided", decision_payload(applicant=clinic)))
    record = Publication.objects.get()
    assert (record.status, record.needs_review) == ("published", False)
    assert record.subject_name == CLINIC and record.subject_code == clinic.uscc
    # A repeated delivery changes nothing.
    queue_licensing_decision(event("case.decided", decision_payload(applicant=clinic)))
    assert Publication.objects.count() == 1


def test_a_denial_waits_for_one_click_by_the_deciding_department(
    freeze, clinic, event, decision_payload, user_named
):
    freeze("2026-02-12")
    queue_licensing_decision(
        event("case.decided", decision_payload(applicant=clinic, outcome="denied"))
    )
    record = Publication.objects.get()
    assert (record.status, record.needs_review, record.published_at) == ("queued", True, None)
    with pytest.raises(Exception):  # noqa: B017 - another department's reviewer
        services.publication_publish(actor=user_named("zs_reviewer"), publication=record)
    freeze("2026-02-13")
    record = services.publication_publish(actor=user_named("approver"), publication=record)
    assert record.status == "published" and record.published_by == user_named("approver")
    with pytest.raises(Conflict):
        services.publication_publish(actor=user_named("approver"), publication=record)


def test_a_person_is_masked_and_waits_for_review(freeze, person, event, decision_payload):
    freeze("2026-02-12")
    queue_licensing_decision(event("case.decided", decision_payload(applicant=person)))
    record = Publication.objects.get()
    assert record.subject_name == "张**"
    assert record.subject_code == "110105********002X"
    assert record.subject_is_person and record.needs_review
    assert "张三丰" not in json.dumps(
        [list(row.values()) for row in Publication.objects.values()], default=str
    )


def test_texts_lose_id_numbers_mobiles_and_addresses():
    text = (
        "当事人张三，身份证号11010519491231002X，电话13912345678，住址：大连市中山区人民路1号，罚款"
    )
    masked = mask_text(text)
    assert "11010519491231002X" not in masked and "110105********002X" in masked
    assert "13912345678" not in masked and "139****5678" in masked
    assert "人民路" not in masked and "住址：***" in masked


def test_a_penalty_on_a_person_is_masked(freeze, event, person):
    freeze("2026-03-02")
    queue_penalty(
        event(
            "penalty.decided",
            {
                "penalty_id": 31,
                "entity_id": 5,
                "entity_code": person.id_number,
                "department_id": None,
                "legal_basis": "《医疗机构管理条例》第四十三条；当事人身份证号11010519491231002X",
                "amount": 3000,
                "decided_on": "2026-03-02",
                "inclusive_list_entry": None,
            },
        )
    )
    record = Publication.objects.get()
    assert record.kind == "penalty" and record.needs_review
    assert (record.subject_name, record.subject_code) == ("张**", "110105********002X")
    assert "11010519491231002X" not in record.legal_basis
    assert "3000" in record.summary
    assert record.publish_due == D(2026, 3, 11)


def test_licence_number_joins_and_a_revocation_withdraws_with_a_public_note(
    freeze, clinic, event, decision_payload, client
):
    freeze("2026-02-12")
    queue_licensing_decision(event("case.decided", decision_payload(applicant=clinic, case_id=7)))
    add_licence_number(
        event("licence.issued", {"case_id": 7, "number": "PDY00001X210202", "licence_id": 1})
    )
    record = Publication.objects.get()
    assert record.licence_number == "PDY00001X210202"
    freeze("2026-05-06")
    ended = {
        "licence_id": 1,
        "number": "PDY00001X210202",
        "holder_id": clinic.pk,
        "reason": "revoked",
        "ended_on": "2026-05-06",
    }
    note_revocation(event("licence.ended", ended))
    note_revocation(event("licence.ended", ended))
    record.refresh_from_db()
    assert record.status == "withdrawn"
    assert record.withdrawal_reason == "许可证 PDY00001X210202 已于 2026-05-06 被吊销。"
    page = client.get(f"/disclosure/{record.pk}/").content.decode()
    assert "已于 2026-05-06 被吊销" in page
    body = client.get("/api/v1/public/decisions").json()
    assert body[0]["status"] == "withdrawn" and body[0]["withdrawal_reason"]


def test_an_expired_licence_leaves_the_decision_alone(freeze, clinic, event, decision_payload):
    freeze("2026-02-12")
    queue_licensing_decision(
        event("case.decided", decision_payload(applicant=clinic, licence_number="L-1"))
    )
    note_revocation(
        event(
            "licence.ended",
            {
                "licence_id": 1,
                "number": "L-1",
                "holder_id": clinic.pk,
                "reason": "expired",
                "ended_on": "2031-02-12",
            },
        )
    )
    assert Publication.objects.get().status == "published"


def test_a_withdrawal_without_reason_is_refused(
    freeze, clinic, event, decision_payload, user_named
):
    freeze("2026-02-12")
    queue_licensing_decision(event("case.decided", decision_payload(applicant=clinic)))
    record = Publication.objects.get()
    with pytest.raises(InvalidInput) as refused:
        services.publication_withdraw(actor=user_named("approver"), publication=record, reason=" ")
    assert "reason" in refused.value.fields
    assert Publication.objects.get().status == "published"


def test_the_clock_warns_and_alerts_the_leader_daily(freeze, clinic, event, decision_payload):
    freeze("2026-02-12")
    queue_licensing_decision(
        event("case.decided", decision_payload(applicant=clinic, outcome="denied"))
    )
    record = Publication.objects.get()
    assert services.publication_reading(record, D(2026, 2, 13)).level == "normal"
    assert services.publication_reading(record, D(2026, 2, 26)).level == "warning"
    assert services.publication_reading(record, D(2026, 3, 2)).level == "overdue"
    freeze("2026-02-13")
    assert services.publications_alert() == 0
    freeze("2026-03-02")
    assert services.publications_alert() == 1
    assert services.publications_alert() == 0
    alert = PublicationAlert.objects.get()
    assert (alert.user.username, alert.level) == ("leader", "overdue")


def test_events_published_in_a_transaction_reach_the_queue(freeze, clinic, decision_payload):
    freeze("2026-02-12")
    with transaction.atomic():
        publish("case.decided", payload=decision_payload(applicant=clinic, case_id=42))
    assert deliver_pending() >= 1
    assert Publication.objects.get().source_id == 42
    assert AuditRecord.objects.filter(action="publication.publish").exists()


def _some_records(freeze, clinic, person, event, decision_payload):
    freeze("2026-02-12")
    queue_licensing_decision(event("case.decided", decision_payload(applicant=clinic, case_id=1)))
    queue_licensing_decision(
        event("case.decided", decision_payload(applicant=person, case_id=2))
    )  # waits for review: not public
    freeze("2026-03-02")
    queue_licensing_decision(
        event("case.decided", decision_payload(applicant=clinic, case_id=3, on="2026-03-02"))
    )


def test_public_search_by_name_code_item_and_date(
    freeze, clinic, person, event, decision_payload, client
):
    _some_records(freeze, clinic, person, event, decision_payload)
    assert len(client.get("/api/v1/public/decisions").json()) == 2
    by_name = client.get("/api/v1/public/decisions", {"q": "海滨"}).json()
    assert len(by_name) == 2 and by_name[0]["holder"] == CLINIC
    assert len(client.get("/api/v1/public/decisions", {"q": clinic.uscc}).json()) == 2
    assert len(client.get("/api/v1/public/decisions", {"item": "执业登记"}).json()) == 2
    assert client.get("/api/v1/public/decisions", {"item": "消毒"}).json() == []
    period = client.get("/api/v1/public/decisions", {"from": "2026-03-01", "to": "2026-03-31"})
    assert [row["decided_on"] for row in period.json()] == ["2026-03-02"]
    assert period.json()[0]["publish_due"] == "2026-03-11"
    bad = client.get("/api/v1/public/decisions", {"from": "2026-04-01", "to": "2026-03-01"})
    assert bad.status_code == 400 and "from" in bad.json()["error"]["fields"]
    page = client.get("/disclosure/", {"q": "海滨"}).content.decode()
    assert CLINIC in page and "张**" not in page


def test_the_open_data_export_parses_back_to_the_published_records(
    freeze, clinic, person, event, decision_payload, client, user_named
):
    _some_records(freeze, clinic, person, event, decision_payload)
    queued = Publication.objects.get(status="queued")
    services.publication_publish(actor=user_named("approver"), publication=queued)
    published = {row.pk: row for row in Publication.objects.filter(published_at__isnull=False)}
    as_json = client.get("/api/v1/public/records/export", {"format": "json"})
    assert as_json.status_code == 200
    records = json.loads(as_json.content)["records"]
    as_csv = client.get("/api/v1/public/records/export", {"format": "csv"})
    assert as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    for parsed in (records, rows):
        assert {int(row["id"]) for row in parsed} == set(published)
        for row in parsed:
            record = published[int(row["id"])]
            assert row["subject_name"] == record.subject_name
            assert row["subject_code"] == record.subject_code
            assert row["decided_on"] == record.decided_on.isoformat()
            assert row["publish_due"] == record.publish_due.isoformat()
            assert row["decision"] == record.decision
    assert "11010519491231002X" not in as_csv.content.decode("utf-8-sig")


def test_the_atom_feed_lists_new_records(freeze, clinic, person, event, decision_payload, client):
    _some_records(freeze, clinic, person, event, decision_payload)
    feed = client.get("/disclosure/feed.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert body.count("<entry>") == 2 and CLINIC in body and "张" not in body


def test_the_staff_queue_publishes_and_withdraws(
    freeze, clinic, event, decision_payload, api_client
):
    freeze("2026-02-12")
    queue_licensing_decision(
        event("case.decided", decision_payload(applicant=clinic, outcome="denied"))
    )
    record = Publication.objects.get()
    api_client.login_as("approver")
    listed = api_client.get("/api/v1/disclosure/queue", {"status": "queued"}).json()
    assert [row["id"] for row in listed] == [record.pk] and listed[0]["clock_level"] == "normal"
    assert api_client.post(f"/api/v1/disclosure/{record.pk}/publish").status_code == 200
    refused = api_client.post(
        f"/api/v1/disclosure/{record.pk}/withdraw", {}, content_type="application/json"
    )
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    done = api_client.post(
        f"/api/v1/disclosure/{record.pk}/withdraw",
        {"reason": "复议撤销原决定"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
