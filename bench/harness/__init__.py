"""The benchmark harness behind `bench/run.py`, one module per job:

    cli          the command line and the entry point (`main`)
    bench        the run: its state (`Bench`) and the order of the phases
    common       paths, sizes, logging, running commands, the machine and the commit
    stats        percentiles, latency summaries, ratios
    postgres     psql against the benchmark's database
    service      the binaries (build, oha), the service's lifecycle, its RSS, an HTTP client
    data         a fresh database, seed-demo, reindex (timing, index size)
    pg_baseline  PostgreSQL as packaged: its table, statements, answers; pgbench at a level
    quality      tantivy's answers against PostgreSQL as packaged
    peers        the peers at equal quality: our analysis exported, the workloads, the comparison
    peer_engines SQLite FTS5 and Xapian on those tokens (run under Debian's Python)
    peer_postgres PostgreSQL on those tokens: in-process, and the search baseline under pgbench
    vocabulary   the vocabulary's pairs searched both ways
    cached       the figures again with the answer cache on
    floor        the in-process floor (examples/search_floor.rs)
    load         oha runs and their parsing; HTTP search
    alternated   the floor and HTTP search in turn, round by round: HTTP's throughput over the floor's
    querylog     a seeded log of distinct job-search queries and Zipf-drawn requests, as a URL file
    openloop     search on that log: closed loop, then open loop up a ladder of arrival rates
    matching     candidate → jobs and job → candidates
    talent       talent search as an employer: a page of 20 and of 1 (what the re-check costs)
    lag          publish → searchable
    logins       login throughput and search during a login storm
    targets      each target: its threshold, its check and what limits it (one dict)
    figures      the headline table of the report
    report       results.json and RESULTS.md

The pure pieces are unit-tested in bench/test_*.py.
"""
