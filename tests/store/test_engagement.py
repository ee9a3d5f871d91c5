"""Events and totals (store/engagement.py)."""

from datetime import datetime, timedelta

from newsportal.domain import ArticleStatus
from newsportal.store import Stats, StoredEvent
from tests.conftest import make_portal, sample_draft
from tests.store.helpers import T0, catalogued, write


def ids(portal, draft):
    return portal.channels.by_slug(draft.channel_slug).id, portal.sources_by_key[draft.source_key].id


def test_events_fold_into_stats(store):
    portal = make_portal(store)
    d = sample_draft()
    ch, src = ids(portal, d)
    a = store.create_article(d, channel_id=ch, source_id=src, status=ArticleStatus.PUBLISHED, actor="t")
    t = datetime(2026, 11, 25, 10, 0)
    store.add_events([(a.id, "view", t), (a.id, "view", t), (a.id, "share", t)])
    store.add_events([(a.id, "view", t)])
    assert store.stats(a.id) == (3, 1)
    assert len(store.events_since(datetime(2026, 11, 25))) == 4
    assert store.get_article(a.id).share_count == 1
def test_events_are_named_rows_and_old_ones_can_be_pruned(store):
    catalogued(store)
    a = write(store)
    store.add_events([(a.id, "view", T0), (a.id, "share", T0 + timedelta(hours=2))])
    assert store.events_since(T0) == [StoredEvent(a.id, "view", T0), StoredEvent(a.id, "share",
                                                                                 T0 + timedelta(hours=2))]
    assert store.prune_events(T0 + timedelta(hours=1)) == 1
    assert [e.kind for e in store.events_since(T0)] == ["share"]
    assert store.stats(a.id) == Stats(views=1, shares=1)  # totals outlive pruned events
    assert store.stats(424242) == Stats(0, 0)
    store.add_events([])  # nothing to write is not an error
    assert store.stats(a.id).views == 1
