"""Every newsroom API write, for every role, by token and by session: allowed or refused as the matrix says.

Table-driven: :data:`CASES` lists each write with the set of principals that may do it; a test runs every
(case, principal) pair on a fresh article. Add a row when you add a write endpoint (the route walk for the
newsroom pages extends this the same way).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from newsportal.domain import SourceKind
from newsportal.newsroom.roles import Role
from newsportal.timeutil import utcnow
from tests.conftest import sample_draft
from tests.newsroom.test_desk import T0

PRINCIPALS = ("reporter", "editor", "chief_editor", "admin", "self_media", "token")
EDITORIAL = frozenset({"editor", "chief_editor", "token"})  # tokens act as 主编 by default


@dataclass
class World:
    portal: object
    owner: object  # an editor who prepares the articles the cases act on
    headers: dict[str, dict[str, str]]
    self_media_key: str
    last_id: int = 0


def article_json(**over) -> dict:
    d = sample_draft()
    body = {"title": d.title, "body_html": d.body_html, "channel": d.channel_slug, "source": d.source_key,
            "summary": d.summary}
    body.update(over)
    return body


def _draft(w: World) -> int:
    return w.portal.newsroom.create(w.owner, sample_draft(), now=T0).article.id


def _submitted(w: World) -> int:
    aid = _draft(w)
    w.portal.newsroom.submit(w.owner, aid, now=T0)
    return aid


def _published(w: World) -> int:
    aid = _draft(w)
    w.portal.newsroom.approve_publish(w.owner, aid)
    return aid


def _two_revisions(w: World) -> int:
    aid = _draft(w)
    w.portal.newsroom.save(w.owner, aid, sample_draft(title="第二版标题"), expected_revision=1, now=T0)
    return aid


def _pinned(w: World) -> int:
    aid = _published(w)
    ch = w.portal.channels.section_by_slug("domestic")
    w.portal.newsroom.pin(w.owner, ch.id, aid)
    return aid


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # {id} and {sm} are filled in
    setup: Callable[[World], int] | None
    body: Callable[[World], dict | None]
    allowed: frozenset[str]


def _none(w: World) -> None:
    return None


CASES = [
    Case("create", "POST", "/api/v1/articles", None, lambda w: article_json(),
         frozenset({"reporter"}) | EDITORIAL),
    Case("create self-media", "POST", "/api/v1/articles", None,
         lambda w: article_json(source=w.self_media_key), frozenset({"self_media"}) | EDITORIAL),
    Case("update other's draft", "PUT", "/api/v1/articles/{id}", _draft,
         lambda w: article_json(title="改过的标题"), EDITORIAL),
    Case("submit other's draft", "POST", "/api/v1/articles/{id}/submit", _draft, _none, EDITORIAL),
    Case("publish", "POST", "/api/v1/articles/{id}/publish", _submitted, _none, EDITORIAL),
    Case("return", "POST", "/api/v1/articles/{id}/return", _submitted, lambda w: {"reason": "请补充来源"},
         EDITORIAL),
    Case("schedule", "POST", "/api/v1/articles/{id}/schedule", _submitted,
         lambda w: {"at": (utcnow() + timedelta(days=2)).isoformat() + "Z"}, EDITORIAL),
    Case("withdraw", "POST", "/api/v1/articles/{id}/withdraw", _published, lambda w: {"reason": "重复稿件"},
         EDITORIAL),
    Case("correct", "POST", "/api/v1/articles/{id}/corrections", _published,
         lambda w: {"note": "更正了一处地名"}, EDITORIAL),
    Case("restore", "POST", "/api/v1/articles/{id}/revisions/1/restore", _two_revisions, _none, EDITORIAL),
    Case("pin", "POST", "/api/v1/channels/domestic/pins", _published, lambda w: {"article_id": w.last_id},
         EDITORIAL),
    Case("unpin", "DELETE", "/api/v1/channels/domestic/pins/{id}", _pinned, _none, EDITORIAL),
    Case("source trust", "PUT", "/api/v1/sources/haihe-daily/trust", None, lambda w: {"trust": 0.4},
         frozenset({"chief_editor", "token"})),
    Case("self-media page", "PUT", "/api/v1/sources/{sm}/self-media", None,
         lambda w: {"name": "数码老周", "operator": "个人", "category": "科技数码"},
         frozenset({"chief_editor", "token", "self_media"})),
]


@pytest.fixture
def world(portal, client) -> World:
    nr = portal.newsroom
    sm = next(s for s in portal.sources.values() if s.kind is SourceKind.SELF_MEDIA)
    nr.account_store.save_self_media(sm.id, name=sm.name, intro="", operator="个人", category="科技数码",
                                     contact="", now=T0)
    owner = nr.accounts.actor_for(nr.accounts.create_user(None, "owner-editor", Role.EDITOR).user)
    headers: dict[str, dict[str, str]] = {}
    for name in PRINCIPALS[:-1]:
        made = nr.accounts.create_user(None, f"user-{name.replace('_', '-')}", name,
                                       source_id=sm.id if name == "self_media" else None)
        login = nr.accounts.authenticate(made.user.username, made.password)
        headers[name] = {"cookie": f"np_nr_session={login.session.session_id}",
                         "x-csrf-token": login.session.csrf_token}
    headers["token"] = {"authorization": f"Bearer {portal.store.create_token('partner')[1]}"}
    return World(portal, owner, headers, sm.key)


def _call(client, w: World, case: Case, headers: dict[str, str]):
    w.last_id = case.setup(w) if case.setup else 0
    path = case.path.format(id=w.last_id, sm=w.self_media_key)
    return client.request(case.method, path, json=case.body(w), headers=headers)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_write_for_every_role(client, world, case):
    outcomes = {}
    for who in PRINCIPALS:
        r = _call(client, world, case, world.headers[who])
        outcomes[who] = r.status_code
        if r.status_code == 403:
            assert r.json()["error"]["code"] == "forbidden"
    expected = {who: ("ok" if who in case.allowed else 403) for who in PRINCIPALS}
    got = {who: ("ok" if 200 <= s < 300 else s) for who, s in outcomes.items()}
    assert got == expected
    anonymous = _call(client, world, case, {})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("case", [c for c in CASES if "editor" in c.allowed][:3], ids=lambda c: c.name)
def test_session_writes_need_the_csrf_token(client, world, case):
    no_token = {"cookie": world.headers["editor"]["cookie"]}
    r = _call(client, world, case, no_token)
    assert r.status_code == 403 and "表单已过期" in r.json()["error"]["message"]
    forged = {**no_token, "x-csrf-token": world.headers["chief_editor"]["x-csrf-token"]}
    assert _call(client, world, case, forged).status_code == 403


def test_a_stale_put_is_409_with_both_versions(client, world):
    aid = _two_revisions(world)
    r = client.put(f"/api/v1/articles/{aid}", json=article_json(title="基于旧版的修改"),
                   headers={**world.headers["editor"], "if-match": "1"})
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["current_revision"] == 2 and err["theirs"]["title"] == "第二版标题"
    assert err["mine"]["title"] == "基于旧版的修改"
    ok = client.put(f"/api/v1/articles/{aid}", json=article_json(title="基于新版的修改"),
                    headers={**world.headers["editor"], "if-match": "2"})
    assert ok.status_code == 200 and ok.json()["revision"] == 3
