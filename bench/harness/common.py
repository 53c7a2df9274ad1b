"""What every part of the harness shares: where things are, the sizes, logging, running a
command, and the facts about the run (machine, commit, time)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = "demo.talentbridge.example"
FULL = {"jobs": 1_000_000, "candidates": 200_000}
SMALL = {"jobs": 20_000, "candidates": 5_000}
CONCURRENCY = [1, 16, 64]
GIB = 1024**3


def open_job(table=""):
    """SQL: the job is searchable, open and not expired (the rule of the service's index)."""
    t = f"{table}." if table else ""
    return f"{t}status = 'open' AND ({t}expires_at IS NULL OR {t}expires_at > (now() AT TIME ZONE 'utc'))"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd, env=None, cwd=ROOT, capture=True, check=True, input_=None):
    """capture: True (both streams), False (neither) or "stdout" (progress bars on stderr show)."""
    result = subprocess.run(
        cmd,
        env=env,
        cwd=cwd,
        input=input_,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture is True else None,
    )
    if check and result.returncode != 0:
        raise SystemExit(
            f"command failed ({result.returncode}): {' '.join(map(str, cmd))}\n"
            f"{(result.stdout or '')[-3000:]}\n{(result.stderr or '')[-3000:]}"
        )
    return result


def now_iso():
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def git_commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True).stdout.strip()
    except OSError:
        return None


def machine():
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_bytes": memory, "os": platform.platform()}


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total
