"""Bulk loading (store/bulk.py): the same rows as the one-by-one path, in one transaction."""

from newsportal.domain import ArticleStatus
from newsportal.store import bulk_create
from tests.conftest import sample_draft
from tests.store.helpers import T0, catalogued, channel_id, source_id


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
