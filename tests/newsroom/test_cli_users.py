"""``newsportal user …`` via Typer's runner on a SQLite file: create, list, disable, set-role, reset."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from newsportal.newsroom.cli_users import users_app
from newsportal.newsroom.passwords import verify_password
from newsportal.store import open_store
from newsportal.store.accounts import AccountStore
from newsportal.store.audit import AuditFilter, AuditLog
from tests.newsroom_rows import add_source


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def run(db: str, *args: str, stdin: str | None = None):
    return CliRunner().invoke(users_app, [*args, "--database-url", db], input=stdin)


def _store(db):
    store = open_store(db)
    return store, AccountStore(store.engine), AuditLog(store.engine)


def test_create_prints_a_generated_password_once_and_it_works(db):
    result = run(db, "create", "chenxl", "--role", "reporter", "--display-name", "陈晓岚")
    assert result.exit_code == 0, result.output
    assert "已创建用户 chenxl（记者）" in result.output
    password = result.output.split("：")[-1].strip()
    store, accounts, log = _store(db)
    try:
        creds = accounts.credentials("chenxl")
        assert verify_password(creds.password_hash, password) and creds.user.display_name == "陈晓岚"
        (entry,) = log.query(AuditFilter(action="user.create"))
        assert entry.actor_name == "命令行"
    finally:
        store.close()


def test_password_from_stdin_is_not_printed(db):
    result = run(db, "create", "liujing", "--role", "责编", "--password-stdin", stdin="Editor-desk-2026\n")
    assert result.exit_code == 0, result.output
    assert "Editor-desk-2026" not in result.output and "密码" not in result.output
    store, accounts, _ = _store(db)
    try:
        assert verify_password(accounts.credentials("liujing").password_hash, "Editor-desk-2026")
    finally:
        store.close()


def test_list_disable_enable_set_role_reset(db):
    assert run(db, "create", "root", "--role", "admin").exit_code == 0
    assert run(db, "create", "zhaolei", "--role", "reporter").exit_code == 0
    listing = run(db, "list")
    assert listing.exit_code == 0 and "zhaolei\t记者\t在用\tzhaolei\t从未登录" in listing.output
    assert "root\t管理员" in listing.output
    assert "已停用用户 zhaolei" in run(db, "disable", "zhaolei").output
    assert "zhaolei\t记者\t已停用" in run(db, "list", "--role", "reporter").output
    assert "已启用用户 zhaolei" in run(db, "enable", "zhaolei").output
    changed = run(db, "set-role", "zhaolei", "editor")
    assert changed.exit_code == 0 and "角色已改为 责编" in changed.output
    reset = run(db, "reset-password", "zhaolei")
    assert reset.exit_code == 0 and "新密码（只显示这一次）" in reset.output


def test_self_media_owner_needs_a_known_source(db):
    assert run(db, "list").output.strip() == "（没有用户）"  # also creates the schema
    store = open_store(db)
    try:
        add_source(store.engine, "shancheng-obs")
    finally:
        store.close()
    missing = run(db, "create", "owner", "--role", "self_media", "--source", "nope")
    assert missing.exit_code == 1 and "找不到来源" in missing.output
    ok = run(db, "create", "owner", "--role", "self_media", "--source", "shancheng-obs")
    assert ok.exit_code == 0 and "自媒体作者" in ok.output


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("create", "x", "--role", "reporter"), None, "用户名须为"),
        (("create", "newbie", "--role", "intern"), None, "未知角色"),
        (("create", "newbie", "--role", "reporter", "--password-stdin"), "short\n", "至少需要"),
        (("create", "newbie", "--role", "reporter", "--password-stdin"), "", "没有密码"),
        (("disable", "nobody"), None, "找不到用户"),
        (("set-role", "nobody", "editor"), None, "找不到用户"),
    ],
)
def test_bad_input_is_a_chinese_message_and_status_1(db, args, stdin, message):
    result = run(db, *args, stdin=stdin)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
