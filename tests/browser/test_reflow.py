"""Every page reflows to 320 CSS px without horizontal scrolling (WCAG 1.4.10), standard and 关怀版."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.helpers import has_horizontal_scroll
from tests.browser.pages import PAGES


@pytest.fixture(scope="module")
def narrow(browser, live_server):
    ctx = new_context(browser, viewport={"width": 320, "height": 640}, base_url=live_server.base_url)
    yield ctx.new_page()
    ctx.close()


def variants():
    for pg in PAGES:
        for care in (False, True) if pg.care else (False,):
            yield pytest.param(pg, care, id=f"{pg.name}-{'care' if care else 'std'}")


@pytest.mark.parametrize("pg,care", list(variants()))
def test_no_horizontal_scroll_at_320_px(narrow, live_server, pg, care):
    narrow.goto(live_server.path(pg, care))
    assert not has_horizontal_scroll(narrow), narrow.evaluate(
        "() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 321)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)")
