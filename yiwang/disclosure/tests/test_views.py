"""Pages of disclosure and ratings for staff and the public: content, status, query budget."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.disclosure import policies, services
from yiwang.disclosure.models import PolicyDocument, Publication
from yiwang.disclosure.rules import FAIR_COMPETITION_STANDARDS
from yiwang.parties.models import Applicant
from yiwang.ratings import services as rating_services
from yiwang.ratings.models import RatingInvitation
from yiwang.ratings.subscribers import invite_case_rating
from yiwang.ratings.tests import casework
from yiwang.regions.models import Department

pytestmark = pytest.mark.django_db


def _queue_many(n, decision="approved"):
    applicant = Applicant.objects.get(name=casework.CLINIC)
    for index in range(n):
        services.publication_queue(
            kind="licensing",
            source_id=1000 + index,
            number=f"N{index}",
            decided_on=datetime.date(2026, 2, 12),
            subject_name=applicant.name,
            subject_code=applicant.uscc,
            subject_is_person=False,
            decision=decision,
            item_code=casework.PRACTICE_REGISTRATION,
            item_name="医疗机构执业登记",
            department_id=Department.objects.get(name="大连市卫生健康委员会").pk,
            region_code="210200000000",
        )


def test_the_public_list_costs_the_same_queries_for_many_records(
    demo, client, freeze, django_assert_max_num_queries
):
    freeze("2026-02-12")
    _queue_many(30)
    with django_assert_max_num_queries(6):
        page = client.get("/disclosure/")
    assert page.status_code == 200
    assert len(re.findall(r'href="/disclosure/\d+/"', page.content.decode())) == 25
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/public/decisions").json()) == 30


def test_the_staff_queue_page_publishes_with_one_click(demo, client, freeze):
    freeze("2026-02-12")
    _queue_many(1, decision="denied")
    record = Publication.objects.get()
    client.login(username="approver", password="demo-pass-2026")
    page = client.get("/workbench/disclosure/").content.decode()
    assert "N0" in page and "2026-02-28" in page
    client.post(f"/workbench/disclosure/{record.pk}/publish/")
    assert Publication.objects.get().status == "published"
    refused = client.post(
        f"/workbench/disclosure/{record.pk}/withdraw/", {"reason": ""}, follow=True
    )
    assert "撤销理由" in refused.content.decode()
    assert Publication.objects.get().status == "published"


def test_the_policy_desk_lists_documents_due_for_assessment(demo, client, user_named, freeze):
    freeze("2026-03-02")
    leader = user_named("leader")
    document = policies.policy_draft(actor=leader, title="旧办法", text="正文", touches_market=True)
    policies.policy_review(
        actor=leader,
        document=document,
        checklist=dict.fromkeys(FAIR_COMPETITION_STANDARDS, False),
        conclusion="未发现排除、限制竞争内容",
    )
    policies.policy_publish(actor=leader, document=document)
    freeze("2027-01-11")
    client.login(username="leader", password="demo-pass-2026")
    page = client.get("/workbench/policies/?year=2027").content.decode()
    assert "旧办法" in page.split('id="due-for-assessment"')[1]
    client.post(
        f"/workbench/policies/{document.pk}/",
        {"step": "assess", "year": "2027", "outcome": "repeal", "note": "已被上位法取代"},
    )
    document.refresh_from_db()
    assert document.status == "repealed"
    assert "已废止" in client.get("/policies/").content.decode()


def test_the_rectification_page_hides_the_rater_without_consent(demo, client, user_named, freeze):
    freeze("2026-09-21")
    case = casework.decide_case(user_named, casework.file_case(user_named))
    invite_case_rating(casework.decided_event(case))
    rating = rating_services.rating_give(
        actor=user_named("applicant"),
        invitation=RatingInvitation.objects.get(subject_id=case.pk),
        level=1,
        channel="portal",
        comment="态度差",
    )
    client.login(username="leader", password="demo-pass-2026")
    page = client.get(f"/workbench/ratings/rectifications/{rating.rectification.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "态度差" in text and "不显示（未同意回访）" in text
    assert casework.CLINIC not in text
    client.post(
        f"/workbench/ratings/rectifications/{rating.rectification.pk}/",
        {"step": "verify", "genuine": "yes", "note": "属实"},
    )
    rating.rectification.refresh_from_db()
    assert rating.rectification.status == "verified"


def test_workbench_tiles_link_the_new_desks(demo, client):
    client.login(username="leader", password="demo-pass-2026")
    page = client.get("/workbench/").content.decode()
    for path in ("/workbench/disclosure/", "/workbench/policies/", "/workbench/ratings/"):
        assert path in page


def test_a_draft_keeps_its_attachments_and_shows_them_when_published(
    demo, client, user_named, freeze
):
    freeze("2026-09-28")
    client.login(username="leader", password="demo-pass-2026")
    annex = SimpleUploadedFile("附件1.pdf", b"%PDF-1.4 annex", content_type="application/pdf")
    client.post(
        "/workbench/policies/",
        {"title": "关于诊所备案的通知", "text": "正文", "attachments": [annex]},
    )
    document = PolicyDocument.objects.get()
    assert [a.name for a in document.attachments.all()] == ["附件1.pdf"]
    missing = client.post("/workbench/policies/", {"title": "", "text": "x"}, follow=True)
    assert "请填写文件标题" in missing.content.decode()
    policies.policy_publish(actor=user_named("leader"), document=document)
    assert "附件1.pdf" in client.get(f"/policies/{document.pk}/").content.decode()
