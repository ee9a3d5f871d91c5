"""Bulk loading (store/bulk.py): the same rows as the one-by-one path, in one transaction."""

from datetime import timedelta

from newsportal.domain import ArticleStatus
from newsportal.store import bulk_create
from tests.conftest import sample_draft
from tests.store.helpers import T0, catalogued, channel_id, source_id, write


def test_bulk_create_writes_articles_people_tags_revisions_and_totals(store):
    catalogued(store)
    ch, src = channel_id(store), source_id(store)
    items = [(sample_draft(external_id=f"bulk-{i}", title=f"批量文章{i}", published_at=T0), ch, src)
             for i in range(3)]
    assert bulk_create(store, items, actor="loader") == 3 and bulk_create(store, [], actor="x") == 0
    a = store.get_article_by_external_id("bulk-1")
    assert a.status is ArticleStatus.PUBLISHED and a.published_at == T0 and a.tags == ("公交", "新能源")
    assert a.reporters == ("陈晓岚",) and a.editors == ("刘静", "孙浩") and store.stats(a.id) == (0, 0)
    assert [(r.number, r.actor) for r in store.revisions(a.id)] == [(1, "loader")]
    assert store.count_articles(ArticleStatus.PUBLISHED) == 3


def test_bulk_create_settles_articles_older_than_the_clustering_edge_as_their_own_story(store):
    """``own_story_before``: older articles are written as their own story, newer ones are left to cluster."""
    catalogued(store)
    ch, src = channel_id(store), source_id(store)
    edge = T0 - timedelta(hours=72)
    times = [edge - timedelta(days=3), edge - timedelta(seconds=1), edge, T0]
    items = [(sample_draft(external_id=f"edge-{i}", published_at=at), ch, src)
             for i, at in enumerate(times)]
    assert bulk_create(store, items, actor="loader", own_story_before=edge) == 4
    arts = [store.get_article_by_external_id(f"edge-{i}") for i in range(4)]
    assert [a.story_id for a in arts] == [arts[0].id, arts[1].id, None, None]
    assert store.catalog_rows_without_story() == [arts[2].id, arts[3].id]


def test_bulk_ids_follow_on_with_the_one_by_one_path(store):
    """Ids reserved for a bulk batch (COPY on PostgreSQL) come from the sequence later writes use."""
    catalogued(store)
    ch, src = channel_id(store), source_id(store)
    before = write(store, external_id="single-1")
    bulk_create(store, [(sample_draft(external_id=f"seq-{i}", published_at=T0), ch, src) for i in range(5)],
                actor="loader")
    after = write(store, external_id="single-2")
    bulk_ids = [store.get_article_by_external_id(f"seq-{i}").id for i in range(5)]
    assert before.id < min(bulk_ids) and max(bulk_ids) < after.id and len(set(bulk_ids)) == 5
    assert [t for t in store.get_article(bulk_ids[2]).tags] == ["公交", "新能源"]
