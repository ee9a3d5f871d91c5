#!/usr/bin/env python3
"""Uncached render of an article page (issue 13: p50 < 5 ms), in-process and through HTTP.

    .venv/bin/python bench/render.py [--corpus demo|synthetic|both] [--articles 20000] [--sample 300]
        [--rounds 2] [--no-images] [--profile 0] [--seed 2026] [--store sqlite|postgres]

Builds a throwaway portal in a temporary directory as ``newsportal demo`` does (SQLite; the demo corpus of
about 140 hand-written articles with their drawn images, and, for ``synthetic``, ``--articles`` generated
ones on top, clustered and indexed at start-up), picks ``--sample`` published articles at random and times:

* ``own part``: :func:`newsportal.web.pages.article.article_parts`, the page cache's build: the article
  read from the store, its view (breadcrumb, 相关推荐, story siblings, share targets, JSON-LD) and the Jinja
  render, with no page cache in front (every call renders from the store);
* ``page``: the own part joined with the shared 热点推荐 / channel-module fragments, the bytes a reader gets
  (the shared fragments are rebuilt about once a second in the app, so they stay cached here too);
* ``own part CPU``: the same renders' CPU time (``time.thread_time``), which a busy shared machine inflates
  far less than wall time;
* ``statements``: the SQL statements one own-part build sends (counted in a separate pass, after timing);
* ``http``: ``GET /a/<slug>.html`` from a real uvicorn server on 127.0.0.1 (in a thread of this process,
  one keep-alive connection), with the app's page cache purged before every request; ``http server CPU``
  is the process's CPU time over those requests minus the client thread's, per request.

``--store postgres`` builds the portal in a schema of its own on ``NEWSPORTAL_BENCH_PG_URL`` (default the
``test`` database on 127.0.0.1), dropped afterwards; the index and media stay in the temporary directory.

Each article is rendered ``--rounds`` times in shuffled order after one warm-up pass (templates compiled,
SQLite pages in memory). ``--profile N`` prints the N most expensive functions of the in-process builds
(cProfile, cumulative). Results go to ``bench/results/render-<UTC>.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import os
import pstats
import random
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _benchlib as lib  # noqa: E402
from sqlalchemy import create_engine, event, select, text  # noqa: E402
from starlette.requests import Request  # noqa: E402

from newsportal.config import Settings  # noqa: E402
from newsportal.domain import ArticleStatus  # noqa: E402
from newsportal.portal import Portal  # noqa: E402
from newsportal.store import Store, open_store  # noqa: E402
from newsportal.store.tables import ArticleRow  # noqa: E402

TARGET_P50_MS = 5.0
PG_URL = os.environ.get("NEWSPORTAL_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
StoreFactory = Callable[[Path], Store]


def ms(values: list[float]) -> dict:
    return {k: (round(v * 1000, 3) if isinstance(v, float) else v) for k, v in lib.summary(values).items()}


def settings_for(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, index_in_memory=False, site_url="http://bench.invalid",
                    scheduler_seconds=0, ingest_embedded=False)


@contextmanager
def pg_schema() -> Iterator[StoreFactory]:
    """Stores on a PostgreSQL schema of this run's own (first on the search_path), dropped at the end."""
    schema = f"np_render_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def factory(_data_dir: Path) -> Store:
        store = open_store(f"{PG_URL}?options=-csearch_path%3D{schema}")
        store.upgrade()
        return store

    try:
        yield factory
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def build_portal(data_dir: Path, synthetic: int, seed: int, images: bool, say,
                 new_store: StoreFactory = lib.sqlite_store) -> Portal:
    """The demo corpus (and ``synthetic`` generated articles), then a fresh start that clusters and indexes."""
    from newsportal.demo.images import demo_storage
    from newsportal.demo.load import install_catalog, load_demo, load_synthetic

    store = new_store(data_dir)
    install_catalog(store)
    portal = Portal(settings_for(data_dir), store).start()
    written = load_demo(portal, traffic=True, images=demo_storage(portal) if images else None)
    say(f"demo: {written} articles written")
    if synthetic:
        load_synthetic(portal, synthetic, seed)
        say(f"synthetic: {synthetic} articles stored; restarting to cluster and index them")
        portal.close()
        portal = Portal(settings_for(data_dir), new_store(data_dir)).start()
    return portal


def published_slugs(portal: Portal) -> list[tuple[int, str]]:
    with portal.store.session() as s:
        rows = s.execute(select(ArticleRow.id, ArticleRow.slug)
                         .where(ArticleRow.status == ArticleStatus.PUBLISHED.value).order_by(ArticleRow.id))
        return [(int(i), str(slug)) for i, slug in rows]


def request_for(app, path: str) -> Request:
    """A GET request for ``path`` as the router hands it to the handler (standard mode, no query)."""
    return Request({"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
                    "query_string": b"", "headers": [(b"host", b"bench.invalid")], "app": app,
                    "scheme": "http", "server": ("bench.invalid", 80), "root_path": ""})


def in_process(app, slugs: list[str], rounds: int, rng: random.Random, profile: int) -> dict:
    """The own part and the whole page, rendered from the store for every call."""
    import anyio

    from newsportal.web.context import web_context
    from newsportal.web.pages.article import article_parts
    from newsportal.web.pages.common import shared_fragments

    ctx = web_context(app)
    shared = anyio.run(shared_fragments, ctx, False)
    requests = {slug: request_for(app, f"/a/{slug}.html") for slug in slugs}
    for slug in slugs:  # warm-up: templates compiled, SQLite pages read once
        assert article_parts(requests[slug], slug).status == 200
    order = [s for _ in range(rounds) for s in slugs]
    rng.shuffle(order)
    own, page, cpu = [], [], []
    prof = cProfile.Profile() if profile else None
    for slug in order:
        req = requests[slug]
        if prof:
            prof.enable()
        c0 = time.thread_time()
        t0 = time.perf_counter()
        parts = article_parts(req, slug)
        t1 = time.perf_counter()
        c1 = time.thread_time()
        body = parts.join(shared)
        t2 = time.perf_counter()
        if prof:
            prof.disable()
        assert parts.status == 200 and body
        own.append(t1 - t0)
        page.append(t2 - t0)
        cpu.append(c1 - c0)
    # CPU time of this thread: what a render costs with the machine to itself, even on a shared machine
    out = {"own_part_ms": ms(own), "page_ms": ms(page), "own_part_cpu_ms": ms(cpu), "renders": len(order),
           "statements": statements(app, slugs, requests)}
    if prof:
        text = io.StringIO()
        pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(profile)
        out["profile"] = text.getvalue()
    return out


def statements(app, slugs: list[str], requests: dict) -> dict:
    """SQL statements per own-part build (min / mean / max), counted after the timed renders."""
    from newsportal.web.context import web_context
    from newsportal.web.pages.article import article_parts

    engine = web_context(app).portal.store.engine
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    counts = []
    event.listen(engine, "before_cursor_execute", note)
    try:
        for slug in slugs:
            seen.clear()
            article_parts(requests[slug], slug)
            counts.append(len(seen))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return {"min": min(counts), "mean": round(sum(counts) / len(counts), 2), "max": max(counts)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def over_http(app, slugs: list[str], rounds: int, rng: random.Random) -> dict:
    """GET each article from a real server with the app's page cache purged before every request."""
    import uvicorn

    from newsportal.web.context import web_context

    pages = web_context(app).pages
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise SystemExit("the app did not start within 120 s")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"user-agent": lib.BROWSER_UA, "accept-encoding": "identity"}

    def get(slug: str) -> float:
        pages.purge_all()
        t0 = time.perf_counter()
        conn.request("GET", f"/a/{slug}.html", headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        took = time.perf_counter() - t0
        assert resp.status == 200 and body, resp.status
        return took

    try:
        for slug in slugs:
            get(slug)
        order = [s for _ in range(rounds) for s in slugs]
        rng.shuffle(order)
        p0, c0 = time.process_time(), time.thread_time()
        times = [get(slug) for slug in order]
        # the server's CPU: the whole process's, less this (client) thread's
        server_cpu = ((time.process_time() - p0) - (time.thread_time() - c0)) / len(order)
        cached_t = []
        for slug in order[: len(slugs)]:  # for scale: the same requests served from the page cache
            conn.request("GET", f"/a/{slug}.html", headers=headers)  # fills the cache
            conn.getresponse().read()
            t0 = time.perf_counter()
            conn.request("GET", f"/a/{slug}.html", headers=headers)
            conn.getresponse().read()
            cached_t.append(time.perf_counter() - t0)
    finally:
        conn.close()
        server.should_exit = True
        thread.join(timeout=30)
    return {"http_uncached_ms": ms(times), "http_cached_ms": ms(cached_t), "requests": len(times),
            "http_uncached_server_cpu_ms": round(server_cpu * 1000, 3)}


def run_corpus(name: str, synthetic: int, args, clock: lib.Clock) -> dict:
    if args.store == "postgres":
        with pg_schema() as factory:
            return _run_corpus(name, synthetic, args, clock, factory)
    return _run_corpus(name, synthetic, args, clock, lib.sqlite_store)


def _run_corpus(name: str, synthetic: int, args, clock: lib.Clock, new_store: StoreFactory) -> dict:
    from newsportal.web.app import create_app

    with tempfile.TemporaryDirectory(prefix=f"newsportal-render-{name}-") as scratch:
        portal = build_portal(Path(scratch) / "data", synthetic, args.seed, not args.no_images, clock.say,
                              new_store)
        try:
            everything = published_slugs(portal)
            rng = random.Random(args.seed)
            sample = [slug for _, slug in rng.sample(everything, min(args.sample, len(everything)))]
            clock.say(f"{name}: {len(everything)} published, timing {len(sample)} × {args.rounds}")
            app = create_app(portal=portal)
            result = {"corpus": name, "store": args.store, "published": len(everything),
                      "sample": len(sample)}
            result.update(in_process(app, sample, args.rounds, rng, args.profile))
            clock.say(f"{name}: in-process own part {result['own_part_ms']}")
            clock.say(f"{name}: in-process page     {result['page_ms']}")
            clock.say(f"{name}: own part CPU time  {result['own_part_cpu_ms']}")
            clock.say(f"{name}: statements/build  {result['statements']}")
            if "profile" in result:
                print(result["profile"])
            result.update(over_http(app, sample, args.rounds, rng))
            clock.say(f"{name}: http uncached {result['http_uncached_ms']}")
            clock.say(f"{name}: http cached   {result['http_cached_ms']}")
            clock.say(f"{name}: http uncached server CPU {result['http_uncached_server_cpu_ms']} ms/request")
            return result
        finally:
            portal.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=("demo", "synthetic", "both"), default="both")
    ap.add_argument("--articles", type=int, default=20_000, help="synthetic articles on top of the demo")
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--no-images", action="store_true", help="skip drawing the demo's images (faster set-up)")
    ap.add_argument("--profile", type=int, default=0, help="print the N most expensive functions")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    clock = lib.Clock()
    report: dict = {"machine": lib.machine_info(), "args": vars(args), "target_p50_ms": TARGET_P50_MS,
                    "load_before": Path("/proc/loadavg").read_text().split()[:3], "corpora": []}
    if args.corpus in ("demo", "both"):
        report["corpora"].append(run_corpus("demo", 0, args, clock))
    if args.corpus in ("synthetic", "both"):
        report["corpora"].append(run_corpus(f"synthetic-{args.articles}", args.articles, args, clock))
    report["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    for c in report["corpora"]:
        c.pop("profile", None)
        verdict = "PASS" if c["own_part_ms"]["p50"] < TARGET_P50_MS else "FAIL"
        print(f"{c['store']} {c['corpus']:>18}: own part p50 {c['own_part_ms']['p50']:.2f} ms  p95 "
              f"{c['own_part_ms']['p95']:.2f}  p99 {c['own_part_ms']['p99']:.2f} (CPU p50 "
              f"{c['own_part_cpu_ms']['p50']:.2f}, {c['statements']['mean']} statements)  · page p50 "
              f"{c['page_ms']['p50']:.2f} · http uncached p50 {c['http_uncached_ms']['p50']:.2f} p95 "
              f"{c['http_uncached_ms']['p95']:.2f} p99 {c['http_uncached_ms']['p99']:.2f} (server CPU "
              f"{c['http_uncached_server_cpu_ms']:.2f})  [{verdict} < "
              f"{TARGET_P50_MS} ms]")
    print(f"load average before {report['load_before']} after {report['load_after']}")
    print(f"written {lib.write_json('render', report)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
