"""Edge guards: local API docs, the JSON error shape (405 with Allow, 415), integer-only ids, safe paths."""

import re

import pytest

from newsportal.web.hardening import is_json_type, safe_local_path
from tests.web.api.helpers import assert_error


def test_api_docs_come_from_this_server_not_a_cdn(demo_client):
    page = demo_client.get("/api/v1/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert urls and all(u.startswith("/api/v1/docs/") for u in urls), urls
    assert "<script>" not in page.text.replace(" ", "")  # no inline script: fits a strict CSP
    for url in urls:
        asset = demo_client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 20, url
    init = demo_client.get("/api/v1/docs/init.js").text
    assert "/api/v1/openapi.json" in init and "SwaggerUIBundle" in init
    assert "SwaggerUIBundle" in demo_client.get("/api/v1/docs/assets/swagger-ui-bundle.js").text


def test_405_is_json_with_allow(demo_client):
    r = demo_client.delete("/api/v1/channels")
    body = assert_error(r, 405, "method_not_allowed")
    assert body["status"] == 405 and "GET" in r.headers["allow"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_415_for_a_body_that_is_not_json(demo_client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    r = demo_client.post("/api/v1/events", content=b'{"article_id": 1, "kind": "view"}', headers=headers)
    assert_error(r, 415, "unsupported_media_type")


def test_json_with_a_charset_or_a_json_suffix_is_fine():
    assert is_json_type("application/json; charset=utf-8") and is_json_type("application/ninjs+json")
    assert not is_json_type("text/json-ish") and not is_json_type("")


@pytest.mark.parametrize("ref", ["1.0", "+1", "1_0", "1e0", " 1", "0x1", "１"])
def test_ids_are_integers_only(demo_client, ref):
    r = demo_client.get(f"/api/v1/articles/{ref}")
    assert r.status_code in (404, 422) and "error" in r.json()
    assert demo_client.get(f"/api/v1/articles/{ref}/related").status_code in (404, 422)


def test_plain_integer_ids_still_work(demo_client):
    first = demo_client.get("/api/v1/articles?per_page=1").json()["items"][0]["id"]
    assert demo_client.get(f"/api/v1/articles/{first}").json()["id"] == first


@pytest.mark.parametrize(
    "path, safe",
    [
        ("/article/3", "/article/3"),
        ("/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example/x", "/"),
        ("/a\\b", "/"),
        ("/\tevil", "/"),
        ("https://evil.example/", "/"),
        ("evil.example", "/"),
        ("", "/"),
    ],
)
def test_safe_local_path(path, safe):
    assert safe_local_path(path) == safe


def test_the_care_switch_never_points_off_site(demo_client):
    from urllib.parse import urlsplit

    for path in ("/care//evil.example/x", "//evil.example/x", "/care/%2F%2Fevil.example/x"):
        page = demo_client.get(path)
        assert page.status_code in (200, 404)
        links = re.findall(r'href="([^"]*)"', page.text)
        # every link stays on this site: no scheme-relative //host, no other host
        off_site = [u for u in links if u.startswith("//") or urlsplit(u).netloc not in ("", "testserver")]
        assert links and not off_site, (path, off_site)
