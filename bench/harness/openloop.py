"""Job search on the Zipf query log (querylog.py) over HTTP: closed loop at 1 and 16 connections,
then open loop — requests sent at a fixed rate whatever the answers' pace — up a ladder of rates
until the service saturates.

Open loop is oha with `-q RATE --latency-correction` (oha 1.15, src/lib.rs and src/client.rs
`work_until_with_qps_latency_correction`): request i is due at start + i / RATE and waits in oha
for a free connection when all are busy; its latency counts from when it was due, so a queue
shows in the percentiles instead of slowing the arrivals (no coordinated omission). With `-w`
the requests under way at the end are answered; those still waiting are never sent, so a
saturated service answers fewer than were offered.
"""

from __future__ import annotations

from . import querylog
from .common import log
from .load import base_url, closed_loop, oha, oha_checked
from .targets import SEARCH_P99_MS, TARGET_CONCURRENCY

CLOSED_LEVELS = (1, TARGET_CONCURRENCY)
# The target's own rate (targets.SEARCH_RATE) is a step: between 800 and 1,200 a crossing
# could not show whether the target was met.
LADDER = (100, 200, 400, 800, 1000, 1200, 1600, 2400, 3200)
# --small: doubling steps, fewer of them before saturation
SMALL_LADDER = (100, 200, 400, 800, 1600, 3200)
# Enough connections that oha is never what holds the rate back below saturation: by Little's
# law the highest rate at the p99 target needs 3,200/s × 20 ms = 64 requests under way.
OPEN_CONNECTIONS = 64
# A step lasts at least long enough for this many requests, so that its p99 is the 40th slowest
# answer rather than, at 100/s for 8 s, the 8th: a second of a slow host decided the latter.
MIN_STEP_REQUESTS = 4_000
# --small: a quick look, not a headline
SMALL_MIN_STEP_REQUESTS = 500
# Saturated: the service answered less than this share of the offered rate...
SATURATED_SHARE = 0.9
# ...or its p99 exploded past ten times the target (beyond it no higher rate can meet it).
EXPLODED_P99_MS = 10 * SEARCH_P99_MS
# Past saturation: twice the rate that saturated, over more connections than the service lets
# compute and wait (search.max_running_searches + max_waiting_searches, 4 + 256 on 2 cores), so
# its answer to overload shows — searches answered in bounded time, the excess refused at once.
OVERLOAD_FACTOR = 2
OVERLOAD_CONNECTIONS = 512
WARM_UP_SECONDS = 2


def zipf_search(bench):
    """The whole phase: the log and its URL file, a warm-up, closed loop, open loop."""
    query_log = querylog.build()
    urls = querylog.write_urls(query_log, bench.work / "zipf_urls.txt", base_url(bench))
    bench.phase("Zipf log: warm-up")
    oha(bench, "--urls-from-file", str(urls), concurrency=TARGET_CONCURRENCY, seconds=WARM_UP_SECONDS)
    return {
        "log": querylog.summary(query_log),
        "closed": closed_loop(bench, "Zipf log: HTTP search", urls, CLOSED_LEVELS),
        "open": open_loop(bench, urls),
    }


def ladder(bench):
    return SMALL_LADDER if bench.args.small else LADDER


def min_step_requests(bench):
    return SMALL_MIN_STEP_REQUESTS if bench.args.small else MIN_STEP_REQUESTS


def step_seconds(bench, rate):
    """How long one rate of the ladder runs: bench.seconds, or longer at a low rate, until it has
    offered the minimum number of requests."""
    return max(bench.seconds, min_step_requests(bench) / rate)


def open_loop(bench, urls):
    """Each rate of the ladder for step_seconds, stopping after the first that saturates."""
    bench.phase("Zipf log: open loop")
    steps = []
    for rate in ladder(bench):
        seconds = step_seconds(bench, rate)
        log(f"oha: Zipf log at {rate}/s offered, {OPEN_CONNECTIONS} connections, {seconds:.0f} s")
        result = oha_checked(bench, f"Zipf log at {rate}/s", "-q", str(rate), "--latency-correction",
                             "--urls-from-file", str(urls), concurrency=OPEN_CONNECTIONS, seconds=seconds)
        steps.append({**step_figures(rate, result), "seconds": seconds})
        if steps[-1]["saturated"]:
            break
    return {
        "connections": OPEN_CONNECTIONS,
        "seconds": bench.seconds,
        "min_step_requests": min_step_requests(bench),
        "p99_limit_ms": SEARCH_P99_MS,
        "steps": steps,
        "rate_at_p99": rate_at_p99(steps),
        "peak_achieved": max((step["achieved"] for step in steps), default=None),
        "overload": overload(bench, urls, steps[-1]) if steps and steps[-1]["saturated"] else None,
    }


def overload(bench, urls, saturated_step):
    """Twice the first saturated rate over OVERLOAD_CONNECTIONS: how many searches are answered,
    how many refused (503) and how fast."""
    rate = OVERLOAD_FACTOR * saturated_step["offered"]
    log(f"oha: Zipf log at {rate}/s offered, {OVERLOAD_CONNECTIONS} connections, {bench.seconds:.0f} s (overload)")
    result = oha(bench, "-q", str(rate), "--latency-correction", "--urls-from-file", str(urls),
                 concurrency=OVERLOAD_CONNECTIONS, seconds=bench.seconds)
    return overload_figures(rate, result, bench.seconds)


def overload_figures(rate, result, seconds):
    """The overload step from parse_oha: answered and refused counts and rates, latencies of all."""
    codes = result["status_codes"]
    refused = codes.get("503", 0)
    return {
        "offered": rate,
        "connections": OVERLOAD_CONNECTIONS,
        "answered": result["ok"],
        "answered_per_s": result["ok"] / seconds,
        "refused": refused,
        "other_failures": result["requests"] - result["ok"] - refused,
        "p50_ms": result["p50_ms"],
        "p99_ms": result["p99_ms"],
        "max_ms": result["max_ms"],
    }


def achieved_rate(result):
    """Successful answers a second: oha's rate counts every request it finished, failures too."""
    if not result["requests"] or result["throughput"] is None:
        return 0.0
    return result["throughput"] * result["ok"] / result["requests"]


def step_figures(rate, result):
    """One rate of the ladder: offered and achieved rates, latencies, failures (from parse_oha)."""
    step = {
        "offered": rate,
        "achieved": achieved_rate(result),
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "p99_ms": result["p99_ms"],
        "max_ms": result["max_ms"],
        "requests": result["requests"],
        "failed": result["requests"] - result["ok"],
    }
    step["saturated"] = saturated(step)
    return step


def saturated(step):
    """The service no longer keeps up: it answers well below the offered rate, or its tail has
    exploded (no answer at all counts as both)."""
    p99 = step["p99_ms"]
    return step["achieved"] < SATURATED_SHARE * step["offered"] or p99 is None or p99 > EXPLODED_P99_MS


def within_p99(step):
    """The step kept its p99 within the target, with every request answered and none left behind."""
    return (step["p99_ms"] is not None and step["p99_ms"] <= SEARCH_P99_MS
            and not step["failed"] and not step["saturated"])


def rate_at_p99(steps):
    """The headline: the highest offered rate that, with every lower rate of the ladder, kept
    p99 ≤ SEARCH_P99_MS. 0 when the lowest rate already missed it; None without steps."""
    if not steps:
        return None
    best = 0
    for step in steps:
        if not within_p99(step):
            break
        best = step["offered"]
    return best
