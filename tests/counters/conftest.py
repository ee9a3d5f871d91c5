"""Shared by the Redis counters' tests: events, and several workers of one site on one Redis prefix."""

import uuid
from datetime import datetime

import pytest

from newsportal.counters import Event
from tests.conftest import BROWSER_UA, REDIS_URL, need_redis

NOW = datetime(2026, 11, 25, 12, 0, 0)


def ev(article, reader="r1", kind="view", at=NOW, scopes=(), ua=BROWSER_UA):
    return Event(article, kind, reader, at, tuple(scopes), ua)


@pytest.fixture
def workers(portal):
    """``make(**kw)`` builds RedisCounters sharing one prefix and one store: one site, many workers.

    ``make.ids`` are three published articles (events reference articles in the store).
    """
    need_redis()
    from newsportal.counters.redis import RedisCounters
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    prefix = f"nptest:{uuid.uuid4().hex[:10]}:"
    made = []

    def make(**kw):
        c = RedisCounters(REDIS_URL, portal.store, half_life_hours=6, prefix=prefix, **kw)
        made.append(c)
        return c

    make.store = portal.store
    make.prefix = prefix
    make.ids = [
        save_article(portal, sample_draft(title=f"测试文章第{i}篇：海河新区公交线路"), actor="t",
                     publish_now=True)[0].id
        for i in range(3)
    ]
    yield make
    for c in made:
        c.drop_all()
        c.close()
