"""Demo credit data: the score card in force, the list entry rules, the four lists, and a few
facts from the three departments so that grades differ."""

import datetime
import json
from pathlib import Path

from django.db import transaction

from yiwang import clock
from yiwang.credit.grading import (
    grade_pass,
    scorecard_activate,
    scorecard_create,
    scorecard_preview,
)
from yiwang.credit.models import InclusiveMeasure, ListRule
from yiwang.credit.services import fact_record
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department

DATA = Path(__file__).parent / "data" / "credit.json"
LISTS_IN_FORCE_FROM = datetime.date(2026, 1, 1)


def reference_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load(admin) -> None:
    data = reference_data()
    with transaction.atomic():
        for rule in data["list_rules"]:
            ListRule.objects.get_or_create(
                fact_kind=rule["fact_kind"], list_kind=rule["list_kind"], defaults=rule
            )
        for entry in data["inclusive_measures"]:
            InclusiveMeasure.objects.get_or_create(
                list_kind=entry["list_kind"],
                violation_kind=entry["violation_kind"],
                list_version=1,
                defaults={**entry, "valid_from": LISTS_IN_FORCE_FROM},
            )
    card = scorecard_create(actor=admin, **data["scorecard"])
    scorecard_preview(actor=admin, card=card)
    scorecard_activate(actor=admin, card=card)


def load_samples(admin) -> None:
    """A few facts, so that the public lookup shows grades A to D."""
    today = clock.today()
    health = Department.objects.get(name="大连市卫生健康委员会")
    insurance = Department.objects.get(kind="medical_security", region__code="210200000000")
    market = Department.objects.get(kind="market_supervision", region__code="210200000000")
    by_name = {a.name: a for a in Applicant.objects.exclude(kind="person")}
    samples = [
        (health, "大连中山仁和医院", "commitment_kept", "minor", 3),
        (health, "大连中山仁和医院", "inspection_compliant", "minor", 1),
        (health, "大连海滨口腔诊所", "inspection_rectify", "minor", 1),
        (insurance, "大连西岗康宁医院", "settlement_violation", "general", 2),
        (market, "大连美丽人生美容美发店", "abnormal_operation", "general", 1),
        (insurance, "大连明目眼科门诊部", "insurance_fraud", "general", 2),
    ]
    number = 0
    for department, name, kind, severity, count in samples:
        for _ in range(count):
            number += 1
            fact_record(
                actor=admin,
                department=department,
                entity_code=by_name[name].code,
                kind=kind,
                severity=severity,
                occurred_on=today - datetime.timedelta(days=20 * number),
                source_document=f"大连信用〔{today.year}〕{number}号",
                record_id=f"demo-{number}",
            )
    with transaction.atomic():
        grade_pass(actor=admin, reason="demo data")
