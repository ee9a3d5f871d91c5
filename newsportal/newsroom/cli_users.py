"""``newsportal user …``: create, list, disable/enable, set roles and reset passwords from the shell.

Thin calls into :class:`newsportal.newsroom.accounts.AccountService` with ``actor=None``: whoever runs the
command on the server is trusted as an admin, and the audit log names the actor 命令行. A password is never
a command-line argument (it would end up in shell history and ``ps``): it is read from standard input with
``--password-stdin``, or generated and printed once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from newsportal.newsroom.accounts import AccountError, AccountService
from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.passwords import WeakPassword
from newsportal.newsroom.roles import Role, UnknownRole, parse_role
from newsportal.store.accounts import AccountStore
from newsportal.store.audit import AuditLog
from newsportal.store.newsroom_sessions import NewsroomSessionStore

users_app = typer.Typer(help="Newsroom accounts (记者, 责编, 主编, admin, 自媒体作者).", no_args_is_help=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (default ./data).")]
DbUrl = Annotated[str | None, typer.Option("--database-url", help="sqlite:///… or postgresql://…")]
ROLE_HELP = "、".join(f"{r.value}（{r.label}）" for r in Role)


@contextmanager
def _service(data_dir: Path | None, database_url: str | None) -> Iterator[AccountService]:
    from newsportal.config import load_settings
    from newsportal.store import open_store

    settings = load_settings()
    changes: dict[str, object] = {}
    if data_dir is not None:
        changes["data_dir"] = data_dir
    if database_url is not None:
        changes["database_url"] = database_url
    if changes:
        settings = settings.with_(**changes)
    store = open_store(settings.resolved_database_url)
    try:
        store.upgrade()
        engine = store.engine
        yield AccountService(
            AccountStore(engine),
            AuditService(AuditLog(engine)),
            session_store=NewsroomSessionStore(engine),
        )
    finally:
        store.close()


def _fail(message: str) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(1)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the service's typed errors into a Chinese message and exit status 1, never a traceback."""
    try:
        yield
    except (AccountError, WeakPassword) as exc:
        _fail(exc.message)
    except UnknownRole as exc:
        _fail(str(exc))


def _read_password() -> str:
    text = sys.stdin.readline().rstrip("\r\n")
    if not text:
        _fail("标准输入中没有密码")
    return text


@users_app.command("create")
def create(
    username: str,
    role: Annotated[str, typer.Option("--role", help=ROLE_HELP)],
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Name shown in the newsroom.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source key (自媒体作者 only).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Create an account; without --password-stdin a password is generated and printed once."""
    with _errors(), _service(data_dir, database_url) as service:
        parse_role(role)
        password = _read_password() if password_stdin else None
        source_id = None
        if source is not None:
            source_id = service.accounts.source_id_for_key(source.strip())
            if source_id is None:
                _fail(f"找不到来源「{source}」")
        created = service.create_user(
            None, username, role, display_name=display_name, password=password, source_id=source_id
        )
        user = created.user
        typer.echo(f"已创建用户 {user.username}（{parse_role(user.role).label}）")
        if created.password:
            typer.echo(f"初始密码（只显示这一次，请妥善转交）：{created.password}")


@users_app.command("list")
def list_(
    role: Annotated[str | None, typer.Option("--role", help=ROLE_HELP)] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """List accounts: username, role, status, display name, last login (Beijing time)."""
    from newsportal.newsroom.timefmt import format_ui

    with _errors(), _service(data_dir, database_url) as service:
        users = service.list_users(None, role=role)
        if not users:
            typer.echo("（没有用户）")
        for u in users:
            status = "在用" if u.active else "已停用"
            last = format_ui(u.last_login_at) if u.last_login_at else "从未登录"
            typer.echo(f"{u.username}\t{parse_role(u.role).label}\t{status}\t{u.display_name}\t{last}")


@users_app.command("disable")
def disable(username: str, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Disable an account and end its sessions."""
    with _errors(), _service(data_dir, database_url) as service:
        user = service.disable_user(None, username)
        typer.echo(f"已停用用户 {user.username}")


@users_app.command("enable")
def enable(username: str, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Re-enable a disabled account."""
    with _errors(), _service(data_dir, database_url) as service:
        user = service.enable_user(None, username)
        typer.echo(f"已启用用户 {user.username}")


@users_app.command("set-role")
def set_role(username: str, role: str, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Change an account's role (its sessions end; the new rights apply at the next login)."""
    with _errors(), _service(data_dir, database_url) as service:
        user = service.set_role(None, username, role)
        typer.echo(f"用户 {user.username} 的角色已改为 {parse_role(user.role).label}")


@users_app.command("reset-password")
def reset_password(
    username: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Set a new password (generated and printed once unless given on stdin); ends the user's sessions."""
    with _errors(), _service(data_dir, database_url) as service:
        password = _read_password() if password_stdin else None
        result = service.reset_password(None, username, password=password)
        typer.echo(f"已重置用户 {result.user.username} 的密码")
        if result.password:
            typer.echo(f"新密码（只显示这一次）：{result.password}")
