"""The floor: the handler's search function in-process on the index (examples/search_floor.rs),
no HTTP, JSON or database. It opens the indexes read-only (no writer lock) at what was last
committed, so it runs with the service stopped or beside it (alternated.py)."""

from __future__ import annotations

import json

from .common import BENCH, CONCURRENCY, log, run


def run_floor(bench, check):
    """Runs the floor at each concurrency; `check` maps each query's name to PostgreSQL's top ids,
    which the floor says its own text query matches or not."""
    log("floor: tantivy in-process")
    check_file = bench.work / "pg_top.json"
    check_file.write_text(json.dumps(check))
    return search_floor(bench, CONCURRENCY, bench.seconds, bench.work / "floor.json", check_file)


def search_floor(bench, levels, seconds, out_file, check_file=None):
    """examples/search_floor on the query mix at each number of threads of `levels`, `seconds`
    each; returns what it wrote to `out_file` (its answers, and one run per level)."""
    args = [str(bench.floor_binary), "--data-dir", str(bench.data), "--queries", str(BENCH / "queries.json"),
            "--concurrency", ",".join(map(str, levels)), "--seconds", str(seconds), "--out", str(out_file)]
    if check_file is not None:
        args += ["--check", str(check_file)]
    run(args, env=bench.env, capture=False)
    return json.loads(out_file.read_text())
