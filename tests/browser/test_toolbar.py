"""The 无障碍浏览 toolbar in a real browser: every function, its shortcuts, keyboard use and persistence."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context
from tests.browser.helpers import expect_status, has_horizontal_scroll, open_toolbar, preset, shoot
from tests.browser.pages import ARTICLE, CHANNEL, HOME


def html_attr(page, name):
    return page.get_attribute("html", name)


def font_px(page, selector):
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def test_footer_link_opens_the_toolbar_and_keeps_its_fallback(page, live_server):
    page.goto(live_server.path(ARTICLE))
    link = page.locator("#a11y-toolbar-link")
    assert link.get_attribute("href") == "/accessibility"  # where it leads without JavaScript
    assert page.locator("section.np-a11y").count() == 0  # nothing until asked for
    url = page.url
    link.click()
    assert page.url == url
    assert page.locator("section.np-a11y").is_visible()
    assert link.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.dataset.npAction") == "text-up"
    # the toolbar comes before the header, so it never covers the page
    assert page.evaluate(
        "document.querySelector('.np-a11y').compareDocumentPosition("
        "document.querySelector('.site-header')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )


def test_alt_a_opens_the_toolbar_without_following_the_link(page, live_server):
    page.goto(live_server.path(HOME))
    url = page.url
    page.keyboard.press("Alt+KeyA")
    page.wait_for_selector("section.np-a11y:not([hidden])")
    assert page.url == url
    assert page.evaluate("!!document.activeElement.closest('.np-a11y')")


def test_text_zoom(page, live_server):
    page.goto(live_server.path(ARTICLE))
    base = font_px(page, ".article-body")
    open_toolbar(page)
    page.click("[data-np-action='text-up']")
    page.click("[data-np-action='text-up']")
    assert page.text_content("[data-np-value='text']") == "130%"
    assert font_px(page, ".article-body") == pytest.approx(base * 1.3, abs=0.1)
    expect_status(page, "文字大小 130%")
    for _ in range(6):
        page.click("[data-np-action='text-up']")
    assert page.text_content("[data-np-value='text']") == "200%"
    assert font_px(page, ".article-body") == pytest.approx(base * 2, abs=0.1)
    page.click("[data-np-action='text-down']")
    assert page.text_content("[data-np-value='text']") == "175%"


@pytest.mark.parametrize("width", [1280, 640])
def test_page_zoom_reflows_without_horizontal_scroll(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.path(ARTICLE))
    open_toolbar(page)
    sidebar_beside = page.evaluate(
        "() => document.querySelector('.sidebar').getBoundingClientRect().top <"
        " document.querySelector('.article').getBoundingClientRect().bottom"
    )
    assert sidebar_beside == (width == 1280)  # two columns on a wide screen
    for expected in ("125%", "150%", "175%", "200%", "250%", "300%"):
        page.click("[data-np-action='zoom-in']")
        assert page.text_content("[data-np-value='zoom']") == expected
        assert not has_horizontal_scroll(page), expected
        if expected == "200%":
            assert page.evaluate("getComputedStyle(document.body).zoom") == "2"
            # the page reflowed to one column: the hot list now comes after the article
            assert page.evaluate(
                "() => document.querySelector('.sidebar').getBoundingClientRect().top >="
                " document.querySelector('.article').getBoundingClientRect().bottom"
            )
    page.click("[data-np-action='zoom-in']")
    expect_status(page, "最大")


def test_contrast_schemes(page, live_server):
    page.goto(live_server.path(ARTICLE))
    open_toolbar(page)
    expected = {
        "black-white": ("rgb(0, 0, 0)", "rgb(255, 255, 255)"),
        "black-yellow": ("rgb(0, 0, 0)", "rgb(255, 255, 0)"),
        "white-black": ("rgb(255, 255, 255)", "rgb(0, 0, 0)"),
        "blue-yellow": ("rgb(0, 43, 127)", "rgb(255, 255, 0)"),
    }
    for scheme, (bg, ink) in expected.items():
        page.select_option("#np-a11y-contrast", scheme)
        assert html_attr(page, "data-np-contrast") == scheme
        colours = page.evaluate(
            "() => { const s = getComputedStyle(document.querySelector('.article-body p'));"
            " return [getComputedStyle(document.body).backgroundColor, s.color]; }"
        )
        assert colours == [bg, ink], scheme
    page.select_option("#np-a11y-contrast", "none")
    assert html_attr(page, "data-np-contrast") is None


def test_reading_guide_follows_pointer_and_focus(page, live_server):
    page.goto(live_server.path(ARTICLE))
    page.keyboard.press("Alt+KeyR")
    assert html_attr(page, "data-np-guide") == "horizontal"
    page.mouse.move(300, 420)
    line = page.locator(".np-guide-h")
    assert line.is_visible() and not page.locator(".np-guide-v").is_visible()
    assert abs(line.bounding_box()["y"] + 2 - 420) <= 2
    assert page.evaluate("getComputedStyle(document.querySelector('.np-guide')).pointerEvents") == "none"
    page.keyboard.press("Alt+KeyR")
    assert html_attr(page, "data-np-guide") == "vertical"
    page.mouse.move(500, 300)
    assert abs(page.locator(".np-guide-v").bounding_box()["x"] + 2 - 500) <= 2
    page.keyboard.press("Alt+KeyR")
    assert html_attr(page, "data-np-guide") == "cross"
    assert line.is_visible() and page.locator(".np-guide-v").is_visible()
    shoot(page, "article-std-guide-cross", full_page=False)
    # a keyboard user's guide follows the focus
    page.focus(".share-wechat summary")
    summary = page.locator(".share-wechat summary").bounding_box()
    assert abs(line.bounding_box()["y"] + 2 - (summary["y"] + summary["height"])) <= 3
    page.keyboard.press("Alt+KeyR")
    assert html_attr(page, "data-np-guide") is None and not line.is_visible()


def test_large_pointer(page, live_server):
    page.goto(live_server.path(ARTICLE))
    open_toolbar(page)
    button = page.locator("[data-np-action='cursor']")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert html_attr(page, "data-np-cursor") == "large"
    assert "cursor-arrow.svg" in page.evaluate(
        "getComputedStyle(document.querySelector('.article-body p')).cursor"
    )
    assert "cursor-hand.svg" in page.evaluate(
        "getComputedStyle(document.querySelector('.card-title')).cursor"
    )
    button.click()
    assert html_attr(page, "data-np-cursor") is None


def test_text_only_view(page, live_server):
    page.goto(live_server.path(ARTICLE))
    open_toolbar(page)
    page.click("[data-np-action='text-only']")
    assert html_attr(page, "data-np-text-only") == "on"
    page.click(".share-wechat summary")
    assert not page.locator(".qr svg").is_visible()  # no pictures
    assert page.evaluate("getComputedStyle(document.querySelector('.layout')).display") == "block"
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.badge-original, .card-title')).backgroundColor"
        )
        == "rgba(0, 0, 0, 0)"
    )
    assert page.locator(".article-body p").first.is_visible()
    assert page.locator("section.np-a11y").is_visible()  # the toolbar stays usable
    assert not has_horizontal_scroll(page)
    shoot(page, "article-std-text-only", full_page=False)
    page.click("[data-np-action='text-only']")
    assert html_attr(page, "data-np-text-only") is None


def test_settings_persist_across_pages_and_visits(browser, live_server):
    ctx = new_context(browser, base_url=live_server.base_url)
    try:
        page = ctx.new_page()
        page.goto(live_server.path(ARTICLE))
        open_toolbar(page)
        page.click("[data-np-action='zoom-in']")
        page.click("[data-np-action='text-up']")
        page.select_option("#np-a11y-contrast", "black-yellow")
        page.select_option("#np-a11y-guide", "cross")
        page.click("[data-np-action='cursor']")
        page.click("[data-np-action='point']")
        page.fill("[data-np-setting='rate']", "1.5")
        page.click("text=体育")  # another page
        page.wait_for_url("**/channel/sports")

        def check(p):
            assert p.locator("section.np-a11y").is_visible()
            assert p.get_attribute("html", "data-np-contrast") == "black-yellow"
            assert p.get_attribute("html", "data-np-guide") == "cross"
            assert p.get_attribute("html", "data-np-cursor") == "large"
            assert p.evaluate("getComputedStyle(document.body).zoom") == "1.25"
            assert p.evaluate("document.documentElement.style.fontSize") == "115%"
            assert p.input_value("[data-np-setting='rate']") == "1.5"
            assert p.get_attribute("[data-np-action='point']", "aria-pressed") == "true"

        check(page)
        later = ctx.new_page()  # a later visit (same browser profile)
        later.goto(live_server.path(HOME, care=True))
        check(later)
        # 恢复默认 (and Alt+0) clears everything, and that is remembered too
        later.keyboard.press("Alt+Digit0")
        assert later.get_attribute("html", "data-np-contrast") is None
        assert later.evaluate("getComputedStyle(document.body).zoom") == "1"
        page.reload()
        assert page.get_attribute("html", "data-np-guide") is None
        assert page.evaluate("document.documentElement.style.fontSize") == ""
    finally:
        ctx.close()


def test_keyboard_shortcuts(page, live_server):
    page.goto(live_server.path(CHANNEL))
    page.keyboard.press("Alt+Equal")
    page.keyboard.press("Alt+Equal")
    assert page.evaluate("getComputedStyle(document.body).zoom") == "1.5"
    expect_status(page, "页面缩放 150%")
    page.keyboard.press("Alt+Minus")
    assert page.evaluate("getComputedStyle(document.body).zoom") == "1.25"
    page.keyboard.press("Alt+KeyC")
    assert html_attr(page, "data-np-contrast") == "black-white"
    page.keyboard.press("Alt+KeyC")
    assert html_attr(page, "data-np-contrast") == "black-yellow"
    expect_status(page, "黑底黄字")
    page.keyboard.press("Alt+KeyR")
    assert html_attr(page, "data-np-guide") == "horizontal"
    page.keyboard.press("Alt+Digit0")
    assert html_attr(page, "data-np-contrast") is None and html_attr(page, "data-np-guide") is None
    assert page.evaluate("getComputedStyle(document.body).zoom") == "1"
    expect_status(page, "已恢复默认设置")
    # the shortcuts leave ordinary typing alone
    page.keyboard.press("KeyC")
    assert html_attr(page, "data-np-contrast") is None


def focus_info(page):
    return page.evaluate("""() => {
      const e = document.activeElement, s = getComputedStyle(e);
      return { inBar: !!e.closest('.np-a11y'),
               action: e.dataset.npAction || e.dataset.npSetting || e.id || '',
               tag: e.tagName, text: (e.innerText || '').trim().slice(0, 20),
               outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                        && e.matches(':focus-visible'),
               header: !!e.closest('.site-header'), topbar: !!e.closest('.topbar') };
    }""")


def test_keyboard_only_walk_through_the_toolbar(page, live_server):
    page.goto(live_server.path(ARTICLE))
    page.keyboard.press("Tab")
    assert focus_info(page)["text"] == "跳到主要内容"
    page.keyboard.press("Alt+KeyA")
    stops = [focus_info(page)]
    while True:
        page.keyboard.press("Tab")
        info = focus_info(page)
        if not info["inBar"]:
            break
        stops.append(info)
        assert len(stops) < 40, "focus never leaves the toolbar"
    # every control is reachable, each with a visible focus indicator, and focus moves on to the page's
    # own chrome: the top bar (无障碍浏览, 关怀版, search), which comes right after the toolbar
    actions = [s["action"] for s in stops]
    for needed in (
        "text-up",
        "text-down",
        "zoom-in",
        "zoom-out",
        "contrast",
        "guide",
        "cursor",
        "text-only",
        "point",
        "read",
        "pause",
        "stop",
        "volume",
        "rate",
        "reset",
        "help",
        "close",
    ):
        assert needed in actions, needed
    assert all(s["outline"] for s in stops), [s for s in stops if not s["outline"]]
    assert info["topbar"] and info["action"] == "a11y-toolbar-link", info
    page.keyboard.press("Shift+Tab")  # and back in again
    assert focus_info(page)["action"] == "close"

    # operate everything with keys alone: Tab (or Shift+Tab) to the control, then its key
    def press(control, key, back=False):
        selector = f"[data-np-action='{control}'], [data-np-setting='{control}'], {control}"
        for _ in range(40):
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                break
            page.keyboard.press("Shift+Tab" if back else "Tab")
        else:
            raise AssertionError(f"{control} cannot be reached by keyboard")
        page.keyboard.press(key)

    press("text-up", "Enter", back=True)
    assert page.text_content("[data-np-value='text']") == "115%"
    press("zoom-in", "Space")
    assert page.text_content("[data-np-value='zoom']") == "125%"
    press("contrast", "ArrowDown")
    assert html_attr(page, "data-np-contrast") == "black-white"
    press("cursor", "Enter")
    assert page.get_attribute("[data-np-action='cursor']", "aria-pressed") == "true"
    press("volume", "ArrowLeft")
    assert page.input_value("[data-np-setting='volume']") == "0.9"
    press("help", "Enter")
    assert page.locator("#np-a11y-help").is_visible()
    assert page.get_attribute("[data-np-action='help']", "aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert focus_info(page)["action"] == "close"
    press("#np-a11y-help a", "Escape")  # Esc closes the help and returns to its button
    assert not page.locator("#np-a11y-help").is_visible()
    assert focus_info(page)["action"] == "help"
    press("reset", "Enter", back=True)
    assert html_attr(page, "data-np-contrast") is None
    press("close", "Enter")
    assert not page.locator("section.np-a11y").is_visible()
    assert page.evaluate("document.activeElement.id") == "a11y-toolbar-link"  # focus is not lost
    page.keyboard.press("Space")  # the link acts as the toolbar's button
    assert page.locator("section.np-a11y").is_visible()


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
@pytest.mark.parametrize("width,zoom", [(320, 100), (640, 200)])
def test_toolbar_and_page_reflow_at_320_css_px(browser, live_server, width, zoom, care):
    """320 CSS px of width: a 320 px screen, or 640 px at 200% page zoom (WCAG 1.4.10)."""
    ctx = new_context(browser, viewport={"width": width, "height": 640}, base_url=live_server.base_url)
    try:
        preset(ctx, open=True, zoom=zoom)
        page = ctx.new_page()
        page.goto(live_server.path(ARTICLE, care=care))
        assert page.locator("section.np-a11y").is_visible()
        assert page.evaluate("document.body.clientWidth") == 320
        assert not has_horizontal_scroll(page)
    finally:
        ctx.close()
