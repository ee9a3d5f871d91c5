"""关怀版 measured in the browser against the published elder-friendly numbers.

Main text >= 18px and the largest text >= 30px; line height >= 1.3; paragraph spacing >= 1.3x the line
height; text contrast >= 4.5:1; every control >= 60x60px; one column; nothing fixed or popping up over the
page, no ads or app prompts; every control named in plain visible words.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import DESKTOP, new_context
from tests.browser.helpers import MEASURE_JS, MOBILE, PARAGRAPHS_JS, open_toolbar
from tests.browser.pages import ARTICLE, PAGES, SCREENSHOTS

MIN_TEXT_PX = 18
MIN_LARGEST_PX = 30
MIN_LINE_HEIGHT = 1.3
MIN_PARAGRAPH_SPACING = 1.3
MIN_CONTRAST = 4.5
MIN_TARGET_PX = 60
APP_PROMPT = re.compile(r"(下载|打开|安装).{0,6}(APP|App|app|客户端)")

CARE_PAGES = [p for p in PAGES if p.care]
MEASURED: dict[str, dict] = {}  # page -> the smallest/largest numbers seen


@pytest.fixture(scope="module", autouse=True)
def report():
    """Writes the measured numbers to test-artifacts/care-numbers.json for people to read."""
    yield
    if MEASURED:
        SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS.parent / "care-numbers.json").write_text(
            json.dumps(MEASURED, ensure_ascii=False, indent=1)
        )


def measure(page) -> dict:
    return page.evaluate(MEASURE_JS)


def check_numbers(name: str, m: dict) -> list[str]:
    problems = []
    texts, controls = m["texts"], m["controls"]
    assert texts and controls, "nothing measured"
    for t in texts:
        if t["size"] < MIN_TEXT_PX - 0.01:
            problems.append(f"text {t['size']}px < {MIN_TEXT_PX}: {t['el']}")
        if t["ratioLH"] is None or t["ratioLH"] < MIN_LINE_HEIGHT - 0.001:
            problems.append(f"line height {t['ratioLH']} < {MIN_LINE_HEIGHT}: {t['el']}")
        if t["contrast"] < MIN_CONTRAST - 0.005:
            problems.append(f"contrast {t['contrast']:.2f} < {MIN_CONTRAST}: {t['el']}")
    largest = max(t["size"] for t in texts)
    if largest < MIN_LARGEST_PX:
        problems.append(f"largest text {largest}px < {MIN_LARGEST_PX}")
    for c in controls:
        if c["width"] < MIN_TARGET_PX - 0.5 or c["height"] < MIN_TARGET_PX - 0.5:
            problems.append(f"target {c['width']:.0f}x{c['height']:.0f} < {MIN_TARGET_PX}: {c['el']}")
        if not c["text"]:
            problems.append(f"control without visible words: {c['el']}")
    seen = MEASURED.setdefault(
        name,
        {
            "min_text": 99,
            "max_text": 0,
            "min_lh": 9,
            "min_contrast": 99,
            "min_target": 999,
            "texts": 0,
            "controls": 0,
        },
    )
    seen["min_text"] = min(seen["min_text"], min(t["size"] for t in texts))
    seen["max_text"] = max(seen["max_text"], largest)
    seen["min_lh"] = min(seen["min_lh"], min(t["ratioLH"] or 0 for t in texts))
    seen["min_contrast"] = min(seen["min_contrast"], min(t["contrast"] for t in texts))
    seen["min_target"] = min(seen["min_target"], min(min(c["width"], c["height"]) for c in controls))
    seen["texts"] = max(seen["texts"], len(texts))
    seen["controls"] = max(seen["controls"], len(controls))
    return problems


@pytest.mark.parametrize("pg", CARE_PAGES, ids=[p.name for p in CARE_PAGES])
def test_care_page_meets_the_elder_friendly_numbers(browser, live_server, pg):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    try:
        page.goto(live_server.path(pg, care=True))
        assert page.get_attribute("body", "class") == "care"
        problems = []
        for label, viewport in (("desktop", DESKTOP), ("390px", MOBILE)):
            page.set_viewport_size(viewport)
            problems += [f"[{label}] {p}" for p in check_numbers(pg.name, measure(page))]
            # one column: every grid on the page has a single track
            columns = page.evaluate(
                "() => Array.from(document.querySelectorAll('.layout, .module-grid'))"
                ".map(e => getComputedStyle(e).gridTemplateColumns.split(' ').length)"
            )
            problems += [f"[{label}] {n} columns" for n in columns if n != 1]
        # with the toolbar open every control of the toolbar meets the numbers too
        page.set_viewport_size(DESKTOP)
        open_toolbar(page)
        problems += [f"[toolbar] {p}" for p in check_numbers(pg.name, measure(page))]
        # the skip link, once it shows, is as large as every other control
        page.focus(".skip-link")
        box = page.locator(".skip-link").bounding_box()
        if box["width"] < MIN_TARGET_PX or box["height"] < MIN_TARGET_PX:
            problems.append(f"skip link {box}")
        assert not problems, "\n".join(problems[:40])
    finally:
        ctx.close()


@pytest.mark.parametrize("pg", CARE_PAGES, ids=[p.name for p in CARE_PAGES])
def test_care_page_has_no_popups_ads_or_app_prompts(browser, live_server, pg):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    try:
        page.goto(live_server.path(pg, care=True))
        m = measure(page)
        assert m["positioned"] == [], "fixed or sticky elements cover the page"
        assert page.locator("iframe, dialog, [role=dialog], [role=alertdialog], ins.adsbygoogle").count() == 0
        text = page.inner_text("body")
        assert not APP_PROMPT.search(text)
        # no advertising on a care page; the help page (which promises "没有弹窗和广告") and the report
        # form (whose categories include "违法广告") speak of ads without showing any
        if pg.name not in ("help", "report"):
            assert "广告" not in text
        if pg.name == "article":  # the WeChat QR code opens in the page flow, not over it
            page.click(".share-wechat summary")
            assert (
                page.evaluate("getComputedStyle(document.querySelector('.share-pop')).position") == "static"
            )
    finally:
        ctx.close()


def test_care_article_paragraph_spacing(browser, live_server):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    try:
        page.goto(live_server.path(ARTICLE, care=True))
        gaps = page.evaluate(PARAGRAPHS_JS, ".article-body")
        assert len(gaps) >= 3
        for g in gaps:
            assert g["gap"] >= MIN_PARAGRAPH_SPACING * g["lineHeight"] - 0.5, g
            assert g["lineHeight"] >= MIN_LINE_HEIGHT * g["fontSize"], g
        MEASURED.setdefault("article", {})["paragraph_gap_over_line_height"] = round(
            min(g["gap"] / g["lineHeight"] for g in gaps), 2
        )
    finally:
        ctx.close()


def test_care_mode_switches_both_ways(browser, live_server):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    try:
        std = live_server.path(ARTICLE)
        page.goto(std)
        assert page.get_attribute("body", "class") == "standard"
        page.click("text=进入关怀版")
        assert page.url.endswith("/care" + std) and page.get_attribute("body", "class") == "care"
        canonical = page.get_attribute("link[rel=canonical]", "href")
        assert canonical == live_server.url(std)
        page.click("text=退出关怀版")
        assert page.url.endswith(std) and page.get_attribute("body", "class") == "standard"
    finally:
        ctx.close()
