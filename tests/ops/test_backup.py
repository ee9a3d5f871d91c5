"""Backup, wipe, restore, compare: on SQLite and PostgreSQL, and across them (SQLite → PostgreSQL).

The installation holds the demo articles with counts, drawn images under ``media/``, newsroom accounts,
reader accounts and comments with a reply, the audit log (whose rows the database refuses to change), and
the site secret. After a restore into a new database and an empty data directory every table's digest and
every file's bytes equal the original's, a portal starts on the restored store, and new rows get new ids.
"""

from __future__ import annotations

import gzip
import shutil

import pytest

from newsportal.demo.images import add_demo_images, demo_storage
from newsportal.demo.load import demo_items, load_demo
from newsportal.domain import ArticleStatus
from newsportal.newsroom import save_article
from newsportal.newsroom.demo_accounts import ensure_demo_accounts
from newsportal.ops.backup import BackupError, create_backup, restore_backup, summarize, verify_backup
from tests.comments.conftest import build_env, later
from tests.conftest import BACKENDS, make_portal, make_store, sample_draft


@pytest.fixture(scope="module", params=BACKENDS)
def installation(request, tmp_path_factory):
    """A populated installation on one backend and a backup of it."""
    store, dispose = make_store(request.param, tmp_path_factory)
    data_dir = tmp_path_factory.mktemp("data")
    portal = make_portal(store, data_dir=data_dir)
    load_demo(portal)
    ids = [item["external_id"] for item in demo_items()][:2]
    assert add_demo_images(portal, ids, demo_storage(portal), every=1) == 2
    ensure_demo_accounts(portal.newsroom.accounts, portal.sources)
    env = build_env(store)
    reader = env.reader("老读者")
    first = env.comments.post(reader, env.article, "公交开通以后，上班路上省了半小时。", "1.2.3.4", later(1))
    env.comments.post(reader, env.article, "同感，早上也不用挤了。", "1.2.3.4", later(2), reply_to=first.id)
    portal.counters.flush()
    (data_dir / "secret_key").write_text("s" * 48, encoding="utf-8")
    backup = tmp_path_factory.mktemp("backups") / "nightly"
    manifest = create_backup(store.engine, data_dir, backup)
    before = summarize(store.engine)
    published = store.count_articles(ArticleStatus.PUBLISHED)
    max_id = max(portal.catalog)
    portal.close()
    yield {"backend": request.param, "backup": backup, "manifest": manifest, "before": before,
           "data_dir": data_dir, "published": published, "max_id": max_id}
    dispose()


@pytest.mark.parametrize("target", BACKENDS)
def test_backup_wipe_restore_compare(installation, target, tmp_path_factory):
    backup = installation["backup"]
    assert verify_backup(backup) == []
    store, dispose = make_store(target, tmp_path_factory)  # a new, migrated, empty database
    restored_dir = tmp_path_factory.mktemp("restored")
    try:
        restore_backup(store.engine, restored_dir, backup)
        assert summarize(store.engine) == installation["before"]
        files = sorted(p.relative_to(installation["data_dir"]).as_posix()
                       for p in (installation["data_dir"] / "media").rglob("*") if p.is_file())
        assert files, "the installation had images to back up"
        for rel in [*files, "secret_key"]:
            assert (restored_dir / rel).read_bytes() == (installation["data_dir"] / rel).read_bytes(), rel

        # the restored store serves as a portal, and a new article does not collide with restored ids
        portal = make_portal(store, data_dir=restored_dir)
        try:
            published = portal.store.count_articles(ArticleStatus.PUBLISHED)
            assert published == installation["published"] == len(portal.catalog)
            article = save_article(portal, sample_draft(external_id="after-restore"), actor="t",
                                   publish_now=True)[0]
            assert article.id > installation["max_id"]
        finally:
            portal.close()
    finally:
        dispose()


def test_restore_refuses_a_database_that_holds_rows(installation, tmp_path_factory):
    store, dispose = make_store("sqlite", tmp_path_factory)
    try:
        portal = make_portal(store)  # installs the channel tree: the target is no longer empty
        portal.close()
        before = summarize(store.engine)
        with pytest.raises(BackupError, match="not empty"):
            restore_backup(store.engine, tmp_path_factory.mktemp("d"), installation["backup"])
        assert summarize(store.engine) == before  # nothing written
    finally:
        dispose()


def test_a_damaged_backup_is_found_and_refused_before_anything_is_written(installation, tmp_path_factory):
    damaged = tmp_path_factory.mktemp("copies") / "damaged"
    shutil.copytree(installation["backup"], damaged)
    table = damaged / "tables" / "articles.jsonl.gz"
    lines = gzip.decompress(table.read_bytes()).splitlines(keepends=True)
    table.write_bytes(gzip.compress(b"".join(lines[:-1])))  # one article lost
    media = next(p for p in (damaged / "files" / "media").rglob("*") if p.is_file())
    media.write_bytes(media.read_bytes()[:-10])
    problems = verify_backup(damaged)
    assert any("articles" in p for p in problems) and any("media" in p for p in problems), problems
    store, dispose = make_store("sqlite", tmp_path_factory)
    try:
        with pytest.raises(BackupError, match="damaged"):
            restore_backup(store.engine, tmp_path_factory.mktemp("d"), damaged)
        assert all(s.rows == 0 for s in summarize(store.engine))
    finally:
        dispose()


def test_backup_refuses_an_existing_directory_and_a_missing_manifest(installation, tmp_path):
    with pytest.raises(BackupError, match="already exists"):
        create_backup(None, installation["data_dir"], installation["backup"])  # type: ignore[arg-type]
    with pytest.raises(BackupError, match="not a backup"):
        verify_backup(tmp_path)


@pytest.mark.postgres
def test_the_job_engines_queue_is_neither_saved_nor_expected(tmp_path_factory, tmp_path):
    """A site on the procrastinate engine: its queue (transient work, remade by the next tick) stays out of
    the backup, and a target that already has the engine's tables takes the restore."""
    import json

    from sqlalchemy import text

    from newsportal.demo.load import install_catalog
    from newsportal.jobs.backends.procrastinate import ensure_schema, libpq_url

    source, dispose_source = make_store("postgres", tmp_path_factory)
    target, dispose_target = make_store("postgres", tmp_path_factory)
    try:
        install_catalog(source)  # a few rows of the portal's own
        for store in (source, target):
            ensure_schema(libpq_url(store.engine.url.render_as_string(hide_password=False)))
        with source.engine.begin() as conn:
            conn.execute(text("INSERT INTO procrastinate_jobs (queue_name, task_name, args) "
                              "VALUES ('ingest', 'newsportal.ingest.poll_source', '{}')"))
        backup = tmp_path / "backup"
        create_backup(source.engine, tmp_path / "data", backup)
        tables = json.loads((backup / "manifest.json").read_text("utf-8"))["tables"]
        assert "channels" in tables and not [t for t in tables if t.startswith("procrastinate_")]
        restore_backup(target.engine, tmp_path / "restored", backup)
        assert summarize(target.engine) == summarize(source.engine)
    finally:
        dispose_source()
        dispose_target()
