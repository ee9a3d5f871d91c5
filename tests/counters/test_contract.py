"""One contract, two backends: the embedded counters and the Redis counters (against the real server)."""

from datetime import datetime, timedelta

import pytest

from newsportal.counters import Event
from tests.conftest import BROWSER_UA

HOUR = 3600.0
NOW = datetime(2026, 11, 25, 12, 0, 0)


def ev(article, reader="r1", kind="view", at=NOW, scopes=(), ua=BROWSER_UA):
    return Event(article, kind, reader, at, tuple(scopes), ua)


def ts(dt):
    from newsportal.timeutil import to_epoch as epoch

    return epoch(dt)


def test_counts_once_per_reader_article_kind_and_window(counters):
    assert counters.record(ev(1))
    assert not counters.record(ev(1, at=NOW + timedelta(minutes=29)))
    assert counters.record(ev(1, kind="share"))
    assert counters.record(ev(1, reader="r2"))
    assert counters.record(ev(2))
    assert counters.record(ev(1, at=NOW + timedelta(minutes=31)))
    assert counters.counts(1) == (3, 1)


def test_bots_and_unknown_kinds_do_not_count(counters):
    bad = [ev(1, ua="Googlebot/2.1"), ev(1, ua=None), ev(1, kind="like")]
    assert counters.record_many(bad) == [False] * 3
    assert counters.counts(1) == (0, 0) and counters.top(5) == []


def test_floods_from_one_reader_are_capped(counters):
    flood = [ev(1000 + i, reader="flooder") for i in range(200)]
    counted = sum(counters.record_many(flood))
    assert 0 < counted <= 30
    assert counters.record(ev(1, reader="someone-else"))


def test_decay_orders_fresh_engagement_first(counters):
    old = [ev(1, reader=f"o{i}", at=NOW - timedelta(hours=24)) for i in range(40)]
    new = [ev(2, reader=f"n{i}") for i in range(10)]
    assert all(counters.record_many(old + new))
    top = counters.top(2, now=ts(NOW))
    assert [a for a, _ in top] == [2, 1]
    # 6-hour half-life: 40 views a day old weigh 40 / 16 = 2.5
    assert top[1][1] == pytest.approx(2.5, rel=1e-6) and top[0][1] == pytest.approx(10.0, rel=1e-6)
    assert dict(counters.top(2, now=ts(NOW) + 6 * HOUR))[2] == pytest.approx(5.0, rel=1e-6)


def test_shares_weigh_more_and_scopes_are_separate(counters):
    counters.record_many([ev(1, reader=f"a{i}", scopes=(10, 11)) for i in range(3)])
    counters.record_many([ev(2, reader="b", kind="share", scopes=(20,))])
    assert [a for a, _ in counters.top(5, now=ts(NOW))] == [2, 1]
    assert [a for a, _ in counters.top(5, scope=10, now=ts(NOW))] == [1]
    assert [a for a, _ in counters.top(5, scope=20, now=ts(NOW))] == [2]
    assert counters.top(5, scope=99, now=ts(NOW)) == []


def test_forget_removes_from_every_list(counters):
    counters.record_many([ev(1, scopes=(10,)), ev(2, reader="x", scopes=(10,))])
    counters.forget(1, (10,))
    assert [a for a, _ in counters.top(5, now=ts(NOW))] == [2]
    assert [a for a, _ in counters.top(5, scope=10, now=ts(NOW))] == [2]


def test_far_future_events_rebase_without_overflow(counters):
    counters.record(ev(1))
    later = NOW + timedelta(days=400)  # 1600 half-lives later
    counters.record(ev(2, reader="z", at=later))
    top = counters.top(2, now=ts(later))
    assert top[0][0] == 2 and top[0][1] == pytest.approx(1.0, rel=1e-6)


def test_flush_persists_and_load_rebuilds(counters_factory, portal):
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    c = counters_factory(portal.store)
    now = datetime.utcnow().replace(microsecond=0)
    assert c.record_many([ev(a.id, reader=f"r{i}", at=now,
                             scopes=portal.scopes_of(a.id)) for i in range(5)]) == [True] * 5
    assert c.flush() == 5 and c.flush() == 0
    assert portal.store.stats(a.id) == (5, 0)
    assert c.counts(a.id) == (5, 0)
    fresh = counters_factory(portal.store, fresh=True)
    fresh.load(scopes_of=portal.scopes_of)
    assert [x for x, _ in fresh.top(1)] == [a.id]
    assert [x for x, _ in fresh.top(1, scope=portal.channels.by_slug("news").id)] == [a.id]


def test_empty_counters(counters):
    assert counters.top(10) == [] and counters.counts(42) == (0, 0) and counters.flush() == 0
