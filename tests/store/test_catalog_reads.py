"""Reads for lists, the catalogue, sync and the search index (store/catalog_reads.py)."""

from datetime import datetime, timedelta

from newsportal.domain import ArticleStatus
from newsportal.search import IndexDoc
from newsportal.store import CatalogRow, ChangedRow
from tests.conftest import make_portal, sample_draft
from tests.store.helpers import T0, catalogued, channel_id, source_id, write


def ids(portal, draft):
    return portal.channels.by_slug(draft.channel_slug).id, portal.sources_by_key[draft.source_key].id


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
def test_lists_filter_by_originality_and_merge_stories(store):
    catalogued(store)
    lead = write(store, original=True)
    copy = write(store, now=T0 + timedelta(minutes=3), title="另一家媒体的同题报道")
    store.set_story(lead.id, lead.id)
    store.set_story(copy.id, lead.id)
    assert [c.id for c in store.list_cards(original=True).items] == [lead.id]
    assert [c.id for c in store.list_cards().items] == [lead.id]
    assert {c.id for c in store.list_cards(one_per_story=False).items} == {lead.id, copy.id}
    assert store.list_cards(per_page=10_000).per_page == 100  # capped


def test_cards_by_ids_returns_published_articles_only(store):
    catalogued(store)
    live = write(store)
    draft = write(store, status=ArticleStatus.DRAFT)
    cards = store.cards_by_ids([live.id, draft.id, 424242])
    assert list(cards) == [live.id] and cards[live.id].source_name and cards[live.id].title == live.title
    assert store.cards_by_ids([]) == {}


def test_story_cards_are_the_published_members_oldest_first(store):
    catalogued(store)
    a = write(store, now=T0)
    b = write(store, now=T0 + timedelta(minutes=1), title="第二篇")
    c = write(store, now=T0 + timedelta(minutes=2), title="第三篇")
    for x in (a, b, c):
        store.set_story(x.id, a.id)
    store.set_status(b.id, ArticleStatus.WITHDRAWN)
    assert [card.id for card in store.story_cards(a.id)] == [a.id, c.id]


def test_catalogue_rows_are_named_and_filterable_by_source(store):
    catalogued(store)
    a = write(store)
    b = write(store, source="xinchao-tech", channel="tech", title="科技频道的文章",
              now=T0 + timedelta(hours=1))
    write(store, status=ArticleStatus.DRAFT)
    rows = store.catalog_rows()
    assert [r.id for r in rows] == [a.id, b.id] and all(isinstance(r, CatalogRow) for r in rows)
    assert rows[0] == CatalogRow(a.id, channel_id(store), None, T0, source_id(store), a.title)
    assert [r.id for r in store.catalog_rows(source_id=source_id(store, "xinchao-tech"))] == [b.id]
    assert store.catalog_rows_without_story() == [a.id, b.id]
    store.set_story(a.id, a.id)
    assert store.catalog_rows_without_story() == [b.id]


def test_changed_since_sees_every_status(store):
    catalogued(store)
    a = write(store, now=T0)
    d = write(store, status=ArticleStatus.DRAFT, now=T0 + timedelta(hours=1))
    rows = store.changed_since(T0 + timedelta(minutes=30))
    assert rows == [ChangedRow(d.id, "draft", d.channel_id, None, None, d.source_id, d.title, d.updated_at)]
    assert [r.id for r in store.changed_since(T0)] == [a.id, d.id]


def test_index_documents_carry_text_tags_and_story(store):
    catalogued(store)
    a = write(store, now=T0)
    store.set_story(a.id, a.id)
    doc = store.index_doc(store.get_article(a.id))
    assert isinstance(doc, IndexDoc) and "智慧公交" in doc.text and "<p>" not in doc.text
    assert doc.tags == ("公交", "新能源") and doc.story_id == a.id
    assert store.index_docs_by_ids([424242, a.id]) == [doc]
    recent = list(store.recent_index_docs(T0 - timedelta(hours=1)))
    assert [(r.id, r.story_id, r.tags) for r in recent] == [(a.id, a.id,
                                                             ())]  # no tags: the window needs none
    assert list(store.recent_index_docs(T0 + timedelta(hours=1))) == []
