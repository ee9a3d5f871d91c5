"""Who is asking: API tokens for writers, the reader-id cookie for readers."""

import pytest
from starlette.requests import Request
from starlette.responses import Response

from newsportal.web.api.auth import (
    READER_COOKIE,
    Unauthorized,
    actor_of,
    client_origin,
    counting_reader,
    mint_reader_id,
    reader_from_request,
    require_token,
    valid_reader_id,
)


def request(cookie: str | None = None, ua: str = "Mozilla/5.0", client: str = "10.0.0.1",
            app=None) -> Request:
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
            "app": app,
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


def test_only_ids_the_server_signed_are_readers(client):
    app = client.app
    minted = Response()
    reader = mint_reader_id(request(app=app), minted)
    assert valid_reader_id(reader)
    cookie = minted.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    signed = cookie.split(";", 1)[0].split("=", 1)[1]
    assert signed.startswith(reader + ".")
    assert reader_from_request(request(signed, app=app)) == reader
    # a known browser keeps its id and gets no new cookie
    known = Response()
    assert mint_reader_id(request(signed, app=app), known) == reader and "set-cookie" not in known.headers
    # forged: a bare id, a random id with a made-up signature, a signature moved to another id, junk
    other = "c" * 32
    moved = f"{other}.{signed.split('.', 1)[1]}"
    for forged in (reader, other, moved, f"{other}.AAAA", "<script>", "x" * 500):
        assert reader_from_request(request(forged, app=app)) is None
        fresh = Response()
        new = mint_reader_id(request(forged, app=app), fresh)
        assert new not in (reader, other) and "set-cookie" in fresh.headers
    assert reader_from_request(request(app=app)) is None


def test_a_browser_without_a_valid_id_counts_under_its_address_block_and_agent(client):
    app = client.app
    first, again = Response(), Response()
    key, minted, verified = counting_reader(request(app=app), first)
    assert not verified and key.startswith("anon:") and "set-cookie" in first.headers
    assert valid_reader_id(minted) and minted in first.headers["set-cookie"]
    # the same browser throwing its cookie away, or inventing one, stays the same counted reader
    assert counting_reader(request("d" * 32, app=app), again)[0] == key
    assert counting_reader(request(app=app, client="10.0.0.77"), Response())[0] == key  # same /24
    assert counting_reader(request(app=app, client="10.0.1.1"), Response())[0] != key
    assert counting_reader(request(app=app, ua="Other/1.0"), Response())[0] != key
    signed = first.headers["set-cookie"].split(";", 1)[0].split("=", 1)[1]
    assert counting_reader(request(signed, app=app), Response()) == (minted, minted, True)


@pytest.mark.parametrize(
    "host, block",
    [
        ("203.0.113.9", "203.0.113.0/24"),
        ("2001:db8:1:2::5", "2001:db8:1::/48"),
        ("::ffff:198.51.100.7", "198.51.100.0/24"),
        ("testclient", "testclient"),
    ],
)
def test_client_origin_is_the_address_block(host, block):
    assert client_origin(request(client=host)) == block


def test_tokens(portal):
    name, secret = "desk", portal.store.create_token("desk")[1]
    token = require_token(portal, f"Bearer {secret}")
    assert token.name == name and actor_of(token) == "api:desk"
    assert require_token(portal, f"bearer   {secret}  ").name == name  # scheme is case-insensitive
    for header in (None, "", secret, f"Basic {secret}", "Bearer np_0000_wrong"):
        with pytest.raises(Unauthorized):
            require_token(portal, header)
