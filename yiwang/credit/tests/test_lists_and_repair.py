"""Red and black lists, objection (异议) and credit repair (信用修复)."""

import datetime

import pytest

from yiwang.credit.lists import list_entries_expire, list_entry_decide, list_entry_propose
from yiwang.credit.models import CreditFact, ListEntry, Objection, Repair
from yiwang.credit.objections import objection_answer, objection_file, repair_apply, repair_decide
from yiwang.credit.selectors import sampling_ratio
from yiwang.credit.tests.helpers import fact, grade_a
from yiwang.errors import Conflict, NotFound, PermissionRefused
from yiwang.events.models import Event
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db
D = datetime.date
RATIOS = {"A": "0.02", "B": "0.05", "C": "0.10", "D": "0.30"}


def test_a_serious_penalty_black_lists_by_rule_and_grades_d(w):
    grade_a(w, w.clinic)
    assert str(sampling_ratio(w.clinic, RATIOS)) == "0.02"
    penalty = fact(w, w.clinic, "penalty", "serious", on=D(2026, 2, 20))
    w.clinic.refresh_from_db()
    assert w.clinic.black_listed and w.clinic.credit_grade == "D"
    entry = ListEntry.objects.get(applicant=w.clinic)
    assert (entry.list_kind, entry.status, entry.fact_id) == ("black", "active", penalty.pk)
    assert (entry.starts_on, entry.ends_on) == (D(2026, 2, 20), D(2029, 2, 20))
    assert str(sampling_ratio(w.clinic, RATIOS)) == "0.30"
    listed = Event.objects.get(name="credit.listed")
    assert listed.payload["list"] == "black" and listed.payload["until"] == "2029-02-20"


def test_a_manual_red_entry_needs_another_leaders_approval(w, user_named):
    entry = list_entry_propose(
        actor=w.leader,
        applicant=w.hospital,
        list_kind="red",
        legal_basis="大连市守信激励名单认定办法",
        reason="连续三年无违法记录",
        starts_on=D(2026, 3, 2),
        ends_on=D(2027, 3, 1),
    )
    w.hospital.refresh_from_db()
    assert entry.status == "proposed" and not w.hospital.red_listed
    with pytest.raises(PermissionRefused) as error:
        list_entry_decide(actor=w.leader, entry_id=entry.pk, approve=True)
    assert error.value.code == "four_eyes"
    list_entry_decide(actor=w.admin, entry_id=entry.pk, approve=True)
    w.hospital.refresh_from_db()
    assert w.hospital.red_listed


def test_a_list_entry_ends_by_itself_and_the_grade_follows(w, freeze):
    fact(w, w.clinic, "false_commitment", "serious", on=D(2026, 3, 2))
    w.clinic.refresh_from_db()
    assert w.clinic.black_listed and w.clinic.credit_grade == "D"
    # The fact counts 36 months and the entry lasts 36 months: both end on 2029-03-02.
    freeze("2029-03-03")
    assert list_entries_expire() == 1
    w.clinic.refresh_from_db()
    assert not w.clinic.black_listed and w.clinic.credit_grade == "B"


def test_objection_marks_the_fact_disputed_with_a_due_date_in_working_days(w):
    penalty = fact(w, w.clinic, "penalty", "general")
    objection = objection_file(actor=w.applicant_user, fact_id=penalty.pk, reason="处罚对象有误")
    penalty.refresh_from_db()
    assert penalty.status == "disputed"
    # 5 working days after Monday 2 March 2026.
    assert objection.answer_due == D(2026, 3, 9)


def test_an_objection_over_national_day_counts_working_days(w, freeze):
    penalty = fact(w, w.clinic, "penalty", "general")
    freeze("2026-09-30")
    objection = objection_file(actor=w.applicant_user, fact_id=penalty.pk, reason="有误")
    # 1–7 October 2026 are holidays, 10 October a make-up working day: 8, 9, 10, 12, 13.
    assert objection.answer_due == D(2026, 10, 13)


def test_nobody_objects_to_someone_elses_fact(w):
    other = fact(w, w.hospital, "penalty", "general")
    with pytest.raises(NotFound):  # another entity's record is not revealed to a portal user
        objection_file(actor=w.applicant_user, fact_id=other.pk, reason="不是我")
    with pytest.raises(PermissionRefused) as error:  # staff read it, but only the entity objects
        objection_file(actor=w.approver, fact_id=other.pk, reason="不是我")
    assert error.value.code == "not_your_fact"
    other.refresh_from_db()
    assert other.status == "active" and Objection.objects.count() == 0


def test_an_upheld_objection_corrects_the_fact_and_the_grade(w, user_named):
    penalty = fact(w, w.clinic, "penalty", "general")
    w.clinic.refresh_from_db()
    assert w.clinic.credit_grade == "C"
    objection = objection_file(actor=w.applicant_user, fact_id=penalty.pk, reason="处罚已撤销")
    with pytest.raises(PermissionRefused):
        objection_answer(
            actor=user_named("zs_reviewer"), objection_id=objection.pk, upheld=True, answer="x"
        )
    objection_answer(
        actor=user_named("reviewer"), objection_id=objection.pk, upheld=True, answer="经核实已撤销"
    )
    penalty.refresh_from_db()
    w.clinic.refresh_from_db()
    assert penalty.status == "corrected" and penalty.ended_on == D(2026, 3, 2)
    assert w.clinic.credit_grade == "B"


def test_a_rejected_objection_restores_the_fact(w, user_named):
    penalty = fact(w, w.clinic, "penalty", "general")
    objection = objection_file(actor=w.applicant_user, fact_id=penalty.pk, reason="有误")
    objection_answer(
        actor=user_named("reviewer"), objection_id=objection.pk, upheld=False, answer="事实清楚"
    )
    penalty.refresh_from_db()
    assert penalty.status == "active"


def test_repair_within_the_minimum_period_is_refused(w):
    penalty = fact(w, w.clinic, "penalty", "general", on=D(2026, 2, 2))
    with pytest.raises(Conflict) as error:
        repair_apply(
            actor=w.applicant_user, fact_id=penalty.pk, statement="已整改", evidence="整改报告"
        )
    assert error.value.code == "minimum_period" and "2026-05-02" in error.value.message
    assert Repair.objects.count() == 0


def test_a_granted_repair_ends_the_black_list_and_restores_the_grade(w, freeze, user_named):
    grade_a(w, w.clinic)
    false = fact(w, w.clinic, "false_commitment", "serious", on=D(2026, 3, 2))
    w.clinic.refresh_from_db()
    assert (w.clinic.credit_grade, w.clinic.black_listed) == ("D", True)
    freeze("2027-03-02")  # one year: the minimum period of a serious fact
    repair = repair_apply(
        actor=w.applicant_user,
        fact_id=false.pk,
        statement="已补齐卫生设施并经复查合格",
        evidence="复查意见书 大连卫监复〔2027〕3号",
    )
    assert repair.decision_due == D(2027, 3, 9)
    repair_decide(actor=user_named("approver"), repair_id=repair.pk, grant=True, note="同意修复")
    false.refresh_from_db()
    w.clinic.refresh_from_db()
    assert false.status == "repaired" and false.ended_on == D(2027, 3, 2)
    assert ListEntry.objects.get(fact=false).status == "ended"
    assert (w.clinic.credit_grade, w.clinic.black_listed) == ("A", False)


def test_the_applicant_cannot_decide_its_own_repair(w, freeze):
    penalty = fact(w, w.clinic, "penalty", "minor")
    repair = repair_apply(
        actor=w.applicant_user, fact_id=penalty.pk, statement="已改", evidence="x"
    )
    with pytest.raises(PermissionRefused):
        repair_decide(actor=w.applicant_user, repair_id=repair.pk, grant=True)
    assert CreditFact.objects.get(pk=penalty.pk).status == "active"
    assert Applicant.objects.get(pk=w.clinic.pk).credit_grade == "B"
