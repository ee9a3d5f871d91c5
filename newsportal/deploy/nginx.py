"""The nginx configuration that ``newsportal deploy nginx`` writes.

nginx in front does three jobs. It serves ``/static/`` (the package's CSS, JS and icons) and ``/media/``
(stored images) as files, never touching Python. It keeps reader pages in its proxy cache for up to 60 s
(404s for 10 s), so a page is rendered once per minute at most and the shared modules on any served page are
at most a minute old; requests with ``If-None-Match`` get a 304 from the cached page's ETag; while a page is
refreshed, or when the app does not answer, the stale copy is served. And it lets the app refresh a cached
page on publish: a request carrying ``X-NP-Refresh: 1`` from a trusted address (the app hosts) bypasses the
cache and stores the new response (see :mod:`newsportal.web.front_cache`); from anywhere else the header is
ignored, so it cannot be used to make every request render.

Everything else (the API, the newsroom, 跟贴, reader accounts, search, 为你推荐) goes to the app uncached.
The file is a whole ``nginx.conf`` with every path absolute, so it runs as the system's nginx configuration
or beside it with ``nginx -c FILE -p PREFIX``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Reader pages nginx may cache: home, articles (both URL forms), listings, documents, feeds, sitemaps; the
#: same under /care/.
CACHED_PAGES = (
    r"^/(care/)?(|article/[0-9]+|a/[^/]+\.html|channel/[^/]+|source/[^/]+|sources|tag/[^/]+|about|contact"
    r"|terms|accessibility|rss\.xml|atom\.xml|(rss|atom)/(channel|source)/[^/]+\.xml|sitemap\.xml"
    r"|sitemaps/[^/]+\.xml|robots\.txt)$"
)

MIME_TYPES = {
    "text/html": "html htm", "text/css": "css", "application/javascript": "js", "application/json": "json",
    "image/svg+xml": "svg", "image/webp": "webp", "image/jpeg": "jpg jpeg", "image/png": "png",
    "image/gif": "gif", "image/x-icon": "ico", "font/woff2": "woff2", "application/xml": "xml",
    "text/plain": "txt",
}


@dataclass(frozen=True)
class NginxSite:
    listen: str
    upstreams: tuple[str, ...]
    static_dir: Path
    media_dir: Path
    cache_dir: Path
    prefix: Path
    server_name: str = "_"
    trusted: tuple[str, ...] = ("127.0.0.1", "::1")
    user: str | None = None
    page_seconds: int = 60
    extra_locations: list[str] = field(default_factory=list)


def _proxy(upstream: str = "newsportal") -> str:
    return f"""proxy_pass http://{upstream};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 60s;"""


def render(site: NginxSite) -> str:
    """The whole nginx.conf for ``site``."""
    if not site.upstreams:
        raise ValueError("at least one upstream (host:port of a newsportal server) is needed")
    if not 1 <= site.page_seconds <= 3600:
        raise ValueError("page_seconds must be between 1 and 3600")
    prefix = site.prefix.resolve()
    types = "\n".join(f"        {mime} {exts};" for mime, exts in MIME_TYPES.items())
    servers = "\n".join(f"        server {u} max_fails=3 fail_timeout=10s;" for u in site.upstreams)
    trusted = "\n".join(f"        {addr} 1;" for addr in site.trusted)
    user = f"user {site.user};\n" if site.user else ""
    return f"""# Written by `newsportal deploy nginx`; regenerate rather than edit (see docs/operations.md).
{user}worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    types {{
{types}
    }}
    default_type application/octet-stream;
    charset utf-8;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 30s;
    server_tokens off;
    client_max_body_size 12m;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;

    gzip on;
    gzip_vary on;
    gzip_min_length 1024;
    gzip_types text/css application/javascript application/json application/xml application/rss+xml
               application/atom+xml image/svg+xml text/plain;

    proxy_cache_path {site.cache_dir.resolve()} levels=1:2 keys_zone=np_pages:32m max_size=2g inactive=30m
                     use_temp_path=off;

    upstream newsportal {{
{servers}
        keepalive 32;
    }}

    # The app's refresh header counts only from the app hosts.
    geo $np_trusted {{
        default 0;
{trusted}
    }}
    map "$np_trusted:$http_x_np_refresh" $np_refresh {{
        "1:1" 1;
        default 0;
    }}

    server {{
        listen {site.listen};
        server_name {site.server_name};

        location /static/ {{
            alias {site.static_dir.resolve()}/;
            add_header Cache-Control "public, max-age=31536000, immutable";
            add_header X-Content-Type-Options nosniff;
        }}

        location /media/ {{
            alias {site.media_dir.resolve()}/;
            add_header Cache-Control "public, max-age=31536000, immutable";
            add_header X-Content-Type-Options nosniff;
        }}

        # Reader pages: rendered once, read from the cache for up to {site.page_seconds} s, refreshed on
        # publish by the app (X-NP-Refresh), served stale while refreshing or when the app is down.
        location ~ {CACHED_PAGES} {{
            {_proxy()}
            proxy_cache np_pages;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_valid 200 {site.page_seconds}s;
            proxy_cache_valid 404 10s;
            proxy_ignore_headers Cache-Control Expires;
            proxy_cache_bypass $np_refresh;
            # the app rebuilds its own copy for a refresh; a reader's header is overwritten here
            proxy_set_header X-NP-Refresh $np_refresh;
            proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
            proxy_cache_background_update on;
            proxy_cache_lock on;
            proxy_cache_lock_timeout 5s;
            add_header X-Cache-Status $upstream_cache_status always;
        }}

        location / {{
            {_proxy()}
        }}
{"".join(site.extra_locations)}
    }}
}}
"""


def prepare_prefix(site: NginxSite) -> None:
    """Create the directories the configuration names (temp paths, cache)."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (site.prefix / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    site.cache_dir.mkdir(parents=True, exist_ok=True)
