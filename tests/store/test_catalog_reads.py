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


# -- the capped total and the listed-rows index (migration 0008) ---------------------------------------
def _leads_newest_first(store, channel_slugs):
    """What a channel list must show, computed without the list query: published story leads, newest first."""
    wanted = {channel_id(store, s) for s in channel_slugs}
    cards = store.cards_by_ids(range(1, 500))
    with store.engine.connect() as conn:
        from sqlalchemy import text
        rows = conn.execute(text("SELECT id, story_id, channel_id FROM articles")).all()
    lead = {r[0] for r in rows if r[2] in wanted and (r[1] is None or r[1] == r[0])}
    return [c.id for c in sorted((cards[i] for i in lead if i in cards),
                                 key=lambda c: (c.published_at, c.id), reverse=True)]


def test_pages_of_a_subtree_are_the_story_leads_newest_first(store):
    catalogued(store)
    made = []
    for i in range(23):
        section = ("domestic", "world", "society")[i % 3]
        made.append(write(store, channel=section, now=T0 + timedelta(minutes=i), title=f"第{i}篇子频道报道"))
    # a few copies joined to earlier stories, a draft and two articles with the very same time
    for lead, copy in ((made[0], made[4]), (made[2], made[11]), (made[7], made[8])):
        store.set_story(lead.id, lead.id)
        store.set_story(copy.id, lead.id)
    write(store, status=ArticleStatus.DRAFT, title="草稿")
    noon = T0 + timedelta(hours=2)
    same = [write(store, channel="world", now=noon, title=f"同时发布{i}") for i in range(2)]
    subtree = [channel_id(store, s) for s in ("news", "domestic", "world", "society")]
    want = _leads_newest_first(store, ("news", "domestic", "world", "society"))
    assert len(want) == 22 and want[:2] == [same[1].id, same[0].id]
    got = []
    for page in range(1, 5):
        listing = store.list_cards(channel_ids=subtree, page=page, per_page=6)
        assert listing.total == 22 and listing.exact and listing.pages == 4
        got += [c.id for c in listing.items]
    assert got == want


def test_the_total_stops_at_the_last_page_a_list_serves(store, monkeypatch):
    from newsportal.store import catalog_reads

    catalogued(store)
    monkeypatch.setattr(catalog_reads, "MAX_LIST_PAGES", 3)
    made = [write(store, now=T0 + timedelta(minutes=i), title=f"第{i}篇") for i in range(6)]
    ch = [channel_id(store)]
    exact = store.list_cards(channel_ids=ch, per_page=2)
    assert (exact.total, exact.exact, exact.pages) == (6, True, 3)
    made += [write(store, now=T0 + timedelta(minutes=10 + i), title=f"后来的第{i}篇") for i in range(3)]
    first = store.list_cards(channel_ids=ch, per_page=2)
    assert (first.total, first.exact, first.pages) == (6, False, 3)
    assert [c.id for c in first.items] == [made[8].id, made[7].id]
    last = store.list_cards(channel_ids=ch, page=3, per_page=2)
    assert [c.id for c in last.items] == [made[4].id, made[3].id] and not last.has_next
    past = store.list_cards(channel_ids=ch, page=4, per_page=2)
    assert past.items == [] and (past.total, past.exact) == (6, False)
    # the cap is in pages: a bigger page holds the whole list again
    assert store.list_cards(channel_ids=ch, per_page=5).exact


def _listed_index(store):
    from sqlalchemy import inspect

    return next((ix for ix in inspect(store.engine).get_indexes("articles")
                 if ix["name"] == "ix_articles_listed_channel_pub"), None)


def test_channel_pages_read_the_listed_index(store):
    """The list query's WHERE implies the partial index's predicate, so the planner can walk it."""
    from sqlalchemy import text
    from sqlalchemy.dialects import postgresql, sqlite

    from newsportal.store.articles import card_query
    from newsportal.store.catalog_reads import LEADS_STORY
    from newsportal.store.tables import ArticleRow

    catalogued(store)
    for i in range(5):
        write(store, now=T0 + timedelta(minutes=i), title=f"第{i}篇")
    assert _listed_index(store) is not None
    q = (card_query().where(ArticleRow.status == "published", ArticleRow.channel_id.in_([channel_id(store)]),
                            LEADS_STORY)
         .order_by(ArticleRow.published_at.desc(), ArticleRow.id.desc()).limit(20))
    pg = store.engine.dialect.name == "postgresql"
    sql = str(q.compile(dialect=postgresql.dialect() if pg else sqlite.dialect(),
                        compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        if pg:
            # a table this small is read whole; forbid that to see whether the index qualifies at all
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            conn.execute(text("SET LOCAL enable_bitmapscan = off"))
            plan = "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
        else:
            # SQLite may as well walk (channel_id, status, published_at); INDEXED BY fails the statement
            # if the partial index does not qualify, so this proves the predicate matches
            assert "FROM articles JOIN" in sql
            forced = "FROM articles INDEXED BY ix_articles_listed_channel_pub JOIN"
            sql = sql.replace("FROM articles JOIN", forced)
            plan = "\n".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_articles_listed_channel_pub" in plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan


def test_the_listed_index_migration_downgrades_and_upgrades(store):
    from alembic import command
    from sqlalchemy import text

    from newsportal.store.migrate import alembic_config

    catalogued(store)
    kept = write(store, title="迁移前后都在的文章")
    pg = store.engine.dialect.name == "postgresql"
    stats = ("SELECT count(*) FROM pg_statistic_ext WHERE stxname = 'st_articles_leads_story'"
             " AND stxnamespace = current_schema()::regnamespace")  # other tests' schemas have one too
    with store.engine.begin() as conn:
        cfg = alembic_config(store.engine)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007_token_role")
    assert _listed_index(store) is None
    if pg:
        with store.engine.connect() as conn:
            assert conn.scalar(text(stats)) == 0
    assert [c.id for c in store.list_cards().items] == [kept.id]  # the query runs without the index too
    store.upgrade()
    assert _listed_index(store) is not None
    if pg:
        with store.engine.connect() as conn:
            assert conn.scalar(text(stats)) == 1
    assert [c.id for c in store.list_cards().items] == [kept.id]
