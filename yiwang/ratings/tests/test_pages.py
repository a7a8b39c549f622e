"""In Chromium: the applicant rates a decided case through the notice's one-time link, without
signing in; the link then no longer works."""

import re

import pytest

from yiwang.cases.models import Notification
from yiwang.events.testing import deliver_pending
from yiwang.ratings.models import Rating


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rating_through_the_notice_link_in_chromium(site, freeze):
    from django.contrib.auth import get_user_model

    from yiwang import demo
    from yiwang.ratings.tests import casework

    demo.load(sample_cases=False)
    users = get_user_model().objects

    def user_named(name):
        return users.get(username=name)

    freeze("2026-02-12T10:00:00")
    case = casework.decide_case(user_named, casework.file_case(user_named))
    deliver_pending()
    notice = Notification.objects.get(case=case, kind="rating_invitation")
    link = re.search(r"https?://[^/]+(/rate/[^/]+/)", notice.body).group(1)

    page = site.page
    page.goto(site.url(link))
    assert case.number in page.content()
    page.check("input[name=level][value='2']")
    page.fill("#id_comment", "等候时间太长")
    page.check("input[name=callback_consent]")
    page.fill("#id_callback_phone", "13800000000")
    page.click("#rate-submit")
    page.wait_for_selector("#rated")
    assert "2026-03-11" in page.content()  # the rectification's due date, told to the rater
    rating = Rating.objects.get()
    assert (rating.level, rating.channel, rating.comment) == (2, "link", "等候时间太长")
    assert rating.rectification.status == "open"

    page.goto(site.url(link))
    assert "已使用" in page.locator("#link-gone").inner_text()
