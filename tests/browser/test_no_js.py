"""With JavaScript off, reading, navigation and 关怀版 work; only the toolbar and speech need scripts."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.helpers import has_horizontal_scroll, shoot
from tests.browser.pages import variants


@pytest.fixture
def nojs(browser, live_server):
    ctx = new_context(browser, javascript=False, base_url=live_server.base_url)
    yield ctx.new_page()
    ctx.close()


@pytest.mark.parametrize("pg,care", list(variants()))
def test_every_page_reads_without_javascript(nojs, live_server, pg, care):
    page = nojs
    resp = page.goto(live_server.path(pg, care))
    assert resp.status == pg.status
    assert page.locator("h1").count() == 1 and page.inner_text("main").strip()
    assert page.get_attribute("body", "class") == ("care" if care else "standard")
    assert page.locator("section.np-a11y").count() == 0  # the toolbar needs JavaScript and is not shown
    link = page.locator("#a11y-toolbar-link")
    assert link.get_attribute("href") == "/accessibility" and link.get_attribute("role") is None
    page.set_viewport_size({"width": 320, "height": 640})
    assert not has_horizontal_scroll(page)
    if pg.name in ("article", "home"):
        shoot(page, f"{pg.name}-{'care' if care else 'std'}-nojs-320", full_page=False)


def test_navigation_care_mode_and_help_without_javascript(nojs, live_server):
    page = nojs
    page.goto("/")
    page.click(".channel-nav >> text=体育")
    page.wait_for_url("**/channel/sports")
    assert page.inner_text("h1") == "体育"
    page.click(".listing .card-title >> nth=0")
    page.wait_for_url("**/a/*.html")
    article_url = page.url
    assert page.locator(".article-body p").count() > 0
    # sharing without scripts: the copy button needs them and stays hidden; the QR code opens natively
    assert not page.locator(".share-copy").is_visible()
    page.click(".share-wechat summary")
    assert page.locator(".share-pop").is_visible() and page.locator(".qr svg").is_visible()
    # 关怀版 and back
    page.click("text=进入关怀版")
    assert "/care/a/" in page.url and page.get_attribute("body", "class") == "care"
    assert page.locator(".np-care-read-switch").count() == 0  # read-aloud needs scripts
    page.click(".breadcrumb a >> nth=1")
    assert "/care/channel/" in page.url
    page.click("text=退出关怀版")
    assert "/care" not in page.url and page.get_attribute("body", "class") == "standard"
    # the footer link leads to the help page
    page.goto(article_url)
    page.click("#a11y-toolbar-link")
    page.wait_for_url("**/accessibility")
    assert page.inner_text("h1") == "无障碍浏览"
    # the skip link works
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
