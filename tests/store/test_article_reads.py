"""The article page's reads (store/article_reads.py and the hot-list filler), on SQLite and PostgreSQL."""

from datetime import timedelta

from newsportal.domain import ArticleStatus
from newsportal.store.articles import load_article
from newsportal.store.tables import ArticleRow
from tests.store.helpers import T0, catalogued, write


def test_the_two_statement_read_gives_what_the_orm_read_gives(store):
    catalogued(store)
    a = write(store, tags=("地铁", "换乘", "夜班"), reporters=("王敏", "李涛"), editors=("周宁",))
    store.add_events([(a.id, "view", T0)] * 3 + [(a.id, "share", T0)])
    with store.session() as s:
        row = s.get(ArticleRow, a.id)
        assert row is not None
        orm = load_article(s, row)
    got = store.get_article(a.id)
    assert got == orm == store.get_article_by_slug(a.slug)
    assert got.tags == ("地铁", "换乘", "夜班") and got.reporters == ("王敏", "李涛")
    assert got.editors == ("周宁",) and (got.view_count, got.share_count) == (3, 1)
    assert store.get_article(987654) is None and store.get_article_by_slug("no-such-slug") is None


def test_next_in_channel_is_the_next_older_of_another_story_else_the_newest(store):
    catalogued(store)
    old = write(store, now=T0, title="最早的一篇")
    mid = write(store, now=T0 + timedelta(hours=1), title="中间的一篇")
    tie = write(store, now=T0 + timedelta(hours=1), title="同一时刻的另一篇")  # same time, larger id
    copy = write(store, now=T0 + timedelta(hours=2), title="同题报道")
    new = write(store, now=T0 + timedelta(hours=3), title="最新的一篇")
    write(store, now=T0 + timedelta(hours=4), status=ArticleStatus.DRAFT, title="草稿")
    write(store, now=T0 + timedelta(hours=5), channel="tech", source="xinchao-tech", title="别的频道")
    store.set_story(copy.id, mid.id)
    store.set_story(mid.id, mid.id)

    def following(a, story=None):
        return store.next_in_channel(a.id, a.channel_id, a.published_at, story)

    assert following(new) == copy.id
    assert following(new, mid.id) == tie.id  # the copy belongs to the story being read: skipped
    assert following(tie) == mid.id  # the same time: the smaller id is the older
    assert following(mid, mid.id) == old.id
    assert following(old) == new.id  # the oldest goes on to the newest (drafts and other channels never)
    assert store.next_in_channel(old.id, old.channel_id, None) == new.id


def test_next_in_channel_walks_the_channel_index_from_the_article(store):
    """The plan starts at the article's time (a range on published_at), so the rows read do not grow with
    the number of newer articles in the channel."""
    if store.dialect != "sqlite":
        return  # PostgreSQL's plan depends on its statistics; the SQLite plan is the one pinned here
    from newsportal.store.article_reads import _NEXT

    catalogued(store)
    a = write(store)
    compiled = _NEXT.compile(store.engine)
    params = compiled.construct_params({"channel": a.channel_id, "aid": a.id, "story": a.id,
                                        "at": a.published_at})
    with store.engine.connect() as conn:
        plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled.string}",
            tuple(params[k] for k in compiled.positiontup or [])))
    assert "published_at<?" in plan, plan


def test_newest_ids_are_one_per_story_newest_first_and_limited(store):
    catalogued(store)
    a = write(store, now=T0)
    b = write(store, now=T0 + timedelta(minutes=1), title="第二篇")
    c = write(store, now=T0 + timedelta(minutes=2), title="第三篇，与第一篇同题")
    d = write(store, now=T0 + timedelta(minutes=3), channel="tech", source="xinchao-tech", title="科技")
    write(store, now=T0 + timedelta(minutes=4), status=ArticleStatus.DRAFT, title="草稿")
    store.set_story(a.id, a.id)
    store.set_story(c.id, a.id)
    assert store.newest_ids(limit=10) == [d.id, b.id, a.id]
    assert store.newest_ids([a.channel_id], limit=10) == [b.id, a.id]
    assert store.newest_ids([a.channel_id, d.channel_id], limit=2) == [d.id, b.id]
    assert store.newest_ids([], limit=5) == []


def test_the_reads_run_outside_a_transaction_on_postgresql(store):
    """One round trip per read there (autocommit: no BEGIN and ROLLBACK around it); SQLite opens no
    transaction for a SELECT, so its reads use the one engine."""
    catalogued(store)
    a = write(store)
    if store.dialect == "postgresql":
        with store.read_engine.connect() as conn:
            assert conn.connection.dbapi_connection.autocommit
        with store.engine.connect() as conn:
            assert not conn.connection.dbapi_connection.autocommit
    else:
        assert store.read_engine is store.engine
    assert store.get_article(a.id) == a
