"""Article writes and single-article reads (store/articles.py), on SQLite and PostgreSQL alike."""

from datetime import datetime, timedelta

import pytest

from newsportal.domain import ArticleStatus
from newsportal.store import Conflict, NotFound
from tests.conftest import make_portal, sample_draft
from tests.store.helpers import T0, catalogued, channel_id, source_id, write


def ids(portal, draft):
    return portal.channels.by_slug(draft.channel_slug).id, portal.sources_by_key[draft.source_key].id


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


def test_status_changes_stamp_the_first_publication_only(store):
    catalogued(store)
    a = write(store, status=ArticleStatus.DRAFT)
    assert a.published_at is None and store.count_articles(ArticleStatus.DRAFT) == 1
    p = store.set_status(a.id, ArticleStatus.PUBLISHED, now=T0 + timedelta(hours=1))
    assert p.status is ArticleStatus.PUBLISHED and p.published_at == T0 + timedelta(hours=1)
    w = store.set_status(a.id, ArticleStatus.WITHDRAWN, now=T0 + timedelta(hours=2))
    again = store.set_status(a.id, ArticleStatus.PUBLISHED, now=T0 + timedelta(hours=3))
    assert w.updated_at == T0 + timedelta(hours=2) and again.published_at == T0 + timedelta(hours=1)
    assert store.count_articles() == 1 and store.count_articles(ArticleStatus.DRAFT) == 0


def test_update_moves_the_external_id_unless_another_article_owns_it(store):
    catalogued(store)
    a = write(store, external_id="a-1")
    b = write(store, external_id="b-1", title="另一篇文章的标题")
    ch, src = channel_id(store), source_id(store)
    moved = store.update_article(a.id, sample_draft(external_id="a-2"), channel_id=ch, source_id=src,
                                 actor="t")
    assert moved.external_id == "a-2" and store.get_article_by_external_id("a-1") is None
    with pytest.raises(Conflict):
        store.update_article(a.id, sample_draft(external_id="b-1"), channel_id=ch, source_id=src, actor="t")
    assert store.get_article(b.id).external_id == "b-1"


def test_repeated_names_and_tags_are_kept_once_in_order(store):
    catalogued(store)
    a = write(store, tags=("公交", "公交", "地铁"), reporters=("甲", "乙", "甲"), editors=("乙",))
    assert a.tags == ("公交", "地铁") and a.reporters == ("甲", "乙") and a.editors == ("乙",)


def test_stories_join_and_are_re_led_when_their_first_article_goes(store):
    catalogued(store)
    first = write(store, now=T0)
    second = write(store, now=T0 + timedelta(minutes=5), title="同一事件的第二篇报道")
    third = write(store, now=T0 + timedelta(minutes=9), title="同一事件的第三篇报道")
    for a in (first, second, third):
        store.set_story(a.id, first.id)
    assert store.get_article(third.id).story_id == first.id
    store.set_status(first.id, ArticleStatus.WITHDRAWN)
    assert store.relead_story(first.id) == second.id
    assert {store.get_article(a.id).story_id for a in (first, second, third)} == {second.id}
    assert store.relead_story(999_999) is None


def test_set_stories_writes_many_story_ids_in_one_call(store):
    catalogued(store)
    first = write(store, now=T0, title="批量聚类的第一篇")
    second = write(store, now=T0 + timedelta(minutes=3), title="批量聚类的第二篇")
    alone = write(store, now=T0 + timedelta(minutes=6), title="另一件事")
    store.set_stories({first.id: first.id, second.id: first.id, alone.id: alone.id})
    stories = [store.get_article(a.id).story_id for a in (first, second, alone)]
    assert stories == [first.id, first.id, alone.id]
    store.set_stories({})  # nothing to write is not an error
    assert store.get_article(second.id).story_id == first.id
