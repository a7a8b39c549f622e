"""Plans, commit and draw by the rule of API.md, recomputed by the stand-alone verifier."""

import copy
import datetime
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from yiwang.errors import Conflict, InvalidInput
from yiwang.licences.services import licence_revoke
from yiwang.licences.tests.factories import PUBLIC_PLACE, make_licence
from yiwang.parties.models import Applicant
from yiwang.supervision import drawing, services, verify_draw
from yiwang.supervision.directory import directory
from yiwang.supervision.models import Plan, PlanEntity, Task

pytestmark = pytest.mark.django_db


def test_exact_decimal_counts_not_binary_floats():
    assert 0.07 * 100 > 7  # the binary float trap the rule avoids
    assert verify_draw.take_count("0.07", 100) == 7
    assert verify_draw.take_count(Decimal("0.0701"), 100) == 8
    assert verify_draw.take_count("0", 500) == 0
    assert verify_draw.take_count("1", 3) == 3
    with pytest.raises(ValueError):
        verify_draw.take_count("1.5", 3)


def test_commit_freezes_the_directory_and_publishes_commitment_and_hash(
    freeze, make_plan, entities, user_named
):
    freeze("2026-03-02")
    plan = make_plan()
    assert plan.status == "draft" and plan.ratios["U"] == "0.2"
    committed = services.plan_commit(actor=user_named("leader"), plan_id=plan.pk)
    codes = list(PlanEntity.objects.filter(plan=plan).values_list("code", flat=True))
    # the demo clinic (practice licence) and the hospital, plus the 40 new institutions
    assert committed.directory_size == len(codes) == 42
    assert committed.directory_hash == verify_draw.directory_hash_of(codes)
    assert committed.seed_commitment == verify_draw.sha256_hex(committed.secret)
    assert sorted(committed.pool.values_list("code", flat=True)) == ["21020000001", "21020000002"]
    with pytest.raises(Conflict):
        services.plan_commit(actor=user_named("leader"), plan_id=plan.pk)


def test_draw_before_commit_and_second_draw_are_refused(freeze, make_plan, entities, user_named):
    freeze("2026-03-02")
    leader = user_named("leader")
    plan = make_plan()
    with pytest.raises(Conflict) as refused:
        services.plan_draw(actor=leader, plan_id=plan.pk, witness="123")
    assert refused.value.code == "not_committed" and not Task.objects.exists()
    services.plan_commit(actor=leader, plan_id=plan.pk)
    draw = services.plan_draw(actor=leader, plan_id=plan.pk, witness="123")
    count = Task.objects.count()
    assert count == draw.task_count > 0
    with pytest.raises(Conflict) as again:
        services.plan_draw(actor=leader, plan_id=plan.pk, witness="456")
    assert again.value.code == "drawn" and Task.objects.count() == count


def test_the_draw_takes_ceil_of_ratio_per_grade_and_two_inspectors_each(drawn_plan):
    record = drawing.draw_record(drawn_plan)
    sizes = {grade: len(codes) for grade, codes in record["strata"].items()}
    assert sizes == {"A": 10, "B": 12, "C": 10, "D": 10}
    # ceil(0.1×10) + ceil(0.2×12) + ceil(0.5×10) + ceil(1×10) = 1 + 3 + 5 + 10
    assert len(record["tasks"]) == 19
    # Two each, unless the cap left too few: then the task says so (it depends on the secret).
    for task in record["tasks"]:
        assert len(task["inspectors"]) == (1 if task["needs_inspectors"] else 2) or (
            task["needs_inspectors"] and not task["inspectors"]
        )
    # cap = ceil(19 × 2 / 3) = 13 tasks per inspector at most
    loads = {}
    for task in record["tasks"]:
        for code in task["inspectors"]:
            loads[code] = loads.get(code, 0) + 1
    assert max(loads.values()) <= 13
    assert sum(loads.values()) == 38 - sum(
        2 - len(task["inspectors"]) for task in record["tasks"] if task["needs_inspectors"]
    )


def test_the_verifier_recomputes_the_published_draw(drawn_plan):
    record = drawing.draw_record(drawn_plan)
    assert verify_draw.problems(record) == []


def _other_first(secret: str) -> str:
    """The secret with its first character changed (the random secret may start with "0")."""
    return ("1" if secret[0] == "0" else "0") + secret[1:]


@pytest.mark.parametrize(
    "tamper, expected",
    [
        (lambda r: r.update(secret=_other_first(r["secret"])), "commitment"),
        (lambda r: r.update(witness=r["witness"] + "8"), "seed"),
        (lambda r: r["strata"]["B"].remove(r["strata"]["B"][0]), "directory hash"),
        (lambda r: r["strata"]["A"].append("99999999999999999Z"), "directory hash"),
        (lambda r: r["pool"].append("21020000009"), "pool"),
        (lambda r: r["conflicts"].update({r["pool"][0]: [r["tasks"][0]["entity"]]}), "pool"),
        (lambda r: r["tasks"][0]["inspectors"].reverse(), "tasks"),
        (lambda r: r["tasks"].pop(), "tasks"),
    ],
)
def test_the_verifier_fails_on_any_change(drawn_plan, tamper, expected):
    record = copy.deepcopy(drawing.draw_record(drawn_plan))
    tamper(record)
    assert any(expected in problem for problem in verify_draw.problems(record))


def test_a_changed_witness_with_matching_seed_still_gives_other_tasks(drawn_plan):
    record = copy.deepcopy(drawing.draw_record(drawn_plan))
    record["witness"] = "another witness"
    record["seed"] = verify_draw.seed_of(record["secret"], record["witness"])
    assert "the tasks differ from those the rule gives" in verify_draw.problems(record)


def test_the_stand_alone_verifier_runs_on_a_json_file(drawn_plan, tmp_path):
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(drawing.draw_record(drawn_plan)), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "yiwang.supervision.verify_draw", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and run.stdout.startswith("MATCH: 19 tasks")
    record = json.loads(path.read_text(encoding="utf-8"))
    record["witness"] = "x"
    path.write_text(json.dumps(record), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "yiwang.supervision.verify_draw", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1 and "MISMATCH" in run.stdout


def test_the_verifier_uses_only_the_standard_library():
    source = Path(verify_draw.__file__).read_text(encoding="utf-8")
    imports = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imports <= {"__future__", "hashlib", "json", "sys", "urllib", "decimal"}


def test_declared_conflicts_are_avoided(freeze, make_plan, entities, inspector3, user_named):
    freeze("2026-03-02")
    leader = user_named("leader")
    avoided = [entity.uscc for entity in entities[3::4]]  # every D entity: all are drawn
    for code in avoided:
        services.conflict_declare(actor=user_named("inspector1"), entity_code=code, reason="亲属")
    plan = make_plan()
    services.plan_commit(actor=leader, plan_id=plan.pk)
    services.plan_draw(actor=leader, plan_id=plan.pk, witness="w")
    plan.refresh_from_db()
    record = drawing.draw_record(plan)
    assert record["conflicts"] == {"21020000001": sorted(avoided)}
    for task in record["tasks"]:
        if task["entity"] in avoided:
            assert "21020000001" not in task["inspectors"]
    assert verify_draw.problems(record) == []


def test_too_few_inspectors_marks_the_task(freeze, make_plan, entities, user_named):
    freeze("2026-03-02")
    leader = user_named("leader")
    target = entities[3].uscc  # grade D, drawn for sure
    services.conflict_declare(actor=user_named("inspector1"), entity_code=target, reason="曾任职")
    plan = make_plan()
    services.plan_commit(actor=leader, plan_id=plan.pk)
    services.plan_draw(actor=leader, plan_id=plan.pk, witness="w")
    task = Task.objects.get(plan=plan, entity_code=target)
    assert task.status == "needs_inspectors"
    assert list(task.assignments.values_list("code", flat=True)) == ["21020000002"]
    plan.refresh_from_db()
    record = drawing.draw_record(plan)
    assert verify_draw.problems(record) == []


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        (
            {"ratios": {"A": "1.2", "B": "0.1", "C": "0.1", "D": "0.1"}},
            "ratios.A",
            "ratio_out_of_range",
        ),
        (
            {"ratios": {"A": "-0.1", "B": "0.1", "C": "0.1", "D": "0.1"}},
            "ratios.A",
            "ratio_out_of_range",
        ),
        (
            {"ratios": {"A": "0.12345", "B": "0.1", "C": "0.1", "D": "0.1"}},
            "ratios.A",
            "ratio_out_of_range",
        ),
        ({"ratios": {"A": "abc", "B": "0.1", "C": "0.1", "D": "0.1"}}, "ratios.A", "ratio_invalid"),
        ({"ratios": {"A": "0.1", "B": "0.1", "C": "0.1"}}, "ratios.D", "ratio_missing"),
        ({"inspectors_per_task": 1}, "inspectors_per_task", "too_few_per_task"),
        ({"inspector_pool": ["inspector1"]}, "inspector_pool", "pool_too_small"),
        ({"inspector_pool": ["inspector1", "reviewer"]}, "inspector_pool", "not_an_inspector"),
        ({"region_code": "999999999999"}, "region_code", "unknown"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(make_plan, overrides, field, code):
    with pytest.raises(InvalidInput) as refused:
        make_plan(**overrides)
    assert refused.value.code == code and field in refused.value.fields
    assert not Plan.objects.exists()


def test_directory_follows_the_register(freeze, demo, user_named):
    today = freeze("2026-03-02").date()
    codes = {row["code"] for row in directory(today=today)}
    pool = Applicant.objects.get(name="大连星海游泳馆有限公司")
    assert pool.uscc not in codes  # its only licence expired
    licence = make_licence(
        holder=pool.name, item_code=PUBLIC_PLACE, valid_until=datetime.date(2027, 1, 1)
    )
    assert {row["code"] for row in directory(today=today)} == codes | {pool.uscc}
    licence_revoke(actor=user_named("approver"), licence=licence, reason="以欺骗手段取得")
    assert {row["code"] for row in directory(today=today)} == codes


def test_directory_filters_by_grade_region_and_type(freeze, entities):
    today = freeze("2026-03-02").date()
    d_grade = list(directory(today=today, grade="D"))
    assert len(d_grade) == 10 and {row["grade"] for row in d_grade} == {"D"}
    assert directory(today=today, region_prefix="210203").count() == 0
    assert directory(today=today, licence_types=["11100000000006"]).count() == 1


@pytest.mark.postgres
def test_the_database_draw_equals_the_rule_in_python(drawn_plan):
    """On PostgreSQL hashing and ordering run in SQL; they must give the verifier's list."""
    record = drawing.draw_record(drawn_plan)
    assert drawing.on_postgresql()
    assert drawing.directory_hash(drawn_plan) == verify_draw.directory_hash_of(
        [code for codes in record["strata"].values() for code in codes]
    )
    in_sql = [
        (key, code) for key, code, *_rest in drawing.drawn_entities(drawn_plan, record["seed"])
    ]
    assert in_sql == verify_draw.drawn_entities(record["seed"], record["strata"], record["ratios"])
    tasks = Task.objects.filter(plan=drawn_plan).order_by("draw_order")
    assert [task.rank_key for task in tasks] == [key for key, _code in in_sql]
    assert {task.kind for task in tasks} == {"drawn"}


def test_the_verifier_hashes_as_the_rule_is_written():
    """pool_orders and drawn_entities hash the seed's block once and copy the state; the
    orders must be those of the rule's own words, sha256 of the whole text as hex."""
    seed = verify_draw.seed_of("秘密", "福彩3D 2026055")
    entities = [f"9121020000000{n:05d}" for n in range(40)] + ["许可证-甲\t1"]
    pool = ["21020000001", "21020000002", "21020000003", "21020000004"]
    conflicts = {"21020000003": [entities[0], entities[5]]}
    expected = [
        [
            pool.index(code)
            for code in sorted(pool, key=lambda code: verify_draw.sha256_hex(f"{seed}:{e}:{code}"))
            if e not in conflicts.get(code, [])
        ]
        for e in entities
    ]
    assert verify_draw.pool_orders(seed, entities, pool, conflicts) == expected
    strata = {"A": entities[:25], "B": entities[25:]}
    keyed = {
        grade: sorted((verify_draw.rank_key(seed, code), code) for code in codes)
        for grade, codes in strata.items()
    }
    chosen = sorted(keyed["A"][:3] + keyed["B"][:8])
    assert verify_draw.drawn_entities(seed, strata, {"A": "0.1", "B": "0.5"}) == chosen


def test_commit_counts_the_strata_and_a_plan_without_the_count_draws_the_same(
    freeze, make_plan, entities, inspector3, user_named
):
    freeze("2026-03-02")
    leader = user_named("leader")
    plans = []
    for kept in (True, False):
        plan = services.plan_commit(actor=leader, plan_id=make_plan().pk)
        assert plan.stratum_sizes == {"A": 10, "B": 12, "C": 10, "D": 10}
        if not kept:
            # As a plan committed before the count was kept: the draw counts for itself.
            Plan.objects.filter(pk=plan.pk).update(stratum_sizes={})
        services.plan_draw(actor=leader, plan_id=plan.pk, witness="123")
        plan.refresh_from_db()
        record = drawing.draw_record(plan)
        assert verify_draw.problems(record) == []
        plans.append(record)
    assert [len(record["tasks"]) for record in plans] == [19, 19]
