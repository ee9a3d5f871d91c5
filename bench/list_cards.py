"""In-process latency of ``CatalogReadStore.list_cards`` on a bulk-loaded PostgreSQL corpus (issue 13 item 3).

The uncached channel page is one ``list_cards`` call (page and total) plus rendering; this times the call
alone, without a server, for every section channel (its subtree, one article per story, 20 a page) at
page 1 and at a deep page, so the database part of the channel page can be compared across corpus sizes.

    .venv/bin/python bench/list_cards.py load  --articles 100000          # CREATE DATABASE np_lc_100000
    .venv/bin/python bench/list_cards.py time  --articles 100000 [--rounds 5] [--deep 50]
    .venv/bin/python bench/list_cards.py drop  --articles 100000

``load`` runs the same bulk path as ``bench/million.py`` (``generate`` → ``prepare`` → ``bulk_create``,
then ``ANALYZE``) into its own database ``np_lc_<n>`` and leaves it there; ``time`` first upgrades it to
the current migrations (so a corpus loaded before a schema change measures the change), then reports p50
and max in ms over ``--rounds`` passes; ``drop`` removes the database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import million  # noqa: E402
import psycopg  # noqa: E402

from newsportal.domain.channels import ChannelTree  # noqa: E402
from newsportal.store import open_store  # noqa: E402

DB_PREFIX = "np_lc_"
PER_PAGE = 20


def url_of(n: int) -> str:
    return f"{million.PG.replace('postgresql://', 'postgresql+psycopg://', 1)}/{DB_PREFIX}{n}"


def load(n: int, seed: int) -> None:
    million.admin(f'DROP DATABASE IF EXISTS "{DB_PREFIX}{n}" WITH (FORCE)')
    million.admin(f'CREATE DATABASE "{DB_PREFIX}{n}"')
    million.say(f"loading {n:,} into {DB_PREFIX}{n}")
    report = million.bulk_load(url_of(n), n, seed)
    million.say(f"loaded: {json.dumps(report)}")


def drop(n: int) -> None:
    million.admin(f'DROP DATABASE IF EXISTS "{DB_PREFIX}{n}" WITH (FORCE)')


def timed(n: int, rounds: int, deep: int) -> dict:
    store = open_store(url_of(n))
    store.upgrade()
    with psycopg.connect(f"{million.PG}/{DB_PREFIX}{n}", autocommit=True) as conn:
        conn.execute("ANALYZE articles")
    tree = ChannelTree()
    tree.reset(store.channels())
    sections = [c for c in store.channels() if c.parent_id is not None]
    samples: dict[str, list[float]] = {"page1": [], "deep": []}
    per_channel: dict[str, dict] = {}
    for _ in range(rounds):
        for ch in sections:
            ids = tree.subtree_ids(ch)
            for key, page in (("page1", 1), ("deep", deep)):
                t = time.perf_counter()
                result = store.list_cards(channel_ids=ids, page=page, per_page=PER_PAGE)
                ms = (time.perf_counter() - t) * 1000
                samples[key].append(ms)
                per_channel.setdefault(ch.slug, {})[key] = {
                    "ms": round(ms, 2), "items": len(result.items), "total": result.total,
                    "exact": getattr(result, "exact", True)}
    store.close()
    out = {k: {"p50_ms": round(statistics.median(v), 2), "max_ms": round(max(v), 2), "n": len(v)}
           for k, v in samples.items()}
    return {"articles": n, "deep_page": deep, "rounds": rounds, "load": os.getloadavg(), "figures": out,
            "channels": per_channel}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("load", "time", "drop"))
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--deep", type=int, default=50, help="the deep page number timed beside page 1")
    args = p.parse_args(argv)
    if args.action == "load":
        load(args.articles, args.seed)
    elif args.action == "drop":
        drop(args.articles)
    else:
        report = timed(args.articles, args.rounds, args.deep)
        print(json.dumps(report["figures"], indent=1), "load", [round(x, 1) for x in report["load"]])
        out = million.ROOT / "bench" / "results" / f"list_cards-{args.articles}-{int(time.time())}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
