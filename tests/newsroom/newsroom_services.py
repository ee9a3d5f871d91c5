"""Builds the newsroom services over a migrated store, with a clock the test moves by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newsportal.newsroom.accounts import AccountService
from newsportal.newsroom.actors import Actor
from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.login_limits import LoginLimiter, LoginLimits
from newsportal.newsroom.self_media import SelfMediaService
from newsportal.newsroom.sessions import Sessions
from newsportal.store.accounts import AccountStore
from newsportal.store.audit import AuditFilter, AuditLog
from newsportal.store.newsroom_sessions import NewsroomSessionStore
from tests.newsroom_rows import T0

SECRET = b"n" * 32


class Clock:
    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclass
class Newsroom:
    clock: Clock
    accounts: AccountService
    self_media: SelfMediaService
    audit: AuditService
    log: AuditLog
    sessions: Sessions

    def admin(self) -> Actor:
        created = self.accounts.create_user(None, "root", "admin", display_name="总管理员")
        return self.accounts.actor_for(created.user)

    def entries(self, **filters: object) -> list:
        return self.log.query(AuditFilter(**filters), limit=200)


def build(engine, *, limiter: LoginLimiter | None = None) -> Newsroom:
    clock = Clock()
    store = AccountStore(engine)
    log = AuditLog(engine)
    audit = AuditService(log, clock=clock)
    sessions = Sessions(NewsroomSessionStore(engine), SECRET, clock=clock)
    limiter = limiter or LoginLimiter(
        limits=LoginLimits(account_failures=3, ip_failures=5, window_minutes=15)
    )
    accounts = AccountService(store, audit, limiter=limiter, sessions=sessions, clock=clock)
    self_media = SelfMediaService(store, audit, session_store=sessions.store, clock=clock)
    return Newsroom(clock, accounts, self_media, audit, log, sessions)
