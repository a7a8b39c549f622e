"""Each role's home in Chromium: after signing in, only tiles that open, in both languages."""

import pytest

ROLES = ("clerk", "reviewer", "approver", "inspector1", "leader", "catalogue")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_role_lands_on_its_workbench_and_every_tile_opens(site, language):
    from yiwang import demo

    demo.load(sample_cases=False)
    page = site.page
    site.page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": site.base}]
    )
    for username in ROLES:
        site.login(username)
        assert page.url.endswith("/workbench/"), username
        links = page.locator("[data-tile] > a").evaluate_all(
            "anchors => anchors.map(anchor => anchor.href)"
        )
        assert links, username
        for link in links:
            response = page.goto(link)
            assert response.status == 200, (username, link)
        keys = page.goto(site.url("/workbench/")) and page.locator("[data-tile]").evaluate_all(
            "tiles => tiles.map(tile => tile.dataset.tile)"
        )
        assert ("catalog.manage" in keys) == (username == "catalogue"), username
        page.context.clear_cookies()
        site.page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": site.base}]
        )
