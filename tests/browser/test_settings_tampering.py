"""Toolbar settings read back from localStorage or the cookie are validated; bad ones become defaults."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.browser.conftest import new_context
from tests.browser.pages import ARTICLE, CHANNEL, HOME

DEFAULTS = {
    "open": False,
    "text": 100,
    "zoom": 100,
    "contrast": "none",
    "guide": "none",
    "cursor": False,
    "textOnly": False,
    "point": False,
    "volume": 1,
    "rate": 1,
}

TAMPERED = {
    "not json": "{zoom: 300",
    "json array": "[200, 300]",
    "json string": '"black-yellow"',
    "json null": "null",
    "too long": json.dumps({"zoom": 200, "pad": "x" * 5000}),
    "wrong types": json.dumps(
        {
            "open": "yes",
            "text": "200",
            "zoom": "300",
            "cursor": 1,
            "textOnly": "true",
            "point": None,
            "volume": "1",
            "rate": [1],
        }
    ),
    "out of range": json.dumps({"text": 1000, "zoom": 1e9, "volume": -3, "rate": 99}),
    "not a step": json.dumps({"text": 120, "zoom": 199, "volume": "NaN"}),
    "injection": json.dumps(
        {
            "contrast": '"><script>alert(1)</script>',
            "guide": "url(javascript:alert(1))",
            "zoom": "2; background:url(//evil)",
        }
    ),
    "prototype pollution": '{"__proto__": {"zoom": 200, "contrast": "black-yellow"}, '
    '"constructor": {"prototype": {"guide": "cross"}}}',
}


def effective(page) -> dict:
    return page.evaluate("""() => ({
      settings: npA11y.settings(),
      attrs: ['data-np-contrast', 'data-np-guide', 'data-np-cursor', 'data-np-text-only']
               .filter(a => document.documentElement.hasAttribute(a)),
      fontSize: document.documentElement.style.fontSize,
      zoom: getComputedStyle(document.body).zoom,
      polluted: ({}).zoom !== undefined || ({}).guide !== undefined,
      toolbar: !!document.querySelector('section.np-a11y:not([hidden])'),
    })""")


def assert_defaults(page):
    state = effective(page)
    assert state["settings"] == DEFAULTS
    assert state["attrs"] == [] and state["fontSize"] == "" and state["zoom"] == "1"
    assert not state["polluted"] and not state["toolbar"]


@pytest.fixture
def fresh(browser, live_server):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield ctx, page
    ctx.close()
    assert not errors, errors


@pytest.mark.parametrize("raw", list(TAMPERED.values()), ids=list(TAMPERED))
def test_tampered_local_storage_falls_back_to_defaults(fresh, live_server, raw):
    _ctx, page = fresh
    page.goto(live_server.path(ARTICLE))
    page.evaluate("raw => localStorage.setItem('np-a11y', raw)", raw)
    page.goto(live_server.path(CHANNEL))
    assert_defaults(page)
    assert page.locator("h1").is_visible()  # the page itself is unharmed


@pytest.mark.parametrize(
    "raw",
    [TAMPERED["not json"], TAMPERED["injection"], TAMPERED["out of range"]],
    ids=["not json", "injection", "out of range"],
)
def test_tampered_cookie_falls_back_to_defaults(fresh, live_server, raw):
    ctx, page = fresh
    ctx.add_cookies([{"name": "np_a11y", "value": quote(raw), "url": live_server.base_url}])
    page.goto(live_server.path(ARTICLE))
    assert_defaults(page)


def test_undecodable_cookie_falls_back_to_defaults(fresh, live_server):
    ctx, page = fresh
    ctx.add_cookies([{"name": "np_a11y", "value": "%E0%A4%A", "url": live_server.base_url}])
    page.goto(live_server.path(ARTICLE))
    assert_defaults(page)


def test_each_bad_field_falls_back_alone(fresh, live_server):
    _ctx, page = fresh
    page.goto(live_server.path(ARTICLE))
    raw = json.dumps(
        {
            "open": True,
            "zoom": 150,
            "contrast": "<b>",
            "text": 130,
            "guide": "diagonal",
            "cursor": True,
            "volume": 7,
            "rate": 1.5,
            "extra": "ignored",
        }
    )
    page.evaluate("raw => localStorage.setItem('np-a11y', raw)", raw)
    page.reload()
    state = effective(page)
    assert state["settings"] == dict(DEFAULTS, open=True, zoom=150, text=130, cursor=True, rate=1.5)
    assert state["attrs"] == ["data-np-cursor"] and state["zoom"] == "1.5" and state["fontSize"] == "130%"
    assert state["toolbar"]


def test_cookie_carries_settings_when_storage_is_empty_or_blocked(browser, live_server):
    good = json.dumps({"contrast": "black-yellow", "zoom": 125})
    ctx = new_context(browser, base_url=live_server.base_url)
    try:
        ctx.add_cookies([{"name": "np_a11y", "value": quote(good), "url": live_server.base_url}])
        page = ctx.new_page()
        page.goto(live_server.path(ARTICLE))
        assert page.get_attribute("html", "data-np-contrast") == "black-yellow"
        # localStorage, when present, wins over the cookie
        page.evaluate("localStorage.setItem('np-a11y', JSON.stringify({contrast: 'white-black'}))")
        page.reload()
        assert page.get_attribute("html", "data-np-contrast") == "white-black"
    finally:
        ctx.close()
    ctx = new_context(browser, base_url=live_server.base_url)
    try:  # storage that throws on access (blocked by the reader's privacy settings)
        ctx.add_init_script(
            "Object.defineProperty(window, 'localStorage', { get() {"
            " throw new DOMException('blocked', 'SecurityError'); } });"
        )
        ctx.add_cookies([{"name": "np_a11y", "value": quote(good), "url": live_server.base_url}])
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(live_server.path(ARTICLE))
        assert page.get_attribute("html", "data-np-contrast") == "black-yellow"
        page.keyboard.press("Alt+KeyC")  # saving works through the cookie alone
        page.goto(live_server.path(HOME))
        assert page.get_attribute("html", "data-np-contrast") == "white-black"
        assert not errors, errors
    finally:
        ctx.close()
