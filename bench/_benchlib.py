"""Shared helpers of the recommendation benchmarks (``recommend_eval.py``, ``recommend_speed.py``).

Not a test helper and not part of the package: it builds throwaway portals on SQLite the way the tests and
the CLI do (``tests/conftest.py`` make_portal, ``newsportal.cli.load_synthetic``), generates realistic reader
traffic, and knows how to reach the optional Redis counters under a key prefix of their own.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:  # run as `.venv/bin/python bench/x.py` from anywhere
    sys.path.insert(0, str(ROOT))

from _machine import machine_info  # noqa: E402,F401  (re-exported for the scripts)
from sqlalchemy import bindparam, select, update  # noqa: E402

from newsportal.config import Settings  # noqa: E402
from newsportal.counters import Event  # noqa: E402
from newsportal.portal import Portal  # noqa: E402
from newsportal.store import Store, open_store  # noqa: E402
from newsportal.store.tables import ArticleRow  # noqa: E402
from newsportal.timeutil import utcnow  # noqa: E402

REDIS_URL = os.environ.get("NEWSPORTAL_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


# -- machine, process, statistics ------------------------------------------------------------------


def rss_mb() -> dict:
    """Current (VmRSS) and peak (VmHWM) resident memory of this process, in MiB."""
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):  # RssFile: mapped files (the index), reclaimable
                out[key] = round(int(rest.split()[0]) / 1024, 1)
    except OSError:
        import resource

        out["VmHWM"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def summary(values: Sequence[float]) -> dict:
    """n, mean, p50, p95, p99 and max of a sample (the unit is the caller's)."""
    vals = sorted(values)
    if not vals:
        return {"n": 0}
    if len(vals) == 1:
        q = [vals[0]] * 99
    else:
        q = statistics.quantiles(vals, n=100, method="inclusive")
    return {
        "n": len(vals),
        "mean": statistics.fmean(vals),
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "max": vals[-1],
    }


def timestamp() -> str:
    return datetime.now().astimezone().strftime("%Y%m%dT%H%M%S%z")


def write_json(prefix: str, report: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"{prefix}-{stamp}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return out


class Clock:
    """Prints progress lines with the elapsed time, flushing at once (long runs go to a log file)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def say(self, msg: str) -> None:
        print(f"[{time.perf_counter() - self.t0:7.1f}s] {msg}", flush=True)


# -- portals ---------------------------------------------------------------------------------------
def sqlite_store(data_dir: Path) -> Store:
    data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(f"sqlite:///{(data_dir / 'newsportal.sqlite3').resolve()}")
    store.upgrade()
    return store


def new_portal(data_dir: Path, *, index_in_memory: bool, install: bool = True) -> Portal:
    """A portal on a SQLite file in ``data_dir`` with the demo channel tree and sources; not started."""
    from newsportal.demo.load import install_catalog

    store = sqlite_store(data_dir)
    if install:
        install_catalog(store)
    settings = Settings(data_dir=data_dir, index_in_memory=index_in_memory, site_url="http://bench.invalid")
    portal = Portal(settings, store)
    portal.reload_catalog()
    return portal


def bulk_load_synthetic(
    portal: Portal,
    n: int,
    seed: int,
    now: datetime,
    *,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
) -> dict[str, tuple[str, str]]:
    """Load ``generate(n, seed)`` the way ``newsportal demo --articles`` does (prepare + bulk_create).

    Returns the ground truth: external id -> (topic label, story label).
    """
    from newsportal.demo.synthetic import generate
    from newsportal.newsroom.publish import prepare
    from newsportal.store import bulk_create

    labels: dict[str, tuple[str, str]] = {}
    batch: list = []
    done = 0
    # The generator dates a copy up to 4 h after its original; start it that much earlier, so no copy of
    # the newest originals lies in the future (which ``prepare`` refuses).
    for item in generate(n, seed=seed, now=now - timedelta(hours=4)):
        labels[item.draft.external_id] = (item.topic, item.story)
        batch.append(prepare(portal, item.draft))
        if len(batch) >= batch_size:
            done += bulk_create(portal.store, batch, actor="bench")
            batch = []
            if progress:
                progress(done)
    if batch:
        done += bulk_create(portal.store, batch, actor="bench")
        if progress:
            progress(done)
    return labels


def ids_by_external_id(store: Store, prefix: str = "") -> dict[str, int]:
    with store.session() as s:
        q = select(ArticleRow.external_id, ArticleRow.id).where(ArticleRow.external_id.is_not(None))
        if prefix:
            q = q.where(ArticleRow.external_id.like(prefix + "%"))
        return {ext: aid for ext, aid in s.execute(q)}


def write_story_ids(store: Store, story_of: dict[int, int]) -> None:
    """Set articles' story ids directly (ground truth standing in for a clustering already done)."""
    table = ArticleRow.__table__
    stmt = update(table).where(table.c.id == bindparam("b_id")).values(story_id=bindparam("b_story"))
    rows = [{"b_id": a, "b_story": s} for a, s in story_of.items()]
    with store.session() as s, s.begin():
        for start in range(0, len(rows), 5000):
            s.connection().execute(stmt, rows[start:start + 5000])


# -- reader traffic --------------------------------------------------------------------------------
def zipf_weights(n: int, exponent: float = 1.0) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(n)]


def traffic(
    portal: Portal,
    article_ids: Sequence[int],
    n_events: int,
    *,
    rng: random.Random,
    readers: int,
    span: timedelta,
    end: datetime | None = None,
    share_rate: float = 0.08,
    bot_rate: float = 0.0,
    reader_prefix: str = "r",
    ranked: bool = False,
    weights: Sequence[float] | None = None,
    scopes_cache: dict | None = None,
) -> list[Event]:
    """Realistic events, oldest first: Zipf-popular articles (a random order of ``article_ids``, or that order
    itself with ``ranked=True``), many readers, 8 % shares, channel scopes from ``portal.scopes_of``,
    timestamps spread evenly over ``span`` up to ``end``."""
    end = end or utcnow()
    order = list(article_ids)
    if not ranked:
        rng.shuffle(order)
    popular = rng.choices(order, weights=weights or zipf_weights(len(order)), k=n_events)
    scopes_cache = {} if scopes_cache is None else scopes_cache
    step = span.total_seconds() / max(1, n_events)
    start = end - span
    events = []
    for i, aid in enumerate(popular):
        scopes = scopes_cache.get(aid)
        if scopes is None:
            scopes = scopes_cache[aid] = portal.scopes_of(aid) or ()
        at = start + timedelta(seconds=i * step)
        kind = "share" if rng.random() < share_rate else "view"
        ua = BOT_UA if bot_rate and rng.random() < bot_rate else BROWSER_UA
        events.append(Event(aid, kind, f"{reader_prefix}{rng.randrange(readers)}", at, scopes, ua))
    return events


def record_in_batches(counters, events: Sequence[Event], batch: int = 1000) -> int:
    counted = 0
    for start in range(0, len(events), batch):
        counted += sum(counters.record_many(events[start:start + batch]))
    return counted


# -- counters backends -----------------------------------------------------------------------------
def embedded_counters(portal: Portal):
    from newsportal.counters import EmbeddedCounters

    s = portal.settings
    return EmbeddedCounters(portal.store, s.hot_half_life_hours, s.event_dedupe_seconds)


def redis_counters(portal: Portal):
    """(RedisCounters under a fresh key prefix, None) or (None, why not). Call ``.drop_all()`` when done."""
    try:
        import redis

        from newsportal.counters.redis import RedisCounters
    except Exception as exc:  # the backend is being finished elsewhere: report, do not fail
        return None, f"newsportal.counters.redis does not import: {exc.__class__.__name__}: {exc}"
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        client.close()
    except Exception as exc:
        return None, f"Redis at {REDIS_URL} is not reachable: {exc.__class__.__name__}: {exc}"
    s = portal.settings
    prefix = f"npbench:{uuid.uuid4().hex[:10]}:"  # never the production prefix np:
    try:
        c = RedisCounters(REDIS_URL, portal.store, half_life_hours=s.hot_half_life_hours,
                          dedupe_seconds=s.event_dedupe_seconds, prefix=prefix)
    except Exception as exc:
        return None, f"RedisCounters(...) failed: {exc.__class__.__name__}: {exc}"
    return c, None


def iter_chunks(seq: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


def placeholder_vectors(data_dir: Path, ids: list[int]) -> None:
    """Random unit sentence vectors for a synthetic corpus, written to the server's side file.

    A live site embeds each article once, when it is published; a bulk-loaded corpus would need about 20 ms
    of CPU per article (half an hour at 100,000) before its vectors exist. Speed figures do not depend on
    the values (a nearest-neighbour scan is the same matrix product whatever the rows hold), so the speed
    benchmarks write these instead, and say so; quality is measured on real vectors by
    ``recommend_eval.py``, and ``recommend_speed.py`` times real embedding on a sample."""
    import numpy as np

    from newsportal.recommend.vectors import Stored, VectorFile

    rng = np.random.default_rng(0)
    file = VectorFile(data_dir / "vectors.sqlite3", "usem3")
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        vecs = rng.standard_normal((len(chunk), 512)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        file.save((aid, Stored("bench-placeholder", 0.5, False, vec)) for aid, vec in zip(chunk, vecs,
                                                                                         strict=True))
    file.close()
