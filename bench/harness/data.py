"""The data set: a fresh database and data directory, `seed-demo`, and `reindex` timed with the
size of the indexes it leaves on disk."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from .common import open_job, dir_bytes, log, run

REINDEX_LINE = r"^(\w+): (\d+) documents in ([0-9.]+) s \(([0-9.]+)/s\), at event (-?\d+), now live in (.+)$"


def parse_reindex(output):
    """`reindex` prints a line per index: `jobs: 123 documents in 4.5 s (27333/s), at event 9,
    now live in DIR`."""
    found = {}
    for line in output.splitlines():
        match = re.match(REINDEX_LINE, line.strip())
        if match:
            found[match.group(1)] = {
                "documents": int(match.group(2)),
                "seconds": float(match.group(3)),
                "per_s": float(match.group(4)),
                "dir": match.group(6).strip(),
            }
    return found


def parse_seed(output):
    """seed-demo's closing `wrote … in N s` line: (the line, N), or (None, None)."""
    wrote = re.search(r"wrote .* in ([0-9.]+) s", output or "")
    return (wrote.group(0), float(wrote.group(1))) if wrote else (None, None)


def fresh_database(bench):
    log(f"fresh database {bench.pg.db} and data directory {bench.data}")
    bench.pg.psql(f'DROP DATABASE IF EXISTS "{bench.pg.db}" WITH (FORCE)', db="postgres")
    bench.pg.psql(f'CREATE DATABASE "{bench.pg.db}"', db="postgres")
    if bench.data.exists():
        shutil.rmtree(bench.data)
    bench.data.mkdir(parents=True)


def seed(bench):
    size = bench.size
    log(f"seed-demo --jobs {size['jobs']} --candidates {size['candidates']}")
    start = time.perf_counter()
    out = bench.cli("seed-demo", "--jobs", str(size["jobs"]), "--candidates", str(size["candidates"]),
                    "--seed", str(bench.args.seed), capture="stdout")
    seconds = time.perf_counter() - start
    print(out.stdout, end="", flush=True)
    summary, write_seconds = parse_seed(out.stdout)
    return {"seconds": seconds, "write_seconds": write_seconds, "summary": summary}


def reindex(bench):
    log("reindex")
    start = time.perf_counter()
    out = bench.cli("reindex")
    seconds = time.perf_counter() - start
    jobs = int(bench.pg.value(f"SELECT count(*) FROM jobs WHERE {open_job()}"))
    candidates = int(bench.pg.value("SELECT count(*) FROM candidates WHERE erased_at IS NULL"))
    reported = parse_reindex(out.stdout or "")
    sizes = index_sizes(bench, reported)
    log(f"reindex: {jobs + candidates} documents in {seconds:.1f} s")
    return {
        "seconds": seconds,
        "jobs": jobs,
        "candidates": candidates,
        "documents": jobs + candidates,
        "docs_per_s": (jobs + candidates) / seconds,
        "jobs_per_s_of_total_time": jobs / seconds,
        "jobs_index_bytes": sizes["jobs"],
        "candidates_index_bytes": sizes["candidates"],
        "index_bytes": sum(sizes.values()),
        "reported": reported,
        "output": (out.stdout or "").strip()[-2000:],
    }


def index_sizes(bench, reported):
    """Bytes on disk of the live directory of each index `reindex` named."""
    sizes = {}
    for name in ("jobs", "candidates"):
        live = reported.get(name, {}).get("dir")
        sizes[name] = dir_bytes(Path(live)) if live else None
    if None in sizes.values():
        bench.warn("reindex did not say where the indexes are; measuring the whole index directory")
        sizes = {"jobs": dir_bytes(bench.data / "index"), "candidates": 0}
    return sizes


def vocabulary_cost(bench):
    """What writing the other side's words as the Mainland's costs a reindex and the jobs index's
    size: `reindex` with the rewriting off (`search.vocabulary = false`), then on, one after the
    other in the same conditions, each into a scratch data directory deleted afterwards."""
    runs = {}
    for name, setting in (("off", "false"), ("on", "true")):
        scratch = bench.work / f"data-vocabulary-{name}"
        shutil.rmtree(scratch, ignore_errors=True)
        log(f"reindex with the vocabulary {name}")
        env = {**bench.env, "TALENTBRIDGE__SEARCH__VOCABULARY": setting}
        out = run([str(bench.binary), "reindex", "--data-dir", str(scratch)], env=env)
        jobs = parse_reindex(out.stdout or "").get("jobs", {})
        runs[name] = {
            "jobs_per_s": jobs.get("per_s"),
            "seconds": jobs.get("seconds"),
            "jobs_index_bytes": dir_bytes(Path(jobs["dir"])) if jobs.get("dir") else None,
        }
        shutil.rmtree(scratch, ignore_errors=True)
    return runs
