"""Security headers on every response, CSP-clean pages, cookies' flags, CSRF tokens and the secret key."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from newsportal.config import ConfigError, Settings, site_secret, validate
from newsportal.newsroom.sessions import CsrfError
from newsportal.web.app import create_app
from newsportal.web.csrf import csrf_token, verify_csrf
from newsportal.web.security import CSP, SESSION_COOKIE, set_session_cookie

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(href|src|action)\s*=\s*\"\s*javascript:", re.I)


def reader_paths(portal) -> list[str]:
    art = next(iter(portal.catalog))
    article = portal.store.get_article(art)
    source = next(iter(portal.sources.values()))
    return ["/", "/channel/domestic", f"/a/{article.slug}.html", f"/article/{art}", f"/source/{source.key}",
            "/sources", "/search?q=公交", "/foryou", "/accessibility", "/care/", f"/care/article/{art}",
            "/no-such-page"]


def test_csp_has_no_unsafe_inline():
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    for part in ("script-src 'self'", "style-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'",
                 "base-uri 'self'", "form-action 'self'"):
        assert part in CSP


def test_reader_pages_carry_the_headers_and_no_inline_code(demo_client, demo_portal):
    for path in reader_paths(demo_portal):
        r = demo_client.get(path)
        assert r.status_code in (200, 404), path
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in r.headers  # the test site is http
        text = r.text
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER, JS_URL):
            found = pattern.search(text)
            assert found is None, f"{path}: {found.group(0) if found else ''}"
    api = demo_client.get("/api/v1/channels")
    assert api.headers["content-security-policy"] == CSP
    assert api.headers["x-content-type-options"] == "nosniff"
    static = demo_client.get("/static/site.css")
    assert static.headers["content-security-policy"] == CSP


def test_https_sites_get_hsts_and_secure_cookies(portal):
    settings = portal.settings.with_(site_url="https://news.example.cn")
    app = create_app(settings, portal=portal)
    with TestClient(app, base_url="https://testserver") as c:
        r = c.get("/")
        assert r.headers["strict-transport-security"].startswith("max-age=31536000")
    from starlette.responses import Response

    resp = Response()
    set_session_cookie(resp, settings, "abc")
    cookie = resp.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=abc") and "HttpOnly" in cookie and "Secure" in cookie
    assert "samesite=lax" in cookie.lower()
    plain = Response()
    set_session_cookie(plain, portal.settings, "abc")
    assert "Secure" not in plain.headers["set-cookie"] and "HttpOnly" in plain.headers["set-cookie"]


def test_csrf_tokens_bind_to_the_session_or_a_prelogin_nonce(portal, client):
    from starlette.requests import Request

    app = client.app

    def request(cookies: str = "") -> Request:
        headers = [(b"cookie", cookies.encode())] if cookies else []
        return Request({"type": "http", "app": app, "headers": headers, "method": "POST", "path": "/"})

    anon = request()
    token = csrf_token(anon)
    nonce = anon.scope["state"]["csrf_new_nonce"]
    verify_csrf(request(f"np_csrf={nonce}"), token)
    with pytest.raises(CsrfError):
        verify_csrf(request("np_csrf=" + "x" * 30), token)
    with pytest.raises(CsrfError):
        verify_csrf(request(), token)
    made = portal.newsroom.accounts.create_user(None, "csrf-editor", "editor")
    login = portal.newsroom.accounts.authenticate("csrf-editor", made.password)
    logged_in = request(f"{SESSION_COOKIE}={login.session.session_id}")
    assert csrf_token(logged_in) == login.session.csrf_token
    verify_csrf(logged_in, login.session.csrf_token)
    with pytest.raises(CsrfError):
        verify_csrf(logged_in, token)


def test_a_form_page_gets_the_nonce_cookie_once(portal):
    """The middleware sets ``np_csrf`` (HttpOnly, SameSite=Lax) when a handler made a token."""
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    app = create_app(portal=portal)

    def form(request: Request) -> PlainTextResponse:
        return PlainTextResponse(csrf_token(request))

    app.router.routes.insert(0, Route("/_test_form", form))

    with TestClient(app) as c:
        r = c.get("/_test_form")
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("np_csrf=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        again = c.get("/_test_form")
        assert again.text == r.text and "set-cookie" not in again.headers


def test_the_secret_is_generated_once_per_installation(tmp_path):
    first = site_secret(Settings(data_dir=tmp_path))
    assert len(first) >= 32 and site_secret(Settings(data_dir=tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert site_secret(Settings(data_dir=tmp_path / "other")) != first
    assert Settings(data_dir=tmp_path).resolved_secret_key() == first
    with pytest.raises(ConfigError):
        validate(Settings(secret_key="short"))
