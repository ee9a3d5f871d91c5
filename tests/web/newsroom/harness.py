"""A newsroom app over a real store with one logged-in client per role, and helpers to post forms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from starlette.testclient import TestClient

from newsportal.newsroom.login_limits import LoginLimiter, LoginLimits
from newsportal.newsroom.sessions import hash_session_id
from newsportal.portal import Portal
from newsportal.web.app import create_app
from newsportal.web.newsroom import deps
from newsportal.web.newsroom.deps import NewsroomServices, build_services

SECRET = b"s" * 32
T0 = datetime(2026, 12, 2, 2, 0)  # 10:00 Beijing time
SELF_MEDIA_SOURCE = "shuma-laozhou"
PASSWORD = "correct horse battery staple 2026"
ROLES = ("reporter", "editor", "chief_editor", "admin", "self_media")
NAMES = {
    "reporter": "王记者",
    "editor": "李责编",
    "chief_editor": "赵主编",
    "admin": "钱管理员",
    "self_media": "数码老周",
}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclass
class Harness:
    portal: Portal
    svc: NewsroomServices
    clock: Clock
    app: object
    clients: dict[str, TestClient] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://testserver", follow_redirects=False)

    def login(self, role: str) -> TestClient:
        c = self.client()
        page = c.get("/newsroom/login")
        token = _TOKEN.search(page.text).group(1)
        r = c.post(
            "/newsroom/login",
            data={
                "username": f"u{role.replace('_', '')}",
                "password": PASSWORD,
                "csrf_token": token,
                "next": "/newsroom",
            },
        )
        assert r.status_code == 303, r.text
        return c

    def token(self, c: TestClient) -> str:
        cookie = c.cookies.get(deps.SESSION_COOKIE)
        return deps.csrf_token_for(self.svc, hash_session_id(cookie)) if cookie else ""

    def post(self, role: str, path: str, data: dict | None = None, **kw) -> object:
        c = self.clients[role]
        return c.post(path, data={"csrf_token": self.token(c), **(data or {})}, **kw)


def build(portal: Portal, media_root: Path) -> Harness:
    clock = Clock()
    limiter = LoginLimiter(limits=LoginLimits(account_failures=50, ip_failures=500))
    svc = build_services(portal, clock=clock, secret=SECRET, limiter=limiter, media_root=media_root)
    app = create_app(portal=portal)
    app.state.newsroom_ui = svc
    h = Harness(portal, svc, clock, app)
    source_id = portal.sources_by_key[SELF_MEDIA_SOURCE].id
    for role in ROLES:
        made = svc.accounts.create_user(
            None,
            f"u{role.replace('_', '')}",
            role,
            display_name=NAMES[role],
            password=PASSWORD,
            source_id=source_id if role == "self_media" else None,
        )
        h.user_ids[role] = made.user.id
    svc.self_media.update(
        svc.accounts.actor_by_id(h.user_ids["self_media"]),
        source_id,
        {
            "name": "数码老周",
            "intro": "评测手机和电脑。",
            "operator": "周某某个人",
            "category": "科技",
            "contact": "laozhou@example.cn",
        },
    )
    for role in ROLES:
        h.clients[role] = h.login(role)
    h.clients["anonymous"] = h.client()
    return h


def actor(h: Harness, role: str):
    return h.svc.accounts.actor_by_id(h.user_ids[role])


def make_article(
    h: Harness,
    role: str,
    title: str = "城市公交线路调整",
    body: str = "<p>新线路下月开通。</p>",
    channel: str = "domestic",
) -> int:
    """A draft written by ``role`` through the desk (self-media drafts land under their own source)."""
    from newsportal.web.newsroom import desk

    form = desk.ArticleForm(title=title, body_html=body, channel=channel, source="shanhai-original")
    return desk.create(h.svc, actor(h, role), form).id
