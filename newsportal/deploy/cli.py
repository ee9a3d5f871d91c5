"""``newsportal deploy …``: write the configuration of what runs around the portal (a Typer sub-app).

    deploy nginx [--listen 80] [--upstream HOST:PORT …] [--output FILE]   nginx in front, with the page cache

Thin calls into :mod:`newsportal.deploy.nginx`; the settings helper is imported lazily (no import cycle).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsportal.deploy.nginx import NginxSite, prepare_prefix, render

deploy_app = typer.Typer(help="Configuration for nginx in front of the portal.", no_args_is_help=True)
err = Console(stderr=True)

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"


@deploy_app.command("nginx")
def nginx(
    listen: Annotated[str, typer.Option(help="nginx's listen directive: a port or address:port.")] = "80",
    upstream: Annotated[list[str] | None, typer.Option(
        help="host:port of a newsportal server (repeat for several hosts).")] = None,
    server_name: Annotated[str, typer.Option(help="nginx server_name.")] = "_",
    trusted: Annotated[list[str] | None, typer.Option(
        help="Addresses or networks of the app hosts, whose refresh requests are obeyed.")] = None,
    user: Annotated[str | None, typer.Option(help="The user nginx's workers run as (when started as root).")]
    = None,
    prefix: Annotated[Path | None, typer.Option(help="Directory for nginx's pid, log, temp files and cache "
                                                "(default DATA_DIR/nginx).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]
    = None,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data directory (default ./data).")]
    = None,
) -> None:
    """Write an nginx.conf that serves static files and images itself and caches reader pages for 60 s."""
    from newsportal.cli import _settings

    settings = _settings(data_dir, None)
    base = (prefix or settings.data_dir / "nginx").resolve()
    site = NginxSite(listen=listen, upstreams=tuple(upstream or ["127.0.0.1:8000"]), static_dir=STATIC,
                     media_dir=settings.media_dir.resolve(), cache_dir=base / "cache", prefix=base,
                     server_name=server_name, trusted=tuple(trusted or ["127.0.0.1", "::1"]), user=user)
    try:
        text = render(site)
    except ValueError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    prepare_prefix(site)
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"[green]wrote {output}[/]: test it with `nginx -t -c {output.resolve()}`, and set "
              f"NEWSPORTAL_FRONT_URL to nginx's address on every app host")
