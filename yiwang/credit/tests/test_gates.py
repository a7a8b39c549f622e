"""Procedures gated by grade as data in the item versions (seed 004: A-graded medical
institutions get notification-commitment; seed 003: commitment for epidemic-related hygiene
licences), on top of the general gates (D and the black list lose trust procedures)."""

import pytest

from yiwang.catalog.selectors import item_published
from yiwang.catalog.services import item_version_revise
from yiwang.credit.gates import offered, refusal, require_allowed
from yiwang.credit.tests.helpers import fact, grade_a
from yiwang.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db
PRACTICE_REGISTRATION = "010010020000"
DISINFECTION = "010060010000"


def test_commitment_for_medical_institutions_is_offered_to_a_grades_only(w):
    version = item_published(PRACTICE_REGISTRATION)
    condition = version.procedure_grades["commitment"]
    assert condition["min_grade"] == "A" and "信用赋能" in condition["legal_basis"]
    assert "commitment" in version.procedures
    reason = str(refusal(w.clinic, "commitment", version))
    assert "A" in reason and "B" in reason
    with pytest.raises(Conflict) as error:
        require_allowed(w.clinic, "commitment", version)
    assert error.value.code == "credit_gate" and "procedure" in error.value.fields
    assert offered(w.clinic, ["standard", "commitment", "tolerance"], version) == [
        "standard",
        "tolerance",
    ]
    grade_a(w, w.clinic)
    assert refusal(w.clinic, "commitment", version) is None
    assert offered(w.clinic, ["standard", "commitment", "tolerance"], version) == [
        "commitment",
        "tolerance",
        "standard",
    ]


def test_disinfection_products_offer_commitment_from_grade_b(w):
    version = item_published(DISINFECTION)
    assert version.procedure_grades["commitment"]["min_grade"] == "B"
    assert refusal(w.clinic, "commitment", version) is None
    fact(w, w.clinic, "penalty", "general")  # C
    w.clinic.refresh_from_db()
    assert w.clinic.credit_grade == "C"
    assert refusal(w.clinic, "commitment", version) is not None


def test_without_the_version_only_the_general_gates_apply(w):
    assert refusal(w.clinic, "commitment") is None
    fact(w, w.clinic, "false_commitment", "serious")
    w.clinic.refresh_from_db()
    assert "黑名单" in str(refusal(w.clinic, "commitment"))


def test_a_grade_condition_needs_a_real_grade_and_a_legal_basis(w):
    item = item_published(PRACTICE_REGISTRATION).item
    with pytest.raises(InvalidInput) as error:
        item_version_revise(
            actor=w.admin,
            item=item,
            changes={"procedure_grades": {"commitment": {"min_grade": "E", "legal_basis": "x"}}},
        )
    assert "procedure_grades" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        item_version_revise(
            actor=w.admin,
            item=item,
            changes={"procedure_grades": {"first_use": {"min_grade": "A", "legal_basis": "x"}}},
        )
    assert "procedure_grades" in error.value.fields
