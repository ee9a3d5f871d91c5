"""The editor in a browser. Preview as you type: the sandboxed preview frame shows the typed title in the
reader's article template after a pause, with no click; the frame runs no script. Without JavaScript the
preview stays a button (posting the form to a new window) and the live area stays hidden. The formatting
toolbar makes headings, lists, quotes and links that survive the server's sanitizer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, need_chromium, new_context
from tests.browser.newsroom_server import login, newsroom_server, signed_in


@pytest.fixture(scope="module")
def nrs(tmp_path_factory):
    need_chromium()
    with newsroom_server(tmp_path_factory) as server:
        yield server


def test_typing_a_title_updates_the_preview_without_a_click(browser, nrs):
    base, h = nrs
    errors: list[str] = []
    console: list[str] = []
    ctx = new_context(browser, viewport=DESKTOP, base_url=base, bypass_csp=False)  # the real CSP
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    login(page, base, "reporter")
    stored = h.portal.store.count_articles()
    page.goto(base + "/newsroom/articles/new")
    expect(page.locator(".nr-live-preview")).to_be_visible()
    page.select_option("#channel", "domestic")
    page.click("#rte-body")
    page.keyboard.type("山区小学的新操场今天启用。")
    page.fill("#title", "")
    page.locator("#title").press_sequentially("山区小学新操场启用", delay=20)
    frame = page.frame_locator("iframe.nr-preview-frame")
    expect(frame.locator("h1")).to_have_text("山区小学新操场启用", timeout=15000)
    expect(frame.locator("body")).to_contain_text("山区小学的新操场今天启用。")
    expect(page.locator("[data-preview-state]")).to_have_text("预览已更新")
    sandbox = page.locator("iframe.nr-preview-frame").get_attribute("sandbox")
    assert sandbox == ""  # no allowances: the preview runs no script and cannot navigate the page
    # a change of the title is picked up again, still without clicking anything
    page.locator("#title").press_sequentially("，学生首次上体育课", delay=20)
    expect(frame.locator("h1")).to_have_text("山区小学新操场启用，学生首次上体育课", timeout=15000)
    assert h.portal.store.count_articles() == stored  # previewing stores nothing
    assert errors == []
    # the only console errors are the browser refusing the reader page's own scripts inside the sandbox
    assert all("sandboxed" in line and "about:srcdoc" in line for line in console), console
    ctx.close()


def test_without_javascript_the_preview_is_a_button(browser, nrs):
    base, _ = nrs
    ctx, page = signed_in(browser, base, "reporter", javascript=False, goto="/newsroom/articles/new")
    assert not page.locator(".nr-live-preview").is_visible()
    page.fill("#title", "无脚本时的预览")
    page.fill("#body_html", "<p>用按钮预览的正文。</p>")
    page.select_option("#channel", "domestic")
    with ctx.expect_page() as opened:
        page.click("button:has-text('预览（新窗口）')")
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator("h1")).to_have_text("无脚本时的预览")
    ctx.close()


def test_the_toolbar_makes_headings_lists_quotes_and_links(browser, nrs):
    base, h = nrs
    ctx, page = signed_in(browser, base, "reporter", bypass_csp=False, goto="/newsroom/articles/new")
    page.fill("#title", "社区菜市场改造完工")
    page.select_option("#channel", "domestic")
    page.click("#rte-body")
    page.keyboard.type("改造后的菜市场今天重新开门。")
    page.keyboard.press("Enter")
    page.keyboard.type("摊位怎么分")
    page.click("button[data-cmd=h2]")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.click("button[data-cmd=p]")
    page.keyboard.type("蔬菜区在东侧")
    page.click("button[data-cmd=ul]")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # a second Enter leaves the list
    page.keyboard.type("摊主说这里比以前亮堂多了")
    page.click("button[data-cmd=quote]")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.click("button[data-cmd=p]")
    page.keyboard.type("营业时间表")
    page.keyboard.press("Shift+Home")
    page.once("dialog", lambda d: d.accept("https://example.cn/market"))
    page.click("button[data-cmd=link]")
    page.click("button:has-text('保存')")
    page.wait_for_url("**/edit?saved=1")
    aid = int(page.url.split("/articles/")[1].split("/")[0])
    body = h.portal.store.get_article(aid).body_html
    assert "<h2>摊位怎么分</h2>" in body, body
    assert "<ul>" in body and "<li>蔬菜区在东侧" in body, body
    assert "<blockquote>" in body and "亮堂多了" in body, body
    assert '<a href="https://example.cn/market"' in body and "营业时间表</a>" in body, body
    ctx.close()
