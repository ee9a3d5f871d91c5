"""axe-core (WCAG 2.0/2.1/2.2 A and AA, target-size on) finds nothing on any page, in any mode or state.

Each page is checked in its standard and 关怀版 form in the states the issue names; a screenshot of each is
written to test-artifacts/screenshots/ as <page>-<mode>-<state>.png.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.helpers import (
    MOBILE,
    SCHEMES,
    describe,
    has_horizontal_scroll,
    open_toolbar,
    preset,
    run_axe,
    shoot,
)
from tests.browser.pages import PAGES

STATES = ["default", "toolbar", "contrast", "zoom200", "mobile390"]


def cases():
    for i, pg in enumerate(PAGES):
        for care in (False, True) if pg.care else (False,):
            for state in STATES:
                yield pytest.param(pg, care, state, i, id=f"{pg.name}-{'care' if care else 'std'}-{state}")
            if pg.name == "article":
                yield pytest.param(pg, care, "share-open", i, id=f"{pg.name}-{'care' if care else 'std'}-share-open")


@pytest.mark.parametrize("pg,care,state,index", list(cases()))
def test_no_axe_violations(browser, live_server, pg, care, state, index):
    ctx = new_context(browser, viewport=MOBILE if state == "mobile390" else {"width": 1280, "height": 900},
                      base_url=live_server.base_url)
    try:
        if state == "contrast":
            preset(ctx, open=True, contrast=SCHEMES[index % len(SCHEMES)])
        elif state == "zoom200":
            preset(ctx, open=True, zoom=200)
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        resp = page.goto(live_server.path(pg, care))
        assert resp.status == pg.status
        if state == "toolbar":
            open_toolbar(page)
        elif state == "share-open":
            page.click(".share-wechat summary")
            page.wait_for_selector(".share-pop", state="visible")
        if state in ("contrast", "zoom200"):
            page.wait_for_selector("section.np-a11y:not([hidden])")
        results = run_axe(page)
        shoot(page, f"{pg.name}-{'care' if care else 'std'}-{state}", full_page=state != "zoom200")
        assert not results["violations"], describe(results["violations"])
        assert not errors, errors
        if state in ("zoom200", "mobile390"):
            assert not has_horizontal_scroll(page)
    finally:
        ctx.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_every_colour_scheme_has_enough_contrast(browser, live_server, scheme, care):
    """Each high-contrast scheme on the article page with the toolbar and share pop-over open."""
    ctx = new_context(browser, base_url=live_server.base_url)
    try:
        preset(ctx, open=True, contrast=scheme)
        page = ctx.new_page()
        page.goto(live_server.path(PAGES[2], care))
        page.click(".share-wechat summary")
        page.focus("[data-np-action='text-up']")
        results = run_axe(page, {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}})
        assert not results["violations"], describe(results["violations"])
    finally:
        ctx.close()
