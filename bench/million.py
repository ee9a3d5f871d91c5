#!/usr/bin/env python3
"""The 1,000,000-article PostgreSQL benchmark (issue 13 item 3): load, index, start, serve, against 10,000.

For each corpus (10,000 first, then ``--articles``, default 1,000,000), in one run:

1. ``CREATE DATABASE np_bench_million_<n>`` on the shared PostgreSQL (its own database: ``test`` is never
   touched), migrations, the demo channel tree and sources.
2. **Bulk load**: ``generate(n)`` (dated up to 60 days back from now) → ``prepare`` (the newsroom's
   checks and sanitizing) → ``bulk_create`` (COPY, 5,000 articles a batch), the generator in a thread so
   that it overlaps PostgreSQL's side of the COPY. Articles older than the clustering window are written as
   their own story (``own_story_before``); then ``ANALYZE``. Reported: load time, rate, ``pg_database_size``.
3. **Search index**: ``newsportal reindex`` (the bulk writer) as a bulk-load step; time and size on disk.
4. **First start**: ``newsportal serve --no-demo`` on that database (``NEWSPORTAL_DATABASE_URL``), timed
   until ``GET /`` answers; the server's RSS (current and peak) then.
5. **Pages** with wrk from 127.0.0.1, bounded duration each:
   - *uncached*: article pages of random articles across the whole corpus, each requested once (nothing
     pre-warmed: page build with its DB reads), and channel pages (every channel, pages 1…), at
     ``--cold-connections`` (4) so latency is the work and not the queue;
   - *warmed*: 500 article paths and the channel pages after a warm-up pass, at 64 connections.
6. Server stopped, database dropped and data directory removed (``--keep`` keeps both).

The report prints each figure of the big corpus against the 10,000 one and the 1.5× target (p50 and p99),
and writes ``bench/results/million-<UTC>.json``.

    .venv/bin/python bench/million.py [--articles 1000000] [--baseline 10000] [--duration 15] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from pages import (
    CONNECTIONS,
    NEWSPORTAL,
    ROOT,
    BenchError,
    cpu_seconds,
    free_port,
    machine_info,
    memory,
    parse_wrk,
    rotation_script,
    server_pid,
    stop_server,
    tail,
    wait_ready,
)

sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from newsportal.demo.load import install_catalog  # noqa: E402
from newsportal.demo.synthetic import generate  # noqa: E402
from newsportal.domain.channels import ChannelTree  # noqa: E402
from newsportal.newsroom.publish import prepare  # noqa: E402
from newsportal.recommend.stories import WINDOW_HOURS  # noqa: E402
from newsportal.store import bulk_create, open_store  # noqa: E402
from newsportal.timeutil import utcnow  # noqa: E402

PG = os.environ.get("NEWSPORTAL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB_PREFIX = "np_bench_million_"
BATCH = 5000
TARGET_RATIO = 1.5
START_TIMEOUT = 3 * 3600
REINDEX_TIMEOUT = 4 * 3600
WARM_PATHS = 500
SECRET = secrets.token_urlsafe(48)


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] {msg}", flush=True)


# -- database ------------------------------------------------------------------------------------------
def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def create_db(name: str) -> str:
    assert name.startswith(DB_PREFIX)  # this script only ever creates and drops its own databases
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    return f"{PG.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def drop_db(name: str) -> None:
    assert name.startswith(DB_PREFIX)
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(name: str, sql: str) -> list[tuple]:
    with psycopg.connect(f"{PG}/{name}", autocommit=True) as conn:
        return conn.execute(sql).fetchall()


def bulk_load(url: str, n: int, seed: int) -> dict:
    """generate → prepare in a thread, bulk_create (COPY) in this one; returns timings."""
    store = open_store(url)
    store.upgrade()
    install_catalog(store)
    channels = ChannelTree()
    channels.reset(store.channels())
    desk = SimpleNamespace(channels=channels, sources_by_key={s.key: s for s in store.sources()})
    now = utcnow()
    edge = now - timedelta(hours=WINDOW_HOURS)
    batches: queue.Queue = queue.Queue(maxsize=4)
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            batch = []
            # the generator dates a copy up to 4 h after its original: start 4 h back, none is in the future
            for item in generate(n, seed=seed, now=now - timedelta(hours=4)):
                batch.append(prepare(desk, item.draft))
                if len(batch) >= BATCH:
                    batches.put(batch)
                    batch = []
            if batch:
                batches.put(batch)
        except BaseException as exc:  # reported by the consumer
            failure.append(exc)
        finally:
            batches.put(None)

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    done, next_note = 0, 100_000
    while (batch := batches.get()) is not None:
        done += bulk_create(store, batch, actor="bench", own_story_before=edge)
        if done >= next_note:
            say(f"  loaded {done:,} ({done / (time.perf_counter() - t0):,.0f}/s)")
            next_note += 100_000
    producer.join()
    if failure:
        raise failure[0]
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    store.close()
    # autocommit: inside SQLAlchemy's implicit transaction the statistics were rolled back on close
    with psycopg.connect(f"{PG}/{url.rsplit('/', 1)[1]}", autocommit=True) as conn:
        conn.execute("ANALYZE")
    analyze_s = time.perf_counter() - t1
    return {"articles": done, "load_s": round(load_s, 1), "rate_per_s": round(done / load_s),
            "loader_cpu_s": round(time.process_time() - cpu0, 1), "analyze_s": round(analyze_s, 1),
            "own_story_before": edge.isoformat()}


# -- processes ------------------------------------------------------------------------------------------
def env_for(url: str, data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSPORTAL_")}
    # a PostgreSQL store needs a site secret (signs reader ids); a throwaway one per run
    env.update(NEWSPORTAL_DATABASE_URL=url, NEWSPORTAL_DATA_DIR=str(data_dir), NEWSPORTAL_SECRET_KEY=SECRET)
    return env


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def reindex(url: str, data_dir: Path, log: Path) -> dict:
    t = time.perf_counter()
    with open(log, "ab") as out:
        proc = subprocess.run([str(NEWSPORTAL), "reindex"], stdout=out, stderr=subprocess.STDOUT,
                              env=env_for(url, data_dir), cwd=ROOT, timeout=REINDEX_TIMEOUT)
    if proc.returncode != 0:
        raise BenchError(f"newsportal reindex failed (exit {proc.returncode}):\n{tail(log)}")
    index = data_dir / "index"
    return {"reindex_s": round(time.perf_counter() - t, 1),
            "index_mb": round(du(index) / 2**20, 1) if index.exists() else None}


def start_server(url: str, data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    out = open(log, "ab")
    try:
        return subprocess.Popen([str(NEWSPORTAL), "serve", "--port", str(port), "--no-demo"], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env_for(url, data_dir),
                                cwd=ROOT)
    finally:
        out.close()


# -- pages ------------------------------------------------------------------------------------------------
def once_script(paths: list[str], connections: int, directory: Path) -> Path:
    """A wrk Lua script requesting each path at most once, in order, then stopping (nothing is re-served
    from the page cache: every request builds its page, DB reads included)."""
    body = ",\n".join(json.dumps(p) for p in paths)
    script = directory / "once.lua"
    script.write_text(
        "local paths = {\n" + body + "\n}\n"
        f"local limit = #paths - {connections}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
        "response = function(status, headers, body)\n"
        "  if i >= limit then wrk.thread:stop() end\n"
        "end\n",
        encoding="utf-8",
    )
    return script


def wrk(url: str, seconds: int, script: Path, connections: int) -> str:
    cmd = ["/usr/bin/wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "2s",
           "-s", str(script), url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if proc.returncode != 0:
        raise BenchError(f"wrk failed (exit {proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def warm_up(base: str, paths: list[str]) -> None:
    """Request every path once (8 at a time), so the measured run is served from the page cache."""
    from concurrent.futures import ThreadPoolExecutor

    def get(path: str) -> None:
        with urllib.request.urlopen(base + path, timeout=120) as resp:
            resp.read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, paths))


def scenario(base: str, name: str, paths: list[str], seconds: int, connections: int, work: Path,
             pid: int, warm: bool) -> dict:
    """One bounded wrk run over ``paths``: warmed (a pass first, then rotating) or uncached (each once)."""
    if warm:
        warm_up(base, paths)
        script = rotation_script(paths, work)
    else:
        script = once_script(paths, connections, work)
    cpu = cpu_seconds(pid)
    t = time.perf_counter()
    out = wrk(base + paths[0], seconds, script, connections)
    cpu = cpu_seconds(pid) - cpu
    result = parse_wrk(out)
    result.update(name=name, connections=connections, distinct_paths=len(paths), warm=warm,
                  wall_s=round(time.perf_counter() - t, 1), wrk_output=out,
                  server_cpu_ms_per_request=round(cpu / result["requests"] * 1000, 2) if result["requests"]
                  else None)
    if not warm:  # the run may stop early when the paths run out: wrk's req/s then counts the idle rest
        result["exhausted"] = bool(result["requests"] and result["requests"] >= len(paths) - connections)
        result["server_cpu_s"] = round(cpu, 2)
    say(f"  {name}: {result['requests']} requests, {result['rps']:.0f} req/s, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms{'' if result['clean'] else '  << ERRORS'}"
        f"{'  (all paths used)' if result.get('exhausted') else ''}")
    return result


def channel_pages(db: str) -> dict[str, int]:
    """Section channels (not the root) and how many full pages each surely has (one per story may drop a
    few cards, so a tenth is kept in hand: a page past the last one is a 404)."""
    from newsportal.web.views import CHANNEL_PAGE_SIZE

    rows = query(db, "SELECT c.slug, (SELECT count(*) FROM articles a JOIN channels k ON k.id = a.channel_id"
                     " WHERE a.status = 'published' AND (k.id = c.id OR k.parent_id = c.id))"
                     " FROM channels c WHERE c.parent_id IS NOT NULL ORDER BY c.position")
    return {slug: max(1, int(n * 0.9) // CHANNEL_PAGE_SIZE) for slug, n in rows}


def settle(pid: int, timeout: float, window: float = 10.0, quiet_share: float = 0.15) -> dict:
    """Wait until the server's start-up background work (the embedding backfill of the newest articles,
    tantivy merges) is done: its CPU use over ``window`` seconds falls below ``quiet_share`` of one core.

    Pages are a steady-state figure; measured during the backfill they would show its CPU and its purges,
    not the corpus size. How long the backfill takes is reported beside them.
    """
    t0, c0 = time.perf_counter(), cpu_seconds(pid)
    prev = c0
    while time.perf_counter() - t0 < timeout:
        time.sleep(window)
        now = cpu_seconds(pid)
        if now - prev < quiet_share * window:
            return {"settled": True, "settle_s": round(time.perf_counter() - t0, 1), "cpu_s": round(now - c0, 1)}
        prev = now
    return {"settled": False, "settle_s": round(time.perf_counter() - t0, 1),
            "cpu_s": round(cpu_seconds(pid) - c0, 1)}


def page_runs(db: str, base: str, pid: int, args: argparse.Namespace, work: Path) -> dict:
    rng = random.Random(args.seed)
    ids = [r[0] for r in query(db, "SELECT id FROM articles WHERE status = 'published'")]
    rng.shuffle(ids)
    cold_articles = [f"/article/{a}" for a in ids[:args.cold_paths]]
    warm_articles = [f"/article/{a}" for a in ids[args.cold_paths:args.cold_paths + WARM_PATHS]]
    pages = channel_pages(db)
    cold_channels = [f"/channel/{s}" for s in pages]
    cold_channels += [f"/channel/{s}?page={p}" for s, n in pages.items() for p in range(2, min(n, args.channel_pages)
                                                                                         + 1)]
    rng.shuffle(cold_channels)
    warm_channels = [f"/channel/{s}" for s in pages]
    runs = {}
    runs["article_uncached"] = scenario(base, "article uncached", cold_articles, args.duration,
                                        args.cold_connections, work, pid, warm=False)
    runs["channel_uncached"] = scenario(base, "channel uncached", cold_channels, args.duration,
                                        args.cold_connections, work, pid, warm=False)
    runs["article_warm"] = scenario(base, "article warmed", warm_articles, args.duration, CONNECTIONS, work,
                                    pid, warm=True)
    runs["channel_warm"] = scenario(base, "channel warmed", warm_channels, args.duration, CONNECTIONS, work,
                                    pid, warm=True)
    return runs


# -- one corpus -----------------------------------------------------------------------------------------
def run_corpus(n: int, args: argparse.Namespace) -> dict:
    db = f"{DB_PREFIX}{n}"
    work = Path(tempfile.mkdtemp(prefix=f"np-million-{n}-"))
    data_dir = work / "data"
    log = work / "server.log"
    report: dict = {"articles": n, "database": db, "data_dir": str(data_dir), "load_at_start": os.getloadavg()}
    proc = None
    try:
        say(f"corpus {n:,}: creating database {db}")
        url = create_db(db)
        report["load"] = bulk_load(url, n, args.seed)
        say(f"  bulk load {report['load']['load_s']} s ({report['load']['rate_per_s']:,}/s), "
            f"ANALYZE {report['load']['analyze_s']} s")
        size = query(db, "SELECT pg_database_size(current_database())")[0][0]
        report["database_mb"] = round(size / 2**20, 1)
        say(f"  pg_database_size {report['database_mb']:,} MiB")
        report["index"] = reindex(url, data_dir, log)
        say(f"  newsportal reindex {report['index']['reindex_s']} s, index {report['index']['index_mb']} MiB")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        t = time.perf_counter()
        proc = start_server(url, data_dir, port, log)
        report["start_s"] = round(wait_ready(proc, base, log, timeout=START_TIMEOUT), 1)
        pid = server_pid(proc.pid)
        report["start_cpu_s"] = round(cpu_seconds(pid), 1)
        report["memory_after_start"] = memory(pid)
        say(f"  first start {report['start_s']} s ({report['start_cpu_s']} s CPU), "
            f"RSS {report['memory_after_start']}")
        report["settle"] = settle(pid, args.settle_timeout)
        say(f"  background work after start (the embedding backfill) settled after "
            f"{report['settle']['settle_s']} s, {report['settle']['cpu_s']} s CPU"
            f"{'' if report['settle']['settled'] else ' (NOT settled: pages measured while it runs)'}")
        report["memory_after_settle"] = memory(pid)
        report["pages"] = page_runs(db, base, pid, args, work)
        report["memory_end"] = memory(pid)
        report["server_log_tail"] = tail(log, 15)
        report["total_s"] = round(time.perf_counter() - t, 1)
        report["load_at_end"] = os.getloadavg()
        return report
    finally:
        if proc is not None:
            stop_server(proc)
        if args.keep:
            say(f"  kept database {db} and {work}")
        else:
            drop_db(db)
            shutil.rmtree(work, ignore_errors=True)


# -- report -----------------------------------------------------------------------------------------------
def ratios(small: dict, big: dict) -> list[dict]:
    out = []
    for key in ("article_uncached", "channel_uncached", "article_warm", "channel_warm"):
        a, b = small["pages"][key], big["pages"][key]
        for pct in ("p50_ms", "p99_ms"):
            if a.get(pct) and b.get(pct):
                r = b[pct] / a[pct]
                out.append({"scenario": key, "figure": pct, "small": a[pct], "big": b[pct], "ratio": round(r, 2),
                            "met": r <= TARGET_RATIO and a["clean"] and b["clean"]})
    return out


def print_report(report: dict) -> None:
    print("\n== corpora ==")
    for c in report["corpora"]:
        m = c.get("memory_after_start", {})
        print(f"{c['articles']:>9,}  load {c['load']['load_s']:>7} s  db {c['database_mb']:>8,} MiB  "
              f"reindex {c['index']['reindex_s']:>7} s  index {c['index']['index_mb']} MiB  "
              f"start {c['start_s']} s  settled +{c.get('settle', {}).get('settle_s')} s  RSS {m}")
    if "ratios" in report:
        print(f"\n== {report['corpora'][1]['articles']:,} against {report['corpora'][0]['articles']:,} "
              f"(target ≤ {TARGET_RATIO}×) ==")
        for r in report["ratios"]:
            print(f"{r['scenario']:<18} {r['figure']:<7} {r['small']:>9} ms → {r['big']:>9} ms  "
                  f"×{r['ratio']:<5} {'met' if r['met'] else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=1_000_000)
    p.add_argument("--baseline", type=int, default=10_000, help="the corpus the big one is compared with")
    p.add_argument("--duration", type=int, default=15, help="seconds per wrk scenario")
    p.add_argument("--cold-connections", type=int, default=4)
    p.add_argument("--cold-paths", type=int, default=5000, help="distinct articles for the uncached run")
    p.add_argument("--channel-pages", type=int, default=60, help="pages per channel for the uncached run")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--settle-timeout", type=float, default=3600,
                   help="seconds to wait for the start-up's background work before measuring pages")
    p.add_argument("--keep", action="store_true", help="keep the databases and data directories")
    args = p.parse_args(argv)
    if not Path("/usr/bin/wrk").exists():
        raise SystemExit("wrk is missing: run ./dev bench once (it installs Debian's wrk)")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    report: dict = {"machine": machine_info(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "args": vars(args), "corpora": []}
    sizes = [args.baseline] if args.articles == args.baseline else [args.baseline, args.articles]
    for n in sizes:
        report["corpora"].append(run_corpus(n, args))
    if len(report["corpora"]) == 2:
        report["ratios"] = ratios(*report["corpora"])
    from _benchlib import write_json

    print_report(report)
    print(f"\nresults: {write_json('million', report)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
