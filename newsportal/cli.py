"""The ``newsportal`` command: the same operations the library offers, for operators.

    newsportal serve            start the portal (loads the demo on first start of an empty store)
    newsportal demo             load the demo articles, or a synthetic corpus with --articles N
    newsportal db upgrade       apply database migrations
    newsportal import FILE      import JSON lines of articles
    newsportal token create N   create an API token (--role editor: what it may do)
    newsportal pin CH ID        pin an article in a channel's top stories
    newsportal quality ID       an article's quality score and why
    newsportal source-trust K T editors' trust in a source
    newsportal reindex          rebuild the search index from the store
    newsportal source …         partner ingest sources (feeds, pages, ninjs pushes)
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from newsportal.comments.cli import comments_app, reader_app
from newsportal.newsroom.cli_users import users_app
from newsportal.newsroom.roles import Role

if TYPE_CHECKING:
    from newsportal.portal import Portal
from newsportal.config import (
    ConfigError,
    Settings,
    env_name,
    load_settings,
    load_settings_for_tools,
    validate,
)
from newsportal.deploy.cli import deploy_app
from newsportal.ingest.cli import source_app
from newsportal.ops.cli import backup_app

app = typer.Typer(help="山海新闻 newsportal: a Chinese news portal and newsroom.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for partner systems and editors' tools.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(users_app, name="user")
app.add_typer(reader_app, name="reader")
app.add_typer(comments_app, name="comments")
app.add_typer(source_app, name="source")
app.add_typer(backup_app, name="backup")
app.add_typer(deploy_app, name="deploy")
console = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (default ./data).")]
DbUrl = Annotated[str | None, typer.Option("--database-url", help="sqlite:///… or postgresql://…")]
ROLE_HELP = "、".join(f"{r.value}（{r.label}）" for r in Role)


def _settings(data_dir: Path | None, database_url: str | None, *, serving: bool = False, **more) -> Settings:
    """Settings from env/file plus command-line overrides; a bad one stops here with its name.

    Only ``serve`` insists on a secret in production: tools (migrate, token) sign nothing.
    """
    try:
        # The command line's values join the environment before validation: a rule that ties settings
        # together (NEWSPORTAL_JOBS=procrastinate needs a PostgreSQL URL) must see --database-url.
        overrides = {k: v for k, v in more.items() if v is not None}
        if data_dir is not None:
            overrides["data_dir"] = data_dir
        if database_url is not None:
            overrides["database_url"] = database_url
        environ = {**os.environ, **{env_name(k): str(v) for k, v in overrides.items()}}
        s = load_settings(environ) if serving else load_settings_for_tools(environ)
        return validate(s, require_secret=serving)
    except ConfigError as exc:
        console.print(f"[bold red]Configuration error:[/] {exc}")
        raise typer.Exit(2) from None


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, disable=not console.is_terminal,
    )


def _open(settings: Settings, start: bool = True):
    from newsportal.portal import Portal
    from newsportal.store import open_store

    store = open_store(settings.resolved_database_url)
    store.upgrade()
    portal = Portal(settings, store)
    if start:
        portal.start()
    else:
        portal.reload_catalog()
    return portal


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Apply all migrations (creates the database on first run)."""
    from newsportal.store import open_store
    from newsportal.store.migrate import current

    settings = _settings(data_dir, database_url)
    store = open_store(settings.resolved_database_url)
    store.upgrade()
    console.print(f"database at revision {current(store.engine)}")
    store.close()
    if settings.jobs != "embedded":  # the job engine's own tables (idempotent; see docs/operations.md)
        from newsportal.jobs import prepare_database

        prepare_database(settings)
        console.print(f"job engine {settings.jobs}: schema ready")


def load_demo_content(portal, articles: int = 0, seed: int = 2026, traffic: bool = True,
                      images: bool = True, synthetic_images: bool = False) -> None:
    from newsportal.demo.images import demo_storage
    from newsportal.demo.load import demo_items, load_demo, load_synthetic

    storage = demo_storage(portal) if images else None

    items = sum(1 for _ in demo_items())
    with _progress() as progress:
        task = progress.add_task("demo articles", total=items)
        written = load_demo(portal, traffic=traffic, progress=lambda n: progress.advance(task, n),
                            images=storage)
    console.print(f"demo: {items} hand-written articles ({written} written)")
    if articles > 0:
        with _progress() as progress:
            task = progress.add_task("synthetic articles", total=articles)
            done = load_synthetic(portal, articles, seed, progress=lambda n: progress.advance(task, n),
                                  images=storage if synthetic_images else None)
        if done is None:
            console.print(f"synthetic corpus with seed {seed} is already loaded; nothing to do")
        else:
            console.print(f"synthetic: {done} articles (seed {seed})")


@app.command()
def demo(
    articles: Annotated[
        int, typer.Option(help="Also generate this many synthetic articles (load tests).", min=0)
    ] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic generator.")] = 2026,
    traffic: Annotated[bool, typer.Option(help="Simulate a day of reader traffic for the hot lists.")] = True,
    images: Annotated[bool, typer.Option(help="Draw lead images for every other demo article.")] = True,
    synthetic_images: Annotated[
        bool, typer.Option(help="Also draw images for every 50th synthetic article (slow).")
    ] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Load the demo: channels, sources, hand-written articles (and a synthetic corpus with --articles)."""
    settings = _settings(data_dir, database_url)
    portal = _open(settings, start=False)
    try:
        load_demo_content(portal, articles, seed, traffic, images, synthetic_images)
    finally:
        portal.close()


def _print_demo_accounts(portal: Portal, site_url: str) -> None:
    """On the first start, make one newsroom account per role and show the passwords this once."""
    from newsportal.newsroom.demo_accounts import ensure_demo_accounts

    made = ensure_demo_accounts(portal.newsroom.accounts, portal.sources)
    if not made:
        return
    console.print(f"[bold]Newsroom accounts created (log in at {site_url}/newsroom/login).[/]")
    console.print("[bold yellow]The passwords are shown only now; "
                  "reset one with `newsportal user reset-password`.[/]")
    for acc in made:
        console.print(f"  {acc.username:<10} {acc.role.label:<6} {acc.password}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    demo_content: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Load the demo content if the store is empty.")
    ] = True,
    workers: Annotated[int | None, typer.Option(
        help="Web worker processes (default NEWSPORTAL_WORKERS, else 1); more than one needs Redis.",
        min=1, max=64)] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
) -> None:
    """Start the portal with uvicorn: one process by default, or N worker processes sharing the store."""
    import uvicorn

    from newsportal.domain import ArticleStatus

    site_url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    settings = _settings(data_dir, database_url, serving=True, workers=workers)
    if not settings.site_url or settings.site_url == "http://127.0.0.1:8000":
        settings = settings.with_(site_url=site_url)
    portal = _open(settings, start=False)  # migrations, the demo and the accounts happen once, here
    if settings.jobs != "embedded":
        from newsportal.jobs import prepare_database

        prepare_database(settings)  # once here too, so N workers do not all wait on the schema lock
    if demo_content and portal.store.count_articles(ArticleStatus.PUBLISHED) == 0:
        load_demo_content(portal)
    server_options: dict[str, Any] = {"host": host, "port": port, "log_level": log_level,
                                      "access_log": False, "http": "httptools", "loop": "uvloop"}
    if settings.workers == 1:
        from newsportal.web.app import create_app

        portal.start()
        _print_demo_accounts(portal, site_url)
        console.print(f"[bold green]山海新闻 is running:[/] open {site_url}/  (Ctrl+C to stop)")
        uvicorn.run(create_app(settings, portal=portal), **server_options)
        portal.close()
        return
    # Several workers: each process builds its own Portal from the same settings, handed over in the
    # environment; PostgreSQL (or the SQLite file) and Redis hold everything they must agree on.
    _print_demo_accounts(portal, site_url)
    portal.close()  # releases the search index's write lock for the first worker to take
    os.environ.update(worker_environment(settings))
    console.print(f"[bold green]山海新闻 is running with {settings.workers} workers:[/] open {site_url}/  "
                  "(Ctrl+C to stop)")
    uvicorn.run("newsportal.web.app:create_app", factory=True, workers=settings.workers, **server_options)


def worker_environment(settings: Settings) -> dict[str, str]:
    """What a worker process needs beyond the operator's own environment and config file.

    The command line may have set the data directory, database and site URL; workers read settings only
    from the environment, so these go there (absolute, since workers may start in another directory).
    """
    return {
        "NEWSPORTAL_DATA_DIR": str(settings.data_dir.resolve()),
        "NEWSPORTAL_DATABASE_URL": settings.resolved_database_url,
        "NEWSPORTAL_SITE_URL": settings.site_url,
        "NEWSPORTAL_WORKERS": str(settings.workers),
    }


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="JSON-lines file, one article per line ('-' for stdin).")],
    publish: Annotated[
        bool | None, typer.Option("--publish/--draft", help="Override each line's publish flag.")
    ] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Import articles; lines with a known external_id update that article (safe to re-run)."""
    from newsportal.ingest import import_jsonl

    settings = _settings(data_dir, database_url)
    if str(file) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        if not file.is_file():
            console.print(f"[red]no such file: {file}[/]")
            raise typer.Exit(2)
        lines = file.read_text("utf-8", errors="replace").splitlines()
    portal = _open(settings)
    try:
        with _progress() as progress:
            task = progress.add_task("import", total=len(lines))
            report = import_jsonl(portal, lines, publish=publish,
                                  progress=lambda n: progress.advance(task, n))
    finally:
        portal.close()
    for lineno, message in report.errors[:50]:
        console.print(f"[red]line {lineno}:[/] {message}")
    if len(report.errors) > 50:
        console.print(f"… and {len(report.errors) - 50} more errors")
    console.print(
        f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
        f"errors {len(report.errors)}"
    )
    if report.errors:
        raise typer.Exit(1)


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="Who the token is for, e.g. 'haihe-daily-feed'.")],
    role: Annotated[str | None, typer.Option(
        "--role", help=f"The newsroom role the token acts with: {ROLE_HELP}. "
                       "Default: NEWSPORTAL_TOKEN_ROLE (chief_editor).")] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Create a token acting as one role; it is printed once (to stdout) and only its hash is stored."""
    from newsportal.newsroom.roles import UnknownRole, parse_role
    from newsportal.store import open_store

    settings = _settings(data_dir, database_url)
    try:
        # the role is fixed when the token is made, so a later change of NEWSPORTAL_TOKEN_ROLE does not
        # silently widen what an existing partner may do
        chosen = parse_role(role if role is not None else settings.token_role)
    except UnknownRole as exc:
        console.print(f"[bold red]错误：[/]{exc}")
        raise typer.Exit(2) from None
    store = open_store(settings.resolved_database_url)
    store.upgrade()
    token, secret = store.create_token(name, role=chosen.value)
    store.close()
    console.print(f"token {token.prefix} created for {name!r} with role {chosen.value} ({chosen.label}); "
                  "keep it safe, it is not shown again:")
    typer.echo(secret)


@token_app.command("list")
def token_list(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """List tokens (prefix, name, role, created, revoked)."""
    from newsportal.store import open_store

    settings = _settings(data_dir, database_url)
    store = open_store(settings.resolved_database_url)
    store.upgrade()
    for t in store.tokens():
        state = "revoked" if t.revoked else "active"
        # a token made before tokens had roles follows the configured default, and says so
        role = t.role or f"{settings.token_role}(default)"
        typer.echo(f"{t.prefix}\t{t.name}\t{role}\t{t.created_at:%Y-%m-%d %H:%M}\t{state}")
    store.close()


@token_app.command("revoke")
def token_revoke(
    prefix: Annotated[str, typer.Argument(help="The token's prefix (shown by 'token list').")],
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Revoke a token so it no longer authenticates."""
    from newsportal.store import open_store

    store = open_store(_settings(data_dir, database_url).resolved_database_url)
    store.upgrade()
    ok = store.revoke_token(prefix)
    store.close()
    if not ok:
        console.print(f"[red]no token with prefix {prefix}[/]")
        raise typer.Exit(1)
    console.print(f"token {prefix} revoked")


@app.command()
def pin(
    channel: Annotated[str, typer.Argument(help="Channel slug, e.g. news, sports.")],
    article_id: Annotated[int, typer.Argument(help="Article id.", min=1)],
    position: Annotated[int, typer.Option(help="Order among the channel's pins (0 first).", min=0)] = 0,
    hours: Annotated[float | None, typer.Option(help="Unpin automatically after this many hours.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Unpin instead.")] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Pin an article at the top of a channel's top-story module (or --remove the pin)."""
    from newsportal.recommend.pins import NotPinnable

    portal = _open(_settings(data_dir, database_url), start=False)
    try:
        ch = portal.channels.section_by_slug(channel)
        if ch is None:
            console.print(f"[red]unknown channel {channel!r}[/]")
            raise typer.Exit(2)
        if remove:
            ok = portal.unpin(ch.id, article_id)
            console.print("unpinned" if ok else "[yellow]was not pinned[/]")
            raise typer.Exit(0 if ok else 1)
        try:
            portal.pin(ch.id, article_id, actor="cli", position=position, hours=hours)
        except NotPinnable as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from exc
        console.print(f"pinned {article_id} in {ch.name}")
    finally:
        portal.close()


@app.command()
def quality(
    article_id: Annotated[int, typer.Argument(help="Article id.", min=1)],
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Show an article's quality score and why (what demotes it in hot and personal lists)."""
    portal = _open(_settings(data_dir, database_url), start=False)
    try:
        article = portal.store.get_article(article_id)
        if article is None:
            console.print(f"[red]article {article_id} not found[/]")
            raise typer.Exit(2)
        q = portal.quality(article)
        typer.echo(f"{q.score:.2f}\t{article.title}")
        typer.echo(q.explain())
    finally:
        portal.close()


@app.command("source-trust")
def source_trust(
    key: Annotated[str, typer.Argument(help="Source key, e.g. haihe-daily.")],
    trust: Annotated[float, typer.Argument(help="Trust from 0 to 1.", min=0.0, max=1.0)],
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Set editors' trust in a source; it scales the quality score of every article from it."""
    from newsportal.newsroom.sources import TrustOutOfRange

    portal = _open(_settings(data_dir, database_url), start=False)
    try:
        if key not in portal.sources_by_key:
            console.print(f"[red]unknown source {key!r}[/]")
            raise typer.Exit(2)
        try:
            s = portal.newsroom.set_source_trust(None, key, trust)  # audited as 命令行
        except TrustOutOfRange as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from exc
        console.print(f"{s.name}: trust {s.trust:.2f}")
    finally:
        portal.close()


def main() -> None:  # pragma: no cover
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app()



@app.command()
def reindex(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Rebuild the search index from every published article (stop the server first)."""
    from newsportal.search import TextIndex
    from newsportal.search.reindex import IndexBusy
    from newsportal.search.reindex import reindex as rebuild
    from newsportal.store import open_store

    settings = _settings(data_dir, database_url)
    store = open_store(settings.resolved_database_url)
    store.upgrade()
    index = TextIndex(settings.index_path)
    try:
        ids = [row.id for row in store.catalog_rows()]
        with _progress() as progress:
            task = progress.add_task("indexing articles", total=len(ids))
            n = rebuild(index, ids, store.index_docs_by_ids, lambda k: progress.advance(task, k))
        console.print(f"search index rebuilt: {n} articles")
    except IndexBusy as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    finally:
        index.close()
        store.close()


if __name__ == "__main__":  # pragma: no cover
    main()
