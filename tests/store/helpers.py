"""Small builders shared by the store tests: a catalogued store and articles written straight to it."""

from __future__ import annotations

from datetime import datetime

from newsportal.demo.load import install_catalog
from newsportal.domain import Article, ArticleStatus
from newsportal.store import Store
from tests.conftest import sample_draft

T0 = datetime(2026, 11, 25, 8, 0)


def catalogued(store: Store) -> Store:
    """The demo channel tree and sources installed (the articles tests file under them)."""
    install_catalog(store)
    return store


def channel_id(store: Store, slug: str = "domestic") -> int:
    return next(c.id for c in store.channels() if c.slug == slug)


def source_id(store: Store, key: str = "haihe-daily") -> int:
    return next(s.id for s in store.sources() if s.key == key)


def write(store: Store, *, status: ArticleStatus = ArticleStatus.PUBLISHED, channel: str = "domestic",
          source: str = "haihe-daily", now: datetime = T0, **over) -> Article:
    """One article written straight to the store (no newsroom validation: these tests are about the store)."""
    over.setdefault("published_at", now if status is ArticleStatus.PUBLISHED else None)
    draft = sample_draft(channel_slug=channel, source_key=source, **over)
    return store.create_article(draft, channel_id=channel_id(store, channel), source_id=source_id(store,
                                                                                                  source),
                                status=status, actor="test", now=now)
