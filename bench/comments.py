#!/usr/bin/env python3
"""跟贴 speed: post 10,000 comments across 1,000 articles, read 热门跟贴, and the article page with comments.

    .venv/bin/python bench/comments.py [--articles 1000] [--comments 10000] [--readers 200] [--likes 20000]
        [--http-posts 500] [--reads 1000] [--page-requests 1000] [--seed 2026]

One process, a SQLite store in a temporary directory, the synthetic corpus bulk-loaded as
``newsportal demo --articles N`` does. Measured:

* posting throughput at the library level (``CommentService.post`` with every check, the IP属地 lookup in the
  bundled ip2region database and the rate limiter) and, for a sample, through HTTP
  (``POST /api/v1/articles/{id}/comments`` in-process via Starlette's TestClient, so without network cost);
* approval throughput (``ModerationService.approve``);
* 热门跟贴 read latency: ``CommentService.section`` (count, 热门, 最新) on random articles, and the section
  fragment over HTTP uncached (invalidated before each read) and cached;
* the article page (in-process HTTP) before and after the comments exist: it carries only the placeholder and
  the count, so the figures should not move. For req/s under real load, run ``bench/pages.py`` (wrk).

Results go to ``bench/results/comments-<UTC>.json``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _benchlib as lib  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402

from newsportal.comments.component import Comments  # noqa: E402
from newsportal.comments.ratelimit import LimitSettings, PostLimiter  # noqa: E402

ROOMY = LimitSettings(per_reader="100000/hour", per_ip="1000000/hour", login_per_ip="100000/hour")
SENTENCES = ["公交线路开通后，早高峰通勤方便多了。", "图书馆延长开放，周末也能去自习。",
             "希望后续能公布更多数据。", "这个政策对小商户是利好。", "赛后采访说得很实在。",
             "新车的续航数字还要看实测。", "天气转冷，出门记得加衣。", "期待下一篇深度报道。"]


def ms(values: list[float]) -> dict:
    return {k: (round(v * 1000, 3) if isinstance(v, float) else v) for k, v in lib.summary(values).items()}


def page_figures(client, paths: list[str], requests: int, rng: random.Random) -> dict:
    for p in paths:  # warm the page cache as a running site has it
        client.get(p)
    times = []
    t0 = time.perf_counter()
    for _ in range(requests):
        t = time.perf_counter()
        r = client.get(rng.choice(paths))
        times.append(time.perf_counter() - t)
        assert r.status_code == 200
    wall = time.perf_counter() - t0
    return {"requests": requests, "req_per_s": round(requests / wall, 1), "latency_ms": ms(times)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--comments", type=int, default=10_000)
    ap.add_argument("--readers", type=int, default=200)
    ap.add_argument("--likes", type=int, default=20_000)
    ap.add_argument("--http-posts", type=int, default=500)
    ap.add_argument("--reads", type=int, default=1000)
    ap.add_argument("--page-requests", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    from starlette.testclient import TestClient

    from newsportal.web.app import create_app
    from newsportal.web.readers.section import invalidate

    rng = random.Random(args.seed)
    clock = lib.Clock()
    rep: dict = {"benchmark": "comments", "started": lib.timestamp(), "machine": lib.machine_info(),
                 "args": vars(args)}
    tmp = Path(tempfile.mkdtemp(prefix="np-comments-"))
    try:
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        portal = lib.new_portal(tmp / "data", index_in_memory=True)
        lib.bulk_load_synthetic(portal, args.articles, args.seed, now - timedelta(hours=1))
        portal.start()
        ids = sorted(portal.catalog)[: args.articles]
        clock.say(f"{len(ids)} published articles")
        portal.comments = c = Comments(portal.store.engine, limiter=PostLimiter(ROOMY),
                                       hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        app = create_app(portal=portal)
        client = TestClient(app)
        client.__enter__()
        paths = [f"/article/{i}" for i in rng.sample(ids, min(100, len(ids)))]
        rep["article_page_before"] = page_figures(client, paths, args.page_requests, rng)
        clock.say(f"article page before comments: {rep['article_page_before']}")

        readers = []
        for i in range(args.readers):
            login = f"bench{i}@example.cn"
            c.readers.sign_up(login, f"读者{i}", "海河晨报2026", now)
            readers.append(c.readers.approve(login, "bench", now))
        ips = [f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
               for _ in range(500)]
        c.locator.locate(ips[0])  # open the IP database before timing

        times, posted = [], []
        t0 = time.perf_counter()
        for n in range(args.comments):
            at = now + timedelta(seconds=n)
            text = f"{rng.choice(SENTENCES)}（第 {n} 条）"
            t = time.perf_counter()
            rec = c.service.post(rng.choice(readers), rng.choice(ids), text, rng.choice(ips), at)
            times.append(time.perf_counter() - t)
            posted.append(rec)
        wall = time.perf_counter() - t0
        rep["post_library"] = {"comments": args.comments, "per_s": round(args.comments / wall, 1),
                               "latency_ms": ms(times)}
        clock.say(f"library posting: {rep['post_library']['per_s']}/s")

        times = []
        t0 = time.perf_counter()
        for rec in posted:
            t = time.perf_counter()
            c.moderation.approve(rec.id, 1, now + timedelta(hours=4))
            times.append(time.perf_counter() - t)
        rate = round(len(posted) / (time.perf_counter() - t0), 1)
        rep["approve"] = {"per_s": rate, "latency_ms": ms(times)}
        liked = 0
        for _ in range(args.likes):
            try:
                c.service.like(rng.choice(readers), rng.choice(posted).id, now + timedelta(hours=5))
                liked += 1
            except Exception:  # a reader liking the same comment twice is refused, as it should be
                pass
        rep["likes_stored"] = liked
        clock.say(f"approved all, {liked} likes")

        token = client.post("/api/v1/readers/login",
                            json={"login": "bench0@example.cn", "password": "海河晨报2026"}).json()["token"]
        times = []
        t0 = time.perf_counter()
        for n in range(args.http_posts):
            t = time.perf_counter()
            r = client.post(f"/api/v1/articles/{rng.choice(ids)}/comments",
                            json={"text": f"{rng.choice(SENTENCES)}（接口 {n}）"},
                            headers={"x-reader-token": token})
            times.append(time.perf_counter() - t)
            assert r.status_code == 201, r.text
        rep["post_http"] = {"comments": args.http_posts,
                            "per_s": round(args.http_posts / (time.perf_counter() - t0), 1),
                            "latency_ms": ms(times)}
        clock.say(f"HTTP posting: {rep['post_http']['per_s']}/s")

        later = now + timedelta(hours=6)
        times = []
        for _ in range(args.reads):
            t = time.perf_counter()
            c.service.section(rng.choice(ids), later)
            times.append(time.perf_counter() - t)
        rep["hot_read_library"] = {"reads": args.reads, "latency_ms": ms(times)}
        cold, warm = [], []
        for _ in range(args.reads):
            aid = rng.choice(ids)
            invalidate(c, aid)
            t = time.perf_counter()
            client.get(f"/comments/{aid}/section")
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            client.get(f"/comments/{aid}/section")
            warm.append(time.perf_counter() - t)
        rep["section_http_uncached"] = {"latency_ms": ms(cold)}
        rep["section_http_cached"] = {"latency_ms": ms(warm)}
        clock.say(f"热门跟贴 read p50/p99 ms: {rep['hot_read_library']['latency_ms']}")

        portal_ctx = app.state.web
        portal_ctx.purge_all()
        rep["article_page_after"] = page_figures(client, paths, args.page_requests, rng)
        rep["comments_stored"] = c.stores.comments.counts(ids)
        rep["comments_stored"] = sum(rep["comments_stored"].values())
        clock.say(f"article page with comments: {rep['article_page_after']}")
        client.__exit__(None, None, None)
        portal.close()
        out = lib.write_json("comments", rep)
        clock.say(f"written {out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
