"""Anti-gaming: a burst from a few address blocks never scores; broad readership does (both backends)."""

from dataclasses import replace
from datetime import datetime, timedelta

from newsportal.counters import BreadthGuard, BreadthRule, Event, Outcome
from tests.conftest import BROWSER_UA

NOW = datetime(2026, 11, 25, 12, 0, 0)
T = 1_700_000_000.0 // 3600 * 3600 + 100  # 100 s into an hour window


def ev(article, reader, origin, kind="view", at=NOW):
    return Event(article, kind, reader, at, (), BROWSER_UA, origin)


def test_guard_needs_breadth_and_caps_each_origin():
    g = BreadthGuard(BreadthRule(min_origins=3, cap=2, window=3600))
    assert [g.scores(1, "a", T), g.scores(1, "b", T)] == [False, False]  # not broad yet
    assert g.scores(1, "c", T)  # the third block: broad
    assert g.scores(1, "a", T)  # a's second event
    assert not g.scores(1, "a", T)  # a's third: over the cap
    assert not g.scores(2, "a", T)  # breadth is per article
    assert g.scores(3, "", T)  # trusted callers (no origin) always score


def test_guard_remembers_the_previous_window_only():
    g = BreadthGuard(BreadthRule(min_origins=3, cap=5, window=3600))
    g.scores(1, "a", T)
    g.scores(1, "b", T)
    assert g.scores(1, "c", T + 3600)  # a and b read it in the previous hour
    assert not g.scores(2, "x", T + 7200)
    g2 = BreadthGuard(BreadthRule(min_origins=3, cap=5, window=3600))
    g2.scores(1, "a", T)
    g2.scores(1, "b", T)
    assert not g2.scores(1, "c", T + 7200)  # two hours later: a and b no longer count
    assert not g2.scores(1, "d", T + 3600)  # a late event lands in the current window, no reset


def burst(article, n, origins, readers_per_origin):
    """n events spread over a few blocks and a few (fresh) readers in each."""
    out = []
    for i in range(n):
        origin = origins[i % len(origins)]
        reader = f"{origin}-r{(i // len(origins)) % readers_per_origin}-{i}"
        out.append(ev(article, reader, origin, at=NOW + timedelta(seconds=i)))
    return out


def organic(article, n_origins, start=0):
    return [ev(article, f"org-{article}-{k}", f"198.51.{start + k}.0/24", at=NOW + timedelta(seconds=k))
            for k in range(n_origins)]


def test_a_burst_from_a_few_places_never_scores_but_broad_reading_does(counters):
    # the default rule: five blocks before an article scores, three scored events per block and hour
    attackers = ["203.0.113.0/24", "203.0.114.0/24", "203.0.115.0/24"]
    for n in (30, 130):
        counted = counters.record_many(burst(100 + n, n, attackers, 4))
        assert sum(counted) == n  # every event is a distinct reader and counts toward the views...
        assert counters.counts(100 + n) == (n, 0)
    for aid in range(1, 11):
        assert all(counters.record_many(organic(aid, 8)))
    top = [a for a, _ in counters.top(50)]
    assert sorted(top) == list(range(1, 11))  # ...but the bursts never reach the hot list
    # the burst article then read widely: it enters
    assert all(counters.record_many(organic(130, 12, start=100)))
    assert 130 in [a for a, _ in counters.top(50)]


def test_durable_record_stores_unscored_events_without_an_event_row(counters_factory, portal):
    """Both databases, both backends: acknowledged means in the store (or in Redis), at once."""
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    store = portal.store
    counters = counters_factory(store)
    attackers = ["203.0.113.0/24", "203.0.114.0/24"]
    outcomes = [counters.record_durable(e) for e in burst(a.id, 20, attackers, 10)]
    assert outcomes == [Outcome(True)] * 20
    assert store.stats(a.id) == (20, 0)  # no flush: written in the call
    assert store.events_since(NOW - timedelta(days=1)) == []  # nothing a rebuild could score
    assert counters.counts(a.id) == (20, 0)  # and not counted twice (store + buffer)
    again = ev(a.id, f"{attackers[0]}-r0-0", attackers[0])
    assert counters.record_durable(again) == Outcome(False, "repeat")
    assert counters.record_durable(replace(ev(a.id, "z", "x"), user_agent="curl/8")) == Outcome(False, "bot")
    broad = [counters.record_durable(e) for e in organic(a.id, 6)]
    assert all(o.counted for o in broad) and store.stats(a.id) == (26, 0)
    # two attacker blocks + six new ones: the article is broad from the 5th block on, 4 events score
    assert len(store.events_since(NOW - timedelta(days=1))) == 4


def test_the_rule_uses_the_configured_numbers(counters_factory, tmp_path_factory):
    from tests.conftest import make_store

    store, dispose = make_store("sqlite", tmp_path_factory)
    try:
        c = counters_factory(store, breadth=BreadthRule(min_origins=2, cap=1, window=3600))
        at = 1.8e9  # a fixed "now" for the decayed scores
        assert c.record(ev(1, "a1", "o1")) and c.top(5, now=at) == []
        assert c.record(ev(1, "b1", "o2")) and [a for a, _ in c.top(5, now=at)] == [1]
        before = c.top(5, now=at)[0][1]
        assert c.record(ev(1, "b2", "o2"))  # counted, but over o2's cap of 1
        assert c.top(5, now=at)[0][1] == before
    finally:
        dispose()
