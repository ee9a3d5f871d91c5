"""axe-core (WCAG 2.0/2.1/2.2 A and AA, target-size on) finds nothing on any page, in any mode or state.

Each page is checked in its standard and 关怀版 form. One test loads the page once and walks it through the
states the issue names, using the toolbar as a reader would: default, toolbar open, a high-contrast scheme,
200% page zoom, a 390 px wide viewport, and (articles) the share pop-over open. A screenshot of every state
is written to test-artifacts/screenshots/<page>-<mode>-<state>.png.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, new_context
from tests.browser.helpers import (
    MOBILE,
    SCHEMES,
    describe,
    has_horizontal_scroll,
    open_toolbar,
    run_axe,
    shoot,
)
from tests.browser.pages import ARTICLE, PAGES


def cases():
    for i, pg in enumerate(PAGES):
        for care in (False, True) if pg.care else (False,):
            yield pytest.param(
                pg, care, SCHEMES[i % len(SCHEMES)], id=f"{pg.name}-{'care' if care else 'std'}"
            )


@pytest.mark.parametrize("pg,care,scheme", list(cases()))
def test_no_axe_violations_in_any_state(browser, live_server, pg, care, scheme):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    errors, found = [], {}
    page.on("pageerror", lambda e: errors.append(str(e)))
    mode = "care" if care else "std"

    def check(state, full_page=False):
        results = run_axe(page)
        ran = {r["id"] for r in results["passes"] + results["violations"] + results["inapplicable"]}
        assert "target-size" in ran and "color-contrast" in ran
        if results["violations"]:
            found[state] = describe(results["violations"])
        shoot(page, f"{pg.name}-{mode}-{state}", full_page=full_page)

    try:
        resp = page.goto(live_server.path(pg, care))
        assert resp.status == pg.status
        check("default", full_page=True)

        open_toolbar(page)
        check("toolbar")

        page.select_option("#np-a11y-contrast", scheme)
        assert page.get_attribute("html", "data-np-contrast") == scheme
        check("contrast")
        page.select_option("#np-a11y-contrast", "none")

        for _ in range(4):  # 100 -> 125 -> 150 -> 175 -> 200
            page.click("[data-np-action='zoom-in']")
        assert page.text_content("[data-np-value='zoom']") == "200%"
        assert not has_horizontal_scroll(page), "horizontal scroll at 200% page zoom"
        check("zoom200")
        page.click("[data-np-action='reset']")

        if pg.name == "article":
            page.click(".share-wechat summary")
            page.wait_for_selector(".share-pop", state="visible")
            check("share-open")
            page.keyboard.press("Escape")

        page.click("[data-np-action='close']")
        page.set_viewport_size(MOBILE)
        assert not has_horizontal_scroll(page), "horizontal scroll at 390 px"
        check("mobile390", full_page=True)
        page.set_viewport_size(DESKTOP)
    finally:
        ctx.close()
    assert not found, "\n".join(f"[{state}]\n{text}" for state, text in found.items())
    assert not errors, errors


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_every_colour_scheme_has_enough_contrast(browser, live_server, care):
    """All four high-contrast schemes on the article page, with the toolbar and the share pop-over open."""
    ctx = new_context(browser, base_url=live_server.base_url)
    try:
        page = ctx.new_page()
        page.goto(live_server.path(ARTICLE, care))
        open_toolbar(page)
        page.click(".share-wechat summary")
        found = {}
        for scheme in SCHEMES:
            page.select_option("#np-a11y-contrast", scheme)
            page.focus("[data-np-action='text-up']")
            results = run_axe(
                page, {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
            )
            if results["violations"]:
                found[scheme] = describe(results["violations"])
        assert not found, found
    finally:
        ctx.close()
