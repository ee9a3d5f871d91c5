"""``newsportal source …``: partner ingest sources from the command line (a Typer sub-app, ``source_app``).

    source add-feed KEY URL     an RSS/Atom feed of partner KEY
    source add-pages KEY        partner article pages (--list-url and/or --url)
    source add-push KEY         a ninjs push source; prints its token once
    source list                 every source with its health
    source poll [KEY]           poll now (all due sources, or all of KEY's)
    source disable KEY          stop polling / refuse pushes (KEY or a source id)

Thin calls into :class:`~newsportal.ingest.service.IngestService`; KEY is the partner's media source key
(created as partner media when missing). The root CLI mounts it with ``app.add_typer(source_app,
name="source")``; its helpers are imported lazily to keep that import free of cycles.
"""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsportal.ingest.admin import DEFAULT_CHANNEL, SourceAdmin
from newsportal.ingest.outcomes import SourceConfigError, SourcePoll
from newsportal.store.ingest_sources import IngestSource, IngestSources
from newsportal.timeutil import format_beijing

source_app = typer.Typer(help="Partner ingest sources: feeds, pages and ninjs pushes.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (default ./data).")]
DbUrl = Annotated[str | None, typer.Option("--database-url", help="sqlite:///… or postgresql://…")]
Key = Annotated[str, typer.Argument(help="Partner key (the media source the stories are credited to).")]
Interval = Annotated[int, typer.Option("--interval", help="Seconds between polls.", min=60)]
Trusted = Annotated[bool, typer.Option("--trusted", help="Publish directly instead of waiting for review.")]
Channel = Annotated[str, typer.Option("--channel", help="Channel slug the stories go into.")]
Name = Annotated[str | None, typer.Option("--name", help="Display name if the partner is new.")]


@contextmanager
def _admin(data_dir: Path | None, database_url: str | None):
    from newsportal.cli import _settings
    from newsportal.store import open_store

    store = open_store(_settings(data_dir, database_url).resolved_database_url)
    try:
        store.upgrade()
        yield SourceAdmin(IngestSources(store.engine))
    except SourceConfigError as exc:
        err.print(f"[red]{exc.message}[/]")
        raise typer.Exit(2) from exc
    finally:
        store.close()


def _target(s: IngestSource) -> str:
    if s.kind == "feed":
        return s.url or ""
    if s.kind == "pages":
        return s.list_url or f"{len(s.urls)} 个页面"
    return "推送（已吊销令牌）" if s.token_revoked else "推送"


def _added(s: IngestSource) -> None:
    err.print(f"added {s.kind} source #{s.id} for {s.source_key} → {s.channel_slug}"
              f"{' (trusted: publishes directly)' if s.trusted else ' (items wait for review)'}")


@source_app.command("add-feed")
def add_feed(key: Key, url: Annotated[str, typer.Argument(help="Feed URL (RSS 2.0 or Atom).")],
             interval: Interval = 600, trusted: Trusted = False, channel: Channel = DEFAULT_CHANNEL,
             full_text: Annotated[bool, typer.Option("--full-text", help="Fetch each item's page.")] = False,
             name: Name = None, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Add an RSS/Atom feed of a partner."""
    with _admin(data_dir, database_url) as admin:
        _added(admin.add_feed(key, url, interval=interval, trusted=trusted, channel=channel,
                              full_text=full_text, name=name))


ListUrl = Annotated[str | None, typer.Option("--list-url", help="A list page to follow.")]
PageUrls = Annotated[list[str] | None, typer.Option("--url", help="An article page (repeatable).")]
Pattern = Annotated[str | None, typer.Option("--pattern", help="Regex links must match.")]


@source_app.command("add-pages")
def add_pages(key: Key, list_url: ListUrl = None, url: PageUrls = None, pattern: Pattern = None,
              interval: Interval = 600, trusted: Trusted = False, channel: Channel = DEFAULT_CHANNEL,
              name: Name = None, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Add partner article pages, from a list page and/or given URLs."""
    with _admin(data_dir, database_url) as admin:
        _added(admin.add_pages(key, list_url=list_url, urls=url or (), link_pattern=pattern,
                               interval=interval, trusted=trusted, channel=channel, name=name))


@source_app.command("add-push")
def add_push(key: Key, trusted: Trusted = False, channel: Channel = DEFAULT_CHANNEL, name: Name = None,
             data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Add a ninjs push source and print its token (shown only this once)."""
    with _admin(data_dir, database_url) as admin:
        source, token = admin.add_push(key, trusted=trusted, channel=channel, name=name)
        _added(source)
        err.print("the partner sends it as 'Authorization: Bearer <token>'; it is not shown again:")
        typer.echo(token)


@source_app.command("list")
def list_sources(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Every ingest source with its health (times in Beijing time)."""
    with _admin(data_dir, database_url) as admin:
        sources = admin.list_sources()
    table = Table("id", "partner", "kind", "target", "channel", "trusted", "status", "last success",
                  "last error", "taken", "refused", "next poll")
    for s in sources:
        h = s.health
        error = f"{h.last_error_reason}: {h.last_error_message}" if h.last_error_reason else ""
        table.add_row(str(s.id), s.source_key, s.kind, _target(s), s.channel_slug,
                      "yes" if s.trusted else "no",
                      h.status, format_beijing(h.last_success_at), error, str(h.items_taken),
                      str(h.items_refused), "" if s.kind == "ninjs" else format_beijing(h.next_poll_at))
    out.print(table)


def _print_poll(p: SourcePoll) -> None:
    if not p.ok:
        err.print(f"[red]#{p.ingest_source_id} {p.source_key}: {p.error_reason}: {p.error_message}[/]")
        return
    if p.not_modified:
        err.print(f"#{p.ingest_source_id} {p.source_key}: not modified")
        return
    err.print(f"#{p.ingest_source_id} {p.source_key}: created {p.count('created')}, updated "
              f"{p.count('updated')}, unchanged {p.count('unchanged')}, stale {p.count('stale')}, "
              f"refused {p.refused_count}")
    for entry in p.refused:
        err.print(f"  refused {entry.ref}: {entry.reason}: {entry.message}")
    for item in (i for i in p.items if i.action == "refused"):
        err.print(f"  refused {item.guid}: {item.reason}: {item.message}")


PollKey = Annotated[str | None, typer.Argument(help="Partner key or source id; all due if omitted.")]


@source_app.command("poll")
def poll(key: PollKey = None,
         allow_internal: Annotated[bool, typer.Option(
             "--allow-internal", help="Allow partner URLs on private or loopback addresses.")] = False,
         data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Poll now and print what each source gave."""
    from newsportal.cli import _open, _settings
    from newsportal.ingest.fetch import Fetcher, FetchLimits
    from newsportal.ingest.service import IngestService
    from newsportal.ingest.writer import PortalArticleWriter

    portal = _open(_settings(data_dir, database_url))
    me = f"{socket.gethostname()}:{os.getpid()}:cli"
    try:
        with Fetcher(FetchLimits(block_private=not allow_internal)) as fetcher:
            writer = PortalArticleWriter(portal)
            service = IngestService(IngestSources(portal.store.engine), fetcher, writer.save,
                                    withdraw_article=writer.withdraw, save_batch=writer.save_many)
            try:
                if key is None:
                    polls = service.poll_due(me)
                else:
                    targets = [s for s in service.resolve(key) if s.kind != "ninjs" and s.enabled]
                    polls = [p for p in (service.poll_now(s, me) for s in targets) if p is not None]
            except SourceConfigError as exc:
                err.print(f"[red]{exc.message}[/]")
                raise typer.Exit(2) from exc
    finally:
        portal.close()
    if not polls:
        err.print("nothing to poll (no source due, or another poller holds it)")
    for p in polls:
        _print_poll(p)
    if any(not p.ok for p in polls):
        raise typer.Exit(1)


@source_app.command("disable")
def disable(key: Annotated[str, typer.Argument(help="Partner key (all its sources) or a source id.")],
            data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Stop polling a source (a push source then refuses its pushes)."""
    with _admin(data_dir, database_url) as admin:
        for s in admin.disable(key):
            err.print(f"disabled #{s.id} {s.source_key} ({s.kind})")


@source_app.command("enable")
def enable(key: Annotated[str, typer.Argument(help="Partner key (all its sources) or a source id.")],
           data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Poll a disabled source again, starting now, with its backoff reset."""
    with _admin(data_dir, database_url) as admin:
        for s in admin.enable(key):
            err.print(f"enabled #{s.id} {s.source_key} ({s.kind})")


@source_app.command("revoke-token")
def revoke_token(source_id: Annotated[int, typer.Argument(help="The push source's id.")],
                 data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Revoke a push source's token: its pushes get 401 until a new token is issued."""
    with _admin(data_dir, database_url) as admin:
        admin.revoke_token(source_id)
        err.print(f"token of source #{source_id} revoked")


@source_app.command("rotate-token")
def rotate_token(source_id: Annotated[int, typer.Argument(help="The push source's id.")],
                 data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Issue a new token for a push source (the old one stops working) and print it once."""
    with _admin(data_dir, database_url) as admin:
        typer.echo(admin.rotate_token(source_id))
