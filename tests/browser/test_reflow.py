"""Every page reflows to 320 CSS px without horizontal scrolling (WCAG 1.4.10), standard and 关怀版, and keeps
its structure there: one h1, headings in order, everything inside landmarks (axe's best-practice rules)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.helpers import describe, has_horizontal_scroll, run_axe
from tests.browser.pages import variants

STRUCTURE_RULES = [
    "page-has-heading-one", "heading-order", "landmark-one-main", "landmark-unique", "region", "bypass",
    "html-has-lang", "html-lang-valid", "document-title", "empty-heading",
]


@pytest.fixture(scope="module")
def narrow(browser, live_server):
    ctx = new_context(browser, viewport={"width": 320, "height": 640}, base_url=live_server.base_url)
    yield ctx.new_page()
    ctx.close()


@pytest.mark.parametrize("pg,care", list(variants()))
def test_320_px_without_horizontal_scroll_and_with_structure(narrow, live_server, pg, care):
    narrow.goto(live_server.path(pg, care))
    narrow.keyboard.press("Alt+KeyA")  # with the toolbar open
    narrow.wait_for_selector("section.np-a11y:not([hidden])")
    assert not has_horizontal_scroll(narrow), narrow.evaluate(
        "() => Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > 321)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert narrow.get_attribute("html", "lang") == "zh-CN"
    results = run_axe(narrow, {"runOnly": {"type": "rule", "values": STRUCTURE_RULES}})
    assert not results["violations"], describe(results["violations"])
