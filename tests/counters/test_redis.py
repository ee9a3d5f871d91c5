"""Redis-only behaviour: several workers sharing one Redis act as one, batches cost one round trip, a dead
Redis fails fast with a clear error (the rebuild of lost scores: ``test_redis_heal.py``)."""

import time
from datetime import timedelta

import pytest

from newsportal.timeutil import to_epoch as epoch
from tests.conftest import REDIS_URL, make_store
from tests.counters.conftest import NOW, ev

pytestmark = pytest.mark.redis

def test_workers_share_dedupe_flood_cap_and_scores(workers):
    a, b = workers(), workers()
    assert a.record(ev(1))
    assert not b.record(ev(1, at=NOW + timedelta(minutes=5)))  # the same reader on another worker
    assert sum(a.record_many([ev(100 + i, reader="flood") for i in range(20)])) == 20
    assert sum(b.record_many([ev(200 + i, reader="flood") for i in range(20)])) == 10  # 30 a minute in all
    assert b.record(ev(1, reader="r2", scopes=(7,)))
    assert a.top(1, now=epoch(NOW)) == b.top(1, now=epoch(NOW))
    assert a.top(1, now=epoch(NOW))[0] == (1, pytest.approx(2.0))
    assert [x for x, _ in a.top(5, scope=7, now=epoch(NOW))] == [1]
    b.forget(1, ())
    assert 1 not in dict(a.top(50, now=epoch(NOW))) and a.top(5, scope=7) == []


def test_counts_see_other_workers_unflushed_events_and_never_double_count(workers):
    x, y = workers.ids[:2]
    a, b = workers(), workers()
    a.record_many([ev(x, reader=f"a{i}") for i in range(3)])
    b.record_many([ev(x, reader=f"b{i}") for i in range(2)] + [ev(x, reader="b0", kind="share")])
    assert a.counts(x) == b.counts(x) == (5, 1)
    assert a.flush() == 3
    assert workers.store.stats(x) == (3, 0)
    assert a.counts(x) == b.counts(x) == (5, 1)
    assert b.flush() == 3
    assert workers.store.stats(x) == (5, 1)
    assert a.counts(x) == b.counts(x) == (5, 1)


def test_failed_flush_keeps_events_and_counts(workers, monkeypatch):
    x, y = workers.ids[:2]
    a = workers()
    a.record_many([ev(x, reader=f"r{i}") for i in range(4)])

    def broken(events):
        raise RuntimeError("database away")

    monkeypatch.setattr(workers.store, "add_events", broken)
    with pytest.raises(RuntimeError):
        a.flush()
    assert a.counts(x) == (4, 0)
    monkeypatch.undo()
    assert a.flush() == 4 and a.counts(x) == (4, 0) and workers.store.stats(x) == (4, 0)


def test_dead_workers_pending_counts_expire_and_are_reaped(workers):
    x, y = workers.ids[:2]
    import redis

    a, b = workers(worker_timeout=0.3), workers(worker_timeout=0.3)
    a.record_many([ev(x, reader=f"r{i}") for i in range(3)])  # a then "dies" without flushing
    assert b.counts(x) == (3, 0)
    time.sleep(0.4)
    assert b.counts(x) == (0, 0)  # its events never reached the store: they no longer count
    b.record(ev(y))
    b.flush()  # the sync reaps a's pending hash
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert not client.exists(f"{workers.prefix}pending:{a.worker_id}")
    finally:
        client.close()


def test_reaped_but_alive_worker_republishes_its_buffer(workers):
    x, y = workers.ids[:2]
    a, b = workers(worker_timeout=0.3), workers(worker_timeout=0.3)
    a.record_many([ev(x, reader=f"r{i}") for i in range(3)])
    time.sleep(0.4)
    b.record(ev(y))
    b.flush()  # reaps a, which is only slow
    assert a.record(ev(x, reader="late"))
    assert b.counts(x) == (4, 0)
    assert a.flush() == 4 and b.counts(x) == (4, 0)


def test_a_batch_is_one_round_trip(workers, monkeypatch):
    from redis.connection import AbstractConnection

    a = workers()
    a.record(ev(999, reader="warm-up"))  # loads the script
    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(1)
        return original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    batch = [ev(i % 50, reader=f"r{i}", scopes=(1, 2)) for i in range(1000)]
    assert all(a.record_many(batch))
    assert len(sent) == 1
    sent.clear()
    a.top(10)
    assert len(sent) == 1


def test_keys_per_reader_expire(workers):
    import redis

    a = workers()
    a.record_many([ev(1, reader="x"), ev(2, reader="x", kind="share")])
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert 0 < client.ttl(f"{workers.prefix}seen:x") <= 1800 + 60
        minute = int(epoch(NOW) // 60)
        assert 0 < client.ttl(f"{workers.prefix}rate:x:{minute}") <= 120
        assert client.hlen(f"{workers.prefix}seen:x") == 2
    finally:
        client.close()


def test_rebase_keeps_relative_scores_in_every_scope(workers):
    a = workers()
    a.record_many([ev(1, reader=f"r{i}", scopes=(5,)) for i in range(4)])
    later = NOW + timedelta(days=101)  # 404 half-lives: past the rebase exponent, not yet underflowing
    assert a.record(ev(2, reader="z", at=later, scopes=(5,)))
    for scope in (None, 5):
        top = dict(a.top(2, scope=scope, now=epoch(later)))
        assert top[2] == pytest.approx(1.0, rel=1e-9)
        assert top[1] == pytest.approx(4 * 2.0**-404, rel=1e-9)


def test_redis_down_is_a_clear_error_not_a_hang(tmp_path_factory):
    from newsportal.counters.redis import RedisCounters, RedisUnavailable

    store, dispose = make_store("sqlite", tmp_path_factory)
    c = RedisCounters("redis://127.0.0.1:1/0", store, prefix="nptest:down:")
    try:
        started = time.monotonic()
        for call in (lambda: c.record(ev(1)), lambda: c.top(5), lambda: c.counts(1), lambda: c.load()):
            with pytest.raises(RedisUnavailable, match="127.0.0.1:1"):
                call()
        assert time.monotonic() - started < 5
        assert c.record(ev(1, ua="Googlebot/2.1")) is False  # bots are filtered before Redis is asked
    finally:
        c.close()
        dispose()
