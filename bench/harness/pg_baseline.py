"""The PostgreSQL full-text baseline: the table of open jobs (bench/pg_fts.sql), the statements
that answer the query mix the way the service does, their answers for the quality check, and
pgbench at each concurrency."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import time
import tomllib

from .common import BENCH, CONCURRENCY, ROOT, log, run
from .stats import p50_p99, summarize_ms


def load_rates():
    """The exchange rates the service uses: config/default.toml, then TALENTBRIDGE__RATES__*."""
    config = tomllib.loads((ROOT / "config" / "default.toml").read_text())
    rates = dict(config.get("rates", {}))
    for key, value in os.environ.items():
        if key.startswith("TALENTBRIDGE__RATES__"):
            rates[key.removeprefix("TALENTBRIDGE__RATES__")] = float(value)
    return rates


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
    """The text part of a query for PostgreSQL, mirroring the service's parser (every word
    must match, in any field; a word that analyses into several terms must match as a phrase):
    Latin words AND-ed in one English tsquery over a weighted tsvector; words with Chinese
    characters as substrings (ILIKE, served by the pg_trgm index) — PostgreSQL has no Chinese
    segmenter. Returns (predicate, rank expression), or (None, "0") when there is no text."""
    words = [w for w in (q or "").split() if w]
    latin = [w for w in words if not is_cjk_word(w)]
    cjk = [w for w in words if is_cjk_word(w)]
    predicates, ranks = [], []
    if latin:
        tsquery = " && ".join(f"plainto_tsquery('english', {sql_literal(w)})" for w in latin)
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
    return "(" + " AND ".join(predicates) + ")", " + ".join(ranks)


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


def facet_counts(expression):
    """The counts of `expression`'s values over the matches `m`, as one JSON object."""
    return (f"(SELECT coalesce(json_object_agg(k, n), '{{}}') FROM "
            f"(SELECT {expression} AS k, count(*) AS n FROM m GROUP BY 1) f)")


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
        f"{facet_counts('jurisdiction')} AS jurisdiction, "
        f"{facet_counts('employment_type')} AS employment_type, "
        "(SELECT coalesce(json_object_agg(k, n), '{}') FROM "
        "(SELECT k, count(*) AS n FROM (SELECT unnest(skill_ids) AS k FROM m) s GROUP BY 1) f) AS skills"
    )
    order = f"{rank} DESC, id" if text else "id"
    top20 = f"SELECT id FROM bench_fts.job_docs WHERE {where} ORDER BY {order} LIMIT 20"
    return {"full": full, "top20": top20, "text": text}


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


def skill_text_rows(skills):
    """The skills registry as (id, every label and alias) rows, the words pg_fts.sql adds to a job."""
    return ",\n".join(
        "({}, {})".format(
            sql_literal(s["id"]),
            sql_literal(" ".join([s["labels"]["en"], s["labels"]["zh-Hans"], s["labels"]["zh-Hant"],
                                  *s.get("aliases", [])])),
        )
        for s in skills
    )


class PgBaseline:
    """The baseline on the benchmark's database, for one query mix."""

    def __init__(self, pg, queries, rates):
        self.pg, self.queries, self.rates = pg, queries, rates
        self.sql = [pg_queries(q["params"], rates) for q in queries]

    def build(self):
        """Builds bench_fts.job_docs and its indexes, timed; returns rows, seconds and size."""
        log("PostgreSQL FTS baseline: building bench_fts.job_docs")
        skills = json.loads((ROOT / "assets" / "registry" / "skills.json").read_text())
        rates = ",\n".join(f"({sql_literal(c)}, {float(v)})" for c, v in self.rates.items())
        self.pg.psql(
            "DROP SCHEMA IF EXISTS bench_fts CASCADE; CREATE SCHEMA bench_fts;\n"
            "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
            "CREATE TABLE bench_fts.skill_text (skill_id text PRIMARY KEY, words text NOT NULL);\n"
            f"INSERT INTO bench_fts.skill_text VALUES {skill_text_rows(skills)};\n"
            "CREATE TABLE bench_fts.rates (currency text PRIMARY KEY, rate float8 NOT NULL);\n"
            f"INSERT INTO bench_fts.rates VALUES {rates};\n"
        )
        start = time.perf_counter()
        self.pg.psql((BENCH / "pg_fts.sql").read_text())
        seconds = time.perf_counter() - start
        count = int(self.pg.value("SELECT count(*) FROM bench_fts.job_docs"))
        size = int(self.pg.value("SELECT pg_total_relation_size('bench_fts.job_docs')"))
        log(f"PostgreSQL FTS: {count} rows in {seconds:.1f} s")
        return {"seconds": seconds, "rows": count, "rows_per_s": count / seconds, "bytes": size}

    def answers(self):
        """Each query's top 20 and total, by name."""
        return {
            q["name"]: self.pg.json(f"SELECT json_build_object('top', top, 'total', total) FROM ({sql['full']}) x")
            for q, sql in zip(self.queries, self.sql)
        }

    def text_matches(self, name, ids):
        """Which of `ids` the named query's text predicate matches (all of them without text)."""
        sql = self.sql[[q["name"] for q in self.queries].index(name)]
        if not ids:
            return []
        if sql["text"] is None:
            return list(ids)
        id_list = ", ".join(sql_literal(i) for i in ids)
        return self.pg.json(
            f"SELECT coalesce(json_agg(id), '[]') FROM bench_fts.job_docs WHERE id IN ({id_list}) AND {sql['text']}"
        )

    def bench(self, variant, work, seconds):
        """pgbench at each concurrency, one script per query of the mix ("full" or "top20")."""
        scripts_dir = work / "pgbench" / variant
        files = write_scripts(scripts_dir, [sql[variant] for sql in self.sql])
        results = {}
        for c in CONCURRENCY:
            log(f"pgbench {variant}: {c} clients for {seconds:.0f} s")
            results[str(c)] = pgbench_level(self.pg, scripts_dir, files, c, seconds,
                                            [q["name"] for q in self.queries])
        return results


def write_scripts(scripts_dir, statements):
    """One pgbench script a statement, in a fresh `scripts_dir`; returns their paths in order."""
    if scripts_dir.exists():
        shutil.rmtree(scripts_dir)
    scripts_dir.mkdir(parents=True)
    files = []
    for i, sql in enumerate(statements):
        path = scripts_dir / f"q{i:02d}.sql"
        path.write_text(sql + ";\n")
        files.append(path)
    return files


def pgbench_level(pg, scripts_dir, files, clients, seconds, names):
    """pgbench with `clients` clients for `seconds`, each transaction one of `files` (`names` says
    which query each is): latencies overall and per query, and the transactions a second."""
    prefix = f"c{clients}"
    for old in scripts_dir.glob(prefix + ".*"):
        old.unlink()
    threads = min(clients, os.cpu_count() or 1)
    cmd = ["pgbench", "-n", *pg.args()[:-2], "-c", str(clients), "-j", str(threads),
           "-T", str(max(1, round(seconds))), "-l", f"--log-prefix={prefix}",
           *[arg for f in files for arg in ("-f", str(f))], pg.db]
    out = run(cmd, env=pg.env, cwd=scripts_dir)
    lines = []
    for logfile in scripts_dir.glob(prefix + ".*"):
        lines.extend(logfile.read_text().splitlines())
    overall, per_script = parse_pgbench_logs(lines, len(files))
    summary = summarize_ms(overall)
    summary["throughput"] = parse_pgbench_tps(out.stdout)
    summary["per_query"] = {names[i]: p50_p99(v) for i, v in per_script.items() if v}
    return summary
