"""One benchmark run: its settings and state (`Bench`), and the order of the phases."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from . import alternated, cached, data, lag, load, logins, matching, openloop, peers, quality, talent, vocabulary
from .common import BENCH, FULL, ROOT, SMALL, git_commit, log, machine, now_iso, run
from .floor import run_floor
from .pg_baseline import PgBaseline, load_rates
from .postgres import Postgres
from .report import write_results
from .service import Service, prepare_tools


def size_and_label(args):
    """The data set's size and the report's label for it: full, small or custom."""
    size = SMALL if args.small else FULL
    if args.jobs:
        size = {**size, "jobs": args.jobs}
    if args.candidates:
        size = {**size, "candidates": args.candidates}
    if args.small and not (args.jobs or args.candidates):
        return size, "small"
    return size, "full" if size == FULL else "custom"


# The service phases --phases can run alone, by name.
SERVICE_PHASES = {"talent": talent.talent_search}


class Bench:
    """What every phase reads (settings, paths, the database, the service) and the results."""

    def __init__(self, args):
        self.args = args
        self.size, self.label = size_and_label(args)
        self.seconds = args.seconds or (5.0 if args.small else 10.0)
        # Each round of HTTP beside the floor runs each side for self.seconds (so --small's are shorter).
        self.ratio_rounds = alternated.RATIO_ROUNDS if args.ratio_rounds is None else args.ratio_rounds
        self.work = Path(args.work_dir).resolve()
        self.data = self.work / "data"
        self.pg = Postgres(args.pg_url, args.db)
        self.target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")).resolve()
        self.binary = self.target / "release" / "talentbridge"
        self.floor_binary = self.target / "release" / "examples" / "search_floor"
        self.queries = json.loads((BENCH / "queries.json").read_text())
        self.baseline = PgBaseline(self.pg, self.queries, load_rates())
        self.env = dict(os.environ)
        self.env.update(
            {
                "TALENTBRIDGE__DATABASE__URL": self.pg.url(),
                "TALENTBRIDGE__AUTH__JWT_SECRET": secrets.token_hex(32),
                "TALENTBRIDGE__AUTH__IP_REQUESTS_PER_MINUTE": "100000000",
                "TALENTBRIDGE__MAIL__TRANSPORT": "log",
                # Off for every figure but the cache's own phase (cached.py), which restarts it on.
                "TALENTBRIDGE__SEARCH__JOB_CACHE_MIB": "0",
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
        self.oha_bin = None
        self.service = Service(self.binary, self.data, self.env, self.work, args.port)

    def warn(self, message):
        log("warning: " + message)
        self.results["warnings"].append(message)

    def phase(self, name):
        self.service.phase(name)

    def cli(self, *args, capture=True):
        """`talentbridge ARGS --data-dir DATA` against the benchmark's database."""
        return run([str(self.binary), *args, "--data-dir", str(self.data)], env=self.env, capture=capture)

    def save(self):
        write_results(self.results, self.args.out_dir)

    def run(self):
        if self.args.phases:
            self.run_phases(self.args.phases)
            return
        self.work.mkdir(parents=True, exist_ok=True)
        self.check_load()
        self.oha_bin = prepare_tools(self)
        if self.args.reuse:
            log(f"reusing the data set in {self.pg.db} and {self.data}")
            self.results["reused_data_set"] = True
        else:
            data.fresh_database(self)
            self.results["seed"] = data.seed(self)
        self.results["reindex"] = data.reindex(self)
        self.results["vocabulary_cost"] = data.vocabulary_cost(self)
        self.results["pg_fts"] = self.baseline.build()
        tantivy = self.engines_without_service()
        self.save()
        try:
            self.service_phases(tantivy)
        finally:
            self.service.stop()
        self.results["finished_at"] = now_iso()
        self.results["machine"]["load_after"] = os.getloadavg()
        self.save()
        out_dir = Path(self.args.out_dir)
        log(f"wrote {out_dir / 'results.json'} and {out_dir / 'RESULTS.md'}")

    def run_phases(self, names):
        """Only the named service phases, on the data set and index of the run whose results.json
        is in --out-dir; their results are added to it (a phase the code gained after that run)."""
        previous = Path(self.args.out_dir) / "results.json"
        self.results = json.loads(previous.read_text())
        self.oha_bin = prepare_tools(self)
        self.service.start()
        try:
            for name in names:
                log(f"phase {name} alone, on the data set of the run at {self.results.get('commit')}")
                self.results[name] = SERVICE_PHASES[name](self)
                self.results.setdefault("added_phases", {})[name] = {"commit": git_commit(), "at": now_iso()}
        finally:
            self.service.stop()
        self.save()

    def check_load(self):
        load_now = os.getloadavg()
        self.results["machine"]["load_before"] = load_now
        if load_now[0] > (os.cpu_count() or 1):
            self.warn(f"the machine was busy when the run began (load average {load_now[0]:.1f} on "
                      f"{os.cpu_count()} CPUs): other work competes with every figure")

    def engines_without_service(self):
        """Quality, the floor, pgbench and the peers, before the service starts. Returns
        tantivy's answer to each query (from the floor), by name."""
        pg_answers = self.baseline.answers()
        floor = run_floor(self, {name: a["top"] for name, a in pg_answers.items()})
        self.results["reindex"]["jobs_index_documents"] = floor["documents"]
        tantivy = {q["name"]: q for q in floor["queries"]}
        self.results["quality"] = quality.compare(self.queries, tantivy, pg_answers, self.baseline, floor["check"])
        self.results["search"] = {
            "floor": {str(r["concurrency"]): r for r in floor["runs"]},
            "pg_full": self.baseline.bench("full", self.work, self.seconds),
            "pg_top20": self.baseline.bench("top20", self.work, self.seconds),
        }
        self.save()
        one_thread = next(r for r in floor["runs"] if r["concurrency"] == 1)
        self.results["peers"] = peers.peers(self, {"answers": tantivy, "run": one_thread})
        return tantivy

    def service_phases(self, tantivy):
        self.results["memory"] = self.service.start()
        search = self.results["search"]
        http_tops = load.http_tops(self)
        self.results["quality"]["http_agrees_with_floor"] = sum(
            1 for name, top in http_tops.items() if top == tantivy[name]["top"])
        search["http"] = load.http_search(self)
        self.save()
        if self.ratio_rounds > 0:
            log(f"HTTP and the floor in alternation: {self.ratio_rounds} rounds at each level")
            search["alternated"] = alternated.alternated(self, self.ratio_rounds, self.seconds)
        log("each query alone over HTTP")
        search["http_per_query"] = load.http_per_query(self)
        self.save()
        log("the Zipf query log over HTTP: closed loop, then open loop up to saturation")
        search["zipf"] = openloop.zipf_search(self)
        self.results["quality"]["vocabulary"] = vocabulary.agreement(self)
        self.save()
        log("matching: candidate → jobs and job → candidates")
        self.results["matching"] = matching.matching(self)
        log("talent search as an employer: a page of 20, then of 1")
        self.results["talent"] = talent.talent_search(self)
        log(f"publish → searchable over {self.args.nrt_jobs} jobs")
        self.results["nrt"] = lag.nrt(self)
        self.save()
        self.results["login"] = logins.login(self)
        self.results["storm"] = logins.storm(self)
        self.phase(None)
        self.results["memory"].update(self.service.memory_after_load())
        self.save()
        search["cache_on"] = cached.cache_on(self)
