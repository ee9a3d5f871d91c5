"""The Redis counters' reads when Redis does not answer: store counts, no error, writes honestly refused."""

from __future__ import annotations

from datetime import datetime

from newsportal.counters import Event
from newsportal.counters.redis import RedisCounters
from newsportal.counters.resilient import ResilientCounters
from tests.conftest import BROWSER_UA, make_store


def test_reads_fall_back_and_writes_say_not_counted(tmp_path_factory):
    store, dispose = make_store("sqlite", tmp_path_factory)
    counters = ResilientCounters(RedisCounters("redis://127.0.0.1:1/0", store, prefix="nptest:gone:"),
                                 clock=lambda: 0.0)
    try:
        assert counters.top(10) == []  # nothing known yet: an empty list, not an error
        assert counters.counts(1) == (0, 0)  # from the store
        assert counters.heal() == 0
        counters.mark_seen("r", 1, "view", datetime(2026, 12, 3, 8, 0))
        outcome = counters.record_durable(Event(1, "view", "r", datetime(2026, 12, 3, 8, 0),
                                                user_agent=BROWSER_UA))
        assert outcome.counted is False and outcome.reason == "unavailable"
        counters.forget(1)  # a withdrawal during the outage goes through (its hot-list entry is filtered)
        assert counters.outage_reads == 5
        assert counters.prefix == "nptest:gone:"  # the Redis counters' own attributes stay reachable
    finally:
        counters.close()
        dispose()
