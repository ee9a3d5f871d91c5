"""Search and ingest speed on a synthetic corpus (a measurement, not a test).

    python bench/search_ingest.py [--articles 100000] [--queries 200] [--feed-items 500] [--pushes 200]

1. Loads ``generate(N)`` into a fresh SQLite data directory as ``newsportal demo --articles N`` does, with
   the generator's story ids written directly (clustering 100k articles is measured elsewhere).
2. **Full reindex**: ``search.reindex.reindex`` over every published article (what ``newsportal reindex``
   runs), timed, into the data directory's on-disk index.
3. Starts ``newsportal serve`` on that directory and sends ``--queries`` realistic queries of one to four
   words (taken from the corpus's own titles, so most have hits) to ``GET /api/v1/search``, one at a time
   after 20 warm-up queries; each query is sent once, so no answer comes from a cache. p50/p95/p99.
4. **Feed ingest end to end**: a local HTTP server serves an Atom feed of ``--feed-items`` new articles;
   ``newsportal source add-feed --trusted`` registers it while the server runs; the server's own poll loop
   (``NEWSPORTAL_INGEST_POLL_SECONDS=0.5``) fetches, parses, publishes and indexes them. Timed from the
   feed's first request (the poll may begin before the CLI process has exited) to the health API reporting
   the poll; the server's CPU is counted from before the CLI ran.
5. **ninjs pushes**: ``--pushes`` distinct items POSTed one at a time to ``/api/v1/ingest/ninjs``.

Sentence vectors are computed after a publish returns, by the server's embedding thread (the model is
loaded when the server starts). Steps 4 and 5 therefore also report when the new items' vectors reached the
side file (``vectors.sqlite3``, read from here) and the server CPU up to then, so the embedding cost stays
visible; step 5 starts only after step 4's vectors are in, so it is not charged with them.

The corpus's sentence vectors are random placeholders written beside the index (see
``placeholder_vectors``): embedding 20,000 articles at server start would take longer than the rest.
Results are printed and written to ``bench/results/search_ingest-<UTC>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchlib import (  # noqa: E402
    ROOT,
    Clock,
    bulk_load_synthetic,
    ids_by_external_id,
    machine_info,
    new_portal,
    placeholder_vectors,
    summary,
    write_json,
    write_story_ids,
)

REINDEX_CPU: list[float] = []  # CPU seconds of the reindex (this process, all threads)


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) a process has used: wall time is noisy on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu(pid: int, name: str) -> float:
    """CPU seconds of a process's threads with this OS name (the server's embedding thread names itself)."""
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            if (task / "comm").read_text().strip() != name:
                continue
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def embedding_cpu(pid: int) -> float:
    from newsportal.recommend.embedding import THREAD_NAME

    return thread_cpu(pid, THREAD_NAME)


CLI = [sys.executable, "-c", "from newsportal.cli import main; main()"]
HOST = "127.0.0.1"


def env(data_dir: Path) -> dict:
    e = {k: v for k, v in os.environ.items() if not k.startswith("NEWSPORTAL_")}
    e.update(NEWSPORTAL_DATA_DIR=str(data_dir), NEWSPORTAL_INGEST_POLL_SECONDS="0.5",
             PYTHONPATH=str(ROOT))
    return e


def cli(data_dir: Path, *args: str) -> str:
    out = subprocess.run([*CLI, *args, "--data-dir", str(data_dir)], capture_output=True, text=True,
                         env=env(data_dir), cwd=ROOT, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"newsportal {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


# -- 1-2: corpus and reindex ---------------------------------------------------------------------------
def prepare(data_dir: Path, n: int, seed: int, clock: Clock) -> tuple[float, list[str]]:
    """Load the corpus; returns the full reindex time and the corpus titles (for queries)."""
    from newsportal.search import TextIndex
    from newsportal.search.reindex import reindex

    now = datetime(2026, 11, 30, 12, 0)
    portal = new_portal(data_dir, index_in_memory=True)
    labels = bulk_load_synthetic(portal, n, seed, now, progress=lambda d: d % 20000 == 0 and clock.say(
        f"  {d} articles stored"))
    ids = ids_by_external_id(portal.store, f"synthetic-{seed}-")
    first: dict[str, int] = {}
    story_of = {}
    for ext, aid in sorted(ids.items(), key=lambda kv: kv[1]):
        story_of[aid] = first.setdefault(labels[ext][1], aid)
    write_story_ids(portal.store, story_of)
    titles = [r.title for r in portal.store.catalog_rows()]
    published = [r.id for r in portal.store.catalog_rows()]
    clock.say(f"corpus stored: {len(published)} published articles; reindexing …")
    index = TextIndex(data_dir / "index")
    t, cpu = time.perf_counter(), time.process_time()
    done = reindex(index, published, portal.store.index_docs_by_ids)
    took = time.perf_counter() - t
    REINDEX_CPU.append(time.process_time() - cpu)
    index.close()
    clock.say(f"full reindex: {done} articles in {took:.1f} s")
    placeholder_vectors(data_dir, published)
    portal.store.close()
    return took, titles


def vector_rows(data_dir: Path) -> int:
    """Rows in the server's vector side file (it writes them as its embedding thread finishes rounds)."""
    import sqlite3

    with sqlite3.connect(data_dir / "vectors.sqlite3", timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM vectors").fetchone()[0])


def wait_vectors(data_dir: Path, rows: int, limit: float = 1200) -> bool:
    """Until the side file holds ``rows`` rows (False after ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    while vector_rows(data_dir) < rows:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def queries(titles: list[str], k: int, rng: random.Random) -> list[str]:
    """One to four consecutive words of random titles: what readers type after reading a headline."""
    import rjieba

    out: list[str] = []
    while len(out) < k:
        words = [w for w in rjieba.cut(rng.choice(titles)) if len(w) > 1 and any(c.isalnum() for c in w)]
        if not words:
            continue
        size = min(len(words), rng.choice([1, 1, 2, 2, 2, 3, 4]))
        start = rng.randrange(len(words) - size + 1)
        q = " ".join(words[start:start + size])
        if q not in out:
            out.append(q)
    return out


# -- 3: the server -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def serve(data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    out = open(log, "ab")
    proc = subprocess.Popen([*CLI, "serve", "--no-demo", "--port", str(port), "--data-dir", str(data_dir)],
                            stdout=out, stderr=subprocess.STDOUT, env=env(data_dir), cwd=ROOT)
    out.close()
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/hot?limit=1", timeout=5):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("server did not start")


def get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def timed_searches(base: str, qs: list[str]) -> tuple[list[float], int]:
    for q in qs[:20]:  # warm-up: imports, first mmap reads (not measured, not repeated)
        get(f"{base}/api/v1/search?q={urllib.parse.quote(q)}")
    times, hits = [], 0
    for q in qs[20:]:
        t = time.perf_counter()
        status, body = get(f"{base}/api/v1/search?q={urllib.parse.quote(q)}")
        times.append((time.perf_counter() - t) * 1000)
        if status == 200 and json.loads(body)["total"]:
            hits += 1
    return times, hits


# -- 4: a partner's feed -------------------------------------------------------------------------------
def atom_feed(n: int, seed: int) -> bytes:
    from newsportal.demo.synthetic import generate

    now = datetime.now(UTC).replace(microsecond=0)
    parts = ['<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
             '<title>江州晨报滚动新闻</title><id>tag:partner.bench,2026:feed</id>'
             f'<updated>{now.isoformat()}</updated>']
    for i, item in enumerate(generate(n, seed=seed, now=now.replace(tzinfo=None))):
        d = item.draft
        stamp = (now - timedelta(minutes=i)).isoformat()
        parts.append(f"<entry><title>{escape(d.title)}（晨报）</title><id>bench-feed-{i}</id>"
                     f'<link href="http://partner.bench/a/{i}.html"/><published>{stamp}</published>'
                     f'<updated>{stamp}</updated>'
                     f'<content type="html">{escape(d.body_html)}</content></entry>')
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


FIRST_FETCH: list[float] = []  # perf_counter() of the feed's first request: the poll's start


def feed_server(body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if not FIRST_FETCH:
                FIRST_FETCH.append(time.perf_counter())
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer((HOST, 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def health(base: str, token: str, key: str) -> dict:
    """The source's row of the health API ({} until it exists)."""
    status, body = get(f"{base}/api/v1/ingest/sources", {"authorization": f"Bearer {token}"})
    rows = [r for r in json.loads(body) if r["source"] == key] if status == 200 else []
    return rows[0] if rows else {}


# -- 5: ninjs pushes -----------------------------------------------------------------------------------
def ninjs(i: int, title: str, body_html: str) -> bytes:
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    return json.dumps({
        "uri": f"urn:partner:bench:{i}", "type": "text", "version": "1", "pubstatus": "usable",
        "firstcreated": now, "versioncreated": now, "language": "zh-CN",
        "headlines": [{"role": "main", "value": f"{title}（推送{i}）"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": body_html}],
        "standard": {"name": "ninjs", "version": "2.0"},
    }, ensure_ascii=False).encode("utf-8")


def push_all(base: str, token: str, n: int, seed: int) -> tuple[float, list[float], dict[int, int]]:
    from newsportal.demo.synthetic import generate

    bodies = [ninjs(i, it.draft.title, it.draft.body_html) for i, it in enumerate(generate(n, seed=seed))]
    codes: dict[int, int] = {}
    times = []
    t0 = time.perf_counter()
    for b in bodies:
        req = urllib.request.Request(f"{base}/api/v1/ingest/ninjs", data=b, method="POST",
                                     headers={"authorization": f"Bearer {token}",
                                              "content-type": "application/json"})
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        times.append((time.perf_counter() - t) * 1000)
        codes[code] = codes.get(code, 0) + 1
    return time.perf_counter() - t0, times, codes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--feed-items", type=int, default=500)
    ap.add_argument("--pushes", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    clock = Clock()
    report: dict = {"machine": machine_info(), "articles": args.articles}
    with tempfile.TemporaryDirectory(prefix="np-bench-search-") as tmp:
        data_dir = Path(tmp)
        report["reindex_s"], titles = prepare(data_dir, args.articles, args.seed, clock)
        qs = queries(titles, args.queries + 20, random.Random(args.seed))
        port = free_port()
        base = f"http://{HOST}:{port}"
        server = serve(data_dir, port, data_dir / "server.log")
        try:
            clock.say("server up; searching …")
            report["reindex_cpu_s"] = REINDEX_CPU[0]
            cpu = proc_cpu(server.pid)
            times, hits = timed_searches(base, qs)
            report["search_server_cpu_ms_per_query"] = (proc_cpu(server.pid) - cpu) / len(qs) * 1000
            report["search_ms"] = summary(times)
            report["search_with_hits"] = hits
            ms = report["search_ms"]
            clock.say(f"search p50 {ms['p50']:.1f} ms, p99 {ms['p99']:.1f} ms "
                      f"({hits}/{len(times)} with hits)")
            api_token = cli(data_dir, "token", "create", "bench").strip().splitlines()[-1]
            httpd = feed_server(atom_feed(args.feed_items, args.seed + 1))
            url = f"http://{HOST}:{httpd.server_address[1]}/feed.xml"
            rows = vector_rows(data_dir)
            t, cpu, ecpu = time.perf_counter(), proc_cpu(server.pid), embedding_cpu(server.pid)
            cli(data_dir, "source", "add-feed", "jiangzhou-morning", url, "--trusted")
            report["feed_cli_s"] = time.perf_counter() - t  # a CLI process start, not ingest work
            deadline = time.monotonic() + 1200
            # one poll takes the whole feed; it is over when the source records a success or an error
            while not (h := health(base, api_token, "jiangzhou-morning")).get("last_poll_at") \
                    and time.monotonic() < deadline:
                time.sleep(0.1)
            # The server may start polling before the CLI process has exited: the poll is timed from the
            # feed's first request; the server's CPU from before the CLI (with its idle 0.5 s poll ticks).
            t = FIRST_FETCH[0] if FIRST_FETCH else t
            report["feed_s"] = time.perf_counter() - t
            report["feed_server_cpu_s"] = proc_cpu(server.pid) - cpu
            report["feed_health"] = h
            report["feed_taken"] = h.get("items_taken")
            httpd.shutdown()
            clock.say(f"feed of {args.feed_items}: {report['feed_taken']} taken, "
                      f"{h.get('items_refused')} refused in {report['feed_s']:.1f} s")
            report["feed_vectors_ok"] = wait_vectors(data_dir, rows + int(h.get("items_taken") or 0))
            report["feed_vectors_s"] = time.perf_counter() - t  # from the feed's start
            report["feed_vectors_server_cpu_s"] = proc_cpu(server.pid) - cpu
            report["feed_embedding_thread_cpu_s"] = embedding_cpu(server.pid) - ecpu
            clock.say(f"feed vectors in the side file {report['feed_vectors_s']:.1f} s after the start")
            pushed = cli(data_dir, "source", "add-push", "youth-daily", "--trusted")
            push_token = pushed.strip().splitlines()[-1]
            rows = vector_rows(data_dir)
            cpu, ecpu = proc_cpu(server.pid), embedding_cpu(server.pid)
            total, ptimes, codes = push_all(base, push_token, args.pushes, args.seed + 2)
            report["ninjs_server_cpu_ms_per_item"] = (proc_cpu(server.pid) - cpu) / args.pushes * 1000
            t = time.perf_counter()
            report["ninjs_vectors_ok"] = wait_vectors(data_dir, rows + codes.get(201, 0))
            report["ninjs_vectors_after_last_push_s"] = time.perf_counter() - t
            report["ninjs_server_cpu_ms_per_item_with_vectors"] = (
                (proc_cpu(server.pid) - cpu) / args.pushes * 1000)
            report["ninjs_embedding_thread_cpu_ms_per_item"] = (
                (embedding_cpu(server.pid) - ecpu) / args.pushes * 1000)
            report["ninjs"] = {"items": args.pushes, "seconds": total, "per_s": args.pushes / total,
                               "ms": summary(ptimes), "status": codes}
            clock.say(f"ninjs: {args.pushes / total:.1f} items/s, statuses {codes}")
        finally:
            server.terminate()
            server.wait(30)
    report["load_after"] = os.getloadavg()
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print("written to", write_json("search_ingest", report))


if __name__ == "__main__":
    main()
