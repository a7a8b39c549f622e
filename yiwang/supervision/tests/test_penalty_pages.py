"""In Chromium on a phone: the inspector records a violation and is proposed the matching
entries of the four lists (包容审慎); the leader decides the penalty on its page, confirming
first. The partial and refusals through the Django test client."""

import pytest
from django.test import Client

from yiwang import demo as demo_data
from yiwang.credit.models import InclusiveMeasure
from yiwang.supervision import inspections, services
from yiwang.supervision.models import Penalty, Task
from yiwang.supervision.tests.factories import make_entities, make_inspector

PHONE = {"width": 390, "height": 844}
MEDICAL_RECORD = "medical_record_irregular"


def drawn_task(user_named):
    leader = user_named("leader")
    plan = services.plan_create(
        actor=leader,
        name="2026年医疗机构抽查",
        year=2026,
        licence_types=["11100000000002"],
        region_code="210200000000",
        ratios={"A": "1", "B": "1", "C": "1", "D": "1"},
        inspectors_per_task=2,
    )
    services.plan_commit(actor=leader, plan_id=plan.pk)
    services.plan_draw(actor=leader, plan_id=plan.pk, witness="福彩3D 2026055 4 1 7")
    return Task.objects.filter(plan=plan, assignments__code="21020000001").order_by("pk").first()


def signed_in(username):
    client = Client()
    assert client.login(username=username, password="demo-pass-2026")
    return client


@pytest.mark.django_db
def test_the_partial_proposes_the_matching_entries_of_the_four_lists(freeze, demo):
    freeze("2026-03-02")
    measure = InclusiveMeasure.objects.get(violation_kind=MEDICAL_RECORD, list_kind="mitigated")
    inspector = signed_in("inspector1")
    page = inspector.get(f"/workbench/supervision/proposals/?violation_kind={MEDICAL_RECORD}")
    text = page.content.decode()
    assert page.status_code == 200
    assert f'value="{measure.pk}"' in text and "医疗机构病历书写不规范" in text
    # no-penalty and mitigated entries for this type, and "none applies"
    assert text.count('name="inclusive_measure"') == 3
    assert text.index("首次、及时改正") < text.index(f'value="{measure.pk}"')
    other = inspector.get("/workbench/supervision/proposals/?violation_kind=unknown")
    assert "没有" in other.content.decode() and 'name="inclusive_measure"' not in (
        other.content.decode()
    )


@pytest.mark.django_db
def test_an_entry_not_proposed_for_the_violation_is_refused_and_nothing_changes(
    freeze, demo, user_named
):
    freeze("2026-03-02")
    make_entities(4)
    make_inspector("inspector3", "21020000003")
    task = drawn_task(user_named)
    inspection = inspections.inspection_start(actor=user_named("inspector1"), task_id=task.pk)
    inspections.inspection_record_findings(
        actor=user_named("inspector1"), inspection_id=inspection.pk, findings="病历缺页"
    )
    unrelated = InclusiveMeasure.objects.exclude(violation_kind=MEDICAL_RECORD).first()
    page = signed_in("inspector1").post(
        f"/workbench/supervision/tasks/{task.pk}/conclude/",
        {
            "outcome": "violation",
            "findings_summary": "病历书写不规范",
            "legal_basis": "《医疗机构病历管理规定》第十条",
            "amount": "500",
            "violation_kind": MEDICAL_RECORD,
            "inclusive_measure": str(unrelated.pk),
        },
        follow=True,
    )
    assert "清单" in page.content.decode()
    assert not Penalty.objects.exists()
    assert Task.objects.get(pk=task.pk).status != "done"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_violation_proposes_the_four_lists_and_the_leader_decides_on_a_phone(
    site, freeze, user_named
):
    freeze("2026-03-02T09:00:00")
    demo_data.load(sample_cases=False)
    make_entities(4)
    make_inspector("inspector3", "21020000003")
    task = drawn_task(user_named)
    measure = InclusiveMeasure.objects.get(violation_kind=MEDICAL_RECORD, list_kind="mitigated")
    page = site.page
    page.set_viewport_size(PHONE)

    site.login("inspector1")
    page.goto(site.url(f"/workbench/supervision/tasks/{task.pk}/"))
    with page.expect_navigation():
        page.click("text=开始检查")
    page.fill("#findings", "抽查病历10份，3份未按规定书写")
    with page.expect_navigation():
        page.click("#findings-form button.primary")
    page.check("input[name=outcome][value=violation]")
    page.fill("#findings_summary", "病历书写不规范")
    page.fill("#legal_basis", "《医疗机构病历管理规定》第十条")
    page.fill("#amount", "1000")
    page.select_option("#violation_kind", MEDICAL_RECORD)
    proposal = page.locator(f"input[name=inclusive_measure][value='{measure.pk}']")
    proposal.wait_for()
    assert "医疗机构病历书写不规范" in page.locator("#proposal-list").inner_text()
    proposal.check()
    with page.expect_navigation():
        page.click("#outcome-form button.primary")
    penalty = Penalty.objects.get(inspection__task=task)
    assert penalty.inclusive_measure_id == measure.pk and penalty.status == "open"
    assert len(penalty.proposals) == 2 and penalty.proposals[1]["id"] == measure.pk
    page.click("text=退出")

    site.login("leader")
    page.goto(site.url("/workbench/supervision/penalties/"))
    with page.expect_navigation():
        page.click(f"a[href='/workbench/supervision/penalties/{penalty.pk}/']")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # one column on the phone
    assert "《医疗机构病历管理规定》第十条" in page.locator("#penalty-basis").inner_text()
    assert page.locator(f"input[name=inclusive_measure][value='{measure.pk}']").is_checked()
    page.fill("#amount", "800")
    # Dismissing the confirmation decides nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#decide-form button.primary")
    assert Penalty.objects.get(pk=penalty.pk).status == "open"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#decide-form button.primary")
    page.wait_for_selector("#penalty-decided")
    decided = Penalty.objects.get(pk=penalty.pk)
    assert decided.status == "decided" and str(decided.amount) == "800.00"
    assert decided.inclusive_measure_id == measure.pk
    assert "800.00" in page.locator("#penalty-amount").inner_text()
    assert page.locator("#decide-form").count() == 0  # decided once, nothing left to decide
