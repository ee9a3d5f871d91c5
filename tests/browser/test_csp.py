"""Every public page works under the site's Content-Security-Policy, enforced (no bypass): no violation is
reported and the site's own scripts run (the share control and the toolbar come alive)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.pages import ARTICLE, variants


@pytest.mark.parametrize(("pg", "care"), list(variants()))
def test_pages_run_under_the_enforced_csp(browser, live_server, pg, care):
    ctx = new_context(browser, base_url=live_server.base_url, bypass_csp=False)
    try:
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        resp = page.goto(live_server.path(pg, care=care), wait_until="load")
        assert resp is not None and resp.status == pg.status
        assert "script-src 'self'" in resp.headers["content-security-policy"]
        if pg is ARTICLE and not care:
            page.locator(".share-copy").wait_for(state="visible")  # site.js unhid it: scripts run
        page.wait_for_load_state("networkidle")
        assert problems == []
    finally:
        ctx.close()
