"""Operator commands for reader accounts and comments, as Typer sub-apps the main CLI registers:

    newsportal reader list [--pending]         readers (oldest first), or only those waiting for verification
    newsportal reader verify LOGIN [--by NAME] approve a reader's identity (the embedded verifier's decision)
    newsportal reader refuse LOGIN [--note …]  refuse it
    newsportal comments banned-words add W     add to / remove from / list the editable banned-word list
    newsportal comments banned-words remove W
    newsportal comments banned-words list

Each command is a thin call into :mod:`.readers` or :mod:`.moderating`; refusals print their Chinese message
and exit with status 1.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsportal.comments.errors import CommentsRefusal, message_zh
from newsportal.timeutil import format_beijing, utcnow

__all__ = ["reader_app", "comments_app"]

reader_app = typer.Typer(help="Reader accounts (跟贴 readers): list and verify.", no_args_is_help=True)
comments_app = typer.Typer(help="Comments (跟贴) settings.", no_args_is_help=True)
words_app = typer.Typer(help="The banned-word list the pre-checks flag.", no_args_is_help=True)
comments_app.add_typer(words_app, name="banned-words")
out = Console()
err = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (default ./data).")]
DbUrl = Annotated[str | None, typer.Option("--database-url", help="sqlite:///… or postgresql://…")]
By = Annotated[str | None, typer.Option("--by", help="Who decides (default cli:<OS user>).")]


@contextmanager
def _engine(data_dir: Path | None, database_url: str | None) -> Iterator[object]:
    from newsportal.config import load_settings
    from newsportal.store import open_store

    s = load_settings()
    if data_dir is not None:
        s = s.with_(data_dir=data_dir)
    if database_url is not None:
        s = s.with_(database_url=database_url)
    store = open_store(s.resolved_database_url)
    store.upgrade()
    try:
        yield store.engine
    finally:
        store.close()


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except CommentsRefusal as exc:
        err.print(f"[red]{message_zh(exc)}[/red]")
        raise typer.Exit(1) from None


def _actor(by: str | None) -> str:
    return by.strip() if by and by.strip() else f"cli:{getpass.getuser()}"


def _readers(engine):  # type: ignore[no-untyped-def]
    from newsportal.comments.readers import ReaderService
    from newsportal.store.reader_accounts import ReaderAccountStore

    return ReaderService(ReaderAccountStore(engine))


def _moderation(engine):  # type: ignore[no-untyped-def]
    from newsportal.comments.moderating import ModerationService
    from newsportal.comments.service import CommentStores

    return ModerationService(CommentStores.over(engine))


@reader_app.command("list")
def reader_list(
    pending: Annotated[
        bool, typer.Option("--pending", help="Only readers waiting for verification.")
    ] = False,
    page: Annotated[int, typer.Option(min=1)] = 1,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """List reader accounts with their verification state (logins are shown to operators only)."""
    from newsportal.store.reader_accounts import Verification

    with _engine(data_dir, database_url) as engine:
        service = _readers(engine)
        rows, total = service.accounts.list_accounts(Verification.PENDING if pending else None, page=page)
    table = Table("id", "账号", "昵称", "状态", "注册时间（北京时间）", "审核人")
    for a in rows:
        table.add_row(
            str(a.id),
            a.login,
            a.nickname,
            a.verification.label_zh,
            format_beijing(a.created_at),
            a.verified_by or "",
        )
    out.print(table)
    out.print(f"共 {total} 个账号")


@reader_app.command("verify")
def reader_verify(
    login: str, by: By = None, note: str = "", data_dir: DataDir = None, database_url: DbUrl = None
) -> None:
    """Approve a reader's identity: from now on they may post."""
    with _engine(data_dir, database_url) as engine, _refusals():
        account = _readers(engine).approve(login, _actor(by), utcnow(), note)
    out.print(f"{account.login}（{account.nickname}）：{account.verification.label_zh}")


@reader_app.command("refuse")
def reader_refuse(
    login: str, by: By = None, note: str = "", data_dir: DataDir = None, database_url: DbUrl = None
) -> None:
    """Refuse a reader's identity: they may read and log in but not post."""
    with _engine(data_dir, database_url) as engine, _refusals():
        account = _readers(engine).refuse(login, _actor(by), utcnow(), note)
    out.print(f"{account.login}（{account.nickname}）：{account.verification.label_zh}")


@words_app.command("add")
def words_add(word: str, by: By = None, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Add a word to the banned-word list (comments containing it are flagged for the moderator)."""
    with _engine(data_dir, database_url) as engine, _refusals():
        entry = _moderation(engine).add_banned_word(word, _actor(by), utcnow())
    out.print(f"已加入违禁词：{entry.word}")


@words_app.command("remove")
def words_remove(word: str, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Remove a word from the banned-word list."""
    with _engine(data_dir, database_url) as engine, _refusals():
        _moderation(engine).remove_banned_word(word)
    out.print(f"已移除违禁词：{word}")


@words_app.command("list")
def words_list(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """List the banned words with who added them and when."""
    with _engine(data_dir, database_url) as engine:
        entries = _moderation(engine).banned_words()
    for e in entries:
        out.print(f"{e.word}\t{e.added_by}\t{format_beijing(e.added_at)}")
    out.print(f"共 {len(entries)} 个违禁词")
