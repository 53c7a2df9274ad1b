"""Checks of the report: the headline figures, the judging of the targets, RESULTS.md (no timing
is asserted: the figures here are made up)."""

import json
import unittest
from pathlib import Path

from harness import common, figures, quality, report

QUERIES = json.loads((Path(__file__).parent / "queries.json").read_text())


def synthetic_results():
    level = lambda p99, tput: {"p50_ms": p99 / 3, "p95_ms": p99 / 2, "p99_ms": p99, "max_ms": p99 * 2,
                               "throughput": tput, "requests": 100}
    return {
        "label": "small",
        "size": common.SMALL,
        "seconds_per_level": 5,
        "started_at": "2026-01-01T00:00:00+00:00",
        "commit": "abc1234",
        "machine": {"cpu": "test cpu", "cpus": 2, "memory_bytes": 8 * common.GIB, "os": "Linux"},
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
            "queries": [quality.quality_row("en", {"top": ["a"], "total": 5}, {"top": ["a"], "total": 3}, ["a"], ["a"])],
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
        rows = {row["figure"]: row for row in figures.figures(synthetic_results())}
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
        rows = figures.figures({"label": "small", "size": common.SMALL})
        self.assertTrue(all(row["met"] is None for row in rows))

    def test_markdown(self):
        text = report.render_markdown({**synthetic_results(), "figures": figures.figures(synthetic_results())}, "## Notes\n\nhand-written")
        self.assertIn("# Benchmark results — small size", text)
        self.assertIn("not the 1,000,000-job size", text)
        self.assertIn("**not met**", text)
        self.assertIn("| HTTP (service) | 16 |", text)
        self.assertIn("PostgreSQL FTS, full", text)
        self.assertIn("one warning", text)
        self.assertTrue(text.rstrip().endswith("hand-written"))


if __name__ == "__main__":
    unittest.main()
