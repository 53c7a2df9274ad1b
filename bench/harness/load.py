"""Load on the service: oha runs and their reports, and HTTP job search (the mix at each
concurrency, each query alone, each query's top 20)."""

from __future__ import annotations

import json

from .common import CONCURRENCY, log, run
from .service import Client, search_path, write_search_urls
from .stats import elapsed_ms, p50_p99


def parse_oha(report):
    """The figures of an `oha --output-format json` report (latencies in seconds there)."""
    summary = report.get("summary", {})
    pct = report.get("latencyPercentiles", {})
    codes = report.get("statusCodeDistribution", {}) or {}
    errors = report.get("errorDistribution", {}) or {}
    ok = sum(n for code, n in codes.items() if str(code).startswith("2"))
    total = sum(codes.values()) + sum(errors.values())

    def ms(value):
        return None if value is None else value * 1000.0

    return {
        "requests": total,
        "ok": ok,
        "status_codes": {str(k): v for k, v in codes.items()},
        "errors": errors,
        "throughput": summary.get("requestsPerSec"),
        "success_rate": summary.get("successRate"),
        "p50_ms": ms(pct.get("p50")),
        "p95_ms": ms(pct.get("p95")),
        "p99_ms": ms(pct.get("p99")),
        "max_ms": ms(summary.get("slowest")),
        "mean_ms": ms(summary.get("average")),
    }


def failures(result):
    """'N requests failed: codes errors' for an oha result with failures, else None."""
    failed = result["requests"] - result["ok"]
    if not failed:
        return None
    return f"{failed} requests failed: {result['status_codes']} {result['errors']}"


def oha(bench, *args, concurrency, seconds):
    cmd = [bench.oha_bin, "--no-tui", "-w", "--output-format", "json", "-c", str(concurrency),
           "-z", f"{seconds}s", *args]
    return parse_oha(json.loads(run(cmd).stdout))


def oha_checked(bench, what, *args, concurrency, seconds):
    """oha, with a warning naming `what` when any request failed."""
    result = oha(bench, *args, concurrency=concurrency, seconds=seconds)
    failed = failures(result)
    if failed:
        bench.warn(f"{what}: {failed}")
    return result


def base_url(bench):
    """The service's address, as the load tool's URLs start."""
    return f"http://127.0.0.1:{bench.args.port}"


def search_urls(bench):
    """A file with one search URL per query of the mix, for oha's --urls-from-file."""
    return write_search_urls(bench.work / "search_urls.txt", base_url(bench), [q["params"] for q in bench.queries])


def closed_loop(bench, what, urls, levels):
    """oha on the URL file `urls` at each number of connections of `levels`, for bench.seconds
    each: each connection sends its next request when the last one is answered."""
    results = {}
    for c in levels:
        bench.phase(f"{what} at {c} connections")
        log(f"oha: {what} at {c} connections for {bench.seconds:.0f} s")
        results[str(c)] = oha_checked(bench, f"{what} at {c}", "--urls-from-file", str(urls),
                                      concurrency=c, seconds=bench.seconds)
    return results


def http_search(bench):
    urls = search_urls(bench)
    # warm-up: every query a few times, unmeasured
    client = Client(bench.args.port)
    for _ in range(3):
        for q in bench.queries:
            client.request("GET", search_path(q["params"]))
    return closed_loop(bench, "HTTP search", urls, CONCURRENCY)


def http_per_query(bench, repeats=30):
    """Each query alone, one connection, one request at a time (Python's client: its own
    overhead, a few tenths of a millisecond, is included)."""
    client = Client(bench.args.port)
    out = {}
    for q in bench.queries:
        path = search_path(q["params"])
        lat = [elapsed_ms(lambda: client.request("GET", path))[1] for _ in range(repeats)]
        out[q["name"]] = p50_p99(lat)
    return out


def http_tops(bench):
    """Each query's top 20 ids as the HTTP search answers them."""
    client = Client(bench.args.port)
    tops = {}
    for q in bench.queries:
        status, body = client.request("GET", search_path(q["params"]))
        if status != 200:
            bench.warn(f"search {q['name']}: {status} {body}")
            continue
        tops[q["name"]] = [hit["job"]["id"] for hit in body["hits"]]
    return tops
