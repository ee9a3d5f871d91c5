"""The batch publish path of a big feed poll (both DBs): one transaction and one index commit for the lot,
the same ingest rules as one by one, every item announced, and a poison item refused without the others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from newsportal.demo.load import demo_items
from newsportal.domain import ArticleStatus
from newsportal.newsroom.signals import ArticleSaved
from tests.ingest.partner_server import Route
from tests.ingest.service_kit import ATOM, T0, Entry, atom, build_service

POISON = "【拒收】"


def entries(n: int, start: int = 0, **over: object) -> list[Entry]:
    """``n`` distinct partner stories written for this test (districts and numbers make each its own)."""
    places = ("江北", "城东", "河西", "南湖", "北塘", "西岭", "东港", "桥头")
    out = []
    for i in range(start, start + n):
        place = places[i % len(places)]
        fields: dict[str, object] = dict(
            guid=f"jz-batch-{i:04d}", title=f"{place}第{i}号社区食堂开张，午餐一荤两素十二元",
            paragraphs=(f"{place}街道第{i}号社区食堂今天开门，主要面向附近的老人和上班族。",
                        f"食堂负责人说，第{i}号食堂每天供应两百份午餐，周末也不休息。"),
            url=f"http://partner.test/jz/batch/{i}.html",
            published=T0 - timedelta(minutes=30 + i), updated=T0 - timedelta(minutes=30 + i))
        fields.update(over)
        out.append(Entry(**fields))  # type: ignore[arg-type]
    return out


def refuse_poison_titles(store) -> None:
    """A real database rule that refuses one item's row (as a constraint or an unstorable value would)."""
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.execute(text(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON articles "
                f"WHEN NEW.title LIKE '%{POISON}%' BEGIN SELECT RAISE(ABORT, 'poison item'); END"))
        else:
            conn.execute(text(
                "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.title LIKE '%{POISON}%' THEN "
                "RAISE EXCEPTION 'poison item' USING ERRCODE = 'check_violation'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER refuse_poison BEFORE INSERT ON articles "
                              "FOR EACH ROW EXECUTE FUNCTION refuse_poison()"))


def article_ids(portal) -> list[int]:
    with portal.store.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("select id from articles order by id"))]


def test_a_big_feed_is_published_in_one_batch_and_every_item_announced(portal, partner, fetcher, clock):
    service = build_service(portal, fetcher, clock)
    heard: list[ArticleSaved] = []
    portal.signals.article_saved.connect(heard.append)
    url = partner.add("/big.xml", Route(atom(entries(40)), headers=ATOM))
    source = service.add_feed("jz-daily", url, trusted=True, channel="society")
    (poll,) = service.poll_due("p1")
    assert poll.ok and [i.action for i in poll.items] == ["created"] * 40
    ids = [i.article_id for i in poll.items]
    assert sorted(ids) == article_ids(portal)
    for aid in ids:
        a = portal.store.get_article(aid)
        assert a.status is ArticleStatus.PUBLISHED and aid in portal.catalog
        assert len(portal.store.revisions(aid)) == 1
        assert a.story_id == portal.catalog.story_of(aid)  # the story id is persisted
    # listeners hear every article once, the last with nothing pending (one purge for the batch)
    assert sorted(e.article.id for e in heard) == sorted(ids)
    assert [e.pending for e in heard] == list(range(39, -1, -1))
    hits, total = portal.index.search("第17号社区食堂")
    assert total >= 1 and hits[0][0] == ids[17]
    assert service.health(source.id)[0].items_taken == 40
    assert service.repo.item_by_guid(source.id, "jz-batch-0017").article_id == ids[17]


def test_batch_keeps_every_ingest_rule(portal, partner, fetcher, clock):
    service = build_service(portal, fetcher, clock)
    url = partner.add("/f.xml", Route(atom(entries(6)), headers=ATOM))
    source = service.add_feed("jz-daily", url, trusted=True)
    review = service.add_feed("jb-weekly", partner.add("/u.xml", Route(atom(entries(3, start=50)),
                                                                       headers=ATOM)))
    first = {p.source_key: p for p in service.poll_due("p1")}
    ids = [i.article_id for i in first["jz-daily"].items]
    for i in first["jb-weekly"].items:  # an untrusted partner's new stories wait for review
        assert portal.store.get_article(i.article_id).status is ArticleStatus.REVIEW
        assert i.article_id not in portal.catalog
    assert portal.index.search("第50号社区食堂")[1] == 0  # nor in search
    assert service.health(review.id)[0].items_taken == 3

    changed = entries(6)
    changed[0] = entries(1, updated=T0 - timedelta(minutes=5),
                         paragraphs=("江北街道第0号社区食堂今天开门，午餐价格下调为十元。",))[0]
    changed[1] = entries(2, updated=T0 - timedelta(days=3),  # older than the stored copy: no rollback
                         paragraphs=("一份过时的稿件。",))[1]
    changed[2] = entries(3, guid="urn:new:2")[2]  # a new guid, same URL: the same story
    # the same story twice in one feed (a new guid, the same text): the second copy is unchanged
    changed.append(entries(4, guid="urn:copy:3")[3])
    partner.add("/f.xml", Route(atom(changed), headers=ATOM))
    clock.advance(seconds=source.interval_seconds)
    (second,) = [p for p in service.poll_due("p1") if p.source_key == "jz-daily"]
    assert [(i.action, i.article_id) for i in second.items] == [
        ("updated", ids[0]), ("stale", ids[1]), ("unchanged", ids[2]), ("unchanged", ids[3]),
        ("unchanged", ids[4]), ("unchanged", ids[5]), ("unchanged", ids[3])]
    assert "午餐价格下调为十元" in portal.store.get_article(ids[0]).body_html
    assert "过时" not in portal.store.get_article(ids[1]).body_html
    assert len(portal.store.revisions(ids[0])) == 2 and len(portal.store.revisions(ids[1])) == 1
    assert len(article_ids(portal)) == 9
    assert service.repo.item_by_guid(source.id, "urn:new:2").article_id == ids[2]


def test_reworded_copies_in_one_batch_join_one_story(portal, partner, fetcher, clock):
    """The demo's syndicated sets (the same event written up by three outlets) arrive in one feed."""
    items = [i for i in demo_items() if i.get("story") in ("story-hsr-binyun", "story-tech-chip")]
    assert len(items) == 6
    feed = [Entry(guid=i["external_id"], title=i["title"], paragraphs=tuple(i["paragraphs"]),
                  url=f"http://partner.test/{i['external_id']}.html",
                  published=T0 - timedelta(hours=1, minutes=n)) for n, i in enumerate(items)]
    service = build_service(portal, fetcher, clock)
    service.add_feed("jz-daily", partner.add("/s.xml", Route(atom(feed), headers=ATOM)), trusted=True)
    (poll,) = service.poll_due("p1")
    story = {i["external_id"]: portal.catalog.story_of(r.article_id) for i, r in
             zip(items, poll.items, strict=True)}
    groups: dict[str, set[int]] = {}
    for i in items:
        groups.setdefault(i["story"], set()).add(story[i["external_id"]])
    assert [len(g) for g in groups.values()] == [1, 1]  # each set is one story
    assert groups["story-hsr-binyun"] != groups["story-tech-chip"]


def test_a_poison_item_is_refused_and_the_rest_of_the_batch_lands(portal, partner, fetcher, clock):
    refuse_poison_titles(portal.store)
    feed = entries(12)
    feed[5] = entries(6, title=f"{POISON}一条数据库不肯收下的稿件")[5]
    service = build_service(portal, fetcher, clock)
    heard: list[ArticleSaved] = []
    portal.signals.article_saved.connect(heard.append)
    source = service.add_feed("jz-daily", partner.add("/p.xml", Route(atom(feed), headers=ATOM)),
                              trusted=True)
    (poll,) = service.poll_due("p1")
    actions = [i.action for i in poll.items]
    assert actions == ["created"] * 5 + ["refused"] + ["created"] * 6
    assert poll.items[5].reason == "article_invalid" and "数据库" in poll.items[5].message
    assert poll.ok
    ids = article_ids(portal)
    assert len(ids) == 11  # nothing of the poison item, nothing half-written, nothing twice
    assert all(portal.store.get_article(a).title.find(POISON) < 0 for a in ids)
    assert all(a in portal.catalog for a in ids) and len(heard) == 11
    assert service.repo.item_by_guid(source.id, "jz-batch-0005") is None
    health = service.health(source.id)[0]
    assert health.items_taken == 11 and health.items_refused == 1
    hits, total = portal.index.search("第7号社区食堂")
    assert total >= 1 and hits[0][0] == poll.items[7].article_id


def test_batch_and_one_by_one_give_the_same_articles(portal, partner, fetcher, clock):
    one = build_service(portal, fetcher, clock, batch=False)
    many = build_service(portal, fetcher, clock)
    a = one.add_feed("jz-daily", partner.add("/a.xml", Route(atom(entries(5)), headers=ATOM)), trusted=True)
    b = many.add_feed("jb-weekly", partner.add("/b.xml", Route(atom(entries(5)), headers=ATOM)),
                      trusted=True)
    polls = {"jz-daily": one.poll_now(a, "p1"), "jb-weekly": many.poll_now(b, "p2")}

    def shape(key: str) -> list[tuple]:
        out = []
        for r in polls[key].items:
            a = portal.store.get_article(r.article_id)
            out.append((r.action, a.title, a.body_html, a.status, a.published_at, a.tags, a.revision))
        return out

    assert shape("jz-daily") == shape("jb-weekly")


class Writes:
    """Every INSERT, UPDATE and DELETE the engine sends while in use, as (table, statement)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.seen: list[tuple[str, str]] = []

    def _note(self, conn, cursor, statement, parameters, context, executemany) -> None:
        words = statement.split()
        verb = words[0].upper() if words else ""
        if verb in ("INSERT", "UPDATE", "DELETE"):
            table = words[2] if verb in ("INSERT", "DELETE") else words[1]
            self.seen.append((table.strip('"'), verb))

    def __enter__(self) -> Writes:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._note)

    def to(self, table: str) -> list[str]:
        return [verb for t, verb in self.seen if t == table]


@pytest.mark.parametrize("batch", [True, False], ids=["batch", "one-by-one"])
def test_an_unchanged_re_poll_writes_nothing_per_item_but_the_health_moves(portal, partner, fetcher, clock,
                                                                          batch):
    service = build_service(portal, fetcher, clock, batch=batch)
    url = partner.add("/f.xml", Route(atom(entries(12)), headers=ATOM))
    source = service.add_feed("jz-daily", url, trusted=True)
    (first,) = service.poll_due("p1")
    assert first.count("created") == 12
    ledger = service.repo.items(source.id)
    clock.advance(seconds=source.interval_seconds)
    with Writes(portal.store.engine) as writes:
        (again,) = service.poll_due("p1")
    assert [i.action for i in again.items] == ["unchanged"] * 12
    assert writes.to("ingested_items") == [] and writes.to("articles") == []
    # the source row: the lease taken and given back with the poll's record, two statements for the lot
    assert writes.to("ingest_sources") == ["UPDATE", "UPDATE"]
    assert {t for t, _ in writes.seen} == {"ingest_sources"}
    assert service.repo.items(source.id) == ledger  # every row as it was, last_seen included
    (health,) = service.health(source.id)
    assert health.last_poll_at == health.last_success_at == clock.now and health.status == "ok"
    assert health.items_taken == 12 and health.next_poll_at > clock.now
    # a day on, the rows' last_seen is brought up to date once (it is right to within a day)
    clock.advance(days=1)
    (later,) = service.poll_due("p1")
    assert later.count("unchanged") == 12
    assert {i.last_seen for i in service.repo.items(source.id)} == {clock.now}
