"""Checks of the peers at equal quality (no timing is asserted): the statements they are given,
and each engine — SQLite FTS5, Xapian (under Debian's Python, skipped without python3-xapian),
PostgreSQL (skipped without a server) — on three hand-made jobs, where each must find what the
service's rules say: every word in any field, a phrase inside one field, the filters, expired
jobs never, title before description."""

import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import peer_engines, peer_postgres, peers
from harness.postgres import Postgres
from test_pg_baseline import pg_available

FAR = 7_258_118_400


def job(job_id, fields, **facts):
    base = {"id": job_id, "jurisdiction": "HK", "location_id": "hk", "employment_type": "full_time",
            "sponsorship": False, "expires_at": FAR, "salary": 40000, "skills": []}
    return {**base, **facts, "fields": {field: fields.get(field, []) for field in peers.FIELDS}}


DOCS = [
    # "ta tb" in the title, with tc a part of tb at tb's place (as jieba gives a word's parts)
    job("j1", {"title": [[0, "ta"], [2, "tb"], [2, "tc"]], "skills": [[0, "ts"]]}, skills=["se"]),
    # the same tokens, but spread over fields: every word may match in any field, a phrase not
    job("j2", {"title": [[0, "tb"]], "employer": [[0, "tc"]], "description": [[0, "ta"]]},
        jurisdiction="CN", location_id="sz", employment_type="contract", sponsorship=True, salary=20000),
    job("j3", {"title": [[0, "ta"]]}, expires_at=1),
    # a phrase's terms at its distance, something else between them: a match
    job("j4", {"description": [[0, "tp"], [1, "tx"], [2, "tq"]]}, salary=10000),
    # the same terms the other way round, and too far apart: no match for the phrase
    job("j5", {"description": [[0, "tq"], [2, "tp"]]}, salary=10000),
    job("j6", {"description": [[0, "tp"], [1, "tx"], [3, "tq"]]}, salary=10000),
]


def query(name, words, **filters):
    return {"name": name, "words": words, "filters": filters}


QUERIES = [
    query("one-word", [[[0, "ta"]]]),
    query("two-words", [[[0, "ta"]], [[0, "tb"]]]),
    query("phrase", [[[0, "ta"], [2, "tc"]]]),
    query("phrase-apart", [[[0, "tp"], [2, "tq"]]]),
    query("unknown", [[[0, peers.Tokens.UNKNOWN]]]),
    query("browse", []),
    query("hk", [[[0, "ta"]]], jurisdiction="HK"),
    query("sponsored", [], sponsorship=True),
    query("salary", [], salary_at_least=30000),
    query("skill", [], skill_id="se"),
    query("type", [[[0, "tb"]]], employment_type="contract"),
]
# total, and the top in order where the order is the service's (title before description)
EXPECTED = {
    "one-word": (2, ["j1", "j2"]), "two-words": (2, None), "phrase": (1, ["j1"]),
    "phrase-apart": (1, ["j4"]), "unknown": (0, []), "browse": (5, None), "hk": (1, ["j1"]), "sponsored": (1, ["j2"]), "salary": (1, ["j1"]),
    "skill": (1, ["j1"]), "type": (1, ["j2"]),
}


def write_input(directory):
    with open(directory / "docs.jsonl", "w", encoding="utf-8") as out:
        for doc in DOCS:
            out.write(json.dumps(doc) + "\n")
    workload = {"queries": QUERIES, "sequence": list(range(len(QUERIES))), "answer": list(range(len(QUERIES)))}
    (directory / "workloads.json").write_text(json.dumps(
        {"now": 1_800_000_000, "documents": len(DOCS), "weights": [3.0, 2.0, 1.0, 1.0],
         "workloads": {"mix": workload}}))


class Engines(unittest.TestCase):
    def check(self, answers):
        for name, (total, top) in EXPECTED.items():
            self.assertEqual(answers[name]["total"], total, name)
            if top is not None:
                self.assertEqual(answers[name]["top"], top, name)
            self.assertNotIn("j3", answers[name]["top"], name)

    def engine_answers(self, engine):
        with tempfile.TemporaryDirectory() as scratch:
            directory = Path(scratch)
            write_input(directory)
            out = directory / "out.json"
            subprocess.run([peers.DEBIAN_PYTHON, str(Path(peers.__file__).parent / "peer_engines.py"), engine,
                            str(directory), "0", str(out)], env=peers.peer_env(), check=True)
            result = json.loads(out.read_text())
        self.assertIn("bm25" if engine == "sqlite" else "BM25", result["config"])
        self.assertGreater(result["build"]["bytes"], 0)
        return result["workloads"]["mix"]["answers"]

    @unittest.skipUnless(peers.engine_available("sqlite"), "no apsw in bench/.tools/python for Debian's Python")
    def test_sqlite_fts5_finds_what_the_service_finds(self):
        self.check(self.engine_answers("sqlite"))

    @unittest.skipUnless(peers.engine_available("xapian"), "no Debian python3-xapian")
    def test_xapian_finds_what_the_service_finds(self):
        self.check(self.engine_answers("xapian"))

    @unittest.skipUnless(pg_available(), "no PostgreSQL server")
    def test_postgres_finds_what_the_service_finds(self):
        db = "talentbridge_bench_peers_selftest"
        pg = Postgres(os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"), db)
        pg.psql(f"DROP DATABASE IF EXISTS {db}", db="postgres")
        pg.psql(f"CREATE DATABASE {db}", db="postgres")
        try:
            with tempfile.TemporaryDirectory() as scratch:
                directory = Path(scratch)
                write_input(directory)
                peer = peer_postgres.PgPeer(pg)
                self.assertEqual(peer.build(directory)["bytes"] > 0, True)
                workload = json.loads((directory / "workloads.json").read_text())["workloads"]["mix"]
                now, weights = 1_800_000_000, [3.0, 2.0, 1.0, 1.0]
                result = peer.run_workload("mix", workload, now, weights, 0)
                self.check(result["answers"])
                self.check_the_baseline(peer, workload, now, weights, result["answers"], directory)
        finally:
            pg.psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", db="postgres")

    def check_the_baseline(self, peer, workload, now, weights, answers, directory):
        """The search baseline's statement answers as the peer's does, with the facets counted over
        every match; its conditions match the floor's top where they should; pgbench runs it."""
        script = "".join(f"SELECT row_to_json(x) FROM ({peer_postgres.pg_answer_statement(q, now, weights)}) x;\n"
                         for q in workload["queries"])
        counted = dict(zip([q["name"] for q in workload["queries"]],
                           map(json.loads, peer.pg.psql(script).splitlines())))
        for name, answer in counted.items():
            self.assertEqual((answer["top"], answer["total"]), (answers[name]["top"], answers[name]["total"]), name)
        self.assertEqual(counted["browse"]["jurisdiction"], {"HK": 4, "CN": 1})
        self.assertEqual(counted["one-word"]["employment_type"], {"full_time": 1, "contract": 1})
        self.assertEqual(counted["skill"]["skills"], {"se": 1})
        # a floor that put j2 (sponsored) first for "hk" and an expired job in "sponsored"'s top
        floor = {**answers, "hk": {"top": ["j2", "j1"], "total": 2}, "sponsored": {"top": ["j2", "j3"], "total": 2}}
        matched = peer.floor_top_matched(workload, now, weights, floor)
        self.assertEqual((matched["per_query"]["hk"], matched["per_query"]["sponsored"]), (0.5, 0.5))
        self.assertEqual(matched["per_query"]["phrase"], 1.0)
        self.assertNotIn("unknown", matched["per_query"])  # nothing of the floor's to match
        self.assertEqual(matched["lowest"], 0.5)
        load = peer.under_load(workload, now, weights, directory, 2, 1)
        self.assertEqual(load["clients"], 2)
        self.assertGreater(load["throughput"], 0)
        self.assertEqual(set(load["per_query"]), set(counted))


class Statements(unittest.TestCase):
    def test_fts5_text_gives_every_offset_a_place(self):
        self.assertEqual(peer_engines.positioned_text([[0, "t0"], [2, "t1"], [2, "t2"], [7, "t3"]]),
                         "t0 ~1 t1|t2 ~4 t3")
        self.assertEqual(peer_engines.positioned_text([[3, "t0"]]), "~3 t0")
        self.assertEqual(peer_engines.positioned_text([]), "")

    def test_an_fts5_phrase_keeps_the_analyzers_distances(self):
        self.assertEqual(peer_engines.fts5_word([[0, "t0"]]), '"t0"')
        filler = peer_engines.FILLER
        self.assertEqual(peer_engines.fts5_word([[0, "t0"], [2, "t1"], [3, "t2"]]), f'"t0 {filler} t1 t2"')

    def test_positioned_terms_are_read_from_analyze(self):
        self.assertEqual(peers.parse_positioned("0:senior 7:软件 9:工程 9:工程师 11:node.j"),
                         [(0, "senior"), (7, "软件"), (9, "工程"), (9, "工程师"), (11, "node.j")])
        self.assertEqual(peers.parse_positioned(""), [])

    def test_each_term_gets_one_ascii_token(self):
        tokens = peers.Tokens()
        self.assertEqual([tokens.add("软件"), tokens.add("c++"), tokens.add("软件")], ["t0", "t1", "t0"])
        self.assertEqual(tokens.get("absent"), peers.Tokens.UNKNOWN)

    def test_a_tsvector_keeps_fields_apart_by_weight(self):
        fields = {"title": [[0, "t0"]], "skills": [], "employer": [[3, "t1"]], "description": [[0, "t0"], [99999, "t2"]]}
        self.assertEqual(peer_postgres.tsvector_literal(fields), "t0:1A,1D t1:4C t2:16383D")

    def test_a_phrase_stays_inside_one_field(self):
        self.assertEqual(peer_postgres.tsquery_word([[0, "t0"]]), "t0")
        phrase = peer_postgres.tsquery_word([[0, "t0"], [2, "t1"]])
        self.assertEqual(phrase.count("|"), 3)
        self.assertIn("(t0:A <2> t1:A)", phrase)

    def test_filters_read_as_the_floor_reads_them(self):
        filters = peers.filters_of({"q": "x", "jurisdiction": "HK", "sponsorship": "true", "salary_min": 20000,
                                    "salary_currency": "CNY"}, {"CNY": 1.08, "HKD": 1.0})
        self.assertEqual(filters, {"jurisdiction": "HK", "sponsorship": True, "salary_at_least": 21600})

    def test_the_fields_weights_are_the_services(self):
        self.assertEqual(peers.field_weights()[2:], [1.0, 1.0])
        self.assertGreater(peers.field_weights()[0], 1.0)

    def test_agreement_counts_equal_totals_and_top_overlap(self):
        floor = {"a": {"total": 3, "top": ["x", "y"]}, "b": {"total": 1, "top": ["z"]}}
        peer = {"a": {"total": 3, "top": ["y", "x"]}, "b": {"total": 2, "top": ["w"]}}
        result = peers.agreement(floor, peer)
        self.assertEqual((result["queries"], result["equal_totals"]), (2, 1))
        self.assertEqual(result["mean_overlap_at_20"], 0.5)
        self.assertEqual(result["unequal"], [["b", 1, 2]])
        self.assertEqual(result["lowest_total_ratio"], 1.0)  # 3 / 3, then 2 / 1
        short = peers.agreement(floor, {**peer, "a": {"total": 2, "top": ["x"]}})
        self.assertAlmostEqual(short["lowest_total_ratio"], 2 / 3)


if __name__ == "__main__":
    unittest.main()
