"""Start-up embedding (newsroom/meaning.py): only the newest window of published articles is embedded."""

from datetime import datetime, timedelta

from newsportal.newsroom.meaning import load_vectors, newest_without_vector
from newsportal.recommend.catalog import Catalog, Entry
from newsportal.recommend.semantic import default_embedder
from newsportal.recommend.vectors import ArticleVectors
from newsportal.store import bulk_create
from newsportal.timeutil import to_epoch
from tests.conftest import sample_draft

T0 = datetime(2026, 11, 25, 8, 0)


def _catalog(times: dict[int, datetime]) -> Catalog:
    cat = Catalog()
    for aid, at in times.items():
        cat.put(aid, Entry(channel_id=1, story_id=aid, published=to_epoch(at), source_id=1))
    return cat


def test_newest_without_vector_is_by_publication_time_not_id():
    times = {1: T0, 2: T0 - timedelta(days=9), 3: T0 - timedelta(hours=1), 4: T0 - timedelta(days=2),
             5: T0 - timedelta(minutes=5)}
    vecs = ArticleVectors(default_embedder(), window=3)
    assert sorted(newest_without_vector(vecs, _catalog(times))) == [1, 3, 5]
    vecs.put(3, default_embedder().embed(["海河新区开通公交线路"])[0])
    assert sorted(newest_without_vector(vecs, _catalog(times))) == [1, 5]  # 3 is in the window already
    small = ArticleVectors(default_embedder(), window=10)
    assert sorted(newest_without_vector(small, _catalog(times))) == [1, 2, 3, 4, 5]  # window covers all


def test_start_embeds_only_the_newest_window_and_older_articles_keep_title_quality(portal):
    """A bulk load bigger than the window: the newest are embedded, the older ones get no vector."""
    ch = next(c.id for c in portal.store.channels() if c.slug == "domestic")
    src = next(s.id for s in portal.store.sources() if s.key == "haihe-daily")
    items = [(sample_draft(external_id=f"w-{i}", title=f"海河新区第{i}条公交线路开通",
                           published_at=T0 - timedelta(hours=i)), ch, src) for i in range(6)]
    bulk_create(portal.store, items, actor="test")
    portal.vectors.window = 2
    portal.reload_catalog()
    from newsportal.newsroom.startup import load_catalogue

    load_catalogue(portal.store, portal.source_book, portal.catalog)
    missing = load_vectors(portal.vectors, portal.catalog, portal.source_book)
    ids = [portal.store.get_article_by_external_id(f"w-{i}").id for i in range(6)]
    assert missing == [ids[1], ids[0]]  # the newest two, oldest first
    portal.embedding.put_ids(missing)
    portal.embedding.drain()
    assert [a in portal.vectors for a in ids] == [True, True, False, False, False, False]
    assert newest_without_vector(portal.vectors, portal.catalog) == []  # a restart embeds nothing more
