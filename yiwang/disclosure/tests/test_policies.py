"""Policy documents: 谁起草、谁审查 (fair-competition self-review before publishing),
谁起草、谁解读 (interpretation with the document or within the configured working days), and the
yearly assessment that keeps, amends or repeals."""

import datetime

import pytest

from yiwang.disclosure import policies
from yiwang.disclosure.models import PolicyDocument
from yiwang.disclosure.rules import FAIR_COMPETITION_STANDARDS
from yiwang.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db
D = datetime.date
CLEAN = dict.fromkeys(FAIR_COMPETITION_STANDARDS, False)


@pytest.fixture
def draft(demo, user_named, freeze):
    def make(title="关于优化医疗机构审批服务的若干措施", touches_market=True):
        return policies.policy_draft(
            actor=user_named("leader"),
            title=title,
            text="第一条 为优化营商环境……",
            touches_market=touches_market,
            document_number="大卫健发〔2026〕12号",
        )

    return make


def test_a_document_touching_market_entities_needs_its_review_conclusion(draft, user_named, freeze):
    freeze("2026-09-28")
    document = draft()
    with pytest.raises(Conflict) as refused:
        policies.policy_publish(actor=user_named("leader"), document=document)
    assert refused.value.code == "review_missing"
    assert PolicyDocument.objects.get().status == "draft"
    with pytest.raises(InvalidInput) as no_conclusion:
        policies.policy_review(
            actor=user_named("leader"), document=document, checklist=CLEAN, conclusion=""
        )
    assert "conclusion" in no_conclusion.value.fields
    with pytest.raises(InvalidInput) as incomplete:
        policies.policy_review(
            actor=user_named("leader"),
            document=document,
            checklist={"free_flow": False},
            conclusion="经审查，未发现排除、限制竞争内容。",
        )
    assert "checklist" in incomplete.value.fields


def test_a_review_finding_restrictions_blocks_publishing(draft, user_named, freeze):
    freeze("2026-09-28")
    document = draft()
    policies.policy_review(
        actor=user_named("leader"),
        document=document,
        checklist=CLEAN | {"market_entry_exit": True},
        conclusion="第五条限定了指定机构，须修改。",
    )
    with pytest.raises(Conflict) as refused:
        policies.policy_publish(actor=user_named("leader"), document=document)
    assert refused.value.code == "review_failed"


def test_published_with_its_interpretation_on_the_same_day(draft, user_named, freeze, client):
    freeze("2026-09-28")
    document = draft()
    policies.policy_review(
        actor=user_named("approver"),
        document=document,
        checklist=CLEAN,
        conclusion="经审查，未发现排除、限制竞争内容。",
    )
    policies.policy_interpret(actor=user_named("approver"), document=document, text="一图读懂")
    document = policies.policy_publish(actor=user_named("leader"), document=document)
    assert (document.status, document.published_on) == ("in_force", D(2026, 9, 28))
    assert document.interpretation.published_on == D(2026, 9, 28)
    page = client.get(f"/policies/{document.pk}/").content.decode()
    assert "一图读懂" in page and "第一条" in page and "现行有效" in page


def test_an_interpretation_written_later_is_due_in_three_working_days(
    draft, user_named, freeze, client, settings
):
    freeze("2026-09-30")
    document = draft(touches_market=False)
    document = policies.policy_publish(actor=user_named("leader"), document=document)
    # 8, 9 Oct and make-up Saturday 10 Oct after the National Day holiday.
    assert document.interpretation_due == D(2026, 10, 10)
    assert list(policies.interpretations_overdue(today=D(2026, 10, 12))) == [document]
    public = client.get(f"/api/v1/public/policies/{document.pk}").json()
    assert public["interpretation"] is None and public["interpretation_due"] == "2026-10-10"
    freeze("2026-10-09")
    policies.policy_interpret(actor=user_named("approver"), document=document, text="解读全文")
    public = client.get(f"/api/v1/public/policies/{document.pk}").json()
    assert public["interpretation"] == "解读全文"
    assert public["interpretation_published_on"] == "2026-10-09"
    assert not policies.interpretations_overdue(today=D(2026, 10, 12)).exists()
    settings.YIWANG_POLICY_INTERPRETATION_WORKING_DAYS = 5
    later = policies.policy_publish(actor=user_named("leader"), document=draft("另一文件", False))
    assert later.interpretation_due == D(2026, 10, 15)


def test_drafts_are_not_public(draft, client, freeze):
    freeze("2026-09-28")
    document = draft()
    assert client.get(f"/policies/{document.pk}/").status_code == 404
    assert client.get("/api/v1/public/policies").json() == []


def test_the_yearly_assessment_lists_repeals_and_amends(draft, user_named, freeze, client):
    freeze("2026-03-02")
    old = policies.policy_publish(actor=user_named("leader"), document=draft("旧办法", False))
    kept = policies.policy_publish(actor=user_named("leader"), document=draft("保留办法", False))
    freeze("2027-01-11")
    newer = policies.policy_publish(actor=user_named("leader"), document=draft("新办法", False))
    due = list(policies.documents_due_for_assessment(year=2027))
    assert due == [old, kept]
    leader = user_named("leader")
    with pytest.raises(InvalidInput) as no_target:
        policies.policy_assess(
            actor=leader, document=old, year=2027, outcome="amend", note="内容已过时"
        )
    assert "amended_by" in no_target.value.fields
    policies.policy_assess(
        actor=leader, document=old, year=2027, outcome="amend", note="内容已过时", amended_by=newer
    )
    policies.policy_assess(actor=leader, document=kept, year=2027, outcome="keep", note="继续有效")
    with pytest.raises(Conflict):
        policies.policy_assess(actor=leader, document=kept, year=2027, outcome="repeal", note="x")
    assert list(policies.documents_due_for_assessment(year=2027)) == []
    assert list(policies.documents_due_for_assessment(year=2028)) == [kept, newer]
    policies.policy_assess(actor=leader, document=kept, year=2028, outcome="repeal", note="废止")
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.status, old.amended_by, old.ended_on) == ("amended", newer, D(2027, 1, 11))
    assert kept.status == "repealed"
    listed = {row["title"]: row["status"] for row in client.get("/api/v1/public/policies").json()}
    assert listed == {"旧办法": "amended", "保留办法": "repealed", "新办法": "in_force"}


def test_policies_through_the_api(demo, api_client, freeze):
    freeze("2026-09-28")
    api_client.login_as("leader")
    created = api_client.post(
        "/api/v1/policies",
        {"title": "关于规范诊所备案的通知", "text": "正文", "touches_market": True},
        content_type="application/json",
    )
    assert created.status_code == 201
    pid = created.json()["id"]
    refused = api_client.post(f"/api/v1/policies/{pid}/publish")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "review_missing"
    reviewed = api_client.post(
        f"/api/v1/policies/{pid}/review",
        {"checklist": CLEAN, "conclusion": "未发现排除、限制竞争内容"},
        content_type="application/json",
    )
    assert reviewed.status_code == 200 and reviewed.json()["review"]["compliant"] is True
    published = api_client.post(f"/api/v1/policies/{pid}/publish")
    assert published.status_code == 200 and published.json()["status"] == "in_force"
    no_text = api_client.post(
        f"/api/v1/policies/{pid}/interpretation", {"text": ""}, content_type="application/json"
    )
    assert no_text.status_code == 400 and "text" in no_text.json()["error"]["fields"]
    api_client.login_as("clerk")
    assert api_client.post(
        "/api/v1/policies", {"title": "x", "text": "y"}, content_type="application/json"
    ).status_code in (400, 403)
