"""Facts about the machine a benchmark ran on, recorded with every result (standard library only)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine_info() -> dict:
    """What the figures depend on, so results from different machines are not compared blindly."""
    cpu_model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_mb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_mb = int(line.split()[1]) // 1024
    except OSError:
        pass
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        load = None
    return {
        "loadavg_1_5_15": load,  # other work on the machine skews timings: look here first
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "mem_total_mb": mem_mb,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
