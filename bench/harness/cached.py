"""Job search with the answer cache on (`search.job_cache_mib`). Every other phase runs with it
off, so each figure here has its cache-off twin from the same run: the service is restarted with
the cache on, and the mix and the Zipf log are searched again. The hit rate is read from the
service's own counters (`job_search_cache_hits_total` and `..._misses_total` on /metrics)."""

from __future__ import annotations

import urllib.request

from . import openloop
from .common import CONCURRENCY, log
from .load import closed_loop, search_urls
from .service import Service

CACHE_MIB = 64
COUNTERS = ("job_search_cache_hits_total", "job_search_cache_misses_total")


def cache_on(bench):
    """Restarts the service with the cache on; the mix at each concurrency, then the Zipf log
    (closed and open loop), each with the hits and misses it made."""
    metrics_port = bench.args.port + 1
    env = dict(bench.env, TALENTBRIDGE__SEARCH__JOB_CACHE_MIB=str(CACHE_MIB),
               TALENTBRIDGE__APPLICATION__METRICS_BIND=f"127.0.0.1:{metrics_port}")
    bench.service.stop()
    log(f"restarting the service with a {CACHE_MIB} MiB job search cache")
    bench.service = Service(bench.binary, bench.data, env, bench.work, bench.args.port)
    bench.service.start()
    read = lambda: counters(metrics_port)  # noqa: E731 — the one place that reads them
    start = read()
    mix = closed_loop(bench, "HTTP search, cache on", search_urls(bench), CONCURRENCY)
    after_mix = read()
    zipf = openloop.zipf_search(bench)
    after_zipf = read()
    return {
        "mib": CACHE_MIB,
        "mix": mix,
        "mix_cache": hit_rate(start, after_mix),
        "zipf": zipf,
        "zipf_cache": hit_rate(after_mix, after_zipf),
    }


def counters(port):
    """The cache's hits and misses so far."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        return parse_counters(response.read().decode())


def parse_counters(text):
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in COUNTERS:
            values[name] = int(float(value))
    return {"hits": values.get(COUNTERS[0], 0), "misses": values.get(COUNTERS[1], 0)}


def hit_rate(before, after):
    """Hits and misses between two readings, and the share of hits."""
    hits, misses = after["hits"] - before["hits"], after["misses"] - before["misses"]
    return {"hits": hits, "misses": misses, "hit_rate": hits / (hits + misses) if hits + misses else None}
