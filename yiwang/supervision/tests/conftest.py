import pytest

from yiwang.supervision import services
from yiwang.supervision.tests.factories import make_entities, make_inspector

RATIOS = {"A": "0.02", "B": "0.05", "C": "0.1", "D": "0.3"}


@pytest.fixture
def entities(demo):
    """40 more medical institutions in 青泥洼桥街道, grades A, B, C, D in turn."""
    return make_entities(40)


@pytest.fixture
def inspector3(demo):
    return make_inspector("inspector3", "21020000003")


@pytest.fixture
def make_plan(demo, user_named):
    def make(**overrides):
        arguments = {
            "actor": user_named("leader"),
            "name": "2026年医疗机构双随机抽查",
            "year": 2026,
            "licence_types": ["11100000000002"],
            "region_code": "210200000000",
            "ratios": {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"},
            "inspectors_per_task": 2,
        }
        arguments.update(overrides)
        return services.plan_create(**arguments)

    return make


@pytest.fixture
def drawn_plan(make_plan, entities, inspector3, user_named, freeze):
    freeze("2026-03-02")
    leader = user_named("leader")
    plan = make_plan()
    services.plan_commit(actor=leader, plan_id=plan.pk)
    services.plan_draw(actor=leader, plan_id=plan.pk, witness="福彩3D 2026055: 4 1 7")
    plan.refresh_from_db()
    return plan


# The cases app's fixtures that file a real case (used for post-approval checks).
from yiwang.cases.tests.conftest import clinic, file_case, upload  # noqa: E402, F401
