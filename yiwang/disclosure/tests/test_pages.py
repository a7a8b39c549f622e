"""In Chromium: a leader drafts a policy document that touches market entities, cannot publish
it before the fair-competition review, reviews it, writes the interpretation and publishes; the
public page shows the document and its interpretation side by side."""

import pytest

from yiwang.disclosure.models import PolicyDocument


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_policy_published_with_its_interpretation_in_chromium(site, freeze):
    from yiwang import demo

    demo.load(sample_cases=False)
    freeze("2026-09-28T10:00:00")
    page = site.page
    site.login("leader")
    page.goto(site.url("/workbench/policies/"))
    page.fill("#id_title", "关于优化诊所备案服务的通知")
    page.fill("#id_text", "第一条 诊所备案实行告知承诺。")
    page.check("#id_touches_market")
    page.click("button:has-text('保存草稿')")
    page.wait_for_url("**/workbench/policies/*/")
    document = PolicyDocument.objects.get()

    with page.expect_navigation():
        page.click("#publish")
    assert "公平竞争审查" in page.locator("ul.messages").inner_text()
    assert PolicyDocument.objects.get().status == "draft"

    for radio in page.locator("#review-form input[value=no]").all():
        radio.check()
    page.fill("#id_conclusion", "经审查，未发现排除、限制竞争的内容。")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#review-result")
    page.fill("#id_interpretation", "一、为什么出台：减少跑动次数。")
    with page.expect_navigation():
        page.click("#interpretation-form button[type=submit]")
    with page.expect_navigation():
        page.click("#publish")
    assert page.locator("#status").inner_text() == "现行有效"

    page.goto(site.url(f"/policies/{document.pk}/"))
    assert "诊所备案实行告知承诺" in page.locator("#policy-text").inner_text()
    assert "减少跑动次数" in page.locator("#policy-interpretation").inner_text()
    assert page.locator("#policy-status").inner_text() == "现行有效"
