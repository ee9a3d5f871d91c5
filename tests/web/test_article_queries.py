"""The SQL an uncached article page costs, pinned so it cannot silently regrow (SQLite and PostgreSQL).

The page cache's build of an article page (``web.pages.article.article_parts``) reads the article (its row
with totals, then tags and people: two statements), 阅读下一篇 (one), the newsroom notes (approver and
corrections: one) and the 跟贴 count (one); a channel whose hot list is too thin for 相关推荐 adds the
newest ids of the channel (one). Cards (相关推荐, the story's versions, 阅读下一篇) come from the kept cards
once read.
Issue 13 measured 13–14 statements per page before. Counted with SQLAlchemy's ``before_cursor_execute``
event, which sees every statement sent to the database; connection checkouts are counted too, since on
PostgreSQL each one is a round trip of its own (the pool's ping).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from newsportal.domain import ArticleStatus
from newsportal.web import views
from newsportal.web.pages.article import article_parts
from tests.conftest import BROWSER_UA

#: article (2) + 阅读下一篇 (1) + newsroom notes (1) + 跟贴 count (1)
PAGE_STATEMENTS = 5
#: the same with the hot-list filler of 相关推荐
PAGE_STATEMENTS_WITH_FILLER = 6


@contextmanager
def counted(engine) -> Iterator[tuple[list[str], list[int]]]:
    """Every statement the engine sends, and every connection checkout, while the block runs."""
    seen: list[str] = []
    checkouts: list[int] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    def checkout(dbapi_conn, record, proxy) -> None:  # noqa: ANN001
        checkouts.append(1)

    event.listen(engine, "before_cursor_execute", note)
    event.listen(engine.pool, "checkout", checkout)
    try:
        yield seen, checkouts
    finally:
        event.remove(engine, "before_cursor_execute", note)
        event.remove(engine.pool, "checkout", checkout)


@pytest.fixture(scope="module")
def app(demo_portal):
    from newsportal.web.app import create_app

    return create_app(portal=demo_portal)


def request_for(app, path: str):
    """A GET request for ``path`` as the router hands it to the handler."""
    from starlette.requests import Request

    headers = [(b"host", b"testserver"), (b"user-agent", BROWSER_UA.encode())]
    return Request({"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
                    "query_string": b"", "headers": headers, "app": app, "scheme": "http",
                    "server": ("testserver", 80), "root_path": ""})


def _published(portal) -> list:
    found = (portal.store.get_article(i) for i in sorted(portal.catalog))
    return [a for a in found if a is not None and a.status is ArticleStatus.PUBLISHED]


def _needs_filler(portal, article) -> bool:
    return len(portal.related.related(article.id, views.RELATED_SIZE + views.SPARE)) < views.RELATED_SIZE


def test_an_uncached_article_page_costs_five_statements_and_the_filler_one_more(demo_portal, app):
    articles = _published(demo_portal)
    assert len(articles) > 100
    for a in articles:  # the first render of each reads its cards; these are kept for the next one
        assert article_parts(request_for(app, f"/a/{a.slug}.html"), a.slug).status == 200
    engine = demo_portal.store.engine
    fillers = 0
    for a in articles:
        with counted(engine) as (seen, checkouts):
            parts = article_parts(request_for(app, f"/a/{a.slug}.html"), a.slug)
        assert parts.status == 200
        expected = PAGE_STATEMENTS_WITH_FILLER if _needs_filler(demo_portal, a) else PAGE_STATEMENTS
        fillers += expected == PAGE_STATEMENTS_WITH_FILLER
        assert len(seen) == expected, (a.slug, seen)
        assert all(s.lstrip().upper().startswith("SELECT") for s in seen), seen
        assert len(checkouts) == len(seen) - 1  # the article's two statements share one connection
    assert 0 < fillers < len(articles)  # both kinds of page were counted


def test_a_cold_page_reads_its_cards_in_a_few_batched_statements(demo_portal, app):
    """With nothing kept (after a source reload), the cards add at most one statement per list."""
    demo_portal.cards.forget_all()
    a = _published(demo_portal)[0]
    with counted(demo_portal.store.engine) as (seen, _):
        assert article_parts(request_for(app, f"/a/{a.slug}.html"), a.slug).status == 200
    cards = [s for s in seen if "FROM articles JOIN sources" in s]
    assert 1 <= len(cards) <= 3, seen  # story versions, 相关推荐, 阅读下一篇
    assert len(seen) - len(cards) in (PAGE_STATEMENTS, PAGE_STATEMENTS_WITH_FILLER)
