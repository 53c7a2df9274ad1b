"""The command line of bench/run.py."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from .alternated import RATIO_ROUNDS
from .bench import Bench
from .common import BENCH, log
from .figures import figures
from .report import render_file


def parser(description):
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--small", action="store_true", help="20,000 jobs and 5,000 candidates")
    p.add_argument("--jobs", type=int, help="override the number of jobs")
    p.add_argument("--candidates", type=int, help="override the number of candidates")
    p.add_argument("--seed", type=int, default=2026, help="seed-demo's random seed")
    p.add_argument("--seconds", type=float, help="seconds per measurement (default 10, --small 5)")
    p.add_argument("--ratio-rounds", type=int,
                   help="rounds of the floor then HTTP at 1 and 16 connections, --seconds each side: "
                        f"their median HTTP / floor throughput is what the target judges (default "
                        f"{RATIO_ROUNDS}; 0 skips them)")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
                   help="PostgreSQL server (a user that may create databases)")
    p.add_argument("--db", default="talentbridge_bench", help="database to (re)create")
    p.add_argument("--port", type=int, default=18080)
    p.add_argument("--work-dir", default=str(BENCH / "work"), help="data directory, logs, scratch files")
    p.add_argument("--out-dir", default=str(BENCH), help="where results.json and RESULTS.md go")
    p.add_argument("--skip-build", action="store_true", help="use the binaries already built")
    p.add_argument("--reuse", action="store_true",
                   help="keep the database and data directory of an earlier run of the same size (no seed-demo)")
    p.add_argument("--match-subjects", type=int, default=40, help="candidates and jobs whose matches are timed")
    p.add_argument("--match-rounds", type=int, default=5, help="timed requests per subject")
    p.add_argument("--nrt-jobs", type=int, default=200)
    p.add_argument("--poll-ms", type=float, default=5.0, help="search polling interval for the lag")
    p.add_argument("--login-concurrency", type=int, default=16)
    p.add_argument("--phases", nargs="+", choices=["talent"],
                   help="only these service phases, on the data set of the run whose results.json is in "
                        "--out-dir (as --reuse keeps it), their results added to that file")
    p.add_argument("--render", action="store_true",
                   help="only rewrite RESULTS.md from results.json (after editing bench/notes.md)")
    return p


def main(argv=None, description=None):
    args = parser(description).parse_args(argv)
    if args.render:
        render_only(Path(args.out_dir))
        return
    bench = Bench(args)
    try:
        bench.run()
    finally:
        bench.service.stop()


def render_only(out_dir):
    """RESULTS.md from the results.json beside it, the headline figures computed afresh."""
    results = json.loads((out_dir / "results.json").read_text())
    results["figures"] = figures(results)
    render_file(results, out_dir)
    log(f"wrote {out_dir / 'RESULTS.md'}")
