"""The ingest ledger on SQLite and PostgreSQL: sources, leases, health and item lookups."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from newsportal.domain import ArticleStatus, SourceKind
from newsportal.store.ingest_sources import IngestSources, PollRecord
from newsportal.store.migrate import current
from tests.conftest import sample_draft

T0 = datetime(2026, 11, 28, 6, 0, 0)


@pytest.fixture
def repo(store) -> IngestSources:
    from newsportal.demo.load import install_catalog

    install_catalog(store)
    return IngestSources(store.engine)


def _feed(repo: IngestSources, key: str = "jz-daily", **over):
    partner = repo.ensure_media_source(key, "江州晨报")
    fields: dict[str, Any] = dict(channel_slug="domestic", now=T0, url=f"http://partner.test/{key}.xml")
    fields.update(over)
    return repo.add(partner.id, "feed", **fields)


def _article(store, external_id: str) -> int:
    channel = store.channels()[2]
    source = store.sources()[0]
    return store.create_article(sample_draft(external_id=external_id), channel_id=channel.id,
                                source_id=source.id, status=ArticleStatus.DRAFT, actor="t").id


def test_migration_head_and_media_source_creation(store, repo):
    from alembic.script import ScriptDirectory

    from newsportal.store.migrate import alembic_config

    applied = {r.revision for r in ScriptDirectory.from_config(alembic_config()).iterate_revisions(
        current(store.engine), "base")}
    assert "0005_ingest" in applied
    made = repo.ensure_media_source("jz-daily", "江州晨报")
    again = repo.ensure_media_source("jz-daily", "别的名字")
    assert made.created and not again.created and again.name == "江州晨报" and made.id == again.id
    assert {s.key: s.kind for s in store.sources()}["jz-daily"] is SourceKind.MEDIA
    existing = repo.ensure_media_source("haihe-daily")
    assert not existing.created and existing.name == "海河日报"  # demo partner keeps its name
    assert repo.channel_usable("domestic")
    assert not repo.channel_usable("home") and not repo.channel_usable("x")


def test_add_get_list_and_enable(repo):
    feed = _feed(repo, interval_seconds=900, trusted=True)
    pages = repo.add(feed.source_id, "pages", channel_slug="society", now=T0, list_url="http://partner.test/",
                     urls=("http://partner.test/a.html",), link_pattern=r"/\d+\.html$")
    got = repo.get(feed.id)
    assert got == feed and got.source_key == "jz-daily" and got.source_name == "江州晨报"
    assert (got.interval_seconds, got.trusted, got.enabled, got.next_poll_at) == (900, True, True, T0)
    assert repo.get(pages.id).urls == ("http://partner.test/a.html",)
    assert [s.id for s in repo.for_media_source("jz-daily")] == [feed.id, pages.id]
    assert [s.id for s in repo.all()] == [feed.id, pages.id] and repo.get(9999) is None
    assert repo.set_enabled(feed.id, False) and not repo.get(feed.id).enabled
    assert repo.set_enabled(feed.id, True, now=T0 + timedelta(hours=1))
    assert repo.get(feed.id).next_poll_at == T0 + timedelta(hours=1)


def test_lease_claim_is_exclusive_until_it_expires(repo):
    feed = _feed(repo)
    until = T0 + timedelta(minutes=15)
    assert repo.claim(feed.id, "a", now=T0, until=until)
    assert not repo.claim(feed.id, "b", now=T0, until=until)
    assert not repo.claim(feed.id, "b", now=T0 + timedelta(minutes=5), until=until, force=True)
    assert repo.due(T0) == []  # leased: not offered
    later = T0 + timedelta(minutes=16)  # "a" crashed: its lease has run out
    assert [s.id for s in repo.due(later)] == [feed.id]
    assert repo.claim(feed.id, "b", now=later, until=later + timedelta(minutes=15))
    assert repo.get(feed.id).lease_owner == "b"
    assert not repo.finish_poll(feed.id, "a", PollRecord(at=later, next_poll_at=later, ok=True, failures=0))


def test_claim_respects_schedule_and_enabled_flag(repo):
    feed = _feed(repo, now=T0 + timedelta(minutes=10))  # first due in ten minutes
    until = T0 + timedelta(minutes=15)
    assert repo.due(T0) == [] and not repo.claim(feed.id, "a", now=T0, until=until)
    assert repo.claim(feed.id, "a", now=T0, until=until, force=True)  # an operator's poll now
    repo.finish_poll(feed.id, "a", PollRecord(at=T0, next_poll_at=T0, ok=True, failures=0))
    repo.set_enabled(feed.id, False)
    assert not repo.claim(feed.id, "a", now=T0, until=until, force=True) and repo.due(T0) == []
    push = repo.add(feed.source_id, "ninjs", channel_slug="domestic", now=T0, token_hash="ab" * 32)
    assert push.id not in [s.id for s in repo.due(T0 + timedelta(days=1))]  # pushes are not polled


def test_finish_poll_records_health_and_releases(repo):
    feed = _feed(repo)
    repo.claim(feed.id, "a", now=T0, until=T0 + timedelta(minutes=15))
    ok = PollRecord(at=T0, next_poll_at=T0 + timedelta(minutes=10), ok=True, failures=0, taken=3, refused=1,
                    etag='"e1"', last_modified="Sat, 28 Nov 2026 06:00:00 GMT")
    assert repo.finish_poll(feed.id, "a", ok)
    row = repo.get(feed.id)
    assert (row.lease_owner, row.lease_until, row.etag, row.items_taken, row.items_refused) == (
        None, None, '"e1"', 3, 1)
    later = T0 + timedelta(minutes=10)
    repo.claim(feed.id, "a", now=later, until=later + timedelta(minutes=15))
    bad = PollRecord(at=later, next_poll_at=later + timedelta(minutes=1), ok=False, failures=1, refused=0,
                     error_reason="timeout", error_message="请求超时：对方服务器响应过慢")
    assert repo.finish_poll(feed.id, "a", bad)
    health = repo.get(feed.id).health
    assert health.status == "failing" and health.failures == 1
    assert (health.last_success_at, health.last_error_at, health.last_error_reason) == (T0, later, "timeout")
    assert (health.items_taken, health.items_refused) == (3, 1)
    assert repo.get(feed.id).etag == '"e1"'  # a failed poll keeps the validators of the last good one


def test_items_by_guid_url_and_hash_within_one_partner(store, repo):
    feed = _feed(repo)
    pages = repo.add(feed.source_id, "pages", channel_slug="domestic", now=T0, list_url="http://partner.test/")
    other = _feed(repo, "other-partner")
    a1, a2 = _article(store, "x1"), _article(store, "x2")
    repo.remember_item(feed.id, guid="g1", url="http://partner.test/1.html", content_hash="h1", article_id=a1,
                       original_time=T0, updated_time=None, now=T0)
    assert repo.find_item(feed, guid="g1", url=None, content_hash="zz").by == "guid"
    by_url = repo.find_item(pages, guid="http://partner.test/1.html", url="http://partner.test/1.html",
                            content_hash="zz")
    assert by_url.by == "url" and by_url.item.article_id == a1  # across the partner's feed and pages
    assert repo.find_item(pages, guid="g9", url=None, content_hash="h1").by == "hash"
    assert repo.find_item(other, guid="g1", url="http://partner.test/1.html", content_hash="h1") is None
    later = T0 + timedelta(hours=1)
    again = repo.remember_item(feed.id, guid="g1", url="http://partner.test/1b.html", content_hash="h2",
                               article_id=a2, original_time=T0, updated_time=later, now=later)
    assert (again.first_seen, again.last_seen, again.article_id, again.newest_time) == (T0, later, a2, later)
    assert len(repo.items(feed.id)) == 1 and repo.known_urls(feed.id) == {"http://partner.test/1b.html"}
    repo.touch_item(again.id, later + timedelta(hours=1))
    assert repo.item_by_guid(feed.id, "g1").last_seen == later + timedelta(hours=1)


def test_tokens_and_push_health(repo):
    partner = repo.ensure_media_source("youth")
    push = repo.add(partner.id, "ninjs", channel_slug="domestic", now=T0, token_hash="a" * 64)
    assert repo.by_token_hash("a" * 64).id == push.id and repo.by_token_hash("b" * 64) is None
    assert repo.revoke_token(push.id) and repo.get(push.id).token_revoked
    assert repo.set_token(push.id, "c" * 64) and not repo.get(push.id).token_revoked
    assert repo.by_token_hash("a" * 64) is None
    repo.record_push(push.id, at=T0, taken=1)
    repo.record_push(push.id, at=T0, refused=1, error_reason="ninjs_invalid", error_message="缺少标题")
    health = repo.get(push.id).health
    assert (health.items_taken, health.items_refused, health.last_error_reason) == (1, 1, "ninjs_invalid")


def test_migration_matches_the_tables_and_downgrades_cleanly(store):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from newsportal.store.migrate import alembic_config
    from newsportal.store.tables import Base

    with store.engine.connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in drift if "ingest" in repr(d)] == []  # the mapping and 0005_ingest agree
    with store.engine.begin() as conn:
        cfg = alembic_config(store.engine)
        cfg.attributes["connection"] = conn
        from alembic.script import ScriptDirectory

        below = ScriptDirectory.from_config(cfg).get_revision("0005_ingest").down_revision
        command.downgrade(cfg, below)
    assert not {"ingest_sources", "ingested_items"} & set(inspect(store.engine).get_table_names())
    store.upgrade()
    assert {"ingest_sources", "ingested_items"} <= set(inspect(store.engine).get_table_names())
