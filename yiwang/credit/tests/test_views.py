"""Credit pages: public lookup and lists, the portal's own credit page, the workbench."""

import datetime

import pytest

from yiwang.credit.models import CreditFact, Objection, Repair
from yiwang.credit.tests.helpers import fact, grade_a

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_public_looks_up_a_grade_by_name_and_reads_its_page(w, client):
    grade_a(w, w.clinic)
    page = client.get("/credit/", {"q": "海滨口腔"})
    assert page.status_code == 200
    assert w.clinic.uscc in page.content.decode()
    detail = client.get(f"/credit/{w.clinic.uscc}/").content.decode()
    assert 'data-grade="A"' in detail and "2026-03-02" in detail


def test_the_public_black_list_page_names_the_measures(w, client):
    fact(w, w.clinic, "false_commitment", "serious")
    page = client.get("/credit/lists/black/").content.decode()
    assert "大连海滨口腔诊所" in page and "国办发〔2020〕42号" in page
    assert client.get("/credit/lists/grey/").status_code == 404


def test_the_applicant_sees_its_facts_and_objects_from_the_portal(w, client):
    penalty = fact(w, w.clinic, "penalty", "general")
    client.force_login(w.applicant_user)
    page = client.get("/my/credit/").content.decode()
    assert f'data-fact="{penalty.pk}"' in page
    assert "2026-05-02" in page  # repair possible from (3 months after 2 February)
    response = client.post(f"/my/credit/facts/{penalty.pk}/object/", {"reason": "不是本机构"})
    assert response.status_code == 302
    assert CreditFact.objects.get(pk=penalty.pk).status == "disputed"
    page = client.get("/my/credit/").content.decode()
    assert 'data-status="disputed"' in page and "2026-03-09" in page


def test_a_refused_objection_from_the_portal_changes_nothing(w, client):
    other = fact(w, w.hospital, "penalty", "general")
    client.force_login(w.applicant_user)
    response = client.post(f"/my/credit/facts/{other.pk}/object/", {"reason": "x"}, follow=True)
    # Another entity's fact is not revealed to a portal user: "no such record" (as the API's 404).
    assert "记录不存在，或不在您所在部门和辖区的范围内" in response.content.decode()
    assert Objection.objects.count() == 0


def test_the_department_answers_and_decides_from_the_workbench(w, client, user_named, freeze):
    penalty = fact(w, w.clinic, "penalty", "minor")
    client.force_login(w.applicant_user)
    client.post(f"/my/credit/facts/{penalty.pk}/repair/", {"statement": "已改", "evidence": "报告"})
    repair = Repair.objects.get()
    client.force_login(user_named("approver"))
    desk = client.get("/workbench/credit/").content.decode()
    assert "已改" in desk
    client.post(f"/workbench/credit/repairs/{repair.pk}/decide/", {"grant": "yes", "note": "同意"})
    assert CreditFact.objects.get(pk=penalty.pk).status == "repaired"
    entity = client.get(f"/workbench/credit/entities/{w.clinic.pk}/").content.decode()
    assert 'data-status="repaired"' in entity and 'id="why"' in entity


def test_an_entity_page_is_for_staff_and_the_entity_only(w, client, django_user_model):
    stranger = django_user_model.objects.create_user(username="stranger", password="x")
    client.force_login(stranger)
    assert client.get(f"/workbench/credit/entities/{w.clinic.pk}/").status_code in (403, 404)
