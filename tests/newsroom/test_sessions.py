"""Session lifecycle (idle and absolute expiry, revocation, purge) and CSRF tokens, on an injected clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from newsportal.newsroom.sessions import (
    CsrfError,
    SessionInvalid,
    SessionPolicy,
    SessionRecord,
    Sessions,
    SessionStore,
    csrf_token,
    csrf_valid,
    hash_session_id,
)

SECRET = b"s" * 32
T0 = datetime(2026, 12, 2, 6, 0)


class MemoryStore:
    """Test-only implementation of SessionStore; the real one lives in the store layer."""

    def __init__(self) -> None:
        self.rows: dict[str, SessionRecord] = {}
        self.touches = 0

    def add(self, record: SessionRecord) -> None:
        assert record.id_hash not in self.rows
        self.rows[record.id_hash] = record

    def get(self, id_hash: str) -> SessionRecord | None:
        return self.rows.get(id_hash)

    def touch(self, id_hash: str, when: datetime) -> None:
        self.touches += 1
        self.rows[id_hash] = replace(self.rows[id_hash], last_seen_at=when)

    def revoke(self, id_hash: str, when: datetime) -> None:
        row = self.rows.get(id_hash)
        if row is not None and row.revoked_at is None:
            self.rows[id_hash] = replace(row, revoked_at=when)

    def revoke_user(self, user_id: int, when: datetime) -> int:
        hits = [h for h, r in self.rows.items() if r.user_id == user_id and r.revoked_at is None]
        for h in hits:
            self.revoke(h, when)
        return len(hits)

    def for_user(self, user_id: int) -> list[SessionRecord]:
        return [r for r in self.rows.values() if r.user_id == user_id]

    def delete_older(self, *, last_seen_before: datetime, created_before: datetime) -> int:
        dead = [
            h
            for h, r in self.rows.items()
            if r.revoked_at is not None or r.last_seen_at < last_seen_before or r.created_at < created_before
        ]
        for h in dead:
            del self.rows[h]
        return len(dead)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def env() -> tuple[Sessions, MemoryStore, Clock]:
    store, clock = MemoryStore(), Clock()
    _check: SessionStore = store  # the test double satisfies the Protocol (checked by mypy)
    policy = SessionPolicy(
        idle=timedelta(hours=2), absolute=timedelta(hours=12), touch_every=timedelta(minutes=1)
    )
    return Sessions(store, SECRET, policy=policy, clock=clock), store, clock


def test_start_stores_only_the_hash(env: tuple[Sessions, MemoryStore, Clock]) -> None:
    sessions, store, _ = env
    new = sessions.start(7, ip="203.0.113.5", user_agent="Mozilla/5.0 " + "x" * 500)
    assert len(new.session_id) >= 40
    assert new.session_id not in str(store.rows)
    assert list(store.rows) == [hash_session_id(new.session_id)]
    assert new.record.user_id == 7 and new.record.created_at == T0 and new.record.ip == "203.0.113.5"
    assert new.record.user_agent is not None and len(new.record.user_agent) == 300
    assert sessions.check(new.session_id) == new.record
    assert sessions.start(7).session_id != new.session_id


@pytest.mark.parametrize("cookie", [None, "", "nope", "x" * 129, "\udcff" * 10])
def test_unknown_or_malformed_cookie(env: tuple[Sessions, MemoryStore, Clock], cookie: str | None) -> None:
    sessions, _, _ = env
    with pytest.raises(SessionInvalid) as err:
        sessions.check(cookie)
    assert err.value.reason == "unknown" and err.value.message == "请先登录"


def test_idle_expiry_and_touch(env: tuple[Sessions, MemoryStore, Clock]) -> None:
    sessions, store, clock = env
    sid = sessions.start(1).session_id
    clock.advance(seconds=30)
    sessions.check(sid)
    assert store.touches == 0  # not every request writes
    clock.advance(minutes=1)
    assert sessions.check(sid).last_seen_at == clock.now
    assert store.touches == 1
    clock.advance(hours=2)  # exactly the idle limit: still fine
    sessions.check(sid)
    clock.advance(hours=2, seconds=1)
    with pytest.raises(SessionInvalid) as err:
        sessions.check(sid)
    assert err.value.reason == "idle" and "长时间未操作" in err.value.message


def test_absolute_expiry_even_when_active(env: tuple[Sessions, MemoryStore, Clock]) -> None:
    sessions, _, clock = env
    sid = sessions.start(1).session_id
    for _ in range(12):
        clock.advance(hours=1)
        sessions.check(sid)
    clock.advance(seconds=1)
    with pytest.raises(SessionInvalid) as err:
        sessions.check(sid)
    assert err.value.reason == "absolute" and err.value.message == "登录已过期，请重新登录"


def test_logout_and_admin_revocation(env: tuple[Sessions, MemoryStore, Clock]) -> None:
    sessions, _, clock = env
    a, b, other = sessions.start(1).session_id, sessions.start(1).session_id, sessions.start(2).session_id
    sessions.end(a)
    sessions.end(a)  # twice is fine
    sessions.end("unknown-id")
    sessions.end(None)
    with pytest.raises(SessionInvalid) as err:
        sessions.check(a)
    assert err.value.reason == "revoked"
    sessions.check(b)
    clock.advance(minutes=5)
    assert sessions.revoke_user(1) == 1  # only b was still live
    with pytest.raises(SessionInvalid):
        sessions.check(b)
    assert sessions.check(other).user_id == 2
    assert sessions.active_for(1) == []
    assert [r.user_id for r in sessions.active_for(2)] == [2]


def test_active_for_is_newest_first_and_purge(env: tuple[Sessions, MemoryStore, Clock]) -> None:
    sessions, store, clock = env
    first = sessions.start(3)
    clock.advance(hours=1)
    second = sessions.start(3)
    assert [r.id_hash for r in sessions.active_for(3)] == [second.record.id_hash, first.record.id_hash]
    clock.advance(hours=1, minutes=30)  # first idle for 2h30, second for 1h30
    assert [r.id_hash for r in sessions.active_for(3)] == [second.record.id_hash]
    revoked = sessions.start(4).session_id
    sessions.end(revoked)
    assert sessions.purge() == 2
    assert set(store.rows) == {second.record.id_hash}


def test_csrf_bound_to_session(env: tuple[Sessions, MemoryStore, Clock]) -> None:
    sessions, _, _ = env
    one, two = sessions.start(1), sessions.start(1)
    assert one.csrf_token == sessions.csrf_token(one.record) and len(one.csrf_token) == 64
    sessions.require_csrf(one.record, one.csrf_token)
    for bad in (two.csrf_token, None, "", one.csrf_token.upper(), one.csrf_token[:-1], "令牌" * 32):
        with pytest.raises(CsrfError) as err:
            sessions.require_csrf(one.record, bad)
        assert err.value.message == "表单已过期或来源无效，请刷新页面后重试"


def test_csrf_depends_on_secret_and_binding() -> None:
    token = csrf_token(SECRET, "nonce-1")
    assert csrf_valid(SECRET, "nonce-1", token)
    assert not csrf_valid(SECRET, "nonce-2", token)
    assert not csrf_valid(b"t" * 32, "nonce-1", token)
    assert csrf_token(SECRET, "nonce-1") == token  # deterministic: nothing to store


def test_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        Sessions(MemoryStore(), b"short")
    with pytest.raises(ValueError):
        csrf_token(b"short", "x")
