"""Rebuilding the Redis hot scores from the stored events (``counters/redis_heal.py``), on a real Redis."""

from datetime import datetime

import pytest

from newsportal.counters import redis_heal
from newsportal.timeutil import to_epoch as epoch
from tests.counters.conftest import ev

pytestmark = pytest.mark.redis


def test_load_rebuilds_lost_scores_once(workers, portal):
    c = workers()
    art = workers.ids[0]
    now = datetime.utcnow().replace(microsecond=0)
    c.record_many([ev(art, reader=f"r{i}", at=now, scopes=portal.scopes_of(art)) for i in range(5)])
    assert c.flush() == 5
    before = c.top(1)
    # no "built" marker yet (these scores were never checked against the store): rebuilt once
    assert c.load(scopes_of=portal.scopes_of) == 5
    assert c.load(scopes_of=portal.scopes_of) == 0  # Redis still holds the scores: nothing replayed
    c.drop_all()  # Redis lost its data
    assert c.load(scopes_of=portal.scopes_of) == 5
    assert c.load(scopes_of=portal.scopes_of) == 0  # not twice
    after = c.top(1)
    assert after[0][0] == art and after[0][1] == pytest.approx(before[0][1], rel=1e-3)
    assert [x for x, _ in c.top(1, scope=portal.channels.by_slug("news").id)] == [art]


def test_heal_rebuilds_whenever_redis_lost_the_scores_not_only_at_start(workers, portal):
    """Only this test's prefix is dropped (never FLUSHALL on the shared server)."""
    one, two = workers(), workers()  # two workers of one site
    a, b = workers.ids[0], workers.ids[1]
    now = datetime.utcnow().replace(microsecond=0)
    assert one.heal(portal.scopes_of) == 0  # nothing stored yet: marked built, nothing replayed
    for i in range(4):
        assert one.record_durable(ev(a, reader=f"ra{i}", at=now)).counted
    assert two.record_durable(ev(b, reader="rb", at=now)).counted
    assert one.heal(portal.scopes_of) == 0 and two.heal(portal.scopes_of) == 0  # intact: nothing to do
    before = dict(one.top(5, now=epoch(now)))
    one.drop_all()  # Redis lost its data while the site runs...
    assert one.record_durable(ev(b, reader="rb2", at=now)).counted  # ...and a new event recreated a set
    assert one.top(5, now=epoch(now)) != [] and len(one.top(5)) == 1  # partial: must not pass as complete
    assert two.heal(portal.scopes_of) == 6  # any worker notices (the marker is gone) and rebuilds
    assert one.heal(portal.scopes_of) == 0  # once
    after = dict(one.top(5, now=epoch(now)))
    assert after[a] == pytest.approx(before[a], rel=1e-6) and after[b] == pytest.approx(2.0, rel=1e-6)
    assert one.counts(a) == (4, 0) and one.counts(b) == (2, 0)  # totals come from the store


def test_a_long_replay_goes_in_chunks_and_skips_unpublished_articles(workers, portal, monkeypatch):
    c = workers()
    art, gone = workers.ids[0], workers.ids[1]
    now = datetime.utcnow().replace(microsecond=0)
    events = [(art, "view", now)] * 5 + [(gone, "view", now)]
    calls: list[int] = []
    replay = c._rebuild._replay

    def counted_replay(args):
        calls.append(len(args))
        return replay(args=args)

    monkeypatch.setattr(redis_heal, "REPLAY_CHUNK", 2)
    monkeypatch.setattr(c._rebuild, "_replay", lambda args: counted_replay(args))
    scopes = {art: portal.scopes_of(art), gone: None}  # None: no longer published
    assert c._rebuild.replay(events, scopes.get) == 5
    assert calls == [4 + 2 * 4, 4 + 2 * 4, 4 + 1 * 4]  # header of 4, then 4 per event, 2 events a call
    assert [a for a, _ in c.top(5, now=epoch(now))] == [art]
