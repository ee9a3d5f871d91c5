"""`newsportal backup create / verify / restore` on the embedded SQLite installation."""

from __future__ import annotations

from typer.testing import CliRunner

from newsportal.cli import app
from newsportal.newsroom import save_article
from newsportal.ops.backup import summarize
from newsportal.store import open_store
from tests.conftest import make_portal, sample_draft


def said(result) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def _installation(data_dir):
    store = open_store(f"sqlite:///{data_dir / 'newsportal.sqlite3'}")
    store.upgrade()
    portal = make_portal(store, data_dir=data_dir)
    save_article(portal, sample_draft(), actor="t", publish_now=True)
    portal.close()


def test_create_verify_restore_round_trip(tmp_path):
    run = CliRunner()
    site, backup, fresh = tmp_path / "site", tmp_path / "backup", tmp_path / "fresh"
    site.mkdir()
    _installation(site)
    made = run.invoke(app, ["backup", "create", str(backup), "--data-dir", str(site)])
    assert made.exit_code == 0, made.output
    assert "backup written" in said(made)
    assert run.invoke(app, ["backup", "verify", str(backup)]).exit_code == 0

    done = run.invoke(app, ["backup", "restore", str(backup), "--data-dir", str(fresh)])
    assert done.exit_code == 0, done.output
    engines = [open_store(f"sqlite:///{d / 'newsportal.sqlite3'}") for d in (site, fresh)]
    try:
        assert summarize(engines[0].engine) == summarize(engines[1].engine)
    finally:
        for s in engines:
            s.close()

    again = run.invoke(app, ["backup", "restore", str(backup), "--data-dir", str(fresh)])
    assert again.exit_code == 2 and "not empty" in said(again)
    exists = run.invoke(app, ["backup", "create", str(backup), "--data-dir", str(site)])
    assert exists.exit_code == 2 and "already exists" in said(exists)


def test_verify_reports_a_damaged_file_and_exits_1(tmp_path):
    run = CliRunner()
    site, backup = tmp_path / "site", tmp_path / "backup"
    site.mkdir()
    _installation(site)
    assert run.invoke(app, ["backup", "create", str(backup), "--data-dir", str(site)]).exit_code == 0
    (backup / "tables" / "articles.jsonl.gz").write_bytes(b"not gzip")
    result = run.invoke(app, ["backup", "verify", str(backup)])
    assert result.exit_code == 1 and "articles" in said(result)
    assert run.invoke(app, ["backup", "verify", str(tmp_path)]).exit_code == 2
