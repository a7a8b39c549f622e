"""The dashboard in Chromium: the charts render, and a figure drills down to a case."""

import pytest

from yiwang.indicators.tests.factories import make_case


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_sees_the_charts_and_drills_down_to_a_case(site):
    from yiwang import demo

    demo.load(sample_cases=False)
    case = make_case(
        received="2026-11-23",
        accepted="2026-11-23",
        decided="2026-11-26",
        closed="2026-11-26",
        status="issued",
    )
    page = site.page
    errors = []

    def console(message):
        # The site has no favicon: the browser's own request for it is not the page's error.
        if message.type == "error" and "favicon" not in message.location.get("url", ""):
            errors.append(f"{message.text} {message.location}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    site.login("leader")
    page.goto(site.url("/workbench/indicators/?period=year&on=2026-11-26"))
    page.wait_for_selector("#chart-region canvas")
    page.wait_for_selector("#chart-month canvas")
    assert errors == []
    page.click("[data-indicator=on_time_rate] .figure a")
    page.wait_for_selector("#drill-down")
    with page.expect_navigation():
        page.click(f"#drill-down a:has-text('{case.number}')")
    assert case.number in page.content()
    assert errors == []
