"""NewsroomSessionStore implements the SessionStore protocol: the Sessions logic runs on it unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsportal.newsroom.sessions import SessionInvalid, SessionPolicy, Sessions, SessionStore
from newsportal.store.accounts import AccountStore
from newsportal.store.newsroom_sessions import NewsroomSessionStore
from newsportal.store.tables_newsroom import NewsroomSessionRow
from tests.newsroom_rows import T0

SECRET = b"k" * 32


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self):
        return self.now


@pytest.fixture
def setup(store):
    users = AccountStore(store.engine)
    a = users.create("alice", "甲", "editor", "h", now=T0)
    b = users.create("bob", "乙", "reporter", "h", now=T0)
    clock = Clock()
    sstore = NewsroomSessionStore(store.engine)
    return Sessions(sstore, SECRET, clock=clock), sstore, clock, a, b, store


def test_has_every_protocol_method_with_its_parameters():
    import inspect

    names = [n for n in vars(SessionStore) if not n.startswith("_") and callable(getattr(SessionStore, n))]
    assert set(names) == {"add", "get", "touch", "revoke", "revoke_user", "for_user", "delete_older"}
    for name in names:
        want = list(inspect.signature(getattr(SessionStore, name)).parameters)
        have = list(inspect.signature(getattr(NewsroomSessionStore, name)).parameters)
        assert have == want, name


def test_login_check_touch_logout(setup):
    sessions, sstore, clock, alice, _, store = setup
    new = sessions.start(alice.id, ip="198.51.100.7", user_agent="测试浏览器")
    assert sstore.get(new.record.id_hash) == new.record
    with store.session() as s:
        row = s.get(NewsroomSessionRow, new.record.id_hash)
        assert row.expires_at == T0 + SessionPolicy().absolute
        assert row.id != new.session_id  # only the hash is stored
    clock.now = T0 + timedelta(minutes=5)
    record = sessions.check(new.session_id)
    assert record.last_seen_at == clock.now
    assert sstore.get(new.record.id_hash).last_seen_at == clock.now
    sessions.end(new.session_id)
    with pytest.raises(SessionInvalid) as err:
        sessions.check(new.session_id)
    assert err.value.reason == "revoked"
    first_revoked = sstore.get(new.record.id_hash).revoked_at
    clock.now += timedelta(minutes=1)
    sessions.end(new.session_id)  # twice is fine and keeps the first time
    assert sstore.get(new.record.id_hash).revoked_at == first_revoked


def test_revoke_user_and_listing(setup):
    sessions, sstore, clock, alice, bob, _ = setup
    s1 = sessions.start(alice.id)
    clock.now += timedelta(minutes=1)
    s2 = sessions.start(alice.id)
    other = sessions.start(bob.id)
    assert [r.id_hash for r in sstore.for_user(alice.id)] == [s2.record.id_hash, s1.record.id_hash]
    assert sessions.revoke_user(alice.id) == 2
    assert sessions.revoke_user(alice.id) == 0
    assert sessions.active_for(alice.id) == []
    assert sessions.check(other.session_id).user_id == bob.id


def test_purge_deletes_dead_sessions(setup):
    sessions, sstore, clock, alice, bob, _ = setup
    old = sessions.start(alice.id)
    revoked = sessions.start(bob.id)
    sessions.end(revoked.session_id)
    clock.now = T0 + timedelta(hours=3)
    fresh = sessions.start(alice.id)
    assert sessions.purge() == 2
    assert sstore.get(old.record.id_hash) is None and sstore.get(revoked.record.id_hash) is None
    assert sstore.get(fresh.record.id_hash) is not None


def test_sessions_go_with_their_user(setup):
    sessions, sstore, _, alice, _, store = setup
    new = sessions.start(alice.id)
    from sqlalchemy import delete

    from newsportal.store.tables_newsroom import UserRow

    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.execute(delete(UserRow).where(UserRow.id == alice.id))
    assert sstore.get(new.record.id_hash) is None
