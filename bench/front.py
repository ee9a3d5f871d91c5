#!/usr/bin/env python3
"""Production-shaped page benchmark: the portal behind nginx, against nginx serving the same bytes as a file.

Starts ``newsportal serve`` on the demo content (as ``bench/pages.py`` does), writes the nginx configuration
``newsportal deploy nginx`` would write, adds one location that serves a plain file copy of an article page
(the static baseline), starts Debian's nginx with it on a private port, and runs wrk at 64 connections
against, in the same run: the article pages through nginx (rotating over the demo articles), the home page
through nginx, and the static copy. It prints requests/s and p99 for each and the ratios to the static
copy (the issue's targets: article and home at least 50% of static, p99 under 20 ms), and writes
``bench/results/front-<UTC timestamp>.json``.

    .venv/bin/python bench/front.py [--duration 10] [--articles N]

Everything listens on 127.0.0.1, every step is bounded in time, and nginx and the server are always stopped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pages as P  # bench/pages.py: server start/stop, wrk runs and parsing

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsportal.deploy.nginx import NginxSite, prepare_prefix, render  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STATIC = ROOT / "newsportal" / "web" / "static"
TARGETS = {"ratio": 0.5, "p99_ms": 20.0}


def start_nginx(conf: Path, prefix: Path, port: int) -> subprocess.Popen:
    check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(prefix)], capture_output=True, text=True,
                           timeout=60)
    if check.returncode != 0:
        raise P.BenchError(f"nginx rejected the configuration:\n{check.stderr}")
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{P.HOST}:{port}/static-copy/article.html", timeout=5) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise P.BenchError("nginx did not answer within 30 s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=10, help="seconds per measured scenario (default 10)")
    ap.add_argument("--articles", type=int, default=0, help="add N synthetic articles first")
    args = ap.parse_args(argv)
    if not 1 <= args.duration <= 600:
        ap.error("--duration must be between 1 and 600 seconds")
    for tool in (P.WRK, NGINX):
        if not os.path.exists(tool):
            print(f"{tool} not found: install Debian's wrk and nginx (./dev bench installs both)",
                  file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, lambda s, f: (_ for _ in ()).throw(SystemExit(128 + s)))

    with tempfile.TemporaryDirectory(prefix="newsportal-front-") as scratch_name:
        scratch = Path(scratch_name)
        data_dir, log = scratch / "data", scratch / "server.log"
        data_dir.mkdir()
        if args.articles:
            P.prepare_corpus(data_dir, args.articles, log)
        app_port, front_port = P.free_port(), P.free_port()
        app_base, front = f"http://{P.HOST}:{app_port}", f"http://{P.HOST}:{front_port}"
        os.environ["NEWSPORTAL_FRONT_URL"] = front
        server = P.start_server(data_dir, app_port, log)
        nginx = None
        try:
            P.wait_ready(server, app_base, log)
            pid = P.server_pid(server.pid)
            paths, total = P.article_paths(app_base)
            copy_dir = scratch / "copy"
            copy_dir.mkdir()
            with urllib.request.urlopen(app_base + paths[0], timeout=30) as resp:
                (copy_dir / "article.html").write_bytes(resp.read())
            site = NginxSite(
                listen=f"{P.HOST}:{front_port}", upstreams=(f"{P.HOST}:{app_port}",), static_dir=STATIC,
                media_dir=data_dir / "media", cache_dir=scratch / "nginx" / "cache", prefix=scratch / "nginx",
                user="root" if os.geteuid() == 0 else None,
                extra_locations=[f"""
        location /static-copy/ {{
            alias {copy_dir}/;
            default_type text/html;
        }}
"""])
            prepare_prefix(site)
            conf = scratch / "nginx.conf"
            conf.write_text(render(site), encoding="utf-8")
            nginx = start_nginx(conf, site.prefix, front_port)
            for path in paths + ["/"]:  # fill nginx's cache as a live site's traffic would
                with urllib.request.urlopen(front + path, timeout=30) as resp:
                    resp.read()
            script = P.rotation_script(paths, scratch)
            results = {
                "static": P.measure(front, "static copy", "/static-copy/article.html", None, args.duration, pid),
                "article": P.measure(front, "article via nginx", paths[0], script, args.duration, pid),
                "home": P.measure(front, "home via nginx", "/", None, args.duration, pid),
            }
        finally:
            if nginx is not None:
                nginx.terminate()
                nginx.wait(timeout=30)
            P.stop_server(server)
    static_rps = results["static"]["rps"]
    report = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": P.base_machine_info(),
              "articles": total, "connections": P.CONNECTIONS, "duration_s": args.duration, "results": {}}
    print(f"\n{total} published articles; wrk {P.CONNECTIONS} connections, {args.duration} s each")
    print(f"{'scenario':<20}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}  targets: ratio >= "
          f"{TARGETS['ratio']}, p99 < {TARGETS['p99_ms']} ms")
    for name, r in results.items():
        ratio = r["rps"] / static_rps if static_rps else 0.0
        ok = name == "static" or (ratio >= TARGETS["ratio"] and (r["p99_ms"] or 1e9) < TARGETS["p99_ms"])
        print(f"{name:<20}{r['rps']:>10.0f}{r['p50_ms'] or 0:>9.2f}{r['p99_ms'] or 0:>9.2f}{ratio:>8.2f}"
              f"  {'ok' if ok else 'MISSED'}{'' if r['clean'] else '  (errors: see JSON)'}")
        report["results"][name] = {k: v for k, v in r.items() if k != "wrk_output"} | {"ratio": round(ratio, 3)}
    P.RESULTS.mkdir(parents=True, exist_ok=True)
    out = P.RESULTS / f"front-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
