"""The report: bench/results.json (everything, raw) and bench/RESULTS.md (the run's facts, the
targets met or not, every headline figure, what we changed (bench/changes.md), a section per kind
of figure, then the hand-written notes (bench/notes.md))."""

from __future__ import annotations

import json
from pathlib import Path

from .common import BENCH, CONCURRENCY, GIB
from .figures import MATCHING, figures
from .openloop import EXPLODED_P99_MS, SATURATED_SHARE

NOTES = BENCH / "notes.md"
CHANGES = BENCH / "changes.md"
ENGINES = {"http": "HTTP (service)", "floor": "tantivy in-process (floor)",
           "pg_full": "PostgreSQL FTS, full", "pg_top20": "PostgreSQL FTS, top 20"}


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


def read_optional(path):
    return Path(path).read_text() if Path(path).exists() else None


def write_results(results, out_dir):
    """results.json and RESULTS.md in `out_dir`, the headline figures computed afresh."""
    out_dir = Path(out_dir)
    results["figures"] = figures(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    render_file(results, out_dir)


def render_file(results, out_dir):
    """RESULTS.md in `out_dir`, with the hand-written files as they are now."""
    text = render_markdown(results, notes=read_optional(NOTES), changes=read_optional(CHANGES))
    (Path(out_dir) / "RESULTS.md").write_text(text + "\n")


def table(header, rows):
    """A Markdown table: the header row, its rule, then the rows (lists of cells)."""
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
        "| " + " | ".join(cells) + " |" for cells in rows
    ]


def section(title, *paragraphs_and_tables):
    """## title, then each part (a paragraph string or a list of lines), a blank line after each."""
    out = [f"## {title}", ""]
    for part in paragraphs_and_tables:
        out.extend([part] if isinstance(part, str) else part)
        out.append("")
    return out


def render_markdown(r, notes=None, changes=None):
    """RESULTS.md from results.json, with the hand-written changes (bench/changes.md) after the
    tables of figures and the hand-written notes (bench/notes.md) at the end."""
    rows = r.get("figures", [])
    out = header(r)
    out.extend(targets_section(rows))
    out.extend(section("All figures", figures_table(rows)))
    out.extend(changes_section(changes))
    for part in (search_section, per_query_section, zipf_section, quality_section, peers_section, service_section,
                 memory_section, setup_section):
        out.extend(part(r))
    if r.get("warnings"):
        out.extend(section("Warnings from this run", [f"- {w}" for w in r["warnings"]]))
    if notes:
        out.append(notes.rstrip())
        out.append("")
    return "\n".join(out)


def header(r):
    size = r["size"]
    out = [f"# Benchmark results — {r['label']} size", ""]
    if r["label"] != "full":
        out.append(
            f"**This is the `{r['label']}` size ({size['jobs']:,} jobs, {size['candidates']:,} candidates), "
            "not the 1,000,000-job size the targets are set for: read the figures as a quick look, "
            "not as the answer to the targets.**"
        )
        out.append("")
    out.extend(f"- **{name}**: {text}" for name, text in run_facts(r))
    out.append("")
    return out


def run_facts(r):
    """(name, text) for the data set, the machine, the date and how the run was made."""
    size, m, ri = r["size"], r.get("machine", {}), r.get("reindex", {})
    data = f"{size['jobs']:,} jobs and {size['candidates']:,} candidates written by `seed-demo`"
    if r.get("reused_data_set"):
        data += " (in an earlier run, reused here)"
    if ri.get("jobs") is not None:
        data += f"; {fmt(ri['jobs'])} open jobs and {fmt(ri.get('candidates'))} candidates indexed"
    machine = (
        f"{m.get('cpu', '?')}, {m.get('cpus', '?')} logical CPUs (shared with other work), "
        f"{fmt(m.get('memory_bytes'), 'bytes')} RAM, {m.get('os', '?')}"
    )
    if m.get("load_before") and m.get("load_after"):
        machine += f"; load average {m['load_before'][0]:.1f} at the start, {m['load_after'][0]:.1f} at the end"
    date = f"{r.get('finished_at', r.get('started_at'))}"
    if r.get("finished_at") and r.get("started_at"):
        date += f" (started {r['started_at']})"
    command = "python3 bench/run.py" + (" --small" if r["label"] == "small" else "")
    how = (
        f"commit `{r.get('commit', '?')}`; {r.get('seconds_per_level')} s per concurrency level; "
        f"`{command}`; the raw figures are in `bench/results.json`"
    )
    facts = [("Data set", data), ("Machine", machine), ("Date", date), ("Run", how)]
    added = r.get("added_phases") or {}
    if added:
        facts.append(("Added after the run", "; ".join(
            f"{name}, alone on its data set at commit `{a.get('commit', '?')}` ({a.get('at', '?')}; "
            f"`python3 bench/run.py --phases {name}`)" for name, a in added.items())))
    return facts


def value_text(row):
    """A figure's value with its unit, as the tables show it."""
    unit = row["unit"]
    shown_unit = "" if unit in ("bytes", "share", "×") else f" {unit}"
    value = fmt(row["value"], unit) + (shown_unit if row["value"] is not None else "")
    if unit == "×" and row["value"] is not None:
        value += "×"
    return value


def judged_value_text(row):
    """The value, and what the target judged when that is its ratio to the baseline."""
    if row.get("judged") is None:
        return value_text(row)
    return f"{value_text(row)} ({row['judged']:.2f}× {row['baseline_name']})"


def figure_cells(row):
    unit = row["unit"]
    value = value_text(row)
    baseline = ""
    if row.get("baseline") is not None:
        baseline = f"{fmt(row['baseline'], 'bytes' if unit == 'bytes' else None)} ({row['baseline_name']})"
    elif row.get("baseline_name"):
        baseline = f"— ({row['baseline_name']})"
    ratio_ = "" if row.get("ratio") is None else f"{row['ratio']:.2f}×"
    met = verdict(row) or ("not measured" if row.get("target") else "")
    return [row["figure"], value, row.get("target") or "", met, baseline, ratio_]


def verdict(row):
    return "" if row.get("met") is None else ("met" if row["met"] else "**not met**")


def targets_section(rows):
    """Each target: met or not, and what limits its figure (targets.TARGETS)."""
    judged = [row for row in rows if row.get("target")]
    if not judged:
        return []
    met = sum(1 for row in judged if row.get("met"))
    unmeasured = sum(1 for row in judged if row.get("met") is None)
    summary = f"{met} of {len(judged)} targets met" + (f"; {unmeasured} not measured" if unmeasured else "") + "."
    cells = [[row["figure"], row["target"], judged_value_text(row), verdict(row) or "not measured",
              row.get("limit") or ""] for row in judged]
    return section(
        "Targets",
        summary + " What limits each figure is written in `bench/harness/targets.py` from the "
        "profiles in the notes below.",
        table(["figure", "target", "value", "met", "what limits it"], cells),
    )


def changes_section(changes):
    body = changes.strip() if changes else ""
    return section("What we changed and what it gained",
                   body or "Nothing recorded yet: write each change in `bench/changes.md`.")


def figures_table(rows):
    return table(["figure", "value", "target", "met", "baseline", "ratio"], [figure_cells(row) for row in rows])


def search_section(r):
    search = r.get("search", {})
    if not search:
        return []
    rows = []
    for engine, name in ENGINES.items():
        for c in CONCURRENCY:
            s = search.get(engine, {}).get(str(c))
            if s:
                rows.append([name, str(c), *(fmt(s.get(k)) for k in
                             ("throughput", "p50_ms", "p95_ms", "p99_ms", "max_ms", "requests"))])
    return section(
        "Job search by concurrency",
        "The same fixed mix of "
        f"{len(r.get('queries', []))} queries (`bench/queries.json`: English, Simplified and Traditional "
        "Chinese, with and without filters; every answer carries facet counts) on each engine. "
        "HTTP: `oha` against `GET /api/v1/jobs/search` (keep-alive connections). Floor: "
        "`examples/search_floor.rs`, the handler's search function in-process, no HTTP, JSON or "
        "database. PostgreSQL: `pgbench`, one script per query; *full* answers what the API "
        "answers (top 20, total, facets), *top 20* only the page.",
        table(["engine", "connections", "searches/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "requests"], rows),
        *alternated_parts(search.get("alternated")),
    )


def alternated_parts(alternated):
    """The rounds of the floor and HTTP in turn (alternated.py), or that there were none."""
    if not alternated:
        return ["HTTP and the floor in alternation: not measured in this run (the HTTP / floor "
                "throughput targets are then not judged)."]
    rows = [[c, str(i), fmt(one.get("floor_throughput")), fmt(one.get("http_throughput")), ratio_text(one.get("ratio"))]
            for c, level in alternated.items() for i, one in enumerate(level.get("rounds", []), 1)]
    medians = ", ".join(f"{ratio_text(level.get('median_ratio'))} at {c}" for c, level in alternated.items())
    seconds = next(iter(alternated.values())).get("seconds")  # the same at every level
    return [
        "HTTP and the floor in alternation: with the service up and warmed by the mix, each round runs "
        "the floor (its indexes opened read-only beside the service), then `oha` on the mix's URLs, at the "
        f"same concurrency for {fmt(seconds)} s each, so that both see the machine at the same pace (the "
        "floor's and HTTP's rows above are taken many minutes apart). The HTTP / floor throughput target "
        f"is judged on the median of the rounds' ratios: {medians}.",
        table(["connections", "round", "floor searches/s", "HTTP searches/s", "HTTP / floor"], rows),
    ]


def ratio_text(value):
    return "—" if value is None else f"{value:.2f}×"


def per_query_section(r):
    search = r.get("search", {})
    per_http = search.get("http_per_query") or {}
    per_floor = search.get("floor", {}).get("1", {}).get("per_query") or {}
    per_pg = search.get("pg_full", {}).get("1", {}).get("per_query") or {}
    if not (per_http or per_floor or per_pg):
        return []
    totals = {q["query"]: q["tantivy_total"] for q in r.get("quality", {}).get("queries", [])}

    def pair(d):
        return "—" if not d else f"{fmt(d.get('p50_ms'))} / {fmt(d.get('p99_ms'))}"

    rows = [[q["name"], fmt(totals.get(q["name"])), pair(per_http.get(q["name"])), pair(per_floor.get(q["name"])),
             pair(per_pg.get(q["name"]))] for q in r.get("queries", [])]
    return section(
        "Each query at one connection",
        "p50 / p99 in ms. HTTP: each query alone, one request at a time from a Python client "
        "(its own overhead included); floor and PostgreSQL: their one-connection runs of the mix.",
        table(["query", "open jobs found", "HTTP", "floor", "PostgreSQL FTS, full"], rows),
    )


def percent(share):
    return "—" if share is None else f"{100 * share:.1f} %"


def zipf_log_text(summary):
    """What the Zipf query log is, from its summary (querylog.summary)."""
    top = summary.get("top_share", {})
    scripts = ", ".join(f"{script} {percent(share)}" for script, share in summary.get("scripts", {}).items())
    return (
        f"{fmt(summary.get('distinct'))} distinct queries written by `bench/harness/querylog.py` "
        f"(seed {summary.get('seed')}) from the registry and the demo's vocabulary — skills, job titles, "
        f"employers and places in English, Simplified and Traditional Chinese, with and without "
        f"filters — and {fmt(summary.get('requests'))} requests drawn from them by a Zipf law "
        f"(s = {summary.get('zipf_s')}): the most asked query is {percent(top.get('1'))} of the "
        f"requests, the top 10 {percent(top.get('10'))}, the top 100 {percent(top.get('100'))}; "
        f"{fmt(summary.get('distinct_requested'))} distinct queries are asked at least once. "
        f"Scripts of the requests: {scripts} (none: filters only); {percent(summary.get('filtered'))} "
        "carry a filter. oha draws each request at random from the log's lines."
    )


def zipf_section(r):
    zipf = r.get("search", {}).get("zipf")
    if not zipf:
        return []
    closed = [[c, *(fmt(s.get(k)) for k in ("throughput", "p50_ms", "p95_ms", "p99_ms", "max_ms", "requests"))]
              for c, s in zipf.get("closed", {}).items()]
    open_loop = zipf.get("open", {})
    steps = [[fmt(s["offered"]), fmt(s.get("seconds")), fmt(s.get("requests")), fmt(s["achieved"]),
              *(fmt(s.get(k)) for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")),
              fmt(s["failed"]), fmt(s["saturated"])] for s in open_loop.get("steps", [])]
    return section(
        "Job search on a Zipf query log",
        zipf_log_text(zipf.get("log", {})),
        "Closed loop (oha, keep-alive connections, each sending its next request when the last is answered):",
        table(["connections", "searches/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "requests"], closed),
        f"Open loop: requests offered at a fixed rate whatever the answers' pace (oha `-q RATE "
        f"--latency-correction`, {open_loop.get('connections')} connections, {open_loop.get('seconds')} s a rate "
        f"or longer, until at least {fmt(open_loop.get('min_step_requests'))} requests were offered, so that a "
        "p99 rests on 1 % of them; "
        "a request's latency counts from when it was due), up the ladder until the service saturates "
        f"(it answers under {SATURATED_SHARE * 100:.0f} % of the offered rate, or p99 passes {EXPLODED_P99_MS} ms). "
        f"The highest offered rate that, with every lower one, kept p99 ≤ {open_loop.get('p99_limit_ms')} ms "
        f"and answered every request: **{fmt(open_loop.get('rate_at_p99'))}/s**.",
        table(["offered /s", "seconds", "requests", "achieved /s", "p50 ms", "p95 ms", "p99 ms", "max ms", "failed",
               "saturated"], steps),
        *overload_text(open_loop),
    )


def overload_text(open_loop):
    """The overload step in a sentence (a list, empty for a run made before the step existed)."""
    if "overload" not in open_loop:
        return []
    o = open_loop["overload"]
    if not o:
        return ["No rate of the ladder saturated the service, so no overload step was run."]
    return [(f"Past saturation: {fmt(o['offered'])}/s offered over {fmt(o['connections'])} connections, more than "
            "the service lets compute and wait (`search.max_running_searches` + `max_waiting_searches`): "
            f"{fmt(o['answered'])} searches answered ({fmt(o['answered_per_s'])}/s), {fmt(o['refused'])} refused "
            f"503 with `Retry-After`, {fmt(o['other_failures'])} other failures; p50 {fmt(o['p50_ms'])} ms, "
            f"p99 {fmt(o['p99_ms'])} ms, max {fmt(o['max_ms'])} ms over every answer, refusals included.")]


def quality_section(r):
    quality = r.get("quality", {})
    if not quality.get("queries"):
        return []
    rows = [[q["query"], fmt(q["tantivy_total"]), fmt(q["pg_total"]), fmt(q.get("found_ratio")),
             fmt(q["overlap_at_20"]), fmt(q["pg_matches_tantivy_top"]), fmt(q["tantivy_matches_pg_top"])]
            for q in quality["queries"]]
    mean = quality.get("mean", {})
    rows.append(["**mean**", "", "", fmt(mean.get("found_ratio")), fmt(mean.get("overlap_at_20")),
                 fmt(mean.get("pg_matches_tantivy_top")), fmt(mean.get("tantivy_matches_pg_top"))])
    parts = [
        "Per query: how many open jobs each engine finds, the overlap of the two top-20 lists, and "
        "the share of one engine's top 20 that the other's text query matches at all. Tantivy "
        "folds Traditional to Simplified and segments Chinese into words; PostgreSQL's "
        "`english` configuration does neither, so Chinese words are matched as substrings with "
        "pg_trgm.",
        table(["query", "tantivy total", "PostgreSQL total", "PG / tantivy", "top-20 overlap",
               "PG matches tantivy's top 20", "tantivy matches PG's top 20"], rows),
    ]
    agree = quality.get("http_agrees_with_floor")
    if agree is not None:
        parts[-1] = parts[-1] + [
            "", f"The HTTP answers' top 20 equal the in-process ones for {agree} of {len(quality['queries'])} queries."]
    parts.extend(vocabulary_paragraphs(quality.get("vocabulary")))
    return section("Result quality: tantivy against PostgreSQL FTS as packaged", *parts)


def vocabulary_paragraphs(v):
    """Each pair of the vocabulary searched both ways (bench/harness/vocabulary.py)."""
    if not v:
        return []
    rows = [[other, fmt(other_total), mainland, fmt(mainland_total)]
            for other, mainland, other_total, mainland_total in v["examples"] + v["unequal"]]
    return [
        f"**Vocabulary both ways.** Each of the {v['pairs']} pairs the service bridges (`talentbridge "
        f"analyze --vocabulary`: Hong Kong or Taiwan word, Mainland word) searched with either word: "
        f"equal totals for {v['equal_totals']} pairs; {v['pairs_with_jobs']} pairs find jobs on this "
        "data set. The issue's examples, then every pair whose totals differ:",
        table(["Hong Kong / Taiwan", "jobs", "Mainland", "jobs"], rows),
    ]


def peers_section(r):
    """The peers fed our analysis (bench/harness/peers.py), beside the floor."""
    p = r.get("peers")
    if not p:
        return []
    floor = p.get("floor", {})
    rows = [["tantivy (the floor)", "", "", "", *peer_pace(floor.get("mix", {})), *peer_pace(floor.get("log", {})),
             "", ""]]
    for engine, e in p.get("engines", {}).items():
        w = e.get("workloads", {})
        build = e.get("build", {})
        rows.append([engine, fmt(build.get("seconds")), fmt(build.get("rows_per_s")), fmt(build.get("bytes"), "bytes"),
                     *peer_pace(w.get("mix", {})), *peer_pace(w.get("log", {})),
                     " / ".join(fmt(w.get(k, {}).get("agreement", {}).get("totals_agree")) for k in ("mix", "log")),
                     " / ".join(fmt(w.get(k, {}).get("agreement", {}).get("mean_overlap_at_20")) for k in ("mix", "log"))])
    corpus = p.get("corpus", {})
    configs = [f"- **{engine}**: {e.get('config')}" for engine, e in p.get("engines", {}).items()]
    return section(
        "Peers at equal quality",
        f"The {fmt(corpus.get('documents'))} open jobs exported through `talentbridge analyze --positions` "
        f"({fmt(corpus.get('analyse_seconds'))} s; {fmt(corpus.get('terms'))} distinct terms), so every engine "
        "indexes the same terms at the same places, and each query's words through `analyze --query --positions`. "
        "Every engine runs in-process, one search at a time, on the 14-query mix and on the Zipf log in its order; "
        "the floor (tantivy, the handler's function) on the same two. Totals and top 20 are compared with the "
        "floor's on every query of the mix and the log's most asked distinct queries.",
        table(["engine", "build s", "docs/s", "size", "mix /s", "mix p99 ms", "log /s", "log p99 ms",
               "equal totals (mix / log)", "top-20 overlap (mix / log)"], rows),
        "How each peer was configured:",
        "\n".join(configs),
        *baseline_paragraph(p.get("engines", {}).get("postgres", {})),
    )


def baseline_paragraph(postgres):
    """PostgreSQL fed our analysis as the search baseline: under pgbench, and how far its
    conditions match the floor's top 20 (peer_postgres.py)."""
    load = postgres.get("under_load")
    if not load:
        return []
    agreement = postgres.get("workloads", {}).get("mix", {}).get("agreement", {})
    matched = agreement.get("floor_top_matched", {})
    return [
        f"**The search baseline.** PostgreSQL on the same tokens, under pgbench at {load.get('clients')} clients "
        "on the mix, each statement answering what the service answers (the top 20, the total and three facets "
        f"counted over every match): {fmt(load.get('throughput'))} searches/s, p50 {fmt(load.get('p50_ms'))} ms, "
        f"p99 {fmt(load.get('p99_ms'))} ms. Its conditions match {fmt(matched.get('mean'))} of the floor's top 20 "
        f"on the mix (lowest query {fmt(matched.get('lowest'))}); its total over the floor's is "
        f"{fmt(agreement.get('lowest_total_ratio'))} at the lowest query. PostgreSQL as packaged (english "
        "configuration, pg_trgm for Chinese) is measured too, reported beside it under search and quality, "
        "unjudged."]


def peer_pace(s):
    return [fmt(s.get("throughput")), fmt(s.get("p99_ms"))]


def latency_cells(what, s, notes):
    return [what, fmt(s.get("p50_ms")), fmt(s.get("p95_ms")), fmt(s.get("p99_ms")), notes]


def service_section(r):
    rows = []
    mt = r.get("matching", {})
    for key, label, _ in MATCHING:
        if key in mt:
            s = mt[key]
            rows.append(latency_cells(f"matching {label}", s,
                                      f"{fmt(s.get('requests'))} requests over {s.get('subjects')} subjects, one at a time"))
    if "nrt" in r:
        s = r["nrt"]
        rows.append(latency_cells(
            "publish → first found by search", s,
            f"{s.get('found')} of {s.get('jobs')} jobs found; polled every {s.get('poll_ms')} ms; "
            f"publish call p50 {fmt(s.get('publish_p50_ms'))} ms"))
    if "login" in r:
        s = r["login"]
        rows.append(latency_cells("login (POST /auth/login)", s,
                                  f"{fmt(s.get('throughput'))} logins/s at {s.get('concurrency')} connections"))
    if "storm" in r:
        s = r["storm"]["search"]
        rows.append(latency_cells(
            "search at 16 during a login storm", s,
            f"{fmt(s.get('throughput'))} searches/s while logins ran at "
            f"{fmt(r['storm'].get('login', {}).get('throughput'))}/s"))
    if not rows:
        return []
    return section("Matching, freshness, logins", table(["what", "p50 ms", "p95 ms", "p99 ms", "notes"], rows))


def memory_section(r):
    mem = r.get("memory")
    if not mem:
        return []
    anon = mem.get("anon_phases", {})
    rows = [["at rest, after start", fmt(mem.get("rest_bytes"), "bytes"), fmt(mem.get("rest_anon_bytes"), "bytes")]]
    rows += [[phase, fmt(value, "bytes"), fmt(anon.get(phase), "bytes")] for phase, value in mem.get("phases", {}).items()]
    rows.append(["high-water mark (VmHWM) at the end", fmt(mem.get("hwm_bytes"), "bytes"), ""])
    rows.append(["3 s after the last load", fmt(mem.get("after_load_bytes"), "bytes"),
                 fmt(mem.get("after_load_anon_bytes"), "bytes")])
    return section(
        "Memory (VmRSS of the service)",
        "Sampled every 100 ms from `/proc/<pid>/status`. Anonymous memory is the heap; the rest "
        "is mostly the memory-mapped index files, which the kernel can drop and read again.",
        table(["phase", "peak RSS", "peak anonymous"], rows),
    )


def setup_section(r):
    lines = []
    if "seed" in r:
        sd = r["seed"]
        lines.append(
            f"- `seed-demo`: {fmt(sd.get('seconds'))} s in all (it builds the indexes once too)"
            + (f"; it says: {sd['summary']}." if sd.get("summary") else ".")
        )
    if r.get("reused_data_set"):
        lines.append("- The data set of an earlier run was reused (`--reuse`): no `seed-demo` in this run.")
    if "reindex" in r:
        ri = r["reindex"]
        lines.append(
            f"- `reindex`: {fmt(ri.get('seconds'))} s for {fmt(ri.get('documents'))} documents "
            f"({fmt(ri.get('jobs'))} open jobs, {fmt(ri.get('candidates'))} candidates) = {fmt(ri.get('docs_per_s'))} documents/s; "
            f"jobs index {fmt(ri.get('jobs_index_bytes'), 'bytes')}, candidates index {fmt(ri.get('candidates_index_bytes'), 'bytes')}."
        )
        for name, one in (ri.get("reported") or {}).items():
            lines.append(
                f"  - as `reindex` reports it: {name} {fmt(one.get('documents'))} documents in "
                f"{fmt(one.get('seconds'))} s ({fmt(one.get('per_s'))}/s)."
            )
    if "pg_fts" in r:
        pg = r["pg_fts"]
        lines.append(
            f"- PostgreSQL FTS baseline: {fmt(pg.get('rows'))} rows built and indexed in {fmt(pg.get('seconds'))} s "
            f"({fmt(pg.get('rows_per_s'))} rows/s), {fmt(pg.get('bytes'), 'bytes')} with indexes."
        )
    return section("Data set and build", lines) if lines else []
