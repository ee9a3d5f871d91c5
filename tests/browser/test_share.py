"""The share control by keyboard alone, and its status messages (已复制, the share count) announced."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.pages import ARTICLE


def active(page):
    return page.evaluate(
        "() => { const e = document.activeElement; return { tag: e.tagName,"
        " text: (e.innerText || '').trim(), share: e.dataset.share || '',"
        " visible: e.matches(':focus-visible') && getComputedStyle(e).outlineStyle !== 'none' }; }"
    )


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_share_control_by_keyboard_alone(browser, live_server, care):
    ctx = new_context(browser, base_url=live_server.base_url)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.base_url)
    page = ctx.new_page()
    try:
        page.goto(live_server.path(ARTICLE, care))
        status = page.locator(".share-status")
        assert status.get_attribute("role") == "status"
        for _ in range(80):  # from the top of the page, by Tab alone
            page.keyboard.press("Tab")
            if active(page)["share"] == "copy":
                break
        assert active(page)["share"] == "copy" and active(page)["visible"]
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('.share-status').textContent.includes('已复制')")
        count = page.inner_text("#share-count")
        assert status.inner_text() == f"已复制链接，本文已分享 {count} 次"
        assert page.evaluate("navigator.clipboard.readText()") == page.get_attribute(
            ".share", "data-share-url"
        )
        assert page.inner_text(".share-copy") == "已复制"  # seen as well as heard

        page.keyboard.press("Tab")
        assert active(page)["share"] == "wechat" and active(page)["visible"]
        page.keyboard.press("Enter")
        assert page.locator(".share-pop").is_visible()
        page.wait_for_function("document.querySelector('.share-status').textContent.includes('微信')")
        page.keyboard.press("Escape")  # closes, focus stays on its button
        assert not page.locator(".share-pop").is_visible() and active(page)["share"] == "wechat"
        page.keyboard.press("Space")
        assert page.locator(".share-pop").is_visible()
        page.keyboard.press("Tab")  # moving on closes the pop-over: no trap, nothing left covering the page
        assert active(page)["share"] == "weibo" and active(page)["visible"]
        assert not page.locator(".share-pop").is_visible()
        page.keyboard.press("Tab")
        assert active(page)["share"] == "qq"
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        assert active(page)["share"] == "wechat"
    finally:
        ctx.close()


def test_share_count_is_updated_and_announced(browser, live_server):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    try:
        page.goto(live_server.path(ARTICLE))
        before = int(page.inner_text("#share-count"))
        page.click(".share-wechat summary")
        page.wait_for_function("document.querySelector('.share-status').textContent.includes('次')")
        after = int(page.inner_text("#share-count"))
        assert after >= before
        assert page.inner_text(".share-status") == f"已打开微信二维码，本文已分享 {after} 次"
    finally:
        ctx.close()
