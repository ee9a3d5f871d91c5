"""Reader history (store/readers.py)."""

from datetime import timedelta

from newsportal.store import Read
from tests.store.helpers import T0, catalogued, write


def test_history_keeps_the_latest_read_newest_first(store):
    catalogued(store)
    a, b = write(store), write(store, title="第二篇文章")
    store.add_history([("r1", a.id, T0), ("r1", b.id, T0 + timedelta(minutes=1)),
                       ("r1", a.id, T0 + timedelta(minutes=2)), ("r2", b.id, T0)])
    # within a batch the latest read wins; a later batch overwrites (the feed flushes reads in order)
    store.add_history([("r1", b.id, T0)])
    assert store.history("r1") == [Read(a.id, T0 + timedelta(minutes=2)), Read(b.id, T0)]
    assert store.history("r1", limit=1) == [Read(a.id, T0 + timedelta(minutes=2))]
    store.add_history([])
    assert store.history("nobody") == []


def test_history_can_be_cleared_per_reader_and_pruned_by_age(store):
    catalogued(store)
    a = write(store)
    store.add_history([("r1", a.id, T0), ("r2", a.id, T0 + timedelta(days=2))])
    assert store.prune_history(T0 + timedelta(days=1)) == 1
    assert store.history("r1") == [] and len(store.history("r2")) == 1
    assert store.clear_history("r2") == 1 and store.clear_history("r2") == 0
