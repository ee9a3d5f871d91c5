#!/usr/bin/env python3
"""Speed of the recommendation layer on a large synthetic corpus: related lists, hot-list reads, event ingest
and flush, clustering + indexing of a newly published article, start-up time and memory.

    .venv/bin/python bench/recommend_speed.py [--articles 100000] [--data-dir DIR] [--seed 2026]
        [--bulk-cluster 200] [--samples 500] [--events 300000] [--publish 50] [--no-redis] [--keep]

Preparation (a child process, so the measuring process holds only what a server holds):
``generate(N, seed)`` is bulk-loaded into a SQLite store as ``newsportal demo --articles N`` does. All but the
newest ``--bulk-cluster`` articles get their ground-truth story ids written directly — standing in for the
clustering a live portal does one article at a time when each is published, because bulk-clustering a whole
synthetic corpus with ``Portal.start()`` takes far longer than this benchmark may run (see bench/README.md).
Then ``Portal.start()`` builds the on-disk search index and clusters the remaining newest articles: the
*first start*. ``--data-dir DIR`` keeps the prepared directory and reuses it on the next run.

Measurement (this process): ``Portal.start()`` on the prepared directory (a *restart*: index and stories are
there), RSS, then the figures below, each against its target. Only the standard library and the project's
package are used; results go to ``bench/results/recommend-speed-<UTC>.json``. A missed target does not change
the exit status.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _benchlib as lib  # noqa: E402

from newsportal.timeutil import utcnow  # noqa: E402

MARKER = "bench-corpus.json"
TARGETS = {
    "related_p50_ms": 10.0,
    "hot_read_p50_ms": 1.0,
    "ingest_events_per_s": 20_000.0,
    "publish_cluster_index_ms": 50.0,
}
REFERENCE_RSS_MB = 300.0  # bench/pages.py's server memory target, for comparison only


# -- preparation (child process) -------------------------------------------------------------------
def prepare(data_dir: Path, n: int, seed: int, bulk_cluster: int) -> dict:
    from sqlalchemy import select

    from newsportal.store.tables import ArticleRow

    clock = lib.Clock()
    info: dict = {"articles": n, "seed": seed, "bulk_cluster": bulk_cluster, "prepared": lib.timestamp()}
    portal = lib.new_portal(data_dir, index_in_memory=False)
    t = time.perf_counter()
    step = max(10_000, n // 10)
    last = [0]

    def progress(done: int) -> None:
        if done - last[0] >= step or done == n:
            last[0] = done
            clock.say(f"generated + bulk-loaded {done}/{n} ({time.perf_counter() - t:.0f}s)")

    truth = lib.bulk_load_synthetic(portal, n, seed, utcnow(), progress=progress)
    info["generate_and_bulk_load_s"] = round(time.perf_counter() - t, 1)

    t = time.perf_counter()
    ext = lib.ids_by_external_id(portal.store, f"synthetic-{seed}-")
    with portal.store.session() as s:
        by_time = [aid for aid, in s.execute(select(ArticleRow.id).where(ArticleRow.id.in_(list(ext.values())))
                                             .order_by(ArticleRow.published_at, ArticleRow.id))]
    leave = set(by_time[len(by_time) - bulk_cluster:]) if bulk_cluster > 0 else set()
    lead: dict[str, int] = {}
    for e in sorted(ext, key=lambda e: int(e.rsplit("-", 1)[1])):  # generation order: originals first
        lead.setdefault(truth[e][1], ext[e])
    lib.write_story_ids(portal.store, {ext[e]: lead[truth[e][1]] for e in ext if ext[e] not in leave})
    info["truth_story_ids_s"] = round(time.perf_counter() - t, 1)
    clock.say(f"ground-truth story ids written for {len(ext) - len(leave)} articles; "
              f"{len(leave)} newest left for Portal.start() to cluster")
    ext_ids = list(ext.values())
    del truth, ext, by_time

    # sentence vectors as a live site has them (written at publish); random values, see placeholder_vectors
    t = time.perf_counter()
    lib.placeholder_vectors(data_dir, sorted(ext_ids))
    info["placeholder_vectors_s"] = round(time.perf_counter() - t, 1)
    del ext_ids

    # first start: index every article, fill the clustering window, cluster the newest ones
    marks: list[float] = []
    t = time.perf_counter()

    def step_progress(k: int) -> None:
        marks.append(time.perf_counter())
        if len(marks) % 10_000 == 0 or (len(marks) > n and (len(marks) - n) % 50 == 0):
            phase = "indexed" if len(marks) <= n else "clustered"
            count = len(marks) if len(marks) <= n else len(marks) - n
            clock.say(f"first start: {phase} {count}")

    portal.start(step_progress)
    total = time.perf_counter() - t
    indexed_at = marks[n - 1] if len(marks) >= n else None
    cluster_marks = marks[n:]
    info["first_start_s"] = round(total, 1)
    info["first_start_index_s"] = round(indexed_at - t, 1) if indexed_at else None
    if cluster_marks:
        intervals = [(b - a) * 1000 for a, b in zip(cluster_marks, cluster_marks[1:], strict=False)]
        info["first_start_window_and_first_cluster_s"] = round(cluster_marks[0] - indexed_at, 1)
        info["bulk_cluster_ms_per_article"] = lib.summary(intervals)
        info["bulk_clustered"] = len(cluster_marks)
    info["clustering_window_size"] = len(portal.stories)
    info["rss_after_first_start_mb"] = lib.rss_mb()
    portal.close()
    clock.say(f"first start {total:.1f}s (index {info['first_start_index_s']}s)")
    return info


# -- measurement -----------------------------------------------------------------------------------
def embedding_cost(portal, ids: list[int]) -> dict:
    """CPU of embedding real article texts with the shipped model, batched as the background queue does."""
    from newsportal.recommend.semantic import default_embedder
    from newsportal.recommend.vectors import embed_text

    texts = [embed_text(d.title, d.text) for d in portal.store.index_docs_by_ids(ids)]
    model = default_embedder()
    t, cpu = time.perf_counter(), time.process_time()
    model.embed(["预热"])
    load = {"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - cpu}
    t, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), 256):
        model.embed(texts[start:start + 256])
    wall, used = time.perf_counter() - t, time.process_time() - cpu
    return {"articles": len(texts), "model_load": load, "wall_ms_per_article": wall / len(texts) * 1000,
            "cpu_ms_per_article": used / len(texts) * 1000}


def timed_calls(fn, args_list, warmup: int = 20) -> dict:
    for a in args_list[:warmup]:
        fn(*a)
    out = []
    for a in args_list:
        t = time.perf_counter()
        fn(*a)
        out.append((time.perf_counter() - t) * 1000)
    return lib.summary(out)


def ingest(portal, counters, n_events: int, rng: random.Random, clock: lib.Clock, label: str) -> dict:
    """Batches of 1000 realistic events through record_many; a flush to the store every 20 batches (about a
    second's worth at the target rate); event generation is outside the timings."""
    ids = list(portal.catalog)
    order = ids[:]
    random.Random(11).shuffle(order)  # the same popularity ranking for every backend
    weights = lib.zipf_weights(len(order))
    scopes: dict = {}
    chunk = 20_000
    span_per_chunk = timedelta(seconds=3600 * chunk / n_events)  # the whole run covers an hour of traffic
    start = utcnow() - timedelta(hours=1)
    ingest_s = flush_s = 0.0
    offered = counted = flushed = 0
    batch_ms = []
    flush_ms = []
    k = 0
    while offered < n_events:
        size = min(chunk, n_events - offered)
        end = start + span_per_chunk * (k + 1)
        events = lib.traffic(portal, order, size, rng=rng, readers=200_000, span=span_per_chunk, end=end,
                             bot_rate=0.01, ranked=True, weights=weights, scopes_cache=scopes,
                             reader_prefix=f"{label}-")
        for b in lib.iter_chunks(events, 1000):
            t = time.perf_counter()
            counted += sum(counters.record_many(b))
            dt = time.perf_counter() - t
            ingest_s += dt
            batch_ms.append(dt * 1000)
        offered += size
        t = time.perf_counter()
        flushed += counters.flush()
        dt = time.perf_counter() - t
        flush_s += dt
        flush_ms.append(dt * 1000)
        k += 1
        if k % 5 == 0:
            clock.say(f"  {label}: {offered}/{n_events} events")
    # the single-event path the page beacon uses (POST /api/v1/events -> counters.record)
    singles = lib.traffic(portal, order, 10_000, rng=rng, readers=200_000, span=timedelta(seconds=60),
                          end=utcnow(), ranked=True, weights=weights, scopes_cache=scopes, reader_prefix=f"{label}-s-")
    t = time.perf_counter()
    for ev in singles:
        counters.record(ev)
    single_s = time.perf_counter() - t
    t = time.perf_counter()
    flushed_singles = counters.flush()
    flush_singles_s = time.perf_counter() - t
    return {
        "events": offered,
        "counted": counted,
        "ingest_s": round(ingest_s, 3),
        "ingest_events_per_s": offered / ingest_s,
        "batch_1000_ms": lib.summary(batch_ms),
        "flushed": flushed,
        "flush_s": round(flush_s, 3),
        "flush_events_per_s": flushed / flush_s if flush_s else None,
        "flush_ms_per_20k_batch": lib.summary(flush_ms),
        "ingest_plus_flush_events_per_s": offered / (ingest_s + flush_s),
        "single_record_events_per_s": len(singles) / single_s,
        "single_record_flush": {"events": flushed_singles, "s": round(flush_singles_s, 3)},
    }


def hot_reads(portal, counters) -> dict:
    channels = [c.id for c in portal.channels if c.parent_id is not None]
    reps = [()] * 2000
    res = {
        "hot.ranked(20)": timed_calls(lambda: portal.hot.ranked(20), reps),
        "counters.top(20)": timed_calls(lambda: counters.top(20), reps),
        "hot.ranked(20, channel)": timed_calls(lambda c: portal.hot.ranked(20, c),
                                               [(channels[i % len(channels)],) for i in range(2000)]),
        "counters.top(20, channel)": timed_calls(lambda c: counters.top(20, c),
                                                 [(channels[i % len(channels)],) for i in range(2000)]),
        "hot.cards(20) (with store read)": timed_calls(lambda: portal.hot.cards(20), [()] * 200),
    }
    res["hot_list_length"] = len(portal.hot.ranked(20))
    return res


def publish(portal, n: int, seed: int, clock: lib.Clock) -> dict:
    from newsportal.demo.synthetic import generate
    from newsportal.newsroom import save_article
    from newsportal.newsroom.publish import withdraw

    run = uuid.uuid4().hex[:8]
    items = list(generate(n, seed=seed + 7919, now=utcnow()))
    timings = {"cluster": [], "index_upsert": [], "article_changed": []}
    tail = portal.tail  # the publish tail: cluster → index → catalogue → article_saved
    orig_cluster, orig_upsert, orig_changed = tail.cluster, portal.index.upsert, tail.article_saved

    def wrap(fn, key):
        def inner(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                timings[key].append((time.perf_counter() - t) * 1000)
        return inner

    # instance attributes shadow the methods for this portal only; nothing in the package is changed
    tail.cluster = wrap(orig_cluster, "cluster")
    portal.index.upsert = wrap(orig_upsert, "index_upsert")
    tail.article_saved = wrap(orig_changed, "article_changed")
    total = []
    made = []
    try:
        for i, item in enumerate(items):
            draft = replace(item.draft, external_id=f"bench-publish-{run}-{i}", published_at=None)
            t = time.perf_counter()
            article, _ = save_article(portal, draft, actor="bench", publish_now=True)
            total.append((time.perf_counter() - t) * 1000)
            made.append((article.id, item.story))
    finally:
        del tail.cluster, portal.index.upsert, tail.article_saved
    # a fresh original joining another story is a false merge; a copy joining its own original is right
    first_of_story: dict[str, int] = {}
    joined = wrong = 0
    for aid, story in made:
        mine = portal.catalog.story_of(aid)
        if mine != aid:
            joined += 1
            if first_of_story.get(story) is None or portal.catalog.story_of(first_of_story[story]) != mine:
                wrong += 1
        first_of_story.setdefault(story, aid)
    store_part = [t - c for t, c in zip(total, timings["article_changed"], strict=False)]
    clock.say(f"published {len(made)} articles; withdrawing them again")
    for aid, _ in made:  # keep a reused corpus at its size
        withdraw(portal, aid)
    return {
        "articles": len(made),
        "save_article_ms": lib.summary(total),
        "article_changed_ms": lib.summary(timings["article_changed"]),
        "cluster_ms": lib.summary(timings["cluster"]),
        "index_upsert_ms": lib.summary(timings["index_upsert"]),
        "store_and_validation_ms": lib.summary(store_part),
        "joined_an_existing_story": joined,
        "joined_a_wrong_story": wrong,
        "clustering_window_size": len(portal.stories),
    }


# -- report ----------------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def row(label: str, s: dict, target: str = "", ok: bool | None = None, unit: str = "ms") -> str:
    t = f"{target:>14}" + (f"  {verdict(ok)}" if ok is not None else "")
    return f"  {label:44}{s['p50']:>10.3f}{s['p95']:>10.3f}{s['p99']:>10.3f}{s['max']:>10.1f}  {unit:4}{t}"


def print_report(rep: dict) -> None:
    m = rep["machine"]
    prep = rep["preparation"]
    print()
    print(f"recommend_speed — {rep['started']} — {m['nproc']} cores, {m['cpu_model']}, Python {m['python']}, "
          f"{m['mem_total_mb']} MiB RAM")
    print(f"corpus: {rep['corpus_articles']} published synthetic articles (seed {prep['seed']}), SQLite + on-disk "
          f"tantivy index in {rep['data_dir']}")
    print()
    print("start-up")
    print(f"  preparation ({prep['prepared']}): generate + bulk load {prep['generate_and_bulk_load_s']} s; "
          f"ground-truth story ids {prep['truth_story_ids_s']} s")
    line = f"  first start (builds the index): {prep['first_start_s']} s, of which indexing {prep['first_start_index_s']} s"
    if prep.get("bulk_clustered"):
        b = prep["bulk_cluster_ms_per_article"]
        line += (f"; window fill + first clustering {prep['first_start_window_and_first_cluster_s']} s; "
                 f"bulk clustering of the {prep['bulk_clustered']} newest: p50 {b['p50']:.0f} ms, "
                 f"p95 {b['p95']:.0f} ms, mean {b['mean']:.0f} ms per article "
                 f"(window {prep['clustering_window_size']} articles)")
    print(line)
    est = rep.get("bulk_cluster_estimate_h")
    if est:
        print(f"  => clustering a whole unclustered corpus of this size with Portal.start() (the CLI path) would take "
              f"about {est:.1f} h at that rate")
    print(f"  restart (Portal.start() on the prepared directory): {rep['restart_s']:.1f} s")
    r = rep["rss"]
    print(f"  RSS after loading the portal: {r['after_start']['VmRSS']} MiB (anonymous {r['after_start'].get('RssAnon')}"
          f" MiB, mapped files {r['after_start'].get('RssFile')} MiB; peak {r['after_start']['VmHWM']} MiB; "
          f"before the portal: {r['before_portal']['VmRSS']} MiB); at the end {r['end']['VmRSS']} MiB, peak "
          f"{r['end']['VmHWM']} MiB (bench/pages.py's server target for reference: < {REFERENCE_RSS_MB:.0f} MiB)")
    print()
    print(f"  {'latency':44}{'p50':>10}{'p95':>10}{'p99':>10}{'max':>10}        {'target':>8}")
    rel = rep["related"]
    print(row(f"related(id, 10), {rel['ours']['n']} random articles", rel["ours"],
              f"p50 < {TARGETS['related_p50_ms']:.0f}", rel["ours"]["p50"] < TARGETS["related_p50_ms"]))
    print(row("baseline(id, 10) (reference)", rel["baseline"]))
    print(row("article page: related(id, 8) + cards_by_ids", rel["cards"]))
    print(f"  {'  (of which related(id, 8) alone: p50 ' + format(rel['related_8']['p50'], '.3f') + ' ms)':44}")
    for backend, res in rep["counters"].items():
        if "skipped" in res or "error" in res:
            continue
        for name, s in res["hot"].items():
            if not isinstance(s, dict):
                continue
            target = name in ("hot.ranked(20)", "counters.top(20)")
            print(row(f"[{backend}] {name}", s, f"p50 < {TARGETS['hot_read_p50_ms']:.0f}" if target else "",
                      s["p50"] < TARGETS["hot_read_p50_ms"] if target else None))
    p = rep["publish"]
    print(row(f"publish: save_article whole ({p['articles']} new)", p["save_article_ms"]))
    print(row("publish: article_changed = cluster + index", p["article_changed_ms"],
              f"p50 < {TARGETS['publish_cluster_index_ms']:.0f}",
              p["article_changed_ms"]["p50"] < TARGETS["publish_cluster_index_ms"]))
    print(row("publish:   cluster (fingerprint, LSH, verify)", p["cluster_ms"]))
    print(row("publish:   index upsert (tantivy commit)", p["index_upsert_ms"]))
    print(row("publish: store write + validation", p["store_and_validation_ms"]))
    print(f"  publish: p95 of cluster + index {p['article_changed_ms']['p95']:.0f} ms "
          f"({verdict(p['article_changed_ms']['p95'] < TARGETS['publish_cluster_index_ms'])} against 50 ms at p95); "
          f"{p['joined_an_existing_story']} of {p['articles']} new articles joined an existing story, "
          f"{p['joined_a_wrong_story']} of them a story they do not belong to; window {p['clustering_window_size']}")
    print()
    print(f"  {'event ingest':44}{'events/s':>12}{'counted':>10}  target")
    for backend, res in rep["counters"].items():
        if "skipped" in res:
            print(f"  [{backend}] skipped: {res['skipped']}")
            continue
        if "error" in res:
            print(f"  [{backend}] error: {res['error']}")
            continue
        i = res["ingest"]
        print(f"  {'[' + backend + '] record_many, batches of 1000':44}{i['ingest_events_per_s']:>12,.0f}"
              f"{i['counted'] / i['events']:>10.1%}  >= {TARGETS['ingest_events_per_s']:,.0f}/s "
              f"{verdict(i['ingest_events_per_s'] >= TARGETS['ingest_events_per_s'])}")
        print(f"  {'[' + backend + '] flush to store (every 20k events)':44}{i['flush_events_per_s']:>12,.0f}"
              f"{'':>10}  (p50 {i['flush_ms_per_20k_batch']['p50']:.0f} ms per flush)")
        print(f"  {'[' + backend + '] ingest + flush together':44}{i['ingest_plus_flush_events_per_s']:>12,.0f}")
        print(f"  {'[' + backend + '] record() one at a time (beacon path)':44}{i['single_record_events_per_s']:>12,.0f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--data-dir", type=Path, help="prepare into (or reuse) this directory and keep it")
    ap.add_argument("--bulk-cluster", type=int, default=200,
                    help="newest articles left for Portal.start() to cluster at the first start")
    ap.add_argument("--samples", type=int, default=500, help="random articles for the related latency")
    ap.add_argument("--events", type=int, default=300_000, help="events ingested per counters backend")
    ap.add_argument("--publish", type=int, default=50, help="new articles published through save_article")
    ap.add_argument("--no-redis", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    ap.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.prepare_only:  # the child process
        info = prepare(args.data_dir, args.articles, args.seed, args.bulk_cluster)
        (args.data_dir / MARKER).write_text(json.dumps(info, ensure_ascii=False, indent=2))
        return 0

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    logging.getLogger("newsportal").setLevel(logging.INFO)
    clock = lib.Clock()
    rep: dict = {"benchmark": "recommend_speed", "started": lib.timestamp(), "machine": lib.machine_info(),
                 "args": {k: str(v) for k, v in vars(args).items()}, "targets": TARGETS}
    tmp = None
    data_dir = args.data_dir
    if data_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="np-speed-"))
        data_dir = tmp / "data"
    data_dir = data_dir.resolve()
    rep["data_dir"] = str(data_dir)
    try:
        marker = data_dir / MARKER
        if marker.exists():
            prep = json.loads(marker.read_text())
            if (prep["articles"], prep["seed"]) != (args.articles, args.seed):
                print(f"{data_dir} holds a corpus of {prep['articles']} articles (seed {prep['seed']}), not "
                      f"{args.articles} (seed {args.seed}); use another --data-dir", file=sys.stderr)
                return 2
            clock.say(f"reusing the corpus prepared in {data_dir} on {prep['prepared']}")
        else:
            if data_dir.exists() and any(data_dir.iterdir()):
                print(f"{data_dir} is not empty and has no {MARKER}; refusing to touch it", file=sys.stderr)
                return 2
            clock.say(f"preparing {args.articles} articles in {data_dir} (child process)")
            cmd = [sys.executable, __file__, "--prepare-only", "--data-dir", str(data_dir), "--articles",
                   str(args.articles), "--seed", str(args.seed), "--bulk-cluster", str(args.bulk_cluster)]
            subprocess.run(cmd, check=True)
            prep = json.loads(marker.read_text())
        rep["preparation"] = prep
        if prep.get("bulk_clustered"):
            rep["bulk_cluster_estimate_h"] = prep["bulk_cluster_ms_per_article"]["mean"] * args.articles / 3.6e6

        # restart: what a server process does on the prepared directory
        from newsportal.config import Settings
        from newsportal.portal import Portal

        rep["rss"] = {"before_portal": lib.rss_mb()}
        store = lib.sqlite_store(data_dir)
        portal = Portal(Settings(data_dir=data_dir, index_in_memory=False, site_url="http://bench.invalid"), store)
        t = time.perf_counter()
        portal.start()
        rep["restart_s"] = time.perf_counter() - t
        rep["rss"]["after_start"] = lib.rss_mb()
        rep["corpus_articles"] = len(portal.catalog)
        clock.say(f"restart: Portal.start() {rep['restart_s']:.1f}s, {len(portal.catalog)} articles, "
                  f"RSS {rep['rss']['after_start']}")

        rng = random.Random(args.seed)
        sample = rng.sample(sorted(portal.catalog), min(args.samples, len(portal.catalog)))
        rep["related"] = {
            "ours": timed_calls(lambda a: portal.related.related(a, 10), [(a,) for a in sample]),
            "baseline": timed_calls(lambda a: portal.related.baseline(a, 10), [(a,) for a in sample]),
            # what the article page does next: the related list's cards from the store (8 shown)
            "cards": timed_calls(lambda a: portal.store.cards_by_ids([x for x, _ in portal.related.related(a, 8)]),
                                 [(a,) for a in sample[:200]], warmup=5),
            "related_8": timed_calls(lambda a: portal.related.related(a, 8), [(a,) for a in sample[:200]], warmup=5),
        }
        clock.say(f"related: p50 {rep['related']['ours']['p50']:.2f} ms")
        rep["embedding"] = embedding_cost(portal, sample[:500])
        clock.say(f"embedding (real model, {rep['embedding']['articles']} articles in batches of 256): "
                  f"{rep['embedding']['cpu_ms_per_article']:.1f} ms CPU per article")

        rep["counters"] = {}
        embedded = lib.embedded_counters(portal)
        portal.counters = embedded
        rep["counters"]["embedded"] = {"ingest": ingest(portal, embedded, args.events, rng, clock, "embedded")}
        rep["counters"]["embedded"]["hot"] = hot_reads(portal, embedded)
        clock.say("embedded counters measured")
        if args.no_redis:
            rep["counters"]["redis"] = {"skipped": "--no-redis"}
        else:
            rc, why = lib.redis_counters(portal)
            if rc is None:
                rep["counters"]["redis"] = {"skipped": why}
            else:
                portal.counters = rc
                try:
                    rep["counters"]["redis"] = {"ingest": ingest(portal, rc, args.events, rng, clock, "redis")}
                    rep["counters"]["redis"]["hot"] = hot_reads(portal, rc)
                except Exception as exc:
                    rep["counters"]["redis"] = {"error": f"{exc.__class__.__name__}: {exc}"}
                finally:
                    portal.counters = embedded
                    try:
                        rc.drop_all()
                        rc.close()
                    except Exception:
                        pass
                clock.say("redis counters measured")

        rep["publish"] = publish(portal, args.publish, args.seed, clock)
        rep["rss"]["end"] = lib.rss_mb()
        portal.close()
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    rep["elapsed_s"] = round(time.perf_counter() - clock.t0, 1)
    print_report(rep)
    out = lib.write_json("recommend-speed", rep)
    print()
    print(f"elapsed {rep['elapsed_s']} s; results written to {out.relative_to(lib.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
