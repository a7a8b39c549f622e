"""Credit over the API: the done-when paths, departments' facts and imports, public reads."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.catalog.demo import example_answers
from yiwang.credit.models import CreditFact, FactImport
from yiwang.credit.selectors import sampling_ratio
from yiwang.credit.services import department_token_issue
from yiwang.credit.tests.helpers import fact, grade_a
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db
D = datetime.date
PUBLIC_PLACE = ("010040010000", ["M01", "M02", "M03", "M04", "M05"])
FORM = {"contact_name": "王明", "contact_phone": "13800000000"}
RATIOS = {"A": "0.02", "B": "0.05", "C": "0.10", "D": "0.30"}


@pytest.fixture
def clients(w, api_client):
    made = {}

    def client(username):
        if username not in made:
            made[username] = api_client.__class__().login_as(username)
        return made[username]

    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def application(client, applicant, procedure, department, **extra):
    materials = []
    for code in PUBLIC_PLACE[1]:
        upload = SimpleUploadedFile("m.pdf", b"%PDF-1.4", content_type="application/pdf")
        file_id = client.post("/api/v1/files", {"file": upload}).json()["file_id"]
        materials.append({"code": code, "file_id": file_id})
    return post(
        client,
        "/api/v1/applications",
        {
            "item_code": PUBLIC_PLACE[0],
            "channel": "online",
            "procedure": procedure,
            "applicant": {"id": applicant.pk},
            "department": department.pk,
            "form": {**FORM, **example_answers(PUBLIC_PLACE[0])},
            "materials": materials,
            **extra,
        },
    )


def test_a_false_commitment_black_lists_an_a_clinic_which_then_loses_trust_procedures(
    w, clients, freeze
):
    grade_a(w, w.clinic)
    assert str(sampling_ratio(w.clinic, RATIOS)) == "0.02"
    applicant = clients("applicant")
    filed = application(applicant, w.clinic, "commitment", w.health, commitment_signed=True)
    assert filed.status_code == 201, filed.content
    inspector = clients("inspector1")
    check = inspector.get("/api/v1/procedures/commitment-checks").json()[0]
    freeze("2026-03-16")
    result = post(
        inspector,
        f"/api/v1/procedures/commitment-checks/{check['id']}",
        {"truthful": False, "findings": "现场无消毒设施，承诺不实"},
    )
    assert result.status_code == 200, result.content
    clinic = Applicant.objects.get(pk=w.clinic.pk)
    assert clinic.black_listed and clinic.credit_grade == "D"
    assert str(sampling_ratio(clinic, RATIOS)) == "0.30"
    record = clients("approver").get(f"/api/v1/credit/entities/{clinic.pk}").json()
    false = next(f for f in record["facts"] if f["kind"] == "false_commitment")
    assert false["severity"] == "serious" and false["occurred_on"] == "2026-03-16"
    assert record["lists"] == ["black"] and record["grade"] == "D"
    for procedure in ("commitment", "tolerance"):
        refused = application(applicant, clinic, procedure, w.health, commitment_signed=True)
        assert refused.status_code == 409, refused.content
        assert refused.json()["error"]["code"] == "credit_gate"
    public = clients("applicant").get(f"/api/v1/credit/{clinic.uscc}").json()
    assert public["grade"] == "D" and public["lists"] == ["black"]
    assert [h["grade"] for h in public["history"]][:2] == ["D", "A"]


def test_the_public_reads_a_grade_by_code_or_name_without_signing_in(w, client):
    grade_a(w, w.clinic)
    response = client.get(f"/api/v1/credit/{w.clinic.uscc}")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["name"], body["grade"]) == (w.clinic.uscc, "大连海滨口腔诊所", "A")
    assert body["graded_on"] == "2026-03-02" and body["lists"] == []
    found = client.get("/api/v1/credit", {"q": "海滨口腔"}).json()
    assert [(row["code"], row["grade"]) for row in found] == [(w.clinic.uscc, "A")]
    missing = client.get("/api/v1/credit/91210202MA0000000X", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert "unified social credit code" in missing.json()["error"]["message"]


def test_the_public_black_list_shows_the_legal_basis_and_measures(w, client):
    fact(w, w.clinic, "false_commitment", "serious")
    rows = client.get("/api/v1/credit/lists/black").json()
    assert [row["code"] for row in rows] == [w.clinic.uscc]
    assert "国办发〔2020〕42号" in rows[0]["legal_basis"] and rows[0]["until"] == "2029-02-02"
    assert any("告知承诺" in measure for measure in rows[0]["measures"])
    assert client.get("/api/v1/credit/lists/red").json() == []


@pytest.fixture
def insurance_token(w):
    token, _record = department_token_issue(actor=w.admin, department=w.insurance, label="医保局")
    return token


def send(client, token, **changes):
    body = {
        "record_id": "YB-2026-0001",
        "entity_code": changes.pop("entity_code", None),
        "kind": "insurance_fraud",
        "severity": "general",
        "occurred_on": "2026-02-10",
        "source_document": "大医保罚〔2026〕1号",
        **changes,
    }
    return client.post(
        "/api/v1/credit/facts",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_department_sends_a_fact_with_its_token_idempotently(w, client, insurance_token):
    first = send(client, insurance_token, entity_code=w.clinic.uscc)
    assert first.status_code == 201, first.content
    assert first.json()["source"] == "medical_insurance"
    assert first.json()["valid_until"] == "2027-02-10"
    again = send(client, insurance_token, entity_code=w.clinic.uscc)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert CreditFact.objects.count() == 1
    assert Applicant.objects.get(pk=w.clinic.pk).credit_grade == "C"  # 80 - 20 = 60


def test_a_fact_for_an_unknown_entity_is_400_naming_the_field(w, client, insurance_token):
    response = send(client, insurance_token, entity_code="91210202MA0000000X")
    assert response.status_code == 400
    assert "entity_code" in response.json()["error"]["fields"]
    assert "未登记使用该代码的主体" in response.json()["error"]["fields"]["entity_code"]
    assert CreditFact.objects.count() == 0


def test_a_department_sends_only_its_own_kinds_and_needs_its_token(w, client, insurance_token):
    wrong = send(client, insurance_token, entity_code=w.clinic.uscc, kind="abnormal_operation")
    assert wrong.status_code == 400 and "kind" in wrong.json()["error"]["fields"]
    assert send(client, "dept_wrong", entity_code=w.clinic.uscc).status_code == 401
    assert CreditFact.objects.count() == 0


def csv_file(rows):
    text = "record_id,entity_code,kind,severity,occurred_on,source_document\n" + "".join(
        ",".join(row) + "\n" for row in rows
    )
    return SimpleUploadedFile("facts.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_an_imported_bad_row_leaves_nothing_imported(w, client, insurance_token):
    upload = csv_file(
        [
            ("YB-1", w.clinic.uscc, "settlement_violation", "general", "2026-02-01", "文书1"),
            (
                "YB-2",
                "91210202MA0000000X",
                "settlement_violation",
                "general",
                "2026-02-01",
                "文书2",
            ),
            ("YB-3", w.hospital.uscc, "settlement_violation", "grave", "2026-02-31", "文书3"),
        ]
    )
    response = client.post(
        "/api/v1/credit/facts/import",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {insurance_token}",
    )
    assert response.status_code == 400
    report = response.json()["error"]["report"]
    assert {(p["row"], p["column"]) for p in report} == {
        (3, "entity_code"),
        (4, "severity"),
        (4, "occurred_on"),
    }
    assert CreditFact.objects.count() == 0
    assert FactImport.objects.get().status == "rejected"
    assert Applicant.objects.get(pk=w.clinic.pk).credit_grade == "B"


def test_a_clean_import_records_every_row_and_regrades(w, client, insurance_token):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["record_id", "entity_code", "kind", "severity", "occurred_on", "source_document"])
    sheet.append(["YB-1", w.clinic.uscc, "settlement_violation", "general", D(2026, 2, 1), "文书1"])
    sheet.append(["YB-2", w.clinic.uscc, "insurance_fraud", "general", "2026-02-03", "文书2"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("facts.xlsx", buffer.getvalue())
    response = client.post(
        "/api/v1/credit/facts/import",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {insurance_token}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["imported"] == 2
    assert Applicant.objects.get(pk=w.clinic.pk).credit_grade == "C"  # 80 - 8 - 20 = 52


def test_objection_and_repair_over_the_api(w, clients, freeze):
    penalty = fact(w, w.clinic, "penalty", "minor")
    applicant = clients("applicant")
    objected = post(
        applicant, f"/api/v1/credit/facts/{penalty.pk}/objection", {"reason": "当事人有误"}
    )
    assert objected.status_code == 201, objected.content
    assert objected.json()["fact_status"] == "disputed"
    assert objected.json()["answer_due"] == "2026-03-09"
    again = post(applicant, f"/api/v1/credit/facts/{penalty.pk}/objection", {"reason": "再次"})
    assert again.status_code == 409
    answered = post(
        clients("reviewer"),
        f"/api/v1/credit/objections/{objected.json()['id']}/answer",
        {"upheld": False, "answer": "事实清楚"},
    )
    assert answered.json()["fact_status"] == "active"
    repair = post(
        applicant,
        f"/api/v1/credit/facts/{penalty.pk}/repair",
        {"statement": "已整改", "evidence": "整改报告"},
    )
    assert repair.status_code == 201, repair.content
    decided = post(
        clients("approver"),
        f"/api/v1/credit/repairs/{repair.json()['id']}/decide",
        {"grant": True, "note": "同意"},
    )
    assert decided.json()["status"] == "granted" and decided.json()["fact_status"] == "repaired"


def test_an_objection_to_someone_elses_fact_is_refused_in_english(w, clients):
    other = fact(w, w.hospital, "penalty", "minor")
    hidden = post(
        clients("applicant"), f"/api/v1/credit/facts/{other.pk}/objection", {"reason": "x"}
    )
    assert hidden.status_code == 404  # another entity's record is not revealed
    response = post(
        clients("approver").language("en"),
        f"/api/v1/credit/facts/{other.pk}/objection",
        {"reason": "x"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_your_fact"
    assert "your own credit record" in response.json()["error"]["message"]


def test_score_card_preview_and_activation_over_the_api(w, clients):
    leader = clients("leader")
    bad = post(
        leader,
        "/api/v1/credit/scorecards",
        {"name": "v2", "base_score": 80, "a_min": 60, "b_min": 70, "c_min": 50, "indicators": []},
    )
    assert bad.status_code == 400 and "thresholds" in bad.json()["error"]["fields"]
    made = post(
        leader,
        "/api/v1/credit/scorecards",
        {
            "name": "v2",
            "base_score": 80,
            "a_min": 80,
            "b_min": 70,
            "c_min": 50,
            "indicators": [{"fact_kind": "penalty", "severity": "general", "points": -15}],
        },
    )
    assert made.status_code == 201 and made.json()["version"] == 2
    everyone = Applicant.objects.exclude(kind="person").count()
    preview = post(leader, "/api/v1/credit/scorecards/2/preview", {}).json()
    assert preview["moves"] == {"B→A": everyone} and preview["moving"] == everyone
    applied = post(leader, "/api/v1/credit/scorecards/2/activate", {}).json()
    assert applied["moves"] == preview["moves"]


def test_inclusive_measures_for_a_violation_are_listed_for_staff(w, clients):
    rows = clients("inspector1").get(
        "/api/v1/credit/inclusive-measures",
        {"violation_kind": "medical_record_irregular", "on": "2026-03-02"},
    )
    assert rows.status_code == 200
    assert [row["list"] for row in rows.json()] == ["no_penalty", "mitigated"]
    assert "第三十三条" in rows.json()[0]["legal_basis"]
    early = clients("inspector1").get(
        "/api/v1/credit/inclusive-measures",
        {"violation_kind": "medical_record_irregular", "on": "2025-12-31"},
    )
    assert early.json() == []


def test_an_administrator_issues_a_department_token_from_the_command_line(w, client):
    from django.core.management import call_command

    output = io.StringIO()
    call_command(
        "credit_department_token",
        department="大连市市场监督管理局",
        label="市场监管",
        stdout=output,
    )
    token = output.getvalue().strip().rsplit(" ", 1)[-1]
    response = send(
        client, token, entity_code=w.clinic.uscc, kind="abnormal_operation", record_id="SC-1"
    )
    assert response.status_code == 201 and response.json()["source"] == "market_supervision"
