"""Percentiles and latency summaries (the same rules as examples/search_floor.rs)."""

from __future__ import annotations

import math
import time


def percentile(values, p):
    """Nearest rank on unsorted values (the same rule as examples/search_floor.rs)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(p / 100.0 * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def summarize_ms(latencies_ms, seconds=None):
    """p50/p95/p99/max of latencies in milliseconds, with throughput when a duration is given."""
    out = {
        "requests": len(latencies_ms),
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "p99_ms": percentile(latencies_ms, 99),
        "max_ms": max(latencies_ms) if latencies_ms else None,
    }
    if seconds:
        out["seconds"] = seconds
        out["throughput"] = len(latencies_ms) / seconds
    return out


def p50_p99(latencies_ms):
    return {"requests": len(latencies_ms), "p50_ms": percentile(latencies_ms, 50),
            "p99_ms": percentile(latencies_ms, 99)}


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def elapsed_ms(call):
    """(what `call()` returned, how long it took in ms)."""
    t0 = time.perf_counter()
    value = call()
    return value, (time.perf_counter() - t0) * 1000
