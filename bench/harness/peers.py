"""Peers at equal quality: SQLite FTS5, Xapian and PostgreSQL full-text search, each fed the text
our own analysis gives (`talentbridge analyze --positions`: folded to Simplified, the Hong Kong
vocabulary rewritten, segmented, stemmed), so that they are asked the same questions the floor
is and their answers can be compared; then each runs the fixed mix and the Zipf query log
in-process, one search at a time, beside the floor on the same two workloads.

The open jobs come from bench_fts.job_docs (pg_fts.sql: the rows the jobs index holds, with the
same text in the same four fields). SQLite (apsw's, from PyPI) and Xapian run in peer_engines.py
under Debian's Python; PostgreSQL runs a PL/pgSQL loop over the same statements inside the
server, so no client round trip is counted against it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from . import querylog
from .common import BENCH, ROOT, log, run
from .peer_postgres import FIELDS, PgPeer
from .pg_baseline import monthly_reference
from .quality import overlap
from .targets import TARGET_CONCURRENCY

ENGINES = ("sqlite", "xapian")
DEBIAN_PYTHON = "/usr/bin/python3"
# apsw (SQLite with an FTS5 that takes colocated tokens from a Python tokenizer), from PyPI.
PEER_PACKAGES = BENCH / ".tools" / "python"
PEER_REQUIREMENTS = BENCH / "requirements-peers.txt"
# The most asked distinct queries of the log whose answers are compared (the mix: all of them).
ANSWERED_LOG_QUERIES = 300
ON_INDEX = ROOT / "src" / "search" / "job_search" / "on_index.rs"


def field_weights(path=ON_INDEX):
    """The fields' boosts as the service sets them (title, skills, employer, description)."""
    text = Path(path).read_text()

    def boost(name):
        return float(re.search(rf"const {name}: f32 = ([\d.]+);", text).group(1))

    return [boost("TITLE_BOOST"), boost("SKILLS_BOOST"), 1.0, 1.0]


# --- the corpus ---------------------------------------------------------------------------------

CORPUS_SQL = (
    "SELECT json_build_array(id, jurisdiction, location_id, employment_type, sponsorship, "
    "extract(epoch FROM expires_at)::bigint, salary_max_monthly, skill_ids, "
    "title, skills_text, employer_name, description) FROM bench_fts.job_docs ORDER BY id"
)


def one_line(text):
    """A field as one line for `analyze` (which reads a line a text); line breaks separate words
    in the index too."""
    return (text or "").replace("\r", " ").replace("\n", " ")


def parse_positioned(line):
    """`analyze --positions` output: `position:term` items → [(position, term)]."""
    out = []
    for item in line.split():
        position, term = item.split(":", 1)
        out.append((int(position), term))
    return out


class Tokens:
    """Every term as a short ASCII token (`t` and a hexadecimal number), so that no engine's own
    tokenizer, stemmer or stop list changes what our analysis gave."""

    UNKNOWN = "tnone"

    def __init__(self):
        self.of = {}

    def add(self, term):
        token = self.of.get(term)
        if token is None:
            token = self.of[term] = f"t{len(self.of):x}"
        return token

    def get(self, term):
        return self.of.get(term, self.UNKNOWN)


def export_corpus(bench, peers_dir):
    """docs.jsonl: each open job's filters and its four fields as positioned tokens. Returns the
    token table and what the export cost."""
    raw, lines, analysed = peers_dir / "rows.jsonl", peers_dir / "fields.txt", peers_dir / "analysed.txt"
    with open(raw, "w", encoding="utf-8") as out:
        subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", *bench.pg.args(), "-c", CORPUS_SQL],
                       env=bench.pg.env, stdout=out, check=True)
    with open(raw, encoding="utf-8") as rows, open(lines, "w", encoding="utf-8") as out:
        for row in rows:
            for text in json.loads(row)[8:12]:
                out.write(one_line(text) + "\n")
    start = time.perf_counter()
    with open(lines, encoding="utf-8") as source, open(analysed, "w", encoding="utf-8") as out:
        subprocess.run([str(bench.binary), "analyze", "--positions"], stdin=source, stdout=out,
                       env=bench.env, check=True)
    analyse_seconds = time.perf_counter() - start
    tokens, documents = Tokens(), 0
    with open(raw, encoding="utf-8") as rows, open(analysed, encoding="utf-8") as terms, \
            open(peers_dir / "docs.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            values = json.loads(row)
            fields = {field: [[p, tokens.add(t)] for p, t in parse_positioned(next(terms))] for field in FIELDS}
            out.write(json.dumps(doc_of(values, fields)) + "\n")
            documents += 1
    for scratch in (raw, lines, analysed):
        scratch.unlink()
    return tokens, {"documents": documents, "analyse_seconds": analyse_seconds, "terms": len(tokens.of)}


def doc_of(values, fields):
    job_id, jurisdiction, location_id, employment_type, sponsorship, expires_at, salary, skills = values[:8]
    return {"id": job_id, "jurisdiction": jurisdiction, "location_id": location_id,
            "employment_type": employment_type, "sponsorship": bool(sponsorship), "expires_at": expires_at,
            "salary": salary, "skills": skills or [], "fields": fields}


# --- the queries --------------------------------------------------------------------------------


def query_words(bench, texts):
    """Each text's words (split at spaces, as the query grammar reads plain words), each as its
    query terms at their distances from the word's first: [[[offset, term], ...] per word] per
    text. A word without terms (punctuation) asks nothing, as in the service."""
    split = [(text or "").split() for text in texts]
    flat = [word for words in split for word in words]
    output = run([str(bench.binary), "analyze", "--query", "--positions"], env=bench.env,
                 input_="".join(word + "\n" for word in flat)).stdout.splitlines()
    analysed = iter(output)
    out = []
    for words in split:
        these = []
        for _ in words:
            terms = parse_positioned(next(analysed))
            if terms:
                first = terms[0][0]
                these.append([[position - first, term] for position, term in terms])
        out.append(these)
    return out


def filters_of(params, rates):
    """The filters of a search's parameters, as the floor reads them (salary as the monthly
    reference amount the index stores)."""
    filters = {key: params[key] for key in ("jurisdiction", "location_id", "employment_type", "skill_id")
               if params.get(key)}
    if params.get("sponsorship") is not None:
        filters["sponsorship"] = str(params["sponsorship"]) == "true"
    if params.get("salary_min") is not None:
        filters["salary_at_least"] = monthly_reference(float(params["salary_min"]), params["salary_currency"], rates)
    return filters


def compile_queries(bench, named, tokens, rates):
    """`named`: [(name, params)] → the peers' queries: words as tokens, and filters."""
    words = query_words(bench, [params.get("q") for _, params in named])
    return [
        {"name": name, "words": [[[offset, tokens.get(term)] for offset, term in word] for word in text_words],
         "filters": filters_of(params, rates)}
        for (name, params), text_words in zip(named, words)
    ]


def log_workload(query_log):
    """The log's distinct queries by rank, named `log-RANK`."""
    return [(f"log-{rank}", query["params"]) for rank, query in enumerate(query_log.queries)]


def write_workloads(bench, peers_dir, tokens, documents, query_log):
    rates = bench.baseline.rates
    mix = compile_queries(bench, [(q["name"], q["params"]) for q in bench.queries], tokens, rates)
    logged = compile_queries(bench, log_workload(query_log), tokens, rates)
    workloads = {
        "mix": {"queries": mix, "sequence": list(range(len(mix))), "answer": list(range(len(mix)))},
        "log": {"queries": logged, "sequence": list(query_log.sequence),
                "answer": list(range(min(ANSWERED_LOG_QUERIES, len(logged))))},
    }
    (peers_dir / "workloads.json").write_text(json.dumps(
        {"now": int(time.time()), "documents": documents, "weights": field_weights(), "workloads": workloads}))
    return workloads


# --- the floor on the log, the engines, the comparison -------------------------------------------


def floor_on_log(bench, peers_dir, query_log):
    """The floor (examples/search_floor.rs) on the log in its Zipf order, one thread: its answers
    to every distinct query, and its pace."""
    queries = peers_dir / "log_queries.json"
    queries.write_text(json.dumps([{"name": name, "params": params} for name, params in log_workload(query_log)]))
    sequence = peers_dir / "log_sequence.json"
    sequence.write_text(json.dumps(list(query_log.sequence)))
    out = peers_dir / "floor_log.json"
    run([str(bench.floor_binary), "--data-dir", str(bench.data), "--queries", str(queries),
         "--sequence", str(sequence), "--concurrency", "1", "--warmup", "0", "--seconds", str(bench.seconds),
         "--out", str(out)], env=bench.env, capture=False)
    floor = json.loads(out.read_text())
    return {q["name"]: q for q in floor["queries"]}, floor["runs"][0]


def agreement(floor_answers, answers):
    """How far a peer's answers are the floor's: equal totals, and the overlap of the top 20."""
    names = [name for name in answers if name in floor_answers]
    equal = [name for name in names if answers[name]["total"] == floor_answers[name]["total"]]
    overlaps = [overlap(floor_answers[name]["top"], answers[name]["top"]) for name in names]
    ratios = [answers[name]["total"] / floor_answers[name]["total"] for name in names
              if floor_answers[name]["total"]]
    return {
        "queries": len(names),
        "equal_totals": len(equal),
        "totals_agree": len(equal) / len(names) if names else None,
        "mean_overlap_at_20": sum(overlaps) / len(overlaps) if overlaps else None,
        # the peer's total over the floor's, at the query where it is lowest (1.0 at equal quality)
        "lowest_total_ratio": min(ratios) if ratios else None,
        "unequal": [[name, floor_answers[name]["total"], answers[name]["total"]]
                    for name in names if name not in equal][:10],
    }


def peer_env():
    return dict(os.environ, PYTHONPATH=str(PEER_PACKAGES))


def install_peer_packages():
    """apsw into bench/.tools/python, for Debian's Python (the same CPython minor version as the
    one running the harness, which pip installs for)."""
    if engine_available("sqlite"):
        return
    log(f"installing {PEER_REQUIREMENTS.name} into bench/.tools/python (pip)")
    run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target",
         str(PEER_PACKAGES), "-r", str(PEER_REQUIREMENTS)], capture=False)


def engine_available(engine):
    """Whether Debian's Python has the engine's module (apsw from bench/.tools/python, xapian
    from python3-xapian)."""
    module = {"sqlite": "apsw", "xapian": "xapian"}[engine]
    if not Path(DEBIAN_PYTHON).exists():
        return False
    return subprocess.run([DEBIAN_PYTHON, "-c", f"import {module}"], env=peer_env(),
                          capture_output=True).returncode == 0


def run_engine(bench, peers_dir, engine):
    out = peers_dir / f"{engine}.json"
    log(f"peers: {engine} (build, then the mix and the log for {bench.seconds:.0f} s each)")
    run([DEBIAN_PYTHON, str(BENCH / "harness" / "peer_engines.py"), engine, str(peers_dir), str(bench.seconds),
         str(out)], env=peer_env(), capture=False)
    return json.loads(out.read_text())


def pace(result):
    return {key: result.get(key) for key in ("requests", "seconds", "throughput", "p50_ms", "p99_ms")}


def peers(bench, floor_mix):
    """The whole phase, with the service stopped. `floor_mix`: the floor's answer to each query of
    the mix by name, and its run at one thread."""
    peers_dir = bench.work / "peers"
    peers_dir.mkdir(parents=True, exist_ok=True)
    log("peers: exporting the open jobs through `talentbridge analyze --positions`")
    tokens, corpus = export_corpus(bench, peers_dir)
    query_log = querylog.build()
    workloads = write_workloads(bench, peers_dir, tokens, corpus["documents"], query_log)
    log("peers: the floor on the Zipf log, one thread")
    floor_log_answers, floor_log_run = floor_on_log(bench, peers_dir, query_log)
    floors = {"mix": floor_mix["answers"], "log": floor_log_answers}
    install_peer_packages()
    engines = {}
    for engine in ENGINES:
        if not engine_available(engine):
            hint = {"sqlite": f"pip install --target {PEER_PACKAGES} -r {PEER_REQUIREMENTS}",
                    "xapian": "apt-get install python3-xapian"}[engine]
            bench.warn(f"peer {engine} left out: {DEBIAN_PYTHON} cannot import it ({hint})")
            continue
        result = run_engine(bench, peers_dir, engine)
        engines[engine] = described(result["config"], result["build"], result["workloads"], floors)
    log("peers: PostgreSQL on the same tokens")
    pg = PgPeer(bench.pg)
    build = pg.build(peers_dir)
    now, weights = int(time.time()), field_weights()
    runs = {key: pg.run_workload(key, workload, now, weights, bench.seconds) for key, workload in workloads.items()}
    engines["postgres"] = described(pg.config(), build, runs, floors)
    engines["postgres"]["workloads"]["mix"]["agreement"]["floor_top_matched"] = pg.floor_top_matched(
        workloads["mix"], now, weights, floors["mix"])
    engines["postgres"]["under_load"] = pg.under_load(workloads["mix"], now, weights, bench.work,
                                                      TARGET_CONCURRENCY, bench.seconds)
    return {
        "corpus": corpus,
        "floor": {"mix": pace(floor_mix["run"]), "log": pace(floor_log_run)},
        "engines": engines,
    }


def described(config, build, runs, floors):
    return {
        "config": config,
        "build": build,
        "workloads": {key: {**pace(result), "agreement": agreement(floors[key], result["answers"])}
                      for key, result in runs.items()},
    }
