"""The whole supervision path in Chromium on a phone-sized screen: a leader plans, commits and
draws; the inspector records an unannounced visit with a photo and orders rectification; the
re-inspection on the due day finds it done; the result is published and read by the public."""

import pytest

from yiwang.supervision.models import Inspection, Plan, Task

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_plan_draw_inspect_rectify_reinspect_publish_on_a_phone(site, freeze, tmp_path):
    from yiwang import demo
    from yiwang.supervision.tests.factories import make_entities, make_inspector

    freeze("2026-03-02T09:00:00")
    demo.load(sample_cases=False)
    make_entities(12)
    make_inspector("inspector3", "21020000003")
    photo = tmp_path / "waste.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9")
    page = site.page
    page.set_viewport_size(PHONE)

    site.login("leader")
    page.goto(site.url("/workbench/supervision/plans/"))
    page.fill("#plan-name", "2026年医疗机构抽查")
    page.select_option("#plan-types", "11100000000002")
    page.fill("#ratio-A", "0.5")
    page.fill("#ratio-B", "0.5")
    page.fill("#ratio-C", "1")
    page.fill("#ratio-D", "1")
    with page.expect_navigation():
        page.click("form.stacked button.primary")
    plan = Plan.objects.get()
    with page.expect_navigation():
        page.click("text=冻结：固定名录和执法人员库")
    assert "已冻结" in page.locator("#plan-status").inner_text()
    page.fill("#witness", "福彩3D 2026055 4 1 7")
    with page.expect_navigation():
        page.click("form[action$='/draw/'] button.primary")
    assert Task.objects.filter(plan=plan).count() > 0
    page.click("text=退出")

    task = Task.objects.filter(plan=plan, assignments__code="21020000001").order_by("pk").first()
    site.login("inspector1")
    page.goto(site.url("/workbench/supervision/tasks/"))
    with page.expect_navigation():
        page.click(f"a[href='/workbench/supervision/tasks/{task.pk}/']")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # one column: nothing to scroll sideways
    with page.expect_navigation():
        page.click("text=开始检查")
    page.check("input[name=answer_M1][value=yes]")
    page.check("input[name=answer_M4][value=no]")
    page.fill("#findings", "医疗废物暂存点无警示标识")
    page.set_input_files("#photos", str(photo))
    with page.expect_navigation():
        page.click("#findings-form button.primary")
    page.check("input[name=outcome][value=rectify]")
    page.fill("#findings_summary", "医疗废物暂存点无警示标识，责令整改")
    page.fill("#rectify_days", "10")
    with page.expect_navigation():
        page.click("#outcome-form button.primary")
    assert "责令限期整改" in page.locator("#outcome").inner_text()
    inspection = Inspection.objects.get(task=task)
    assert inspection.participations.get().photos.count() == 1
    follow_up = Task.objects.get(kind="reinspection")
    assert str(follow_up.due_on) == "2026-03-16"
    page.click("text=退出")

    freeze("2026-03-16T09:00:00")
    other = next(
        code
        for code in follow_up.assignments.values_list("code", flat=True)
        if code != "21020000001"
    )
    username = {"21020000002": "inspector2", "21020000003": "inspector3"}[other]
    site.login(username)
    page.goto(site.url(f"/workbench/supervision/tasks/{follow_up.pk}/"))
    with page.expect_navigation():
        page.click("text=开始检查")
    page.fill("#findings", "警示标识已设置")
    with page.expect_navigation():
        page.click("#findings-form button.primary")
    page.check("input[name=outcome][value=compliant]")
    page.fill("#findings_summary", "已按期整改")
    with page.expect_navigation():
        page.click("#outcome-form button.primary")
    assert Task.objects.get(pk=follow_up.pk).status == "done"
    page.click("text=退出")

    site.login("leader")
    page.goto(site.url("/workbench/supervision/publication/"))
    with page.expect_navigation():
        page.click(f"a[href='/workbench/supervision/tasks/{task.pk}/']")
    with page.expect_navigation():
        page.click("text=公示检查结果")
    assert "2026-03-16" in page.locator("#published-on").inner_text()
    page.goto(site.url("/supervision/results/"))
    assert "医疗废物暂存点无警示标识，责令整改" in page.locator("#results").inner_text()
