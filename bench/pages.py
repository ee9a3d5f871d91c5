#!/usr/bin/env python3
"""Page benchmark: throughput, latency and peak memory of the reader pages under wrk.

Starts the portal exactly as ``./dev demo`` does (``newsportal serve``, one process, SQLite in a fresh
data directory with the demo content), loads it with Debian's ``wrk`` from 127.0.0.1 at 64 connections
and reads the server's peak RSS from ``/proc``. The figures are compared against the targets below and
written to ``bench/results/pages-<UTC timestamp>.json``.

    .venv/bin/python bench/pages.py [--duration 15] [--articles N] [--data-dir DIR] [--scenarios article,home]

Only the standard library is used, so the script runs with any Python ≥ 3.11 and adds nothing to the
project's dependencies. Every step has a time bound and the server is always stopped, even on Ctrl+C.
A target that is missed does not change the exit status (this is a measurement, not a test); a server
that does not start, or a wrk that fails, does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from _machine import machine_info as base_machine_info

ROOT = Path(__file__).resolve().parent.parent
NEWSPORTAL = ROOT / ".venv" / "bin" / "newsportal"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS = ROOT / "bench" / "results"
WRK = "/usr/bin/wrk"
HOST = "127.0.0.1"  # all traffic stays on the loopback interface

# wrk settings: the server is a single process on a 2-core machine, so one wrk thread (one core for the
# load generator, one for the server) and 64 connections, enough to keep the server saturated.
CONNECTIONS = 64
THREADS = 1
WRK_TIMEOUT = "2s"  # wrk's default, stated explicitly: slower replies are counted as timeout errors
WARMUP_SECONDS = 3
MAX_ARTICLES = 500

STARTUP_TIMEOUT = 300  # first start loads ~138 demo articles and a day of simulated traffic
PREPARE_TIMEOUT = 3600  # `newsportal demo --articles N` for big synthetic corpora
STOP_TIMEOUT = 10  # between SIGTERM and SIGKILL

SCENARIOS = {
    "article": None,  # rotating over the article paths fetched from the API (see article_paths)
    "home": "/",
    "channel": "/channel/news",
}

TARGETS = {
    "article_rps": 1500.0,  # article page, requests per second, at least
    "article_p99_ms": 100.0,  # article page, 99th percentile latency, below
    "server_memory_mb": 300.0,  # server peak RSS (VmHWM) over the whole run, below
}


class BenchError(Exception):
    """A failure that makes the measurement meaningless (server did not start, wrk failed)."""


# -- machine and process facts ---------------------------------------------------------------------
def machine_info() -> dict:
    """The shared machine facts, with the Python of the server's venv (the one that is measured)."""
    info = base_machine_info()
    if VENV_PYTHON.exists():
        try:
            out = subprocess.run(
                [str(VENV_PYTHON), "-c", "import platform; print(platform.python_version())"],
                capture_output=True, text=True, timeout=30, check=True,
            )
            info["python"] = out.stdout.strip()
        except (subprocess.SubprocessError, OSError):
            pass
    return info


def _proc_status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def _kb_to_mb(value: str) -> float:
    """/proc/<pid>/status reports memory as 'NNN kB'; MB here means MiB, as ps and top use."""
    return round(int(value.split()[0]) / 1024, 1)


def _children(pid: int) -> list[int]:
    """Child pids found by scanning /proc (works without CONFIG_PROC_CHILDREN)."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name in parentheses may contain spaces: the ppid is the 2nd field after the ')'
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            kids.append(int(entry))
    return kids


def server_pid(pid: int) -> int:
    """The python process that actually serves: the spawned process itself, or its python descendant.

    ``.venv/bin/newsportal`` is a python console script, so normally the spawned pid is the server. If it
    ever becomes a shell wrapper, its memory would be meaningless, so look for the python child instead.
    """
    queue = [pid]
    while queue:
        current = queue.pop(0)
        try:
            name = _proc_status(current).get("Name", "")
        except OSError:
            continue
        if name.startswith("python") or name == "newsportal":
            return current
        queue.extend(_children(current))
    return pid


def memory(pid: int) -> dict:
    """Peak (VmHWM) and current (VmRSS) resident memory of the server, in MB."""
    status = _proc_status(pid)
    return {"peak_rss_mb": _kb_to_mb(status["VmHWM"]), "rss_mb": _kb_to_mb(status["VmRSS"])}


# -- the server ------------------------------------------------------------------------------------
def free_port() -> int:
    """A port the kernel says is free right now (the tiny race until the server binds is acceptable)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env() -> dict:
    """The caller's environment minus settings that would point the server away from --data-dir.

    A NEWSPORTAL_DATABASE_URL left in the shell (e.g. a PostgreSQL URL) would silently benchmark
    another database; the benchmark is defined on the SQLite store in its own data directory.
    """
    env = dict(os.environ)
    for key in ("NEWSPORTAL_DATABASE_URL", "NEWSPORTAL_DATA_DIR", "NEWSPORTAL_SITE_URL"):
        env.pop(key, None)
    return env


def prepare_corpus(data_dir: Path, articles: int, log: Path) -> None:
    """Add a synthetic corpus before the server starts, so memory is measured with a bigger store."""
    print(f"loading demo + {articles} synthetic articles into {data_dir} (up to {PREPARE_TIMEOUT} s) …",
          flush=True)
    cmd = [str(NEWSPORTAL), "demo", "--articles", str(articles), "--data-dir", str(data_dir)]
    started = time.monotonic()
    with open(log, "ab") as out:
        try:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=PREPARE_TIMEOUT,
                                  env=server_env(), cwd=ROOT)
        except subprocess.TimeoutExpired as exc:
            raise BenchError(f"`newsportal demo --articles {articles}` did not finish in {PREPARE_TIMEOUT} s") from exc
    if proc.returncode != 0:
        raise BenchError(f"`newsportal demo --articles {articles}` failed (exit {proc.returncode}):\n{tail(log)}")
    print(f"corpus ready in {time.monotonic() - started:.0f} s", flush=True)


def start_server(data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    """Start ``newsportal serve`` as the README does; output goes to a file so a full pipe never blocks it."""
    cmd = [str(NEWSPORTAL), "serve", "--port", str(port), "--data-dir", str(data_dir)]
    out = open(log, "ab")
    try:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=server_env(), cwd=ROOT)
    finally:
        out.close()  # the child has its own descriptor


def wait_ready(proc: subprocess.Popen, base: str, log: Path, timeout: float = STARTUP_TIMEOUT) -> float:
    """Poll ``GET /`` until it answers 200; the first start loads the demo, which takes a while."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"the server exited during start-up (exit {proc.returncode}):\n{tail(log)}")
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as resp:
                if resp.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.5)
    raise BenchError(f"the server did not answer GET / with 200 within {timeout:.0f} s:\n{tail(log)}")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM (uvicorn flushes the counters and closes the store), SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text("utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


# -- the corpus ------------------------------------------------------------------------------------
def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.load(resp)


def article_paths(base: str, limit: int = MAX_ARTICLES) -> tuple[list[str], int]:
    """Up to ``limit`` article paths from the JSON API, newest first, and the number of published articles.

    ``/article/<id>`` answers 200 directly (no redirect to the slug URL), so wrk measures the page itself.
    """
    paths: list[str] = []
    page, pages, total = 1, 1, 0
    while page <= pages and len(paths) < limit:
        data = get_json(f"{base}/api/v1/articles?per_page=100&page={page}")
        pages, total = data["pages"], data["total"]
        paths.extend(f"/article/{item['id']}" for item in data["items"])
        page += 1
    return paths[:limit], total


# -- wrk -------------------------------------------------------------------------------------------
def rotation_script(paths: list[str], directory: Path) -> Path:
    """A wrk Lua script that requests the paths in turn, so the run covers many articles, not one."""
    body = ",\n".join(json.dumps(p) for p in paths)  # JSON string literals are valid Lua for these paths
    script = directory / "rotate.lua"
    script.write_text(
        "local paths = {\n" + body + "\n}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n",
        encoding="utf-8",
    )
    return script


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(value: str, unit: str) -> float:
    return round(float(value) * _UNITS_MS[unit], 3)


def parse_wrk(output: str) -> dict:
    """Requests/sec, latency percentiles (ms), request count and error counts from wrk's text report."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if rps is None:
        raise BenchError(f"could not read wrk's output:\n{output}")
    result: dict = {"rps": float(rps.group(1))}
    for pct in (50, 75, 90, 99):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
        result[f"p{pct}_ms"] = to_ms(m.group(1), m.group(2)) if m else None
    m = re.search(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h)", output, re.M)
    result["requests"] = int(m.group(1)) if m else None
    result["seconds"] = round(to_ms(m.group(2), m.group(3)) / 1000, 2) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx_3xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = (
        dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups()), strict=True))
        if m else {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    )
    result["clean"] = result["non_2xx_3xx"] == 0 and sum(result["socket_errors"].values()) == 0
    return result


def run_wrk(url: str, seconds: int, script: Path | None) -> str:
    """One bounded wrk run against 127.0.0.1; returns its text report."""
    cmd = [WRK, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", WRK_TIMEOUT]
    if script is not None:
        cmd += ["-s", str(script)]
    cmd.append(url)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"wrk did not finish within {seconds + 60} s") from exc
    if proc.returncode != 0:
        raise BenchError(f"wrk failed (exit {proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the server process has used so far (from /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(base: str, name: str, path: str, script: Path | None, duration: int, pid: int) -> dict:
    """Warm up (fills the page cache and the worker threads), then measure.

    Besides wrk's throughput and latency, the server's own CPU time per request is recorded: on a machine
    that other work shares it varies far less than requests per second, so it is the figure to compare two
    commits by.
    """
    url = base + path
    print(f"{name}: warm-up {WARMUP_SECONDS} s, then {duration} s at {CONNECTIONS} connections …", flush=True)
    run_wrk(url, WARMUP_SECONDS, script)
    cpu_before = cpu_seconds(pid)
    output = run_wrk(url, duration, script)
    cpu_used = cpu_seconds(pid) - cpu_before
    result = parse_wrk(output)
    result["server_cpu_us_per_request"] = (
        round(cpu_used / result["requests"] * 1e6, 1) if result.get("requests") else None)
    result["path"] = path
    result["wrk_output"] = output
    return result


# -- report ----------------------------------------------------------------------------------------
def check_targets(results: dict, mem: dict) -> list[dict]:
    """Targets against the measured figures; an article run with errors cannot pass (its figures lie)."""
    checks = []
    article = results.get("article")
    if article is not None:
        note = "" if article["clean"] else "run had errors"
        checks.append({
            "target": f"article page >= {TARGETS['article_rps']:.0f} req/s",
            "value": article["rps"], "pass": article["clean"] and article["rps"] >= TARGETS["article_rps"],
            "note": note,
        })
        p99 = article["p99_ms"]
        checks.append({
            "target": f"article page p99 < {TARGETS['article_p99_ms']:.0f} ms",
            "value": p99, "pass": article["clean"] and p99 is not None and p99 < TARGETS["article_p99_ms"],
            "note": note,
        })
    checks.append({
        "target": f"server memory (peak RSS) < {TARGETS['server_memory_mb']:.0f} MB",
        "value": mem["peak_rss_mb"], "pass": mem["peak_rss_mb"] < TARGETS["server_memory_mb"], "note": "",
    })
    return checks


def _fmt(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_report(report: dict) -> None:
    m = report["machine"]
    print()
    print(f"山海新闻 page benchmark  {report['timestamp']}")
    print(f"machine: {m['nproc']} cores, {m['cpu_model']}, Python {m['python']}")
    print(f"corpus: {report['corpus']['published_articles']} published articles, "
          f"{report['corpus']['article_paths']} article paths rotated; "
          f"wrk {THREADS} thread, {CONNECTIONS} connections, {report['duration_s']} s per scenario")
    print()
    header = f"{'scenario':<9} {'req/s':>9} {'p50 ms':>8} {'p75 ms':>8} {'p90 ms':>8} {'p99 ms':>8} " \
             f"{'requests':>9} {'non-2xx/3xx':>11} {'sock err':>8} {'cpu µs/req':>10}"
    print(header)
    print("-" * len(header))
    for name, r in report["scenarios"].items():
        errors = sum(r["socket_errors"].values())
        flag = "" if r["clean"] else "  << ERRORS"
        print(f"{name:<9} {r['rps']:>9.1f} {_fmt(r['p50_ms']):>8} {_fmt(r['p75_ms']):>8} {_fmt(r['p90_ms']):>8} "
              f"{_fmt(r['p99_ms']):>8} {r['requests'] or 0:>9} {r['non_2xx_3xx']:>11} {errors:>8} "
              f"{_fmt(r.get('server_cpu_us_per_request')):>10}{flag}")
    mem = report["server_memory"]
    print()
    print(f"server memory: peak RSS (VmHWM) {mem['peak_rss_mb']:.1f} MB, RSS at end {mem['rss_mb']:.1f} MB, "
          f"RSS after start {mem['rss_after_start_mb']:.1f} MB (pid {mem['pid']})")
    print()
    for c in report["targets"]:
        note = f"  ({c['note']})" if c["note"] else ""
        print(f"  {'PASS' if c['pass'] else 'FAIL'}  {c['target']:<40} measured {_fmt(c['value'])}{note}")
    print()


# -- main ------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark the newsportal reader pages with wrk (127.0.0.1 only).")
    p.add_argument("--duration", type=int, default=15, help="seconds per measured scenario (default 15)")
    p.add_argument("--articles", type=int, default=0,
                   help="first run `newsportal demo --articles N` to add a synthetic corpus")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="reuse this data directory instead of a fresh temporary one (kept afterwards)")
    p.add_argument("--scenarios", default="article,home",
                   help=f"comma-separated, from {','.join(SCENARIOS)} (default article,home)")
    p.add_argument("--cold", action="store_true",
                   help="skip the pre-warm pass: measure while article pages are rendered for the first time")
    args = p.parse_args(argv)
    if not 1 <= args.duration <= 600:
        p.error("--duration must be between 1 and 600 seconds")
    if args.articles < 0:
        p.error("--articles must be >= 0")
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in args.scenarios if s not in SCENARIOS]
    if unknown or not args.scenarios:
        p.error(f"unknown scenario(s) {unknown}; choose from {','.join(SCENARIOS)}")
    return args


def _sigterm(signum, frame):  # turn SIGTERM into an exception so the finally blocks stop the server
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (os.path.isfile(WRK) and os.access(WRK, os.X_OK)):
        print(f"wrk not found at {WRK}: run `./dev bench`, which installs Debian's wrk", file=sys.stderr)
        return 2
    if not NEWSPORTAL.exists():
        print(f"{NEWSPORTAL} not found: run `./dev bench` (or `./dev demo`) to install into .venv",
              file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _sigterm)

    with tempfile.TemporaryDirectory(prefix="newsportal-bench-") as scratch_name:
        scratch = Path(scratch_name)
        data_dir = args.data_dir.resolve() if args.data_dir else scratch / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        log = scratch / "server.log"
        if args.articles:
            prepare_corpus(data_dir, args.articles, log)

        port = free_port()
        base = f"http://{HOST}:{port}"
        print(f"starting newsportal serve on {base} (data dir {data_dir}) …", flush=True)
        proc = start_server(data_dir, port, log)
        try:
            startup = wait_ready(proc, base, log)
            pid = server_pid(proc.pid)
            rss_after_start = memory(pid)["rss_mb"]
            print(f"server ready in {startup:.1f} s (pid {pid}, RSS {rss_after_start:.1f} MB)", flush=True)

            paths, total = article_paths(base)
            if not paths and "article" in args.scenarios:
                raise BenchError("the API lists no published articles")

            if not args.cold:
                # Steady state: every rotated article rendered once, as a live site's cache would hold them.
                t = time.monotonic()
                for path in paths:
                    with urllib.request.urlopen(base + path, timeout=30) as resp:
                        resp.read()
                print(f"pre-warmed {len(paths)} article pages in {time.monotonic() - t:.1f} s", flush=True)

            results = {}
            for name in args.scenarios:
                if name == "article":
                    script = rotation_script(paths, scratch)
                    # with a script wrk takes the paths from Lua; the URL only names host and port
                    results[name] = measure(base, name, paths[0], script, args.duration, pid)
                    results[name]["path"] = f"/article/<id> rotating over {len(paths)} articles"
                else:
                    results[name] = measure(base, name, SCENARIOS[name], None, args.duration, pid)
            if proc.poll() is not None:
                raise BenchError(f"the server died during the run (exit {proc.returncode}):\n{tail(log)}")
            mem = memory(pid)
            mem.update(pid=pid, rss_after_start_mb=rss_after_start)
        finally:
            stop_server(proc)

    now = dt.datetime.now(dt.UTC)
    report = {
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine_info(),
        "settings": {"connections": CONNECTIONS, "threads": THREADS, "warmup_s": WARMUP_SECONDS,
                     "prewarmed_article_pages": not args.cold,
                     "wrk_timeout": WRK_TIMEOUT, "host": HOST},
        "duration_s": args.duration,
        "corpus": {"published_articles": total, "article_paths": len(paths),
                   "synthetic_articles_added": args.articles, "data_dir": str(args.data_dir or "(temporary)")},
        "startup_s": round(startup, 1),
        "scenarios": results,
        "server_memory": mem,
    }
    report["targets"] = check_targets(results, mem)
    print_report(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"pages-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
