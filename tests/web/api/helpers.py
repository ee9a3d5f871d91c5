"""Shared by the API tests: a valid article body, the auth header, the error-shape check."""

GOOD = {
    "title": "江城地铁新线开通试运营",
    "body_html": "<p>本网讯（记者 李沐阳）江城地铁新线今天开通试运营，全长二十公里。</p>",
    "channel": "domestic",
    "source": "zhongyuan-net",
    "tags": ["地铁", "交通"],
    "editors": ["刘静"],
    "reporters": ["李沐阳"],
}


def auth(token):
    return {"authorization": f"Bearer {token}"}


def assert_error(r, status, code=None):
    assert r.status_code == status, r.text
    body = r.json()["error"]
    assert body["status"] == status and body["message"]
    if code:
        assert body["code"] == code
    return body


def ext(portal, e):
    return portal.store.get_article_by_external_id(e).id
