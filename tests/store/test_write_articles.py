"""Many article writes in one transaction (Store.write_articles), on SQLite and PostgreSQL alike."""

import pytest

from newsportal.domain import ArticleStatus
from newsportal.store import ArticleWrite, Conflict
from tests.conftest import make_portal, sample_draft


def ids(portal, draft):
    return portal.channels.by_slug(draft.channel_slug).id, portal.sources_by_key[draft.source_key].id


def count(store) -> int:
    return store.count_articles()


def test_creates_updates_and_status_changes_in_one_batch(store):
    portal = make_portal(store)
    d = sample_draft(external_id="w-old")
    ch, src = ids(portal, d)
    old = store.create_article(d, channel_id=ch, source_id=src, status=ArticleStatus.DRAFT, actor="t")
    writes = [
        ArticleWrite(sample_draft(title="第一篇：新线路开通", external_id="w-1"), ch, src,
                     status=ArticleStatus.PUBLISHED),
        ArticleWrite(sample_draft(title="第二篇：等待审核", external_id="w-2"), ch, src,
                     status=ArticleStatus.REVIEW),
        ArticleWrite(sample_draft(title="旧稿改了标题", external_id="w-old", tags=("公交",)), ch, src,
                     article_id=old.id, status=ArticleStatus.PUBLISHED),
    ]
    first, second, edited = store.write_articles(writes, actor="batch")
    assert first.status is ArticleStatus.PUBLISHED and first.published_at is not None
    assert second.status is ArticleStatus.REVIEW
    assert (edited.id, edited.revision, edited.tags) == (old.id, 2, ("公交",))
    assert edited.status is ArticleStatus.PUBLISHED
    assert [r.actor for r in store.revisions(old.id)] == ["t", "batch"]
    assert store.get_article(first.id).tags == first.tags and len(store.revisions(first.id)) == 1
    assert count(store) == 3  # the old article was updated, not duplicated


def test_a_failing_write_rolls_the_whole_batch_back(store):
    portal = make_portal(store)
    d = sample_draft(external_id="taken")
    ch, src = ids(portal, d)
    store.create_article(d, channel_id=ch, source_id=src, status=ArticleStatus.DRAFT, actor="t")
    writes = [ArticleWrite(sample_draft(title=f"第{i}篇", external_id=f"ok-{i}"), ch, src) for i in range(3)]
    writes.insert(2, ArticleWrite(sample_draft(external_id="taken"), ch, src))  # a conflict mid-batch
    with pytest.raises(Conflict):
        store.write_articles(writes, actor="batch")
    assert count(store) == 1  # nothing of the batch, not even the writes before the conflict
    assert store.get_article_by_external_id("ok-0") is None
