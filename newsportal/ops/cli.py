"""``newsportal backup …``: back up, verify and restore an installation (a Typer sub-app, ``backup_app``).

    backup create DEST     every table and the data directory's images and secret, into the new DEST
    backup verify SRC      re-read a backup against its manifest
    backup restore SRC     into an empty database (migrated here) and the data directory

Thin calls into :mod:`newsportal.ops.backup`. The root CLI mounts it with ``app.add_typer(backup_app,
name="backup")``; the settings helper is imported lazily to keep that import free of cycles.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsportal.ops.backup import BackupError, create_backup, restore_backup, verify_backup

backup_app = typer.Typer(help="Backups of the store and the data directory.", no_args_is_help=True)
err = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (default ./data).")]
DbUrl = Annotated[str | None, typer.Option("--database-url", help="sqlite:///… or postgresql://…")]


def _store(data_dir: Path | None, database_url: str | None, *, migrate: bool):
    from newsportal.cli import _settings
    from newsportal.store import open_store

    settings = _settings(data_dir, database_url)
    store = open_store(settings.resolved_database_url)
    if migrate:
        store.upgrade()
    return settings, store


@contextmanager
def _refusals() -> Iterator[None]:
    """A :class:`BackupError` (a damaged or missing backup, a non-empty target) is printed, exit code 2."""
    try:
        yield
    except BackupError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None


def _report(table: str, rows: int) -> None:
    err.print(f"  {table:<28} {rows:>9} rows")


@backup_app.command("create")
def create(dest: Annotated[Path, typer.Argument(help="New directory to write the backup into.")],
           data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Back up every table and the data directory's images and site secret into DEST (must not exist)."""
    settings, store = _store(data_dir, database_url, migrate=False)
    try:
        with _refusals():
            manifest = create_backup(store.engine, settings.data_dir, dest, progress=_report)
    finally:
        store.close()
    err.print(f"[green]backup written to {dest}[/] ({len(manifest['tables'])} tables, "
              f"{len(manifest['files'])} files, migration {manifest['revision']})")


@backup_app.command("verify")
def verify(src: Annotated[Path, typer.Argument(help="A backup directory.")]) -> None:
    """Re-read every table and file of a backup against its manifest; exit 1 if anything is damaged."""
    with _refusals():
        problems = verify_backup(src)
    for problem in problems:
        err.print(f"[red]{problem}[/]")
    if problems:
        raise typer.Exit(1)
    err.print(f"[green]{src} is sound[/]")


@backup_app.command("restore")
def restore(src: Annotated[Path, typer.Argument(help="A backup directory.")],
            data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Restore SRC into an empty database (migrated first) and the data directory; refuses a non-empty one."""
    settings, store = _store(data_dir, database_url, migrate=True)
    try:
        with _refusals():
            restore_backup(store.engine, settings.data_dir, src, progress=_report)
    finally:
        store.close()
    err.print(f"[green]restored {src}[/]: start the server; it rebuilds the search index from the store")
