"""The floor: the handler's search function in-process on the index (examples/search_floor.rs),
no HTTP, JSON or database. It opens the index's writer lock, so it runs while the service is
stopped."""

from __future__ import annotations

import json

from .common import BENCH, CONCURRENCY, log, run


def run_floor(bench, check):
    """Runs the floor at each concurrency; `check` maps each query's name to PostgreSQL's top ids,
    which the floor says its own text query matches or not."""
    log("floor: tantivy in-process (service stopped)")
    check_file = bench.work / "pg_top.json"
    check_file.write_text(json.dumps(check))
    out_file = bench.work / "floor.json"
    run([str(bench.floor_binary), "--data-dir", str(bench.data), "--queries", str(BENCH / "queries.json"),
         "--concurrency", ",".join(map(str, CONCURRENCY)), "--seconds", str(bench.seconds),
         "--check", str(check_file), "--out", str(out_file)], env=bench.env, capture=False)
    return json.loads(out_file.read_text())
