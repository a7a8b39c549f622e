"""In Chromium: the applicant objects to a fact from its credit page and sees it disputed."""

import datetime

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_applicant_objects_to_a_fact_and_sees_it_disputed(site, user_named):
    from yiwang import demo
    from yiwang.credit.models import CreditFact
    from yiwang.credit.services import fact_record
    from yiwang.parties.models import Applicant
    from yiwang.regions.models import Department

    demo.load(sample_cases=False)
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    fact, _created = fact_record(
        actor=user_named("admin"),
        department=Department.objects.get(name="大连市卫生健康委员会"),
        entity_code=clinic.code,
        kind="penalty",
        severity="general",
        occurred_on=datetime.date(2026, 2, 2),
        source_document="大连卫监罚〔2026〕12号",
        record_id="XZCF-2026-12",
    )
    site.login("applicant")
    page = site.page
    page.goto(site.url("/my/credit/"))
    row = page.locator(f'tr[data-fact="{fact.pk}"]')
    assert row.locator(".fact-status").get_attribute("data-status") == "active"
    row.locator("details.object summary").click()
    row.locator("textarea[name=reason]").fill("处罚决定已被复议机关撤销")
    row.locator("details.object button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator(f'tr[data-fact="{fact.pk}"]')
    assert row.locator(".fact-status").get_attribute("data-status") == "disputed"
    assert "异议中" in row.locator(".fact-status").inner_text()
    assert "异议已提交" in page.locator(".messages").inner_text()
    assert CreditFact.objects.get(pk=fact.pk).status == "disputed"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_leader_previews_a_score_card_and_applies_exactly_the_previewed_moves(site, user_named):
    from yiwang import demo
    from yiwang.credit.demo import reference_data
    from yiwang.credit.grading import scorecard_create
    from yiwang.credit.models import ScoreCard
    from yiwang.parties.models import Applicant

    demo.load(sample_cases=False)
    leader = user_named("leader")
    scorecard_create(
        actor=leader,
        name="v2: B from 82",
        base_score=80,
        a_min=90,
        b_min=82,
        c_min=50,
        indicators=reference_data()["scorecard"]["indicators"],
    )
    before = dict(Applicant.objects.exclude(kind="person").values_list("pk", "credit_grade"))
    site.login("leader")
    page = site.page
    page.goto(site.url("/workbench/credit/"))
    page.locator("#scorecards-link").click()
    page.locator('tr[data-version="2"] a').click()
    page.locator("#preview").click()
    page.wait_for_load_state()
    previewed = int(page.locator('#moves td[data-move="BC"]').inner_text())
    moving = int(page.locator("#moves").get_attribute("data-moving"))
    assert previewed > 0 and moving == previewed  # only B entities at 80 fall below 82
    assert "预览" in page.locator(".messages").inner_text()
    page.locator("#activate input[name=confirm]").check()
    page.locator("#activate button[type=submit]").click()
    page.wait_for_load_state()
    assert f"B→C: {previewed}" in page.locator(".messages").inner_text()
    assert page.locator(".card-status").get_attribute("data-status") == "active"
    after = dict(Applicant.objects.exclude(kind="person").values_list("pk", "credit_grade"))
    moved = [pk for pk in after if after[pk] != before[pk]]
    assert len(moved) == previewed
    assert all((before[pk], after[pk]) == ("B", "C") for pk in moved)
    assert ScoreCard.objects.get(version=2).status == "active"
