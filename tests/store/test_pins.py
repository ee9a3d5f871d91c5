"""Editors' pins (store/pins.py)."""

from datetime import timedelta

import pytest

from newsportal.domain import ArticleStatus
from newsportal.store import NotFound
from tests.store.helpers import T0, catalogued, channel_id, write


def test_pins_are_ordered_expire_and_hide_unpublished_articles(store):
    catalogued(store)
    ch = channel_id(store, "news")
    a, b, c = write(store), write(store, title="第二篇"), write(store, title="第三篇")
    store.pin(ch, a.id, actor="ed", position=1, now=T0)
    store.pin(ch, b.id, actor="ed", position=0, now=T0)
    store.pin(ch, c.id, actor="ed", position=2, expires_at=T0 + timedelta(hours=1), now=T0)
    assert store.pins(now=T0) == {ch: [b.id, a.id, c.id]}
    assert store.pins(now=T0 + timedelta(hours=2)) == {ch: [b.id, a.id]}
    store.set_status(a.id, ArticleStatus.WITHDRAWN)
    assert store.pins(now=T0) == {ch: [b.id, c.id]}
    assert store.unpin(ch, b.id) and not store.unpin(ch, b.id)


def test_pinning_unknown_ids_is_refused(store):
    catalogued(store)
    a = write(store)
    with pytest.raises(NotFound):
        store.pin(channel_id(store), 424242, actor="ed")
    with pytest.raises(NotFound):
        store.pin(424242, a.id, actor="ed")
