"""The web context: one typed object per app, and page caches purged by the publish flow's signals."""

import dataclasses

import pytest

from newsportal.domain import ArticleStatus
from newsportal.newsroom import save_article
from newsportal.newsroom.signals import ArticleSaved, ArticlesSyncedFromElsewhere, PinsChanged, VectorsReady
from newsportal.web.app import create_app
from newsportal.web.context import NotStarted, PageKey, WebContext, web_context
from newsportal.web.parts import PageParts, SharedFragments
from tests.conftest import sample_draft


def filled(ctx: WebContext) -> WebContext:
    ctx.pages.put(PageKey(False, "home"), PageParts.from_render("<p>首页</p>"))
    ctx.fragments.put(False, SharedFragments(b"", b""))
    return ctx


def test_the_app_keeps_one_typed_context(portal):
    app = create_app(portal=portal)
    ctx = web_context(app)
    assert isinstance(ctx, WebContext) and ctx.portal is portal and ctx.started
    assert ctx.pages.ttl == portal.settings.fragment_cache_seconds
    assert ctx.fragments.ttl == portal.settings.page_cache_seconds


def test_a_context_without_a_portal_says_so(portal):
    ctx = WebContext.create(portal.settings)
    assert not ctx.started
    with pytest.raises(NotStarted):
        ctx.portal  # noqa: B018 - the property access is the test


def test_publishing_purges_both_caches(portal):
    ctx = filled(WebContext.create(portal.settings))
    ctx.attach(portal)
    ctx.attach(portal)  # attaching again does not subscribe twice
    assert len(portal.signals.article_saved) == 1
    save_article(portal, sample_draft(), actor="t", publish_now=True)
    assert len(ctx.pages) == 0 and len(ctx.fragments) == 0


@pytest.mark.parametrize(
    "event",
    [PinsChanged(), PinsChanged(channel_id=3), ArticlesSyncedFromElsewhere((1, 2))],
)
def test_pins_and_other_processes_writes_purge(portal, event):
    ctx = filled(WebContext.create(portal.settings))
    ctx.attach(portal)
    signal = portal.signals.pins_changed if isinstance(event, PinsChanged) else portal.signals.synced
    signal.send(event)
    assert len(ctx.pages) == 0 and len(ctx.fragments) == 0


def test_vectors_that_come_after_the_publish_purge_once_per_round(portal):
    """A page built between a publish and its vectors listed related articles from words alone: the
    embedding round that brings the vectors (a whole feed is one round) purges the caches once."""
    ctx = WebContext.create(portal.settings)
    ctx.attach(portal)
    a, _ = save_article(portal, sample_draft(external_id="v-1"), actor="t", publish_now=True)
    b, _ = save_article(portal, sample_draft(external_id="v-2", title="海河新区智慧公交首日客流过万",
                                             source_key="xinchao-tech"), actor="t", publish_now=True)
    filled(ctx)  # pages built (and cached) while neither article had a vector
    heard: list[VectorsReady] = []
    portal.signals.vectors_ready.connect(heard.append)
    assert a.id not in portal.vectors and portal.embedding.drain() == 2
    assert heard == [VectorsReady((a.id, b.id))]
    assert len(ctx.pages) == 0 and len(ctx.fragments) == 0


def test_a_draft_saved_over_a_draft_purges_nothing(portal):
    ctx = filled(WebContext.create(portal.settings))
    ctx.attach(portal)
    draft, _ = save_article(portal, sample_draft(external_id="x"), actor="t")
    ctx = filled(ctx)
    edited = dataclasses.replace(draft, title="改过的草稿标题")
    portal.signals.article_saved.send(ArticleSaved(edited, draft))
    assert len(ctx.pages) == 1
    published = dataclasses.replace(edited, status=ArticleStatus.PUBLISHED)
    portal.signals.article_saved.send(ArticleSaved(published, draft))
    assert len(ctx.pages) == 0
    ctx = filled(ctx)
    portal.signals.article_saved.send(
        ArticleSaved(dataclasses.replace(draft, status=ArticleStatus.WITHDRAWN), published)
    )
    assert len(ctx.pages) == 0


def test_shared_fragments_are_rebuilt_after_their_ttl_while_the_old_ones_are_served(portal):
    """热点推荐 and the modules live ``page_cache_seconds``; expiry serves the old ones during one rebuild."""
    from starlette.testclient import TestClient

    now = [500.0]
    app = create_app(portal=portal, clock=lambda: now[0])
    ctx = web_context(app)
    with TestClient(app) as client:
        assert client.get("/").status_code == 200
        first = ctx.fragments.lookup(False)
        assert first is not None and first.fresh
        before = ctx.fragments.builds
        now[0] += portal.settings.page_cache_seconds / 2
        client.get("/channel/sports")
        assert ctx.fragments.builds == before  # still fresh: shared by every page without a rebuild
        now[0] += portal.settings.page_cache_seconds
        assert not ctx.fragments.lookup(False).fresh
        assert client.get("/").status_code == 200  # served at once from the stale fragments
        assert ctx.fragments.building(False) is not None or ctx.fragments.builds == before + 1

def test_a_batch_purges_once_after_its_last_article(portal):
    """A big feed announces every article; the caches are purged on the last event only, and then even
    when the last article is a draft nobody sees (an earlier one of the batch was published)."""
    ctx = filled(WebContext.create(portal.settings))
    ctx.attach(portal)
    draft, _ = save_article(portal, sample_draft(external_id="b1"), actor="t")
    ctx = filled(ctx)
    published = dataclasses.replace(draft, status=ArticleStatus.PUBLISHED)
    edited_draft = dataclasses.replace(draft, title="另一篇草稿")
    portal.signals.article_saved.send(ArticleSaved(published, draft, pending=1))
    assert len(ctx.pages) == 1  # more of the batch to come: not yet
    portal.signals.article_saved.send(ArticleSaved(edited_draft, draft, pending=0))
    assert len(ctx.pages) == 0 and len(ctx.fragments) == 0


def test_a_comment_count_change_purges_only_that_articles_pages(portal):
    article = save_article(portal, sample_draft(), actor="t", publish_now=True)[0]
    ctx = filled(WebContext.create(portal.settings))
    ctx.attach(portal)
    own = [PageKey(care, "article", pick) for care in (False, True)
           for pick in (("id", article.id), ("slug", article.slug))]
    other = PageKey(False, "article", ("id", article.id + 1))
    for key in [*own, other]:
        ctx.pages.put(key, PageParts.from_render("<p>正文</p>"))
    portal.comments.signals.announce(article.id)
    assert not any(key in ctx.pages for key in own)
    assert other in ctx.pages and PageKey(False, "home") in ctx.pages and len(ctx.fragments) == 1


def test_comments_changed_by_another_worker_purge_their_articles_pages_here(store):
    """Worker A approves a comment; worker B's next refresh drops B's copies of that article's pages (and
    nothing else), so B shows the new 跟贴 count within one refresh period."""
    from datetime import timedelta

    from newsportal.timeutil import utcnow
    from tests.conftest import make_portal

    worker_a, worker_b = make_portal(store), make_portal(store)
    article = save_article(worker_a, sample_draft(), actor="t", publish_now=True)[0]
    worker_b.refresh()
    ctx = filled(WebContext.create(worker_b.settings))
    ctx.attach(worker_b)
    own = [PageKey(care, "article", pick) for care in (False, True)
           for pick in (("id", article.id), ("slug", article.slug))]
    for key in own:
        ctx.pages.put(key, PageParts.from_render("<p>跟贴 0 条</p>"))
    account = worker_a.comments.readers
    now = utcnow()
    account.sign_up("reader@example.cn", "早起的读者", "海河晨报2026", now)
    reader = account.approve("reader@example.cn", "cli:test-operator", now)
    comment = worker_a.comments.service.post(reader, article.id, "这条线路开通后通勤快多了。", "1.2.3.4", now)
    worker_a.comments.moderation.approve(comment.id, 101, now + timedelta(seconds=1))
    assert all(key in ctx.pages for key in own)  # worker B has heard nothing yet
    worker_b.refresh()
    assert not any(key in ctx.pages for key in own)
    assert PageKey(False, "home") in ctx.pages  # other pages keep their copies


def test_a_big_embedding_round_leaves_the_caches_alone(portal):
    """A feed or the start-up's backfill embeds hundreds of articles a round, round after round: purging on
    each kept every page uncached under load. Their pages take the vectors when their copies expire."""
    from newsportal.web.context import VECTOR_PURGE_MAX

    ctx = filled(WebContext.create(portal.settings))
    ctx.attach(portal)
    portal.signals.vectors_ready.send(VectorsReady(tuple(range(1, VECTOR_PURGE_MAX + 2))))
    assert len(ctx.pages) == 1 and len(ctx.fragments) == 1
    portal.signals.vectors_ready.send(VectorsReady(tuple(range(1, VECTOR_PURGE_MAX + 1))))
    assert len(ctx.pages) == 0 and len(ctx.fragments) == 0
