"""Who is asking: API tokens for writers, the reader-id cookie for readers."""

import pytest
from starlette.requests import Request
from starlette.responses import Response

from newsportal.web.api.auth import (
    READER_COOKIE,
    Unauthorized,
    actor_of,
    reader_of,
    reader_or_new,
    require_token,
    valid_reader_id,
)


def request(cookie: str | None = None, ua: str = "Mozilla/5.0", client: str = "10.0.0.1") -> Request:
    headers = [(b"user-agent", ua.encode())]
    if cookie is not None:
        headers.append((b"cookie", f"{READER_COOKIE}={cookie}".encode()))
    return Request(
        {
            "type": "http",
            "method": "POST",
            "path": "/api/v1/events",
            "headers": headers,
            "client": (client, 5000),
            "query_string": b"",
        }
    )


@pytest.mark.parametrize(
    "value, ok",
    [
        ("a" * 32, True),
        ("0123456789abcdef" * 2, True),
        ("A" * 32, False),
        ("a" * 31, False),
        ("g" * 32, False),
        ("", False),
        (None, False),
    ],
)
def test_reader_ids_are_32_lowercase_hex(value, ok):
    assert valid_reader_id(value) is ok


def test_reader_of_ignores_tampered_cookies():
    assert reader_of(request("b" * 32)) == "b" * 32
    assert reader_of(request("<script>" + "b" * 24)) is None
    assert reader_of(request()) is None


def test_a_new_browser_gets_a_stable_id_as_a_cookie():
    first, again = Response(), Response()
    reader = reader_or_new(request(), first)
    assert valid_reader_id(reader) and f"{READER_COOKIE}={reader}" in first.headers["set-cookie"]
    assert "httponly" in first.headers["set-cookie"].lower()
    # the same browser (address and agent) before its cookie arrives: the same reader
    assert reader_or_new(request(), again) == reader
    assert reader_or_new(request(ua="Other/1.0"), Response()) != reader
    known = Response()
    assert reader_or_new(request("c" * 32), known) == "c" * 32 and "set-cookie" not in known.headers


def test_tokens(portal):
    name, secret = "desk", portal.store.create_token("desk")[1]
    token = require_token(portal, f"Bearer {secret}")
    assert token.name == name and actor_of(token) == "api:desk"
    assert require_token(portal, f"bearer   {secret}  ").name == name  # scheme is case-insensitive
    for header in (None, "", secret, f"Basic {secret}", "Bearer np_0000_wrong"):
        with pytest.raises(Unauthorized):
            require_token(portal, header)
