#!/usr/bin/env python3
"""TalentBridge benchmarks: one command, one data set, every figure of issue #7.

    python3 bench/run.py            # 1,000,000 jobs and 200,000 candidates
    python3 bench/run.py --small    # 20,000 jobs and 5,000 candidates, for a quick look

Run from anywhere inside the repository. It needs PostgreSQL (psql, pgbench, a server whose user
may create databases; `--pg-url`), a Rust toolchain, and `oha` (installed into bench/.tools from
crates.io when missing). Python 3.11 standard library only.

What it does, in order, on a fresh database `talentbridge_bench` (dropped first):
  1. builds the release binary and the in-process runner (examples/search_floor.rs);
  2. `talentbridge seed-demo` then `talentbridge reindex`, timed (documents/s, index size);
  3. PostgreSQL as packaged: a table of the open jobs with a weighted English tsvector (GIN)
     and pg_trgm (GIN) over the same text, timed;
  4. its result quality: each query of bench/queries.json on tantivy and on it;
  5. the floor: the same queries in-process on tantivy at 1, 16 and 64 threads;
  6. PostgreSQL as packaged at 1, 16 and 64 clients (pgbench, one script per query), then the
     peers at equal quality on our analysed tokens (SQLite FTS5, Xapian, PostgreSQL) beside the
     floor on the mix and the Zipf log, one search at a time; PostgreSQL's also under pgbench at
     16 clients, answering what the service answers: the search baseline;
  7. the service: HTTP search at 1, 16 and 64 connections (oha), then rounds of the floor and
     HTTP in turn at 1 and 16 (bench/harness/alternated.py: the HTTP / floor throughput target is
     judged on their median ratio), each query alone, then on a Zipf-distributed log
     of distinct queries at 1 and 16 connections and open loop at rising arrival rates until it
     saturates (bench/harness/querylog.py, openloop.py), matching both ways, talent search
     as an employer with a page of 20 and of 1 (bench/harness/talent.py),
     publish-to-searchable lag over 200 jobs, login throughput, search under a login storm,
     resident memory at rest and under load;
  8. writes bench/results.json and bench/RESULTS.md (bench/changes.md is included after the
     figures and bench/notes.md appended, when present).

No figure is asserted: the report says which targets are met. The code is in bench/harness/,
one module per job (its __init__ lists them).
"""

from harness.cli import main

if __name__ == "__main__":
    main(description=__doc__)
