"""Checks of the harness's own pieces (no timing is asserted anywhere):

    python3 -m unittest discover -s bench -p 'test_*.py'

The last case runs the PostgreSQL baseline's statements on a few rows in a scratch database;
it is skipped when no server answers (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432).
"""

import json
import os
import shutil
import subprocess
import unittest
from pathlib import Path

import run

RATES = {"HKD": 1.0, "CNY": 1.08}
QUERIES = json.loads((Path(__file__).parent / "queries.json").read_text())


class Percentiles(unittest.TestCase):
    def test_nearest_rank(self):
        values = list(range(100, 0, -1))  # unsorted on purpose
        self.assertEqual(run.percentile(values, 50), 50)
        self.assertEqual(run.percentile(values, 99), 99)
        self.assertEqual(run.percentile(values, 100), 100)
        self.assertEqual(run.percentile([7.0], 99), 7.0)
        self.assertIsNone(run.percentile([], 50))

    def test_summary_counts_and_throughput(self):
        s = run.summarize_ms([1.0, 2.0, 3.0, 4.0], seconds=2.0)
        self.assertEqual(s["requests"], 4)
        self.assertEqual(s["throughput"], 2.0)
        self.assertEqual(s["max_ms"], 4.0)


class ToolOutputs(unittest.TestCase):
    def test_oha_report(self):
        report = {
            "summary": {"successRate": 1.0, "total": 10.0, "slowest": 0.05, "fastest": 0.001,
                        "average": 0.004, "requestsPerSec": 2500.5},
            "latencyPercentiles": {"p50": 0.003, "p95": 0.01, "p99": 0.02},
            "statusCodeDistribution": {"200": 990, "429": 10},
            "errorDistribution": {"connection reset": 2},
        }
        parsed = run.parse_oha(report)
        self.assertEqual(parsed["requests"], 1002)
        self.assertEqual(parsed["ok"], 990)
        self.assertAlmostEqual(parsed["p99_ms"], 20.0)
        self.assertAlmostEqual(parsed["max_ms"], 50.0)
        self.assertEqual(parsed["throughput"], 2500.5)

    def test_pgbench_log_lines(self):
        lines = [
            "0 0 1500 0 1700000000 100",
            "0 1 2500 1 1700000000 200",
            "1 0 skipped 0 1700000000 300",
            "garbage",
        ]
        overall, per_script = run.parse_pgbench_logs(lines, 2)
        self.assertEqual(overall, [1.5, 2.5])
        self.assertEqual(per_script, {0: [1.5], 1: [2.5]})

    def test_reindex_output(self):
        out = (
            "jobs: 18000 documents in 0.9 s (20000/s), at event 0, now live in /d/index/jobs-2\n"
            "candidates: 5000 documents in 0.5 s (10000/s), at event 0, now live in /d/index/candidates-1\n"
        )
        parsed = run.parse_reindex(out)
        self.assertEqual(parsed["jobs"]["documents"], 18000)
        self.assertEqual(parsed["jobs"]["per_s"], 20000.0)
        self.assertEqual(parsed["candidates"]["dir"], "/d/index/candidates-1")
        self.assertEqual(run.parse_reindex("something else"), {})

    def test_pgbench_tps(self):
        out = "latency average = 3.1 ms\ntps = 5134.812 (without initial connection time)\n"
        self.assertAlmostEqual(run.parse_pgbench_tps(out), 5134.812)
        self.assertIsNone(run.parse_pgbench_tps("nothing"))


class PostgresStatements(unittest.TestCase):
    def test_latin_words_are_one_or_tsquery(self):
        predicate, rank = run.pg_text("machine learning engineer")
        self.assertIn("tsv @@", predicate)
        self.assertEqual(predicate.count("plainto_tsquery"), 3)
        self.assertIn(" || ", predicate)
        self.assertNotIn("ILIKE", predicate)
        self.assertIn("ts_rank_cd", rank)

    def test_chinese_words_are_substrings(self):
        predicate, _ = run.pg_text("機器視覺 工程師")
        self.assertIn("alltext ILIKE '%機器視覺%'", predicate)
        self.assertIn("alltext ILIKE '%工程師%'", predicate)
        self.assertNotIn("tsv", predicate)

    def test_no_text_has_no_predicate(self):
        self.assertEqual(run.pg_text(None), (None, "0"))
        self.assertEqual(run.pg_text("   "), (None, "0"))

    def test_quotes_and_wildcards_are_escaped(self):
        predicate, _ = run.pg_text("o'neil 100%_中")
        self.assertIn("'o''neil'", predicate)
        self.assertIn("\\%\\_", predicate)

    def test_salary_floor_uses_the_rates(self):
        conditions = run.pg_filters({"salary_min": 20000, "salary_currency": "CNY"}, RATES)
        self.assertIn("salary_max_monthly >= 21600", conditions)
        with self.assertRaises(ValueError):
            run.pg_filters({"salary_min": 1, "salary_currency": "USD"}, RATES)

    def test_filters(self):
        conditions = run.pg_filters({"jurisdiction": "HK", "skill_id": "python", "employment_type": "full_time"}, RATES)
        self.assertIn("jurisdiction = 'HK'", conditions)
        self.assertIn("skill_ids @> ARRAY['python']", conditions)
        self.assertIn("employment_type = 'full_time'", conditions)
        self.assertTrue(any(c.startswith("expires_at >=") for c in conditions))

    def test_every_query_of_the_mix_builds(self):
        for q in QUERIES:
            sql = run.pg_queries(q["params"], RATES)
            self.assertIn("LIMIT 20", sql["full"])
            self.assertIn("LIMIT 20", sql["top20"])
            self.assertEqual(sql["text"] is None, not q["params"].get("q"))


class Quality(unittest.TestCase):
    def test_overlap(self):
        self.assertEqual(run.overlap([], []), 1.0)
        self.assertEqual(run.overlap(["a", "b"], ["b", "c"]), 0.5)
        self.assertEqual(run.overlap([], ["a"]), 0.0)

    def test_quality_row(self):
        row = run.quality_row(
            "q", {"top": ["a", "b", "c", "d"], "total": 10}, {"top": ["a", "x"], "total": 4}, ["a", "b"], ["a"]
        )
        self.assertEqual(row["overlap_at_20"], 0.25)
        self.assertEqual(row["pg_matches_tantivy_top"], 0.5)
        self.assertEqual(row["tantivy_matches_pg_top"], 0.5)
        self.assertEqual(row["found_ratio"], 0.4)
        mean = run.mean_quality([row, {**row, "found_ratio": 0.8}])
        self.assertAlmostEqual(mean["found_ratio"], 0.6)
        self.assertEqual(mean["lowest_found_ratio"], 0.4)
        empty = run.quality_row("q", {"top": [], "total": 0}, {"top": [], "total": 0}, [], [])
        self.assertIsNone(empty["pg_matches_tantivy_top"])

    def test_letters(self):
        self.assertEqual([run.letters(n) for n in (0, 25, 26, 27)], ["a", "z", "ba", "bb"])
        words = {run.letters(n) for n in range(1000)}
        self.assertEqual(len(words), 1000)
        self.assertTrue(all(w.isalpha() for w in words))


def synthetic_results():
    level = lambda p99, tput: {"p50_ms": p99 / 3, "p95_ms": p99 / 2, "p99_ms": p99, "max_ms": p99 * 2,
                               "throughput": tput, "requests": 100}
    return {
        "label": "small",
        "size": run.SMALL,
        "seconds_per_level": 5,
        "started_at": "2026-01-01T00:00:00+00:00",
        "commit": "abc1234",
        "machine": {"cpu": "test cpu", "cpus": 2, "memory_bytes": 8 * run.GIB, "os": "Linux"},
        "queries": QUERIES,
        "warnings": ["one warning"],
        "seed": {"seconds": 12.0},
        "reindex": {"reported": {"jobs": {"per_s": 15000.0}}, "seconds": 2.0, "jobs": 18000, "candidates": 5000, "documents": 23000, "docs_per_s": 11500.0,
                    "jobs_index_bytes": 50 * 1024**2, "candidates_index_bytes": 10 * 1024**2, "index_bytes": 60 * 1024**2},
        "pg_fts": {"seconds": 4.0, "rows": 18000, "rows_per_s": 4500.0, "bytes": 90 * 1024**2},
        "search": {
            "http": {"1": level(4.0, 400.0), "16": level(25.0, 2000.0), "64": level(60.0, 2100.0)},
            "floor": {"1": level(2.0, 900.0), "16": level(10.0, 3000.0), "64": level(40.0, 3100.0)},
            "pg_full": {"1": level(80.0, 20.0), "16": level(900.0, 30.0), "64": level(3000.0, 31.0)},
            "pg_top20": {"1": level(20.0, 60.0), "16": level(200.0, 80.0), "64": level(800.0, 81.0)},
        },
        "quality": {
            "queries": [run.quality_row("en", {"top": ["a"], "total": 5}, {"top": ["a"], "total": 3}, ["a"], ["a"])],
            "mean": {"overlap_at_20": 1.0, "pg_matches_tantivy_top": 0.5, "tantivy_matches_pg_top": 1.0, "lowest_found_ratio": 0.6},
            "http_agrees_with_floor": 1,
        },
        "matching": {"candidate_to_jobs": {"p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 30.0, "requests": 200, "subjects": 40},
                     "job_to_candidates": {"p50_ms": 30.0, "p95_ms": 50.0, "p99_ms": 70.0, "requests": 200, "subjects": 40}},
        "nrt": {"p50_ms": 250.0, "p95_ms": 400.0, "p99_ms": 450.0, "jobs": 200, "found": 200, "poll_ms": 5,
                "publish_p50_ms": 3.0},
        "login": {"p50_ms": 100.0, "p95_ms": 120.0, "p99_ms": 150.0, "throughput": 40.0, "concurrency": 16},
        "storm": {"search": level(80.0, 900.0), "login": {"throughput": 38.0}},
        "memory": {"rest_bytes": 200 * 1024**2, "peak_bytes": 600 * 1024**2, "hwm_bytes": 610 * 1024**2,
                   "phases": {"HTTP search at 64 connections": 400 * 1024**2}},
    }


class Report(unittest.TestCase):
    def test_figures_judge_the_targets(self):
        rows = {row["figure"]: row for row in run.figures(synthetic_results())}
        self.assertFalse(rows["reindex throughput, jobs index"]["met"])
        self.assertFalse(rows["HTTP search p99 at 16"]["met"])  # 25 ms > 20 ms
        self.assertAlmostEqual(rows["HTTP p99 / floor p99 at 16"]["value"], 2.5)
        self.assertFalse(rows["HTTP p99 / floor p99 at 16"]["met"])
        self.assertAlmostEqual(rows["PostgreSQL FTS p99 / HTTP p99 at 16"]["value"], 36.0)
        self.assertTrue(rows["PostgreSQL FTS p99 / HTTP p99 at 16"]["met"])
        self.assertFalse(rows["HTTP search throughput at 16"]["met"])
        self.assertTrue(rows["matching candidate → top-20 jobs p99"]["met"])
        self.assertFalse(rows["matching job → top-20 candidates p99"]["met"])
        self.assertTrue(rows["publish → searchable lag p99"]["met"])
        self.assertFalse(rows["search p99 at 16 during a login storm"]["met"])  # 80 / 25 > 2
        self.assertTrue(rows["service RSS under load (peak)"]["met"])
        self.assertFalse(rows["result quality: PostgreSQL's total / tantivy's, lowest query"]["met"])
        self.assertIsNone(rows["HTTP search p99 at 1"]["met"])  # targets are set at 16 only

    def test_missing_parts_give_empty_figures(self):
        rows = run.figures({"label": "small", "size": run.SMALL})
        self.assertTrue(all(row["met"] is None for row in rows))

    def test_markdown(self):
        text = run.render_markdown({**synthetic_results(), "figures": run.figures(synthetic_results())}, "## Notes\n\nhand-written")
        self.assertIn("# Benchmark results — small size", text)
        self.assertIn("not the 1,000,000-job size", text)
        self.assertIn("**not met**", text)
        self.assertIn("| HTTP (service) | 16 |", text)
        self.assertIn("PostgreSQL FTS, full", text)
        self.assertIn("one warning", text)
        self.assertTrue(text.rstrip().endswith("hand-written"))


def pg_available():
    if not shutil.which("psql"):
        return False
    pg = run.Postgres(os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"), "postgres")
    result = subprocess.run(["psql", "-X", "-Atc", "SELECT 1", *pg.args()], env=pg.env, capture_output=True, text=True)
    return result.returncode == 0


@unittest.skipUnless(pg_available(), "no PostgreSQL server")
class PostgresBaselineRuns(unittest.TestCase):
    """The statements of the mix run on a few rows, and find what they should."""

    DB = "talentbridge_bench_selftest"

    @classmethod
    def setUpClass(cls):
        cls.pg = run.Postgres(os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"), cls.DB)
        cls.pg.psql(f"DROP DATABASE IF EXISTS {cls.DB}", db="postgres")
        cls.pg.psql(f"CREATE DATABASE {cls.DB}", db="postgres")
        # the tables pg_fts.sql reads, with the columns it uses
        cls.pg.psql(
            """
            CREATE SCHEMA bench_fts;
            CREATE EXTENSION pg_trgm;
            CREATE TABLE bench_fts.skill_text (skill_id text PRIMARY KEY, words text NOT NULL);
            INSERT INTO bench_fts.skill_text VALUES
              ('software-engineering', 'Software engineering 软件工程 軟件工程 software engineer 软件工程师 軟件工程師'),
              ('data-analysis', 'Data analysis 数据分析 數據分析 data analyst 數據分析師');
            CREATE TABLE bench_fts.rates (currency text PRIMARY KEY, rate float8 NOT NULL);
            INSERT INTO bench_fts.rates VALUES ('HKD', 1.0), ('CNY', 1.08);
            CREATE TABLE locations (id text PRIMARY KEY, jurisdiction text NOT NULL);
            INSERT INTO locations VALUES ('hk', 'HK'), ('sz', 'CN');
            CREATE TABLE employers (id text PRIMARY KEY, name text NOT NULL, jurisdiction text NOT NULL);
            INSERT INTO employers VALUES ('e1', 'Harbour Finance Ltd', 'HK'), ('e2', '深圳鹏城科技有限公司', 'CN');
            CREATE TABLE jobs (id text PRIMARY KEY, employer_id text, title text, description text, location_id text,
              employment_type text, salary_max bigint, salary_currency text, salary_period text, sponsorship bool,
              status text, expires_at timestamp);
            INSERT INTO jobs VALUES
              ('j1', 'e1', 'Software engineering Engineer', 'Join our team in Hong Kong.', 'hk', 'full_time', 40000, 'HKD', 'month', false, 'open', NULL),
              ('j2', 'e2', '软件工程工程师', '加入我们位于南山的团队。', 'sz', 'full_time', 25000, 'CNY', 'month', false, 'open', NULL),
              ('j3', 'e1', 'Data analysis Analyst', 'Data work.', 'hk', 'contract', 480000, 'HKD', 'year', false, 'open', NULL),
              ('j4', 'e1', 'Closed Software Engineer', 'Gone.', 'hk', 'full_time', 40000, 'HKD', 'month', false, 'closed', NULL),
              ('j5', 'e1', 'Expired Software Engineer', 'Gone.', 'hk', 'full_time', 40000, 'HKD', 'month', false, 'open', '2000-01-01');
            CREATE TABLE job_skills (job_id text, skill_id text);
            INSERT INTO job_skills VALUES ('j1', 'software-engineering'), ('j2', 'software-engineering'), ('j3', 'data-analysis');
            """
        )
        cls.pg.psql((Path(__file__).parent / "pg_fts.sql").read_text())

    @classmethod
    def tearDownClass(cls):
        cls.pg.psql(f"DROP DATABASE IF EXISTS {cls.DB} WITH (FORCE)", db="postgres")

    def answer(self, params):
        sql = run.pg_queries(params, RATES)
        raw = self.pg.psql(f"SELECT row_to_json(x) FROM ({sql['full']}) x")
        top20 = self.pg.psql(sql["top20"]).splitlines()
        result = json.loads(raw.splitlines()[-1])
        self.assertEqual(result["top"], top20)
        return result

    def test_only_open_unexpired_jobs_are_rows(self):
        self.assertEqual(self.pg.psql("SELECT string_agg(id, ',' ORDER BY id) FROM bench_fts.job_docs"), "j1,j2,j3")
        self.assertEqual(self.pg.psql("SELECT salary_max_monthly FROM bench_fts.job_docs WHERE id = 'j3'"), "40000")
        self.assertEqual(self.pg.psql("SELECT salary_max_monthly FROM bench_fts.job_docs WHERE id = 'j2'"), "27000")

    def test_english_search_with_facets(self):
        result = self.answer({"q": "software engineer"})
        self.assertEqual(result["top"][0], "j1")
        self.assertIn("j2", result["top"])  # through the English skill labels
        self.assertEqual(result["total"], 2)
        self.assertEqual(result["jurisdiction"], {"HK": 1, "CN": 1})
        self.assertEqual(result["skills"], {"software-engineering": 2})

    def test_chinese_and_filters(self):
        self.assertEqual(self.answer({"q": "软件工程师"})["top"], ["j1", "j2"])
        self.assertEqual(self.answer({"q": "软件工程师", "jurisdiction": "CN"})["top"], ["j2"])
        self.assertEqual(self.answer({"q": "數據分析師"})["top"], ["j3"])
        self.assertEqual(self.answer({"salary_min": 30000, "salary_currency": "HKD"})["total"], 2)
        self.assertEqual(self.answer({"skill_id": "data-analysis"})["top"], ["j3"])
        self.assertEqual(self.answer({"employment_type": "contract"})["top"], ["j3"])

    def test_every_query_of_the_mix_runs(self):
        for q in QUERIES:
            self.answer(q["params"])


if __name__ == "__main__":
    unittest.main()
