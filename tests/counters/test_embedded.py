from datetime import datetime, timedelta

from newsportal.counters import EmbeddedCounters
from newsportal.newsroom import save_article
from tests.conftest import BROWSER_UA, sample_draft


def test_counted_events_persist_and_rebuild_after_restart(portal):
    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    c = portal.counters
    assert c.record(portal.event(a.id, "view", "reader-1", BROWSER_UA))
    assert not c.record(portal.event(a.id, "view", "reader-1", BROWSER_UA))  # repeat within 30 minutes
    assert not c.record(portal.event(a.id, "view", "reader-2", "Googlebot/2.1"))  # bot
    assert not c.record(portal.event(a.id, "like", "reader-2", BROWSER_UA))  # unknown kind
    assert c.record(portal.event(a.id, "share", "reader-1", BROWSER_UA))
    assert c.counts(a.id) == (1, 1)  # visible before the flush
    assert c.flush() == 2 and c.flush() == 0
    assert portal.store.stats(a.id) == (1, 1)
    fresh = EmbeddedCounters(portal.store, half_life_hours=6)
    assert fresh.load(scopes_of=portal.scopes_of) == 2
    assert fresh.top(5)[0][0] == a.id


def test_failed_flush_keeps_events(portal, monkeypatch):
    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    c = portal.counters
    c.record(portal.event(a.id, "view", "r", BROWSER_UA))

    def broken(events):
        raise RuntimeError("database away")

    monkeypatch.setattr(portal.store, "add_events", broken)
    try:
        c.flush()
    except RuntimeError:
        pass
    monkeypatch.undo()
    assert c.flush() == 1 and portal.store.stats(a.id) == (1, 0)


def test_old_events_weigh_less(portal):
    a, _ = save_article(portal, sample_draft(title="旧闻：昨天的热点新闻标题"), actor="t", publish_now=True)
    b, _ = save_article(portal, sample_draft(title="新闻：今天的热点新闻标题"), actor="t", publish_now=True)
    now = datetime.utcnow().replace(microsecond=0)
    for i in range(30):
        portal.counters.record(portal.event(a.id, "view", f"r{i}", BROWSER_UA, at=now - timedelta(hours=30)))
    for i in range(10):
        portal.counters.record(portal.event(b.id, "view", f"r{i}", BROWSER_UA, at=now))
    assert [aid for aid, _ in portal.counters.top(2)] == [b.id, a.id]
