"""Read-aloud: 连读 and 指读 through speechSynthesis in zh-CN, pause/stop, volume and rate, the 关怀版 switch,
and a clear message where the browser has no speech engine.

Headless chromium has no voices, so a recording stand-in replaces speechSynthesis; each test ends utterances
one at a time to walk through the page.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.helpers import FAKE_SPEECH_JS, NO_SPEECH_JS, expect_spoken, expect_status, open_toolbar
from tests.browser.pages import ARTICLE, CHANNEL, HOME


@pytest.fixture
def speaking(browser, live_server):
    ctx = new_context(browser, base_url=live_server.base_url)
    ctx.add_init_script(FAKE_SPEECH_JS)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    ctx.close()
    assert not errors, errors


def spoken(page):
    return page.evaluate("window.__speech.log")


def end_one(page):
    page.evaluate("window.__speech.end()")


def test_continuous_reading_from_the_title(speaking, live_server):
    page = speaking
    page.goto(live_server.path(ARTICLE))
    title = page.inner_text("h1")
    first_paragraph = page.inner_text(".article-body p")
    open_toolbar(page)
    page.fill("[data-np-setting='rate']", "1.5")
    page.fill("[data-np-setting='volume']", "0.6")
    page.click("[data-np-action='read']")
    assert page.get_attribute("[data-np-action='read']", "aria-pressed") == "true"
    log = spoken(page)
    assert log[0]["text"] == "标题：" + title
    assert log[0]["lang"] == "zh-CN" and log[0]["rate"] == 1.5 and log[0]["volume"] == 0.6
    assert page.evaluate("document.querySelector('h1').classList.contains('np-reading')")
    for _ in range(30):
        end_one(page)
        if any(first_paragraph[:10] in item["text"] for item in spoken(page)):
            break
    texts = [item["text"] for item in spoken(page)]
    assert any(first_paragraph[:10] in t for t in texts), texts
    assert all(len(t) <= 160 for t in texts)  # long paragraphs go out in pieces
    assert not any("分享至" in t for t in texts)  # controls are not read as content
    reading = page.evaluate("document.querySelector('.np-reading').closest('.article-body') !== null")
    assert reading

    # pause and resume
    page.click("[data-np-action='pause']")
    assert page.evaluate("speechSynthesis.paused") is True
    assert page.get_attribute("[data-np-action='pause']", "aria-pressed") == "true"
    expect_status(page, "已暂停")
    page.click("[data-np-action='pause']")
    assert page.evaluate("speechSynthesis.paused") is False

    # Esc stops, wherever the focus is
    page.focus("main")
    before = page.evaluate("speechSynthesis.cancelled")
    page.keyboard.press("Escape")
    assert page.evaluate("speechSynthesis.cancelled") > before
    expect_status(page, "已停止朗读")
    assert page.get_attribute("[data-np-action='read']", "aria-pressed") == "false"
    assert page.locator(".np-reading").count() == 0
    count = len(spoken(page))
    end_one(page)
    assert len(spoken(page)) == count  # nothing more is read after stopping


def test_stop_button(speaking, live_server):
    page = speaking
    page.goto(live_server.path(HOME))
    open_toolbar(page)
    page.click("[data-np-action='read']")
    assert spoken(page)[0]["text"].startswith("标题：")
    page.click("[data-np-action='stop']")
    expect_status(page, "已停止朗读")
    assert page.get_attribute("[data-np-action='read']", "aria-pressed") == "false"


def test_point_reading_reads_what_the_pointer_or_focus_is_on(speaking, live_server):
    page = speaking
    page.goto(live_server.path(CHANNEL))
    open_toolbar(page)
    page.click("[data-np-action='point']")
    assert page.get_attribute("[data-np-action='point']", "aria-pressed") == "true"
    headline = page.locator(".listing .card-title").nth(2)
    headline.hover()
    expect_spoken(page, "链接：" + headline.inner_text())
    assert spoken(page)[-1]["lang"] == "zh-CN"
    # keyboard focus is read as well
    page.focus(".channel-nav a >> nth=2")
    expect_spoken(page, "链接：" + page.inner_text(".channel-nav a >> nth=2"))
    page.focus("[data-np-action='zoom-in']")
    expect_spoken(page, "按钮：页面放大")
    page.focus("#np-a11y-contrast")
    expect_spoken(page, "配色，当前为默认配色")
    # the mode is remembered on the next page
    page.click("text=体育")
    page.wait_for_url("**/channel/sports")
    assert page.get_attribute("[data-np-action='point']", "aria-pressed") == "true"
    page.click("[data-np-action='point']")
    n = len(spoken(page))
    page.locator(".listing .card-title").first.hover()
    page.wait_for_timeout(450)
    assert len(spoken(page)) == n


def test_speech_engine_error_is_reported(speaking, live_server):
    page = speaking
    page.goto(live_server.path(ARTICLE))
    open_toolbar(page)
    page.click("[data-np-action='read']")
    page.evaluate("window.__speech.fail('synthesis-failed')")
    note = page.locator(".np-a11y [data-np-note]")
    assert note.is_visible() and "语音朗读出错" in note.inner_text()
    assert page.get_attribute("[data-np-action='read']", "aria-pressed") == "false"


def test_care_article_read_aloud_switch(speaking, live_server):
    page = speaking
    page.goto(live_server.path(ARTICLE, care=True))
    switch = page.locator(".np-care-read-switch")
    assert switch.is_visible() and switch.get_attribute("role") == "switch"
    assert switch.get_attribute("aria-checked") == "false"
    assert "朗读全文" in switch.inner_text() and "关" in switch.inner_text()
    box = switch.bounding_box()
    assert box["width"] >= 60 and box["height"] >= 60
    switch.click()
    assert switch.get_attribute("aria-checked") == "true" and "开" in switch.inner_text()
    assert spoken(page)[0]["text"] == "标题：" + page.inner_text("h1")
    switch.click()  # off again
    assert switch.get_attribute("aria-checked") == "false"
    expect_status(page, "已停止朗读")
    # read to the end: the switch turns itself off; the lists after the article are not read
    switch.click()
    for _ in range(80):
        if switch.get_attribute("aria-checked") == "false":
            break
        end_one(page)
    assert switch.get_attribute("aria-checked") == "false"
    texts = " ".join(item["text"] for item in spoken(page))
    assert page.inner_text(".article-body p >> nth=-1")[:10] in texts
    assert "相关推荐" not in texts


def test_standard_article_has_no_care_switch(speaking, live_server):
    speaking.goto(live_server.path(ARTICLE))
    assert speaking.locator(".np-care-read-switch").count() == 0


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_unsupported_speech_shows_a_clear_message(browser, live_server, care):
    ctx = new_context(browser, base_url=live_server.base_url)
    ctx.add_init_script(NO_SPEECH_JS)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(live_server.path(ARTICLE, care=care))
        open_toolbar(page)
        note = page.locator(".np-a11y [data-np-note]")
        assert note.is_visible() and "不支持语音朗读" in note.inner_text()
        page.click("[data-np-action='read']")
        expect_status(page, "不支持语音朗读")
        page.click("[data-np-action='point']")
        assert page.get_attribute("[data-np-action='point']", "aria-pressed") == "false"
        if care:
            care_note = page.locator(".np-care-read [data-np-note]")
            assert care_note.is_visible() and "不支持语音朗读" in care_note.inner_text()
            page.click(".np-care-read-switch")
            assert page.get_attribute(".np-care-read-switch", "aria-checked") == "false"
        assert not errors, errors
    finally:
        ctx.close()
