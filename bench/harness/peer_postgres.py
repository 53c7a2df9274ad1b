"""The PostgreSQL peer at equal quality: one tsvector of our analysed tokens a job (fields as
weights) in bench_peer.docs with a GIN index, each query as the service's rules in tsquery.

It runs each workload in-process (a PL/pgSQL loop in the server, one search at a time, beside the
other peers), and the mix under pgbench at the service's target concurrency, answering what the
service answers (the top 20, the total and three facets' counts), which is the search baseline
the report judges HTTP against."""

from __future__ import annotations

import json
import time

from .common import log
from .pg_baseline import facet_counts, pgbench_level, sql_literal, write_scripts
from .stats import summarize_ms

FIELDS = ("title", "skills", "employer", "description")
# PostgreSQL keeps positions up to this one.
PG_LAST_POSITION = 16383
WEIGHT_LETTERS = dict(zip(FIELDS, "ABCD"))


def tsvector_literal(fields):
    """The fields' tokens as one tsvector: a weight letter per field (title A, skills B, employer
    C, description D), positions one-based and at most PostgreSQL's last."""
    places = {}
    for field in FIELDS:
        letter = WEIGHT_LETTERS[field]
        for position, token in fields[field]:
            places.setdefault(token, []).append(f"{min(position + 1, PG_LAST_POSITION)}{letter}")
    return " ".join(f"{token}:{','.join(at)}" for token, at in places.items())


def tsquery_word(word):
    """One word as tsquery: a term in any field, or a phrase at the analyzer's distances inside one
    field (the weight letters keep the fields apart)."""
    if len(word) == 1:
        return word[0][1]
    phrases = []
    for letter in "ABCD":
        parts = [f"{word[0][1]}:{letter}"]
        for (before, _), (offset, token) in zip(word, word[1:]):
            parts.append(f"<{max(offset - before, 0)}> {token}:{letter}")
        phrases.append("(" + " ".join(parts) + ")")
    return "(" + " | ".join(phrases) + ")"


def pg_where(query, now, weights):
    """The query's conditions, the service's rules on bench_peer.docs, and its rank by the fields'
    boosts (None without words)."""
    filters = query["filters"]
    conditions = [f"expires_at >= {int(now)}"]
    for key in ("jurisdiction", "location_id", "employment_type"):
        if key in filters:
            conditions.append(f"{key} = {sql_literal(filters[key])}")
    if "skill_id" in filters:
        conditions.append(f"skills @> ARRAY[{sql_literal(filters['skill_id'])}]")
    if "sponsorship" in filters:
        conditions.append(f"sponsorship = {'true' if filters['sponsorship'] else 'false'}")
    if "salary_at_least" in filters:
        conditions.append(f"salary >= {int(filters['salary_at_least'])}")
    rank = None
    if query["words"]:
        tsquery = " & ".join(tsquery_word(word) for word in query["words"])
        conditions.append(f"tsv @@ '{tsquery}'::tsquery")
        # ts_rank's weights are D, C, B, A, at most 1: the fields' boosts over the largest.
        top = max(weights)
        by_letter = "{" + ",".join(str(weights[FIELDS.index(f)] / top) for f in reversed(FIELDS)) + "}"
        rank = f"ts_rank('{by_letter}', tsv, '{tsquery}'::tsquery)"
    return " AND ".join(conditions), rank


def pg_statement(query, now, weights):
    """The top 20 and the total, as one statement (columns id, total)."""
    where, rank = pg_where(query, now, weights)
    order = f"{rank} DESC, rowid" if rank else "rowid"
    return f"SELECT id, count(*) OVER () AS total FROM bench_peer.docs WHERE {where} ORDER BY {order} LIMIT 20"


def pg_answer_statement(query, now, weights):
    """What the service answers a search, as one statement: the top 20 (in pg_statement's order),
    the total, and the counts of the three facets (jurisdiction, employment type, skills) over
    every match."""
    where, rank = pg_where(query, now, weights)
    return (
        f"WITH m AS MATERIALIZED (SELECT rowid, id, jurisdiction, employment_type, skills, {rank or 0} AS rank "
        f"FROM bench_peer.docs WHERE {where}) "
        "SELECT (SELECT coalesce(json_agg(id ORDER BY rank DESC, rowid), '[]') FROM "
        "(SELECT id, rank, rowid FROM m ORDER BY rank DESC, rowid LIMIT 20) t) AS top, "
        "(SELECT count(*) FROM m) AS total, "
        f"{facet_counts('jurisdiction')} AS jurisdiction, "
        f"{facet_counts('employment_type')} AS employment_type, "
        f"{facet_counts('unnest(skills)')} AS skills"
    )


PG_SETUP = """
DROP SCHEMA IF EXISTS bench_peer CASCADE; CREATE SCHEMA bench_peer;
CREATE TABLE bench_peer.docs (rowid int PRIMARY KEY, id text NOT NULL, jurisdiction text, location_id text,
    employment_type text, sponsorship bool, expires_at bigint, salary bigint, skills text[], tsv tsvector);
CREATE TABLE bench_peer.statements (workload text, n int, sql text, PRIMARY KEY (workload, n));
CREATE TABLE bench_peer.sequence (workload text, step int, n int, PRIMARY KEY (workload, step));
-- The searches of one workload in its order, round and round, for `seconds`, each timed.
CREATE FUNCTION bench_peer.timed(w text, seconds float8) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    statements text[] := ARRAY(SELECT sql FROM bench_peer.statements WHERE workload = w ORDER BY n);
    steps int[] := ARRAY(SELECT n FROM bench_peer.sequence WHERE workload = w ORDER BY step);
    latencies float8[] := '{}';
    started timestamptz := clock_timestamp();
    began timestamptz;
    i int := 0;
    r record;
BEGIN
    WHILE clock_timestamp() < started + make_interval(secs => seconds) LOOP
        began := clock_timestamp();
        FOR r IN EXECUTE statements[steps[i % array_length(steps, 1) + 1] + 1] LOOP END LOOP;
        latencies := array_append(latencies, extract(epoch FROM clock_timestamp() - began)::float8 * 1000);
        i := i + 1;
    END LOOP;
    RETURN json_build_object('latencies', latencies,
                             'seconds', extract(epoch FROM clock_timestamp() - started));
END $$;
"""

PG_INDEXES = """
CREATE INDEX ON bench_peer.docs USING gin (tsv);
CREATE INDEX ON bench_peer.docs USING gin (skills);
CREATE INDEX ON bench_peer.docs (jurisdiction);
CREATE INDEX ON bench_peer.docs (employment_type);
CREATE INDEX ON bench_peer.docs (salary);
CREATE INDEX ON bench_peer.docs (expires_at);
ANALYZE bench_peer.docs;
"""


def pg_array(values):
    return "{" + ",".join(values) + "}"


def copy_rows(peers_dir):
    """docs.jsonl as COPY text rows of bench_peer.docs."""
    path = peers_dir / "pg_docs.tsv"
    with open(peers_dir / "docs.jsonl", encoding="utf-8") as docs, open(path, "w", encoding="utf-8") as out:
        for rowid, line in enumerate(docs, start=1):
            doc = json.loads(line)
            salary = "\\N" if doc["salary"] is None else str(doc["salary"])
            out.write("\t".join([str(rowid), doc["id"], doc["jurisdiction"], doc["location_id"],
                                 doc["employment_type"], "t" if doc["sponsorship"] else "f",
                                 str(doc["expires_at"]), salary, pg_array(doc["skills"]),
                                 tsvector_literal(doc["fields"])]) + "\n")
    return path


class PgPeer:
    name = "postgres"

    def __init__(self, pg):
        self.pg = pg

    def build(self, peers_dir):
        rows = copy_rows(peers_dir)
        self.pg.psql(PG_SETUP)
        start = time.perf_counter()
        self.pg.psql(f"\\copy bench_peer.docs FROM '{rows}'\n" + PG_INDEXES)
        seconds = time.perf_counter() - start
        rows.unlink()
        documents = int(self.pg.value("SELECT count(*) FROM bench_peer.docs"))
        return {"seconds": seconds, "rows_per_s": documents / seconds if seconds else None,
                "bytes": int(self.pg.value("SELECT pg_total_relation_size('bench_peer.docs')"))}

    def config(self):
        version = self.pg.value("SHOW server_version")
        return (f"PostgreSQL {version}, one tsvector of our analysed tokens with positions (fields as "
                "weights A–D) and a GIN index; ts_rank with the fields' boosts (PostgreSQL has no BM25); "
                "a phrase as <N> inside one field; a PL/pgSQL loop runs the statements in the server")

    def run_workload(self, key, workload, now, weights, seconds):
        statements = [pg_statement(query, now, weights) for query in workload["queries"]]
        values = ",\n".join(f"({sql_literal(key)}, {n}, {sql_literal(sql)})" for n, sql in enumerate(statements))
        steps = ",".join(str(n) for n in workload["sequence"])
        self.pg.psql(
            f"DELETE FROM bench_peer.statements WHERE workload = {sql_literal(key)};\n"
            f"DELETE FROM bench_peer.sequence WHERE workload = {sql_literal(key)};\n"
            f"INSERT INTO bench_peer.statements VALUES {values};\n"
            f"INSERT INTO bench_peer.sequence SELECT {sql_literal(key)}, step - 1, n "
            f"FROM unnest('{{{steps}}}'::int[]) WITH ORDINALITY AS s(n, step);\n"
        )
        answers = self.answers(workload, statements)
        timed = json.loads(self.pg.value(f"SELECT bench_peer.timed({sql_literal(key)}, {float(seconds)})"))
        latencies = sorted(timed["latencies"])
        summary = summarize_ms(latencies)
        return {"answers": answers, "requests": len(latencies), "seconds": timed["seconds"],
                "throughput": len(latencies) / timed["seconds"] if timed["seconds"] else None,
                "p50_ms": summary.get("p50_ms"), "p99_ms": summary.get("p99_ms")}

    def answers(self, workload, statements):
        script = "".join(
            "SELECT json_build_object('top', coalesce(json_agg(id), '[]'), 'total', coalesce(max(total), 0)) "
            f"FROM ({statements[i]}) x;\n"
            for i in workload["answer"]
        )
        lines = self.pg.psql(script).splitlines()
        return {workload["queries"][i]["name"]: json.loads(line) for i, line in zip(workload["answer"], lines)}

    def under_load(self, workload, now, weights, work_dir, clients, seconds):
        """pgbench with `clients` clients for `seconds` over the workload's queries, each answered as
        the service answers a search (pg_answer_statement): the search baseline at equal quality."""
        statements = [pg_answer_statement(query, now, weights) for query in workload["queries"]]
        scripts_dir = work_dir / "pgbench" / "equal_quality"
        files = write_scripts(scripts_dir, statements)
        log(f"peers: PostgreSQL under pgbench, {clients} clients for {seconds:.0f} s")
        return {"clients": clients, **pgbench_level(self.pg, scripts_dir, files, clients, seconds,
                                                    [query["name"] for query in workload["queries"]])}

    def floor_top_matched(self, workload, now, weights, floor_answers):
        """Query by query, the share of the floor's top 20 that the peer's conditions match (queries
        whose floor answer is empty are left out): the packaged baseline's quality question, asked
        of the peer."""
        asked = [query for query in workload["queries"] if floor_answers.get(query["name"], {}).get("top")]
        if not asked:
            return {"mean": None, "lowest": None, "per_query": {}}
        script = "".join(
            "SELECT count(*) FROM bench_peer.docs WHERE id IN ({}) AND {};\n".format(
                ", ".join(sql_literal(i) for i in floor_answers[query["name"]]["top"]),
                pg_where(query, now, weights)[0])
            for query in asked
        )
        counts = [int(line) for line in self.pg.psql(script).splitlines()]
        shares = {query["name"]: n / len(floor_answers[query["name"]]["top"]) for query, n in zip(asked, counts)}
        return {"mean": sum(shares.values()) / len(shares), "lowest": min(shares.values()), "per_query": shares}
