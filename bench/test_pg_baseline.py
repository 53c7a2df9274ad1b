"""Checks of the PostgreSQL baseline's statements and of the quality comparison (no timing is
asserted). The last case runs the statements on a few rows in a scratch database; it is skipped
when no server answers (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432).
"""

import json
import os
import shutil
import subprocess
import unittest
from pathlib import Path

from harness import pg_baseline, quality
from harness.postgres import Postgres

RATES = {"HKD": 1.0, "CNY": 1.08}
QUERIES = json.loads((Path(__file__).parent / "queries.json").read_text())


class PostgresStatements(unittest.TestCase):
    def test_latin_words_are_one_and_tsquery(self):
        predicate, rank = pg_baseline.pg_text("machine learning engineer")
        self.assertIn("tsv @@", predicate)
        self.assertEqual(predicate.count("plainto_tsquery"), 3)
        self.assertIn(" && ", predicate)
        self.assertNotIn(" || ", predicate)
        self.assertNotIn("ILIKE", predicate)
        self.assertIn("ts_rank_cd", rank)

    def test_chinese_words_are_substrings(self):
        predicate, _ = pg_baseline.pg_text("機器視覺 工程師")
        self.assertIn("alltext ILIKE '%機器視覺%'", predicate)
        self.assertIn("alltext ILIKE '%工程師%'", predicate)
        self.assertIn(" AND ", predicate, "every word must match")
        self.assertNotIn(" OR ", predicate)
        self.assertNotIn("tsv", predicate)

    def test_no_text_has_no_predicate(self):
        self.assertEqual(pg_baseline.pg_text(None), (None, "0"))
        self.assertEqual(pg_baseline.pg_text("   "), (None, "0"))

    def test_quotes_and_wildcards_are_escaped(self):
        predicate, _ = pg_baseline.pg_text("o'neil 100%_中")
        self.assertIn("'o''neil'", predicate)
        self.assertIn("\\%\\_", predicate)

    def test_salary_floor_uses_the_rates(self):
        conditions = pg_baseline.pg_filters({"salary_min": 20000, "salary_currency": "CNY"}, RATES)
        self.assertIn("salary_max_monthly >= 21600", conditions)
        with self.assertRaises(ValueError):
            pg_baseline.pg_filters({"salary_min": 1, "salary_currency": "USD"}, RATES)

    def test_filters(self):
        conditions = pg_baseline.pg_filters({"jurisdiction": "HK", "skill_id": "python", "employment_type": "full_time"}, RATES)
        self.assertIn("jurisdiction = 'HK'", conditions)
        self.assertIn("skill_ids @> ARRAY['python']", conditions)
        self.assertIn("employment_type = 'full_time'", conditions)
        self.assertTrue(any(c.startswith("expires_at >=") for c in conditions))

    def test_every_query_of_the_mix_builds(self):
        for q in QUERIES:
            sql = pg_baseline.pg_queries(q["params"], RATES)
            self.assertIn("LIMIT 20", sql["full"])
            self.assertIn("LIMIT 20", sql["top20"])
            self.assertEqual(sql["text"] is None, not q["params"].get("q"))


class Quality(unittest.TestCase):
    def test_overlap(self):
        self.assertEqual(quality.overlap([], []), 1.0)
        self.assertEqual(quality.overlap(["a", "b"], ["b", "c"]), 0.5)
        self.assertEqual(quality.overlap([], ["a"]), 0.0)

    def test_quality_row(self):
        row = quality.quality_row(
            "q", {"top": ["a", "b", "c", "d"], "total": 10}, {"top": ["a", "x"], "total": 4}, ["a", "b"], ["a"]
        )
        self.assertEqual(row["overlap_at_20"], 0.25)
        self.assertEqual(row["pg_matches_tantivy_top"], 0.5)
        self.assertEqual(row["tantivy_matches_pg_top"], 0.5)
        self.assertEqual(row["found_ratio"], 0.4)
        mean = quality.mean_quality([row, {**row, "found_ratio": 0.8}])
        self.assertAlmostEqual(mean["found_ratio"], 0.6)
        self.assertEqual(mean["lowest_found_ratio"], 0.4)
        empty = quality.quality_row("q", {"top": [], "total": 0}, {"top": [], "total": 0}, [], [])
        self.assertIsNone(empty["pg_matches_tantivy_top"])



def pg_available():
    if not shutil.which("psql"):
        return False
    pg = Postgres(os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"), "postgres")
    result = subprocess.run(["psql", "-X", "-Atc", "SELECT 1", *pg.args()], env=pg.env, capture_output=True, text=True)
    return result.returncode == 0


@unittest.skipUnless(pg_available(), "no PostgreSQL server")
class PostgresBaselineRuns(unittest.TestCase):
    """The statements of the mix run on a few rows, and find what they should."""

    DB = "talentbridge_bench_selftest"

    @classmethod
    def setUpClass(cls):
        cls.pg = Postgres(os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"), cls.DB)
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
        sql = pg_baseline.pg_queries(params, RATES)
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

    def test_every_word_must_match(self):
        self.assertEqual(self.answer({"q": "data analyst"})["top"], ["j3"])
        self.assertEqual(self.answer({"q": "software analyst"})["total"], 0)
        self.assertEqual(self.answer({"q": "软件 加入"})["top"], ["j2"])
        self.assertEqual(self.answer({"q": "软件 data"})["total"], 0)

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
