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
  3. the PostgreSQL full-text baseline: a table of the open jobs with a weighted tsvector (GIN)
     and pg_trgm (GIN) over the same text, timed;
  4. result quality: each query of bench/queries.json on tantivy and on PostgreSQL;
  5. the floor: the same queries in-process on tantivy at 1, 16 and 64 threads;
  6. the PostgreSQL baseline at 1, 16 and 64 clients (pgbench, one script per query);
  7. the service: HTTP search at 1, 16 and 64 connections (oha), matching both ways,
     publish-to-searchable lag over 200 jobs, login throughput, search under a login storm,
     resident memory at rest and under load;
  8. writes bench/results.json and bench/RESULTS.md (bench/notes.md is appended when present).

No figure is asserted: the report says which targets are met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import threading
import time
import tomllib
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = "demo.talentbridge.example"
FULL = {"jobs": 1_000_000, "candidates": 200_000}
SMALL = {"jobs": 20_000, "candidates": 5_000}
CONCURRENCY = [1, 16, 64]
GIB = 1024**3

# ---------------------------------------------------------------------------------------------
# Pure pieces (unit-tested in bench/test_run.py)
# ---------------------------------------------------------------------------------------------


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


def parse_oha(report):
    """The figures of an `oha --output-format json` report (latencies in seconds there)."""
    summary = report.get("summary", {})
    pct = report.get("latencyPercentiles", {})
    codes = report.get("statusCodeDistribution", {}) or {}
    errors = report.get("errorDistribution", {}) or {}
    ok = sum(n for code, n in codes.items() if str(code).startswith("2"))
    total = sum(codes.values()) + sum(errors.values())

    def ms(key):
        value = pct.get(key)
        return None if value is None else value * 1000.0

    return {
        "requests": total,
        "ok": ok,
        "status_codes": {str(k): v for k, v in codes.items()},
        "errors": errors,
        "throughput": summary.get("requestsPerSec"),
        "success_rate": summary.get("successRate"),
        "p50_ms": ms("p50"),
        "p95_ms": ms("p95"),
        "p99_ms": ms("p99"),
        "max_ms": None if summary.get("slowest") is None else summary["slowest"] * 1000.0,
        "mean_ms": None if summary.get("average") is None else summary["average"] * 1000.0,
    }


def parse_pgbench_logs(lines, scripts):
    """Per-transaction pgbench log lines (`client txno latency_us script epoch epoch_us`):
    latencies in ms overall and per script number."""
    overall, per_script = [], {i: [] for i in range(scripts)}
    for line in lines:
        parts = line.split()
        if len(parts) < 4 or not parts[2].isdigit():
            continue  # skipped or failed transactions carry text there
        latency = int(parts[2]) / 1000.0
        overall.append(latency)
        per_script.setdefault(int(parts[3]), []).append(latency)
    return overall, per_script


def parse_pgbench_tps(output):
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", output)
    return float(match.group(1)) if match else None


def parse_reindex(output):
    """`reindex` prints a line per index: `jobs: 123 documents in 4.5 s (27333/s), at event 9,
    now live in DIR`."""
    found = {}
    pattern = r"^(\w+): (\d+) documents in ([0-9.]+) s \(([0-9.]+)/s\), at event (-?\d+), now live in (.+)$"
    for line in output.splitlines():
        match = re.match(pattern, line.strip())
        if match:
            found[match.group(1)] = {
                "documents": int(match.group(2)),
                "seconds": float(match.group(3)),
                "per_s": float(match.group(4)),
                "dir": match.group(6).strip(),
            }
    return found


def is_cjk_word(word):
    return any(ord(ch) > 0x7F for ch in word)


def sql_literal(text):
    return "'" + str(text).replace("'", "''") + "'"


def like_pattern(word):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sql_literal("%" + escaped + "%")


def monthly_reference(amount, currency, rates):
    """`money::Rates::to_reference` on a monthly amount: whole units of the reference currency."""
    rate = rates.get(currency)
    if rate is None or not rate > 0:
        raise ValueError(f"no exchange rate for {currency}")
    return math.floor(max(amount * rate, 0.0))


def pg_text(q):
    """The text part of a query for PostgreSQL, mirroring the service's parser (any word
    matches; a word that analyses into several terms must match as a phrase): Latin words OR-ed
    in one English tsquery over a weighted tsvector; words with Chinese characters as
    substrings (ILIKE, served by the pg_trgm index) — PostgreSQL has no Chinese segmenter.
    Returns (predicate, rank expression), or (None, "0") when there is no text."""
    words = [w for w in (q or "").split() if w]
    latin = [w for w in words if not is_cjk_word(w)]
    cjk = [w for w in words if is_cjk_word(w)]
    predicates, ranks = [], []
    if latin:
        tsquery = " || ".join(f"plainto_tsquery('english', {sql_literal(w)})" for w in latin)
        predicates.append(f"tsv @@ ({tsquery})")
        ranks.append(f"ts_rank_cd(tsv, {tsquery})")
    for word in cjk:
        pattern = like_pattern(word)
        predicates.append(f"alltext ILIKE {pattern}")
        # the tsvector's weights: title 1.0, skills 0.4, the rest 0.2
        ranks.append(
            f"(CASE WHEN title ILIKE {pattern} THEN 1.0 WHEN skills_text ILIKE {pattern} THEN 0.4"
            f" ELSE 0.2 END * (alltext ILIKE {pattern})::int)"
        )
    if not predicates:
        return None, "0"
    return "(" + " OR ".join(predicates) + ")", " + ".join(ranks)


def pg_filters(params, rates):
    """The filters of a query as SQL conditions on bench_fts.job_docs."""
    conditions = ["expires_at >= (now() AT TIME ZONE 'utc')"]
    for key in ("jurisdiction", "location_id", "employment_type"):
        if params.get(key):
            conditions.append(f"{key} = {sql_literal(params[key])}")
    if params.get("skill_id"):
        conditions.append(f"skill_ids @> ARRAY[{sql_literal(params['skill_id'])}]")
    if params.get("sponsorship") is not None:
        conditions.append(f"sponsorship = {'true' if str(params['sponsorship']) == 'true' else 'false'}")
    if params.get("salary_min") is not None:
        floor = monthly_reference(float(params["salary_min"]), params["salary_currency"], rates)
        conditions.append(f"salary_max_monthly >= {floor}")
    return conditions


def pg_queries(params, rates):
    """Three statements for one query of the mix:
    full  — what the HTTP search answers: the top 20 by rank, the total, facet counts;
    top20 — the top 20 only (a cheaper answer the service does not give);
    text  — the text predicate alone (for the quality check), or None without text."""
    text, rank = pg_text(params.get("q"))
    conditions = pg_filters(params, rates)
    if text:
        conditions.append(text)
    where = " AND ".join(conditions)
    full = (
        "WITH m AS MATERIALIZED (SELECT id, jurisdiction, employment_type, skill_ids, "
        f"{rank} AS rank FROM bench_fts.job_docs WHERE {where}) "
        "SELECT (SELECT coalesce(json_agg(id ORDER BY rank DESC, id), '[]') FROM "
        "(SELECT id, rank FROM m ORDER BY rank DESC, id LIMIT 20) t) AS top, "
        "(SELECT count(*) FROM m) AS total, "
        "(SELECT coalesce(json_object_agg(k, n), '{}') FROM "
        "(SELECT jurisdiction AS k, count(*) AS n FROM m GROUP BY 1) f) AS jurisdiction, "
        "(SELECT coalesce(json_object_agg(k, n), '{}') FROM "
        "(SELECT employment_type AS k, count(*) AS n FROM m GROUP BY 1) f) AS employment_type, "
        "(SELECT coalesce(json_object_agg(k, n), '{}') FROM "
        "(SELECT k, count(*) AS n FROM (SELECT unnest(skill_ids) AS k FROM m) s GROUP BY 1) f) AS skills"
    )
    order = f"{rank} DESC, id" if text else "id"
    top20 = f"SELECT id FROM bench_fts.job_docs WHERE {where} ORDER BY {order} LIMIT 20"
    return {"full": full, "top20": top20, "text": text}


def overlap(a, b):
    """|a ∩ b| / |a| for two top lists (1.0 when both are empty)."""
    if not a and not b:
        return 1.0
    if not a:
        return 0.0
    return len(set(a) & set(b)) / len(a)


def quality_row(name, tantivy, pg, pg_matches_tantivy_top, tantivy_matches_pg_top):
    t_top, p_top = tantivy["top"], pg["top"]
    return {
        "query": name,
        "tantivy_total": tantivy["total"],
        "pg_total": pg["total"],
        # how many open jobs PostgreSQL finds for each one tantivy finds (recall, roughly)
        "found_ratio": (pg["total"] / tantivy["total"]) if tantivy["total"] else None,
        "overlap_at_20": overlap(t_top, p_top),
        # the share of one engine's top hits the other engine's text query matches at all
        "pg_matches_tantivy_top": (len(pg_matches_tantivy_top) / len(t_top)) if t_top else None,
        "tantivy_matches_pg_top": (len(tantivy_matches_pg_top) / len(p_top)) if p_top else None,
    }


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def figures(r):
    """The headline table: value, target, met, baseline and ratio for each figure."""
    rows = []

    def add(name, value, unit, target=None, met=None, baseline=None, baseline_name=None, ratio_=None):
        rows.append(
            {
                "figure": name,
                "value": value,
                "unit": unit,
                "target": target,
                "met": met,
                "baseline": baseline,
                "baseline_name": baseline_name,
                "ratio": ratio_,
            }
        )

    def get(*path):
        node = r
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    jobs_rate = get("reindex", "reported", "jobs", "per_s")
    pg_build = get("pg_fts", "rows_per_s")
    add(
        "reindex throughput, jobs index",
        jobs_rate,
        "jobs/s",
        "≥ 20,000 jobs/s",
        None if jobs_rate is None else jobs_rate >= 20_000,
        pg_build,
        "PostgreSQL FTS table + GIN build, rows/s",
        ratio(jobs_rate, pg_build),
    )
    add(
        "reindex throughput, whole command (both indexes, start-up included)",
        get("reindex", "docs_per_s"),
        "documents/s",
    )
    add(
        "index size on disk (jobs + candidates)",
        get("reindex", "index_bytes"),
        "bytes",
        baseline=get("pg_fts", "bytes"),
        baseline_name="PostgreSQL FTS table + indexes, bytes",
        ratio_=ratio(get("reindex", "index_bytes"), get("pg_fts", "bytes")),
    )
    for c in CONCURRENCY:
        http_p99 = get("search", "http", str(c), "p99_ms")
        floor_p99 = get("search", "floor", str(c), "p99_ms")
        pg_p99 = get("search", "pg_full", str(c), "p99_ms")
        target = "≤ 20 ms" if c == 16 else None
        met = None if http_p99 is None or c != 16 else http_p99 <= 20
        add(f"HTTP search p99 at {c}", http_p99, "ms", target, met, floor_p99, "in-process floor p99", ratio(http_p99, floor_p99))
        within = ratio(http_p99, floor_p99)
        add(
            f"HTTP p99 / floor p99 at {c}",
            within,
            "×",
            "≤ 2×" if c == 16 else None,
            None if within is None or c != 16 else within <= 2,
        )
        better = ratio(pg_p99, http_p99)
        add(
            f"PostgreSQL FTS p99 / HTTP p99 at {c}",
            better,
            "×",
            "≥ 10× (with equal quality)" if c == 16 else None,
            None if better is None or c != 16 else better >= 10,
            pg_p99,
            "PostgreSQL FTS p99 (ms)",
        )
        tput = get("search", "http", str(c), "throughput")
        add(
            f"HTTP search throughput at {c}",
            tput,
            "searches/s",
            "≥ 3,000/s" if c == 16 else None,
            None if tput is None or c != 16 else tput >= 3000,
            get("search", "floor", str(c), "throughput"),
            "in-process floor, searches/s",
            ratio(tput, get("search", "floor", str(c), "throughput")),
        )
        add(
            f"PostgreSQL FTS throughput at {c}",
            get("search", "pg_full", str(c), "throughput"),
            "searches/s",
            baseline=tput,
            baseline_name="HTTP search, searches/s",
            ratio_=ratio(get("search", "pg_full", str(c), "throughput"), tput),
        )
    q = get("quality", "mean")
    if q:
        add(
            "result quality: PostgreSQL matches tantivy's top 20",
            q.get("pg_matches_tantivy_top"),
            "share",
            "equal quality (1.0)",
            None if q.get("pg_matches_tantivy_top") is None else q["pg_matches_tantivy_top"] >= 0.99,
        )
        low = q.get("lowest_found_ratio")
        add(
            "result quality: PostgreSQL's total / tantivy's, lowest query",
            low,
            "share",
            "equal quality (1.0)",
            None if low is None else low >= 0.99,
        )
        add("result quality: top-20 overlap (mean)", q.get("overlap_at_20"), "share")
    for key, label in (("candidate_to_jobs", "candidate → top-20 jobs"), ("job_to_candidates", "job → top-20 candidates")):
        p99 = get("matching", key, "p99_ms")
        add(f"matching {label} p50", get("matching", key, "p50_ms"), "ms")
        add(
            f"matching {label} p99",
            p99,
            "ms",
            "≤ 50 ms",
            None if p99 is None else p99 <= 50,
            get("search", "http", "1", "p99_ms"),
            "HTTP search p99 at 1",
            ratio(p99, get("search", "http", "1", "p99_ms")),
        )
    lag = get("nrt", "p99_ms")
    add("publish → searchable lag p50", get("nrt", "p50_ms"), "ms")
    add("publish → searchable lag p99", lag, "ms", "≤ 1,000 ms", None if lag is None else lag <= 1000)
    add("login throughput (argon2id)", get("login", "throughput"), "logins/s")
    storm = get("storm", "search", "p99_ms")
    quiet = get("search", "http", "16", "p99_ms")
    add(
        "search p99 at 16 during a login storm",
        storm,
        "ms",
        "≤ 2× quiet",
        None if ratio(storm, quiet) is None else ratio(storm, quiet) <= 2,
        quiet,
        "quiet HTTP p99 at 16",
        ratio(storm, quiet),
    )
    add("service RSS at rest", get("memory", "rest_bytes"), "bytes")
    peak = get("memory", "peak_bytes")
    add(
        "service RSS under load (peak)",
        peak,
        "bytes",
        "≤ 1.5 GiB",
        None if peak is None else peak <= 1.5 * GIB,
        get("memory", "rest_bytes"),
        "at rest",
        ratio(peak, get("memory", "rest_bytes")),
    )
    return rows


def fmt(value, unit=None):
    if value is None:
        return "—"
    if unit == "bytes":
        for size, name in ((GIB, "GiB"), (1024**2, "MiB"), (1024, "KiB")):
            if value >= size:
                return f"{value / size:.2f} {name}"
        return f"{value} B"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


def render_markdown(r, notes=None):
    """RESULTS.md from results.json."""
    out = []
    size = r["size"]
    out.append(f"# Benchmark results — {r['label']} size")
    out.append("")
    if r["label"] != "full":
        out.append(
            f"**This is the `{r['label']}` size ({size['jobs']:,} jobs, {size['candidates']:,} candidates), "
            "not the 1,000,000-job size the targets are set for: read the figures as a quick look, "
            "not as the answer to the targets.**"
        )
        out.append("")
    m = r.get("machine", {})
    out.append(
        f"Measured {r.get('finished_at', r.get('started_at'))} on {m.get('cpu', '?')} "
        f"({m.get('cpus', '?')} logical CPUs, shared), {fmt(m.get('memory_bytes'), 'bytes')} RAM, "
        f"{m.get('os', '?')}"
        + (f"; load average {m['load_before'][0]:.1f} at the start, {m['load_after'][0]:.1f} at the end"
           if m.get("load_before") and m.get("load_after") else "")
        + f"; commit `{r.get('commit', '?')}`; {r.get('seconds_per_level')} s per "
        "concurrency level. Produced by `python3 bench/run.py"
        + (" --small" if r["label"] == "small" else "")
        + "`; the raw figures are in `bench/results.json`."
    )
    out.append("")
    out.append("| figure | value | target | met | baseline | ratio |")
    out.append("|---|---|---|---|---|---|")
    for row in r.get("figures", []):
        unit = row["unit"]
        shown_unit = "" if unit in ("bytes", "share", "×") else f" {unit}"
        value = fmt(row["value"], unit) + (shown_unit if row["value"] is not None else "")
        if unit == "×" and row["value"] is not None:
            value += "×"
        baseline = ""
        if row.get("baseline") is not None:
            b_unit = "bytes" if unit == "bytes" else None
            baseline = f"{fmt(row['baseline'], b_unit)} ({row['baseline_name']})"
        elif row.get("baseline_name"):
            baseline = f"— ({row['baseline_name']})"
        ratio_ = "" if row.get("ratio") is None else f"{row['ratio']:.2f}×"
        met = "" if row.get("met") is None else ("met" if row["met"] else "**not met**")
        out.append(f"| {row['figure']} | {value} | {row.get('target') or ''} | {met} | {baseline} | {ratio_} |")
    out.append("")

    search = r.get("search", {})
    if search:
        out.append("## Job search by concurrency")
        out.append("")
        out.append(
            "The same fixed mix of "
            f"{len(r.get('queries', []))} queries (`bench/queries.json`: English, Simplified and Traditional "
            "Chinese, with and without filters; every answer carries facet counts) on each engine. "
            "HTTP: `oha` against `GET /api/v1/jobs/search` (keep-alive connections). Floor: "
            "`examples/search_floor.rs`, the handler's search function in-process, no HTTP, JSON or "
            "database. PostgreSQL: `pgbench`, one script per query; *full* answers what the API "
            "answers (top 20, total, facets), *top 20* only the page."
        )
        out.append("")
        out.append("| engine | connections | searches/s | p50 ms | p95 ms | p99 ms | max ms | requests |")
        out.append("|---|---|---|---|---|---|---|---|")
        names = {"http": "HTTP (service)", "floor": "tantivy in-process (floor)", "pg_full": "PostgreSQL FTS, full", "pg_top20": "PostgreSQL FTS, top 20"}
        for engine in ("http", "floor", "pg_full", "pg_top20"):
            for c in CONCURRENCY:
                s = search.get(engine, {}).get(str(c))
                if not s:
                    continue
                out.append(
                    f"| {names[engine]} | {c} | {fmt(s.get('throughput'))} | {fmt(s.get('p50_ms'))} | "
                    f"{fmt(s.get('p95_ms'))} | {fmt(s.get('p99_ms'))} | {fmt(s.get('max_ms'))} | {fmt(s.get('requests'))} |"
                )
        out.append("")

    per_http = search.get("http_per_query") or {}
    per_floor = search.get("floor", {}).get("1", {}).get("per_query") or {}
    per_pg = search.get("pg_full", {}).get("1", {}).get("per_query") or {}
    if per_http or per_floor or per_pg:
        out.append("## Each query at one connection")
        out.append("")
        out.append(
            "p50 / p99 in ms. HTTP: each query alone, one request at a time from a Python client "
            "(its own overhead included); floor and PostgreSQL: their one-connection runs of the mix."
        )
        out.append("")
        out.append("| query | open jobs found | HTTP | floor | PostgreSQL FTS, full |")
        out.append("|---|---|---|---|---|")
        totals = {q["query"]: q["tantivy_total"] for q in r.get("quality", {}).get("queries", [])}

        def pair(d):
            return "—" if not d else f"{fmt(d.get('p50_ms'))} / {fmt(d.get('p99_ms'))}"

        for q in r.get("queries", []):
            n = q["name"]
            out.append(f"| {n} | {fmt(totals.get(n))} | {pair(per_http.get(n))} | {pair(per_floor.get(n))} | {pair(per_pg.get(n))} |")
        out.append("")

    quality = r.get("quality", {})
    if quality.get("queries"):
        out.append("## Result quality: tantivy against PostgreSQL FTS")
        out.append("")
        out.append(
            "Per query: how many open jobs each engine finds, the overlap of the two top-20 lists, and "
            "the share of one engine's top 20 that the other's text query matches at all. Tantivy "
            "folds Traditional to Simplified and segments Chinese into words; PostgreSQL's "
            "`english` configuration does neither, so Chinese words are matched as substrings with "
            "pg_trgm."
        )
        out.append("")
        out.append("| query | tantivy total | PostgreSQL total | PG / tantivy | top-20 overlap | PG matches tantivy's top 20 | tantivy matches PG's top 20 |")
        out.append("|---|---|---|---|---|---|---|")
        for q in quality["queries"]:
            out.append(
                f"| {q['query']} | {fmt(q['tantivy_total'])} | {fmt(q['pg_total'])} | {fmt(q.get('found_ratio'))} | "
                f"{fmt(q['overlap_at_20'])} | {fmt(q['pg_matches_tantivy_top'])} | {fmt(q['tantivy_matches_pg_top'])} |"
            )
        mean = quality.get("mean", {})
        out.append(
            f"| **mean** | | | {fmt(mean.get('found_ratio'))} | {fmt(mean.get('overlap_at_20'))} | "
            f"{fmt(mean.get('pg_matches_tantivy_top'))} | {fmt(mean.get('tantivy_matches_pg_top'))} |"
        )
        agree = quality.get("http_agrees_with_floor")
        if agree is not None:
            out.append("")
            out.append(
                f"The HTTP answers' top 20 equal the in-process ones for {agree} of {len(quality['queries'])} queries."
            )
        out.append("")

    other = []
    mt = r.get("matching", {})
    for key, label in (("candidate_to_jobs", "candidate → top-20 jobs"), ("job_to_candidates", "job → top-20 candidates")):
        if key in mt:
            s = mt[key]
            other.append(
                f"| matching {label} | {fmt(s.get('p50_ms'))} | {fmt(s.get('p95_ms'))} | {fmt(s.get('p99_ms'))} | "
                f"{fmt(s.get('requests'))} requests over {s.get('subjects')} subjects, one at a time |"
            )
    if "nrt" in r:
        s = r["nrt"]
        other.append(
            f"| publish → first found by search | {fmt(s.get('p50_ms'))} | {fmt(s.get('p95_ms'))} | {fmt(s.get('p99_ms'))} | "
            f"{s.get('found')} of {s.get('jobs')} jobs found; polled every {s.get('poll_ms')} ms; publish call p50 {fmt(s.get('publish_p50_ms'))} ms |"
        )
    if "login" in r:
        s = r["login"]
        other.append(
            f"| login (POST /auth/login) | {fmt(s.get('p50_ms'))} | {fmt(s.get('p95_ms'))} | {fmt(s.get('p99_ms'))} | "
            f"{fmt(s.get('throughput'))} logins/s at {s.get('concurrency')} connections |"
        )
    if "storm" in r:
        s = r["storm"]["search"]
        other.append(
            f"| search at 16 during a login storm | {fmt(s.get('p50_ms'))} | {fmt(s.get('p95_ms'))} | {fmt(s.get('p99_ms'))} | "
            f"{fmt(s.get('throughput'))} searches/s while logins ran at {fmt(r['storm'].get('login', {}).get('throughput'))}/s |"
        )
    if other:
        out.append("## Matching, freshness, logins")
        out.append("")
        out.append("| what | p50 ms | p95 ms | p99 ms | notes |")
        out.append("|---|---|---|---|---|")
        out.extend(other)
        out.append("")

    mem = r.get("memory")
    if mem:
        out.append("## Memory (VmRSS of the service)")
        out.append("")
        out.append(
            "Sampled every 100 ms from `/proc/<pid>/status`. Anonymous memory is the heap; the rest "
            "is mostly the memory-mapped index files, which the kernel can drop and read again."
        )
        out.append("")
        out.append("| phase | peak RSS | peak anonymous |")
        out.append("|---|---|---|")
        out.append(f"| at rest, after start | {fmt(mem.get('rest_bytes'), 'bytes')} | {fmt(mem.get('rest_anon_bytes'), 'bytes')} |")
        anon = mem.get("anon_phases", {})
        for phase, value in mem.get("phases", {}).items():
            out.append(f"| {phase} | {fmt(value, 'bytes')} | {fmt(anon.get(phase), 'bytes')} |")
        out.append(f"| high-water mark (VmHWM) at the end | {fmt(mem.get('hwm_bytes'), 'bytes')} | |")
        out.append(
            f"| 3 s after the last load | {fmt(mem.get('after_load_bytes'), 'bytes')} | "
            f"{fmt(mem.get('after_load_anon_bytes'), 'bytes')} |"
        )
        out.append("")

    setup = []
    if "seed" in r:
        sd = r["seed"]
        setup.append(
            f"- `seed-demo`: {fmt(sd.get('seconds'))} s in all (it builds the indexes once too)"
            + (f"; it says: {sd['summary']}." if sd.get("summary") else ".")
        )
    if r.get("reused_data_set"):
        setup.append("- The data set of an earlier run was reused (`--reuse`): no `seed-demo` in this run.")
    if "reindex" in r:
        ri = r["reindex"]
        setup.append(
            f"- `reindex`: {fmt(ri.get('seconds'))} s for {fmt(ri.get('documents'))} documents "
            f"({fmt(ri.get('jobs'))} open jobs, {fmt(ri.get('candidates'))} candidates) = {fmt(ri.get('docs_per_s'))} documents/s; "
            f"jobs index {fmt(ri.get('jobs_index_bytes'), 'bytes')}, candidates index {fmt(ri.get('candidates_index_bytes'), 'bytes')}."
        )
        for name, one in (ri.get("reported") or {}).items():
            setup.append(
                f"  - as `reindex` reports it: {name} {fmt(one.get('documents'))} documents in "
                f"{fmt(one.get('seconds'))} s ({fmt(one.get('per_s'))}/s)."
            )
    if "pg_fts" in r:
        pg = r["pg_fts"]
        setup.append(
            f"- PostgreSQL FTS baseline: {fmt(pg.get('rows'))} rows built and indexed in {fmt(pg.get('seconds'))} s "
            f"({fmt(pg.get('rows_per_s'))} rows/s), {fmt(pg.get('bytes'), 'bytes')} with indexes."
        )
    if setup:
        out.append("## Data set and build")
        out.append("")
        out.extend(setup)
        out.append("")
    if r.get("warnings"):
        out.append("## Warnings from this run")
        out.append("")
        out.extend(f"- {w}" for w in r["warnings"])
        out.append("")
    if notes:
        out.append(notes.rstrip())
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Running things
# ---------------------------------------------------------------------------------------------


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd, env=None, cwd=ROOT, capture=True, check=True, input_=None):
    """capture: True (both streams), False (neither) or "stdout" (progress bars on stderr show)."""
    result = subprocess.run(
        cmd,
        env=env,
        cwd=cwd,
        input=input_,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture is True else None,
    )
    if check and result.returncode != 0:
        raise SystemExit(
            f"command failed ({result.returncode}): {' '.join(map(str, cmd))}\n"
            f"{(result.stdout or '')[-3000:]}\n{(result.stderr or '')[-3000:]}"
        )
    return result


class Postgres:
    def __init__(self, url, db):
        parsed = urllib.parse.urlparse(url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = str(parsed.port or 5432)
        self.user = parsed.username or "postgres"
        self.password = parsed.password
        self.db = db
        self.env = dict(os.environ)
        if self.password:
            self.env["PGPASSWORD"] = urllib.parse.unquote(self.password)

    def url(self):
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{auth}@{self.host}:{self.port}/{self.db}"

    def args(self, db=None):
        return ["-h", self.host, "-p", self.port, "-U", self.user, "-d", db or self.db]

    def psql(self, sql, db=None):
        result = run(
            ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", *self.args(db)],
            env=self.env,
            input_=sql,
        )
        return result.stdout.strip()

    def value(self, sql):
        return self.psql(sql).splitlines()[-1] if self.psql(sql) else ""


class RssSampler:
    """Samples VmRSS of a process every `every` seconds; the peak per named phase."""

    def __init__(self, pid, every=0.1):
        self.pid, self.every = pid, every
        self.phase, self.peaks, self.anon_peaks = None, {}, {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def status(self, key):
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def _loop(self):
        while not self.stop.is_set():
            rss, anon = self.status("VmRSS"), self.status("RssAnon")
            with self.lock:
                if self.phase and rss:
                    self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), rss)
                if self.phase and anon:
                    self.anon_peaks[self.phase] = max(self.anon_peaks.get(self.phase, 0), anon)
            time.sleep(self.every)

    def set_phase(self, phase):
        with self.lock:
            self.phase = phase

    def close(self):
        self.stop.set()
        self.thread.join(timeout=2)


class Client:
    """A keep-alive HTTP/1.1 client for the service."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, body=None, token=None):
        headers = {"accept": "application/json"}
        if body is not None:
            headers["content-type"] = "application/json"
            body = json.dumps(body)
        if token:
            headers["authorization"] = f"Bearer {token}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        payload = None
        if data:
            try:
                payload = json.loads(data)
            except ValueError:
                payload = data.decode(errors="replace")
        return response.status, payload

    def login(self, email):
        status, body = self.request("POST", "/api/v1/auth/login", {"email": email, "password": DEMO_PASSWORD})
        if status != 200:
            raise RuntimeError(f"login {email}: {status} {body}")
        return body["access_token"]


def search_path(params, limit=20):
    query = dict(params)
    query["limit"] = limit
    return "/api/v1/jobs/search?" + urllib.parse.urlencode(query)


class Bench:
    def __init__(self, args):
        self.args = args
        self.size = SMALL if args.small else FULL
        if args.jobs:
            self.size = {**self.size, "jobs": args.jobs}
        if args.candidates:
            self.size = {**self.size, "candidates": args.candidates}
        self.label = "small" if args.small and not (args.jobs or args.candidates) else (
            "full" if self.size == FULL else "custom")
        self.seconds = args.seconds or (5.0 if args.small else 10.0)
        self.work = Path(args.work_dir).resolve()
        self.data = self.work / "data"
        self.pg = Postgres(args.pg_url, args.db)
        self.target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")).resolve()
        self.binary = self.target / "release" / "talentbridge"
        self.floor_binary = self.target / "release" / "examples" / "search_floor"
        self.queries = json.loads((BENCH / "queries.json").read_text())
        self.rates = self.load_rates()
        self.env = dict(os.environ)
        self.env.update(
            {
                "TALENTBRIDGE__DATABASE__URL": self.pg.url(),
                "TALENTBRIDGE__AUTH__JWT_SECRET": secrets.token_hex(32),
                "TALENTBRIDGE__AUTH__IP_REQUESTS_PER_MINUTE": "100000000",
                "TALENTBRIDGE__MAIL__TRANSPORT": "log",
                "RUST_LOG": os.environ.get("RUST_LOG", "warn"),
            }
        )
        self.results = {
            "label": self.label,
            "size": self.size,
            "seconds_per_level": self.seconds,
            "started_at": now_iso(),
            "commit": git_commit(),
            "machine": machine(),
            "queries": self.queries,
            "warnings": [],
        }
        self.service = None
        self.sampler = None

    def warn(self, message):
        log("warning: " + message)
        self.results["warnings"].append(message)

    def load_rates(self):
        config = tomllib.loads((ROOT / "config" / "default.toml").read_text())
        rates = dict(config.get("rates", {}))
        for key, value in os.environ.items():
            if key.startswith("TALENTBRIDGE__RATES__"):
                rates[key.removeprefix("TALENTBRIDGE__RATES__")] = float(value)
        return rates

    # -- tools -----------------------------------------------------------------------------

    def tools(self):
        for tool in ("psql", "pgbench", "cargo"):
            if not shutil.which(tool):
                raise SystemExit(f"{tool} is needed and not on PATH")
        oha = shutil.which("oha") or str(BENCH / ".tools" / "bin" / "oha")
        if not Path(oha).exists():
            log("installing oha into bench/.tools (cargo install oha --locked)")
            run(["cargo", "install", "--locked", "--root", str(BENCH / ".tools"), "oha"], capture=False)
        self.oha_bin = oha
        self.results["tools"] = {
            "oha": run([oha, "--version"]).stdout.strip(),
            "pgbench": run(["pgbench", "--version"]).stdout.strip(),
            "postgres": self.pg.psql("SHOW server_version", db="postgres"),
        }
        if not self.args.skip_build:
            log("building the release binary and examples/search_floor")
            env = dict(os.environ, CARGO_TARGET_DIR=str(self.target))
            run(["cargo", "build", "--release", "--bin", "talentbridge", "--example", "search_floor"], env=env, capture=False)

    # -- data --------------------------------------------------------------------------------

    def fresh_database(self):
        log(f"fresh database {self.pg.db} and data directory {self.data}")
        self.pg.psql(f'DROP DATABASE IF EXISTS "{self.pg.db}" WITH (FORCE)', db="postgres")
        self.pg.psql(f'CREATE DATABASE "{self.pg.db}"', db="postgres")
        if self.data.exists():
            shutil.rmtree(self.data)
        self.data.mkdir(parents=True)

    def cli(self, *args, capture=True):
        return run([str(self.binary), *args, "--data-dir", str(self.data)], env=self.env, capture=capture)

    def seed(self):
        log(f"seed-demo --jobs {self.size['jobs']} --candidates {self.size['candidates']}")
        start = time.perf_counter()
        out = self.cli("seed-demo", "--jobs", str(self.size["jobs"]), "--candidates", str(self.size["candidates"]),
                       "--seed", str(self.args.seed), capture="stdout")
        seconds = time.perf_counter() - start
        print(out.stdout, end="", flush=True)
        wrote = re.search(r"wrote .* in ([0-9.]+) s", out.stdout or "")
        self.results["seed"] = {
            "seconds": seconds,
            "write_seconds": float(wrote.group(1)) if wrote else None,
            "summary": wrote.group(0) if wrote else None,
        }

    def reindex(self):
        log("reindex")
        index = self.data / "index"
        start = time.perf_counter()
        out = self.cli("reindex")
        seconds = time.perf_counter() - start
        jobs = int(self.pg.value(
            "SELECT count(*) FROM jobs WHERE status = 'open' AND (expires_at IS NULL OR expires_at > (now() AT TIME ZONE 'utc'))"))
        candidates = int(self.pg.value("SELECT count(*) FROM candidates WHERE erased_at IS NULL"))
        reported = parse_reindex(out.stdout or "")
        sizes = {}
        for name in ("jobs", "candidates"):
            live = reported.get(name, {}).get("dir")
            sizes[name] = dir_bytes(Path(live)) if live else None
        if None in sizes.values():
            self.warn("reindex did not say where the indexes are; measuring the whole index directory")
            sizes = {"jobs": dir_bytes(index), "candidates": 0}
        self.results["reindex"] = {
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
        log(f"reindex: {jobs + candidates} documents in {seconds:.1f} s")

    # -- PostgreSQL baseline ------------------------------------------------------------------

    def pg_build(self):
        log("PostgreSQL FTS baseline: building bench_fts.job_docs")
        skills = json.loads((ROOT / "assets" / "registry" / "skills.json").read_text())
        rows = ",\n".join(
            "({}, {})".format(
                sql_literal(s["id"]),
                sql_literal(" ".join([s["labels"]["en"], s["labels"]["zh-Hans"], s["labels"]["zh-Hant"], *s.get("aliases", [])])),
            )
            for s in skills
        )
        rates = ",\n".join(f"({sql_literal(c)}, {float(v)})" for c, v in self.rates.items())
        self.pg.psql(
            "DROP SCHEMA IF EXISTS bench_fts CASCADE; CREATE SCHEMA bench_fts;\n"
            "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
            "CREATE TABLE bench_fts.skill_text (skill_id text PRIMARY KEY, words text NOT NULL);\n"
            f"INSERT INTO bench_fts.skill_text VALUES {rows};\n"
            "CREATE TABLE bench_fts.rates (currency text PRIMARY KEY, rate float8 NOT NULL);\n"
            f"INSERT INTO bench_fts.rates VALUES {rates};\n"
        )
        start = time.perf_counter()
        self.pg.psql((BENCH / "pg_fts.sql").read_text())
        seconds = time.perf_counter() - start
        count = int(self.pg.value("SELECT count(*) FROM bench_fts.job_docs"))
        size = int(self.pg.value("SELECT pg_total_relation_size('bench_fts.job_docs')"))
        self.results["pg_fts"] = {"seconds": seconds, "rows": count, "rows_per_s": count / seconds, "bytes": size}
        log(f"PostgreSQL FTS: {count} rows in {seconds:.1f} s")
        self.pg_sql = [pg_queries(q["params"], self.rates) for q in self.queries]

    def pg_answers(self):
        answers = {}
        for q, sql in zip(self.queries, self.pg_sql):
            raw = self.pg.psql(f"SELECT json_build_object('top', top, 'total', total) FROM ({sql['full']}) x")
            answers[q["name"]] = json.loads(raw.splitlines()[-1])
        return answers

    def pg_text_matches(self, name, ids):
        sql = self.pg_sql[[q["name"] for q in self.queries].index(name)]
        if not ids:
            return []
        if sql["text"] is None:
            return list(ids)
        id_list = ", ".join(sql_literal(i) for i in ids)
        raw = self.pg.psql(
            f"SELECT coalesce(json_agg(id), '[]') FROM bench_fts.job_docs WHERE id IN ({id_list}) AND {sql['text']}"
        )
        return json.loads(raw.splitlines()[-1])

    def pg_bench(self, variant):
        scripts_dir = self.work / "pgbench" / variant
        if scripts_dir.exists():
            shutil.rmtree(scripts_dir)
        scripts_dir.mkdir(parents=True)
        files = []
        for i, sql in enumerate(self.pg_sql):
            path = scripts_dir / f"q{i:02d}.sql"
            path.write_text(sql[variant] + ";\n")
            files.append(path)
        results = {}
        for c in CONCURRENCY:
            log(f"pgbench {variant}: {c} clients for {self.seconds:.0f} s")
            prefix = f"c{c}"
            for old in scripts_dir.glob(prefix + ".*"):
                old.unlink()
            threads = min(c, os.cpu_count() or 1)
            cmd = ["pgbench", "-n", *self.pg.args()[:-2], "-c", str(c), "-j", str(threads), "-T", str(max(1, round(self.seconds))),
                   "-l", f"--log-prefix={prefix}", *[arg for f in files for arg in ("-f", str(f))], self.pg.db]
            out = run(cmd, env=self.pg.env, cwd=scripts_dir)
            lines = []
            for logfile in scripts_dir.glob(prefix + ".*"):
                lines.extend(logfile.read_text().splitlines())
            overall, per_script = parse_pgbench_logs(lines, len(files))
            summary = summarize_ms(overall)
            summary["throughput"] = parse_pgbench_tps(out.stdout)
            summary["per_query"] = {
                self.queries[i]["name"]: {"requests": len(v), "p50_ms": percentile(v, 50), "p99_ms": percentile(v, 99)}
                for i, v in per_script.items() if v
            }
            results[str(c)] = summary
        return results

    # -- the floor ----------------------------------------------------------------------------

    def floor(self, check):
        log("floor: tantivy in-process (service stopped)")
        check_file = self.work / "pg_top.json"
        check_file.write_text(json.dumps(check))
        out_file = self.work / "floor.json"
        run([str(self.floor_binary), "--data-dir", str(self.data), "--queries", str(BENCH / "queries.json"),
             "--concurrency", ",".join(map(str, CONCURRENCY)), "--seconds", str(self.seconds),
             "--check", str(check_file), "--out", str(out_file)], env=self.env, capture=False)
        return json.loads(out_file.read_text())

    # -- the service --------------------------------------------------------------------------

    def start_service(self):
        port = self.args.port
        log(f"starting the service on 127.0.0.1:{port}")
        self.service_log = open(self.work / "service.log", "w")
        self.service = subprocess.Popen(
            [str(self.binary), "serve", "--bind", f"127.0.0.1:{port}", "--data-dir", str(self.data)],
            env=self.env, cwd=ROOT, stdout=self.service_log, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.service.poll() is not None:
                raise SystemExit(f"the service exited ({self.service.returncode}); see {self.work / 'service.log'}")
            try:
                status, _ = Client(port).request("GET", "/readyz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("the service did not become ready in 300 s")
        self.sampler = RssSampler(self.service.pid)
        time.sleep(2)
        self.results["memory"] = {
            "rest_bytes": self.sampler.status("VmRSS"),
            "rest_anon_bytes": self.sampler.status("RssAnon"),
            "phases": {},
        }

    def stop_service(self):
        if self.service and self.service.poll() is None:
            self.service.send_signal(signal.SIGTERM)
            try:
                self.service.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.service.kill()
                self.service.wait()
        if self.sampler:
            self.sampler.close()

    def phase(self, name):
        if self.sampler:
            self.sampler.set_phase(name)

    def oha(self, *args, concurrency, seconds):
        cmd = [self.oha_bin, "--no-tui", "-w", "--output-format", "json", "-c", str(concurrency), "-z", f"{seconds}s", *args]
        out = run(cmd)
        return parse_oha(json.loads(out.stdout))

    def http_search(self):
        urls = self.work / "search_urls.txt"
        base = f"http://127.0.0.1:{self.args.port}"
        urls.write_text("".join(base + search_path(q["params"]) + "\n" for q in self.queries))
        # warm-up: every query a few times, unmeasured
        client = Client(self.args.port)
        for _ in range(3):
            for q in self.queries:
                client.request("GET", search_path(q["params"]))
        results = {}
        for c in CONCURRENCY:
            self.phase(f"HTTP search at {c} connections")
            log(f"oha: search at {c} connections for {self.seconds:.0f} s")
            results[str(c)] = self.oha("--urls-from-file", str(urls), concurrency=c, seconds=self.seconds)
            if results[str(c)]["ok"] != results[str(c)]["requests"]:
                self.warn(f"HTTP search at {c}: {results[str(c)]['requests'] - results[str(c)]['ok']} requests failed: "
                          f"{results[str(c)]['status_codes']} {results[str(c)]['errors']}")
        return results

    def http_per_query(self, repeats=30):
        """Each query alone, one connection, one request at a time (Python's client: its own
        overhead, a few tenths of a millisecond, is included)."""
        client = Client(self.args.port)
        out = {}
        for q in self.queries:
            path = search_path(q["params"])
            lat = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                client.request("GET", path)
                lat.append((time.perf_counter() - t0) * 1000)
            out[q["name"]] = {"requests": len(lat), "p50_ms": percentile(lat, 50), "p99_ms": percentile(lat, 99)}
        return out

    def http_tops(self):
        client = Client(self.args.port)
        tops = {}
        for q in self.queries:
            status, body = client.request("GET", search_path(q["params"]))
            if status != 200:
                self.warn(f"search {q['name']}: {status} {body}")
                continue
            tops[q["name"]] = [hit["job"]["id"] for hit in body["hits"]]
        return tops

    def matching(self):
        client = Client(self.args.port)
        subjects = self.args.match_subjects
        rounds = self.args.match_rounds
        emails = self.pg.psql(
            "SELECT u.email FROM users u JOIN candidates c ON c.user_id = u.id "
            f"WHERE c.erased_at IS NULL AND u.email LIKE '%@{DEMO_DOMAIN}' ORDER BY md5(u.id) LIMIT {subjects}"
        ).splitlines()
        tokens = [client.login(e) for e in emails]
        results = {}
        self.phase("matching")
        lat = []
        for r in range(rounds + 1):
            for token in tokens:
                t0 = time.perf_counter()
                status, body = client.request("GET", "/api/v1/candidates/me/matches?limit=20", token=token)
                elapsed = (time.perf_counter() - t0) * 1000
                if status != 200:
                    self.warn(f"candidate matches: {status} {str(body)[:200]}")
                elif r > 0:
                    lat.append(elapsed)
        results["candidate_to_jobs"] = {**summarize_ms(lat), "subjects": len(tokens)}
        rows = self.pg.psql(
            "SELECT j.id || ' ' || u.email FROM jobs j "
            "JOIN employer_members m ON m.employer_id = j.employer_id AND m.role = 'owner' "
            "JOIN users u ON u.id = m.user_id "
            "WHERE j.status = 'open' AND (j.expires_at IS NULL OR j.expires_at > (now() AT TIME ZONE 'utc')) "
            f"ORDER BY md5(j.id) LIMIT {subjects}"
        ).splitlines()
        owner_tokens = {}
        pairs = []
        for row in rows:
            job_id, email = row.split()
            if email not in owner_tokens:
                owner_tokens[email] = client.login(email)
            pairs.append((job_id, owner_tokens[email]))
        lat = []
        for r in range(rounds + 1):
            for job_id, token in pairs:
                t0 = time.perf_counter()
                status, body = client.request("GET", f"/api/v1/jobs/{job_id}/matches?limit=20", token=token)
                elapsed = (time.perf_counter() - t0) * 1000
                if status != 200:
                    self.warn(f"job matches: {status} {str(body)[:200]}")
                elif r > 0:
                    lat.append(elapsed)
        results["job_to_candidates"] = {**summarize_ms(lat), "subjects": len(pairs)}
        return results

    def nrt(self):
        client = Client(self.args.port)
        self.phase("publish → searchable")
        token = client.login(f"employer.hk@{DEMO_DOMAIN}")
        status, body = client.request("GET", "/api/v1/employers", token=token)
        items = body.get("items", body) if isinstance(body, dict) else body
        employer = next((e for e in items if e.get("verified")), None)
        if status != 200 or employer is None:
            raise SystemExit(f"the demo employer has no verified employer: {status} {body}")
        locations = json.loads((ROOT / "assets" / "registry" / "locations.json").read_text())
        location = next(l["id"] for l in locations if l["jurisdiction"] == employer["jurisdiction"])
        currency = "HKD" if employer["jurisdiction"] == "HK" else "CNY"
        run_tag = "".join(random.choice(string.ascii_lowercase) for _ in range(5))
        poll = self.args.poll_ms / 1000.0
        lags, publish_ms, missing = [], [], 0
        for i in range(self.args.nrt_jobs):
            word = "zq" + run_tag + letters(i)
            status, job = client.request("POST", "/api/v1/jobs", {
                "employer_id": employer["id"],
                "title": f"Benchmark {word} analyst",
                "description": f"A job made by the benchmark to time publish-to-search ({word}).",
                "location_id": location,
                "employment_type": "full_time",
                "salary_min": 30000, "salary_max": 40000, "salary_currency": currency, "salary_period": "month",
                "skills": [{"skill_id": "data-analysis", "min_level": 3, "required": True}],
                "languages": [],
                "sponsorship": False,
            }, token=token)
            if status != 201:
                raise SystemExit(f"creating a job failed: {status} {job}")
            t0 = time.perf_counter()
            status, _ = client.request("POST", f"/api/v1/jobs/{job['id']}/publish", token=token)
            publish_ms.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                raise SystemExit(f"publishing a job failed: {status}")
            deadline = t0 + 30
            path = search_path({"q": word}, limit=5)
            while True:
                status, found = client.request("GET", path)
                now = time.perf_counter()
                if status == 200 and any(h["job"]["id"] == job["id"] for h in found["hits"]):
                    lags.append((now - t0) * 1000)
                    break
                if now > deadline:
                    missing += 1
                    break
                time.sleep(poll)
        if missing:
            self.warn(f"{missing} published jobs were not found by search within 30 s")
        return {**summarize_ms(lags), "jobs": self.args.nrt_jobs, "found": len(lags), "poll_ms": self.args.poll_ms,
                "publish_p50_ms": percentile(publish_ms, 50), "publish_p99_ms": percentile(publish_ms, 99)}

    def login_args(self):
        body = json.dumps({"email": f"candidate.hk@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})
        return ["-m", "POST", "-T", "application/json", "-d", body, f"http://127.0.0.1:{self.args.port}/api/v1/auth/login"]

    def login(self):
        self.phase("login at full tilt")
        c = self.args.login_concurrency
        log(f"oha: login at {c} connections for {self.seconds:.0f} s")
        result = self.oha(*self.login_args(), concurrency=c, seconds=self.seconds)
        result["concurrency"] = c
        if result["ok"] != result["requests"]:
            self.warn(f"login: {result['requests'] - result['ok']} requests failed: {result['status_codes']} {result['errors']}")
        return result

    def storm(self):
        self.phase("search at 16 during a login storm")
        c = self.args.login_concurrency
        log(f"oha: search at 16 while logins run at {c} connections")
        urls = self.work / "search_urls.txt"
        box = {}

        def logins():
            box["login"] = self.oha(*self.login_args(), concurrency=c, seconds=self.seconds + 4)

        thread = threading.Thread(target=logins)
        thread.start()
        time.sleep(2)
        search = self.oha("--urls-from-file", str(urls), concurrency=16, seconds=self.seconds)
        thread.join()
        return {"search": search, "login": box.get("login", {}), "login_concurrency": c}

    # -- the whole run -------------------------------------------------------------------------

    def run(self):
        self.work.mkdir(parents=True, exist_ok=True)
        load = os.getloadavg()
        self.results["machine"]["load_before"] = load
        if load[0] > (os.cpu_count() or 1):
            self.warn(f"the machine was busy when the run began (load average {load[0]:.1f} on "
                      f"{os.cpu_count()} CPUs): other work competes with every figure")
        self.tools()
        if self.args.reuse:
            log(f"reusing the data set in {self.pg.db} and {self.data}")
            self.results["reused_data_set"] = True
        else:
            self.fresh_database()
            self.seed()
        self.reindex()
        self.pg_build()
        pg_answers = self.pg_answers()
        floor = self.floor({name: a["top"] for name, a in pg_answers.items()})
        self.results["reindex"]["jobs_index_documents"] = floor["documents"]
        tantivy = {q["name"]: q for q in floor["queries"]}
        quality = []
        for q in self.queries:
            name = q["name"]
            quality.append(quality_row(name, tantivy[name], pg_answers[name],
                                       self.pg_text_matches(name, tantivy[name]["top"]), floor["check"].get(name, [])))
        self.results["quality"] = {"queries": quality, "mean": mean_quality(quality)}
        search = {"floor": {str(r["concurrency"]): r for r in floor["runs"]}}
        search["pg_full"] = self.pg_bench("full")
        search["pg_top20"] = self.pg_bench("top20")
        self.results["search"] = search
        self.save()
        try:
            self.start_service()
            http_tops = self.http_tops()
            self.results["quality"]["http_agrees_with_floor"] = sum(
                1 for name, top in http_tops.items() if top == tantivy[name]["top"])
            search["http"] = self.http_search()
            log("each query alone over HTTP")
            search["http_per_query"] = self.http_per_query()
            self.save()
            log("matching: candidate → jobs and job → candidates")
            self.results["matching"] = self.matching()
            log(f"publish → searchable over {self.args.nrt_jobs} jobs")
            self.results["nrt"] = self.nrt()
            self.save()
            self.results["login"] = self.login()
            self.results["storm"] = self.storm()
            self.phase(None)
            self.results["memory"]["phases"] = dict(self.sampler.peaks)
            self.results["memory"]["anon_phases"] = dict(self.sampler.anon_peaks)
            self.results["memory"]["peak_bytes"] = max(self.sampler.peaks.values(), default=None)
            self.results["memory"]["hwm_bytes"] = self.sampler.status("VmHWM")
            time.sleep(3)
            self.results["memory"]["after_load_bytes"] = self.sampler.status("VmRSS")
            self.results["memory"]["after_load_anon_bytes"] = self.sampler.status("RssAnon")
        finally:
            self.stop_service()
        self.results["finished_at"] = now_iso()
        self.results["machine"]["load_after"] = os.getloadavg()
        self.save()
        log(f"wrote {self.out_json} and {self.out_md}")

    @property
    def out_json(self):
        return Path(self.args.out_dir) / "results.json"

    @property
    def out_md(self):
        return Path(self.args.out_dir) / "RESULTS.md"

    def save(self):
        self.results["figures"] = figures(self.results)
        Path(self.args.out_dir).mkdir(parents=True, exist_ok=True)
        self.out_json.write_text(json.dumps(self.results, indent=2, ensure_ascii=False) + "\n")
        notes_file = BENCH / "notes.md"
        notes = notes_file.read_text() if notes_file.exists() else None
        self.out_md.write_text(render_markdown(self.results, notes) + "\n")


def mean_quality(rows):
    out = {}
    for key in ("found_ratio", "overlap_at_20", "pg_matches_tantivy_top", "tantivy_matches_pg_top"):
        values = [r[key] for r in rows if r.get(key) is not None]
        out[key] = sum(values) / len(values) if values else None
    found = [r["found_ratio"] for r in rows if r.get("found_ratio") is not None]
    out["lowest_found_ratio"] = min(found) if found else None
    return out


def letters(n):
    """0 → 'a', 25 → 'z', 26 → 'ba': a number as a word of letters (the analyser keeps it whole)."""
    word = ""
    while True:
        word = chr(ord("a") + n % 26) + word
        n //= 26
        if n == 0:
            return word


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def now_iso():
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def git_commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True).stdout.strip()
    except OSError:
        return None


def machine():
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_bytes": memory, "os": platform.platform()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="20,000 jobs and 5,000 candidates")
    parser.add_argument("--jobs", type=int, help="override the number of jobs")
    parser.add_argument("--candidates", type=int, help="override the number of candidates")
    parser.add_argument("--seed", type=int, default=2026, help="seed-demo's random seed")
    parser.add_argument("--seconds", type=float, help="seconds per measurement (default 10, --small 5)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server (a user that may create databases)")
    parser.add_argument("--db", default="talentbridge_bench", help="database to (re)create")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--work-dir", default=str(BENCH / "work"), help="data directory, logs, scratch files")
    parser.add_argument("--out-dir", default=str(BENCH), help="where results.json and RESULTS.md go")
    parser.add_argument("--skip-build", action="store_true", help="use the binaries already built")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database and data directory of an earlier run of the same size (no seed-demo)")
    parser.add_argument("--match-subjects", type=int, default=40, help="candidates and jobs whose matches are timed")
    parser.add_argument("--match-rounds", type=int, default=5, help="timed requests per subject")
    parser.add_argument("--nrt-jobs", type=int, default=200)
    parser.add_argument("--poll-ms", type=float, default=5.0, help="search polling interval for the lag")
    parser.add_argument("--login-concurrency", type=int, default=16)
    parser.add_argument("--render", action="store_true",
                        help="only rewrite RESULTS.md from results.json (after editing bench/notes.md)")
    args = parser.parse_args(argv)
    if args.render:
        out_dir = Path(args.out_dir)
        results = json.loads((out_dir / "results.json").read_text())
        results["figures"] = figures(results)
        notes_file = BENCH / "notes.md"
        notes = notes_file.read_text() if notes_file.exists() else None
        (out_dir / "RESULTS.md").write_text(render_markdown(results, notes) + "\n")
        log(f"wrote {out_dir / 'RESULTS.md'}")
        return
    bench = Bench(args)
    try:
        bench.run()
    finally:
        bench.stop_service()


if __name__ == "__main__":
    main()
