"""The app with 跟贴 wired, on SQLite and PostgreSQL: two published articles, readers, and moderators.

The portal's comments component is rebuilt with cheap argon2 parameters, a fixed IP属地 locator and roomy
rate limits, so tests exercise the real services without slow hashing or tripping the limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from starlette.testclient import TestClient

from newsportal.comments.component import Comments
from newsportal.comments.ratelimit import PostLimiter
from newsportal.newsroom import save_article
from newsportal.newsroom.roles import Role
from newsportal.portal import Portal
from newsportal.timeutil import utcnow
from newsportal.web.app import create_app
from newsportal.web.moderation import staff as staff_adapter
from tests.comments.conftest import CHEAP, ROOMY
from tests.conftest import BROWSER_UA, sample_draft

PASSWORD = "海河晨报2026"
CSRF_RE = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class FixedLocator:
    """Every address resolves to one province, so the IP属地 label is visible in pages."""

    def locate(self, ip: str) -> str:
        return "广东"


@dataclass
class Site:
    portal: Portal
    app: object
    article: int
    other: int
    _n: int = 0
    clients: list[TestClient] = field(default_factory=list)

    @property
    def comments(self) -> Comments:
        return self.portal.comments

    def client(self) -> TestClient:
        c = TestClient(self.app, headers={"user-agent": BROWSER_UA})
        c.__enter__()
        self.clients.append(c)
        return c

    def reader(self, nickname: str = "读者", *, verified: bool = True) -> tuple[TestClient, str, str]:
        """A new browser signed in as a new reader: (client, CSRF token for its API calls, login)."""
        self._n += 1
        login = f"reader{self._n}@example.cn"
        c = self.client()
        r = c.post("/api/v1/readers/signup", json={"login": login, "nickname": f"{nickname}{self._n}",
                                                   "password": PASSWORD})
        assert r.status_code == 201, r.text
        if verified:
            self.comments.readers.approve(login, "cli:test-operator", utcnow())
        r = c.post("/api/v1/readers/login", json={"login": login, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return c, r.json()["csrf"], login

    def moderator(self, name: str, role: Role = Role.EDITOR) -> tuple[TestClient, str]:
        """A new browser with a newsroom session of ``role``: (client, the session's CSRF token)."""
        accounts = self.portal.newsroom.accounts
        user = accounts.create_user(None, name, role, display_name=f"审核员{name}",
                                    password="Moderation-Pass-2026!").user
        sessions = self.portal.newsroom.sessions
        new = sessions.start(user.id)
        c = self.client()
        c.cookies.set(staff_adapter.COOKIE, new.session_id)
        return c, new.csrf_token


@pytest.fixture
def site(portal) -> Site:
    portal.comments = Comments(portal.store.engine, locator=FixedLocator(), limiter=PostLimiter(ROOMY),
                               hasher=CHEAP, secret=b"s" * 32)
    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    b, _ = save_article(portal, sample_draft(title="滨海图书馆延长开放时间", external_id="other"), actor="t",
                        publish_now=True)
    app = create_app(portal=portal)
    s = Site(portal, app, a.id, b.id)
    yield s
    for c in s.clients:
        c.__exit__(None, None, None)


def post(client: TestClient, csrf: str, article: int, text: object, **more: object):
    return client.post(f"/api/v1/articles/{article}/comments", json={"text": text, **more},
                       headers={"x-csrf-token": csrf})


def mod_post(client: TestClient, csrf: str, path: str, **form: str):
    return client.post(f"/newsroom/moderation{path}", data={"csrf": csrf, **form}, follow_redirects=False)
