import pytest

from yiwang.complaints.models import Ticket


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_intake_by_keyboard_to_department_reply_in_chromium(site, freeze):
    from yiwang import demo
    from yiwang.parties.models import Applicant
    from yiwang.regions.models import Department

    demo.load(sample_cases=False)
    freeze("2026-09-30T20:15")
    pool = Applicant.objects.get(name="大连星海游泳馆有限公司")
    commission = Department.objects.get(name="大连市卫生健康委员会")
    page = site.page

    # The hotline reads out; the operator types without touching the mouse.
    site.login("operator")
    page.goto(site.url("/workbench/complaints/intake/"))
    page.keyboard.type("星海游泳馆泳池水浑浊，有刺鼻气味，怀疑余氯超标。")  # autofocus: content
    page.keyboard.press("Tab")  # kind
    page.keyboard.press("Tab")  # urgency
    page.keyboard.press("Tab")
    page.keyboard.type(pool.uscc)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("王小明")
    page.keyboard.press("Tab")
    page.keyboard.type("13940981234")
    page.select_option("#channel", "12345")
    page.select_option("#department", str(commission.pk))
    page.focus("#content")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    ticket = Ticket.objects.get()
    assert ticket.number in page.locator("ul.messages").inner_text()
    assert ticket.status == "dispatched" and ticket.subject_entity == pool
    assert ticket.due_on.isoformat() == "2026-10-13"
    page.goto(site.url(f"/workbench/complaints/{ticket.pk}/"))
    assert "139****1234" in page.locator("#reporter").inner_text()
    with page.expect_navigation():
        page.click("header .who button.link")  # sign out

    # The handling department finds it in its queue and replies.
    site.login("reviewer")
    page.goto(site.url("/workbench/complaints/"))
    with page.expect_navigation():
        page.click(f"tr[data-ticket='{ticket.pk}'] a")
    assert "13940981234" in page.locator("#reporter").inner_text()
    page.fill("#reply-text", "已现场检查，责令泳池立即换水并公示水质。")
    with page.expect_navigation():
        page.click(".action-reply button[type=submit]")
    ticket.refresh_from_db()
    assert ticket.status == "replied"
    assert "已现场检查" in page.locator(".reply").inner_text()
    assert ticket.replies.get().on_time is True
