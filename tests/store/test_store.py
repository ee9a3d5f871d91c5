"""The store's contract, run on SQLite and PostgreSQL alike."""

from datetime import datetime

import pytest
from sqlalchemy import inspect

from newsportal.domain import ArticleStatus
from newsportal.store import Conflict, NotFound
from newsportal.store.migrate import current
from tests.conftest import make_portal, sample_draft


def ids(portal, draft):
    return portal.channels.by_slug(draft.channel_slug).id, portal.sources_by_key[draft.source_key].id


def _head() -> str:
    from alembic.script import ScriptDirectory

    from newsportal.store.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrations_reach_head_and_create_every_table(store):
    assert current(store.engine) == _head()
    tables = set(inspect(store.engine).get_table_names())
    assert {"articles", "article_revisions", "channels", "sources", "people", "article_tags", "events",
            "article_stats", "api_tokens", "pins", "reader_history"} <= tables
    store.upgrade()  # idempotent
    assert current(store.engine) == _head()


def test_create_and_read_back_every_field(store):
    portal = make_portal(store)
    d = sample_draft(external_id="ext-1", original=True, published_at=datetime(2026, 11, 20, 1, 2, 3))
    ch, src = ids(portal, d)
    a = store.create_article(d, channel_id=ch, source_id=src, status=ArticleStatus.PUBLISHED, actor="t")
    got = store.get_article(a.id)
    assert got == store.get_article_by_slug(a.slug) == store.get_article_by_external_id("ext-1")
    assert got.title == d.title and got.tags == ("公交", "新能源") and got.editors == ("刘静", "孙浩")
    assert got.reporters == ("陈晓岚",) and got.original and got.byline == d.byline
    assert got.published_at == datetime(2026, 11, 20, 1, 2, 3)
    assert got.slug.startswith("20261120") and got.status is ArticleStatus.PUBLISHED
    assert (got.view_count, got.share_count) == (0, 0)


def test_updates_keep_id_and_slug_and_record_revisions(store):
    portal = make_portal(store)
    d = sample_draft()
    ch, src = ids(portal, d)
    a = store.create_article(d, channel_id=ch, source_id=src, status=ArticleStatus.DRAFT, actor="editor1")
    b = store.update_article(a.id, sample_draft(title="新标题：智慧公交开通", tags=("公交",)),
                             channel_id=ch, source_id=src, actor="editor2")
    assert (b.id, b.slug, b.revision) == (a.id, a.slug, 2)
    assert b.tags == ("公交",)
    revs = store.revisions(a.id)
    assert [(r.number, r.actor, r.title) for r in revs] == [
        (1, "editor1", d.title), (2, "editor2", "新标题：智慧公交开通")]


def test_external_id_is_unique(store):
    portal = make_portal(store)
    d = sample_draft(external_id="dup")
    ch, src = ids(portal, d)
    store.create_article(d, channel_id=ch, source_id=src, status=ArticleStatus.DRAFT, actor="t")
    with pytest.raises(Conflict):
        store.create_article(d, channel_id=ch, source_id=src, status=ArticleStatus.DRAFT, actor="t")


def test_unknown_ids_raise_not_found(store):
    portal = make_portal(store)
    d = sample_draft()
    ch, src = ids(portal, d)
    assert store.get_article(424242) is None
    with pytest.raises(NotFound):
        store.set_status(424242, ArticleStatus.PUBLISHED)
    with pytest.raises(NotFound):
        store.update_article(424242, d, channel_id=ch, source_id=src, actor="t")


def test_lists_are_newest_first_paginated_and_only_published(store):
    portal = make_portal(store)
    d = sample_draft()
    ch, src = ids(portal, d)
    for i in range(25):
        store.create_article(
            sample_draft(title=f"测试新闻第{i}号标题", published_at=datetime(2026, 11, 1, 0, i)),
            channel_id=ch, source_id=src, status=ArticleStatus.PUBLISHED, actor="t")
    store.create_article(sample_draft(title="草稿不应出现在列表"), channel_id=ch, source_id=src,
                         status=ArticleStatus.DRAFT, actor="t")
    first = store.list_cards(channel_ids=[ch], page=1, per_page=10)
    assert first.total == 25 and first.pages == 3 and first.has_next and not first.has_prev
    assert first.items[0].title == "测试新闻第24号标题"
    last = store.list_cards(channel_ids=[ch], page=3, per_page=10)
    assert [c.title for c in last.items][-1] == "测试新闻第0号标题" and len(last.items) == 5
    assert store.list_cards(source_id=src, per_page=100).total == 25
    assert store.list_cards(page=99).items == []


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


def test_tokens_verify_and_revoke(store):
    token, secret = store.create_token("feed")
    assert store.verify_token(secret).id == token.id
    assert store.verify_token(secret + "x") is None
    assert store.verify_token("nonsense") is None
    assert store.revoke_token(token.prefix)
    assert store.verify_token(secret) is None
