"""Checks of the harness's own pieces (no timing is asserted anywhere):

    python3 -m unittest discover -s bench -p 'test_*.py'

This file: the entry point, percentiles, the parsing of the tools' outputs. test_pg_baseline.py
checks the PostgreSQL statements (and runs them on a few rows when a server answers);
test_report.py the headline figures, the targets and RESULTS.md.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from harness import bench, common, data, lag, load, pg_baseline, stats

BENCH = Path(__file__).resolve().parent


class Percentiles(unittest.TestCase):
    def test_nearest_rank(self):
        values = list(range(100, 0, -1))  # unsorted on purpose
        self.assertEqual(stats.percentile(values, 50), 50)
        self.assertEqual(stats.percentile(values, 99), 99)
        self.assertEqual(stats.percentile(values, 100), 100)
        self.assertEqual(stats.percentile([7.0], 99), 7.0)
        self.assertIsNone(stats.percentile([], 50))

    def test_summary_counts_and_throughput(self):
        s = stats.summarize_ms([1.0, 2.0, 3.0, 4.0], seconds=2.0)
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
        parsed = load.parse_oha(report)
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
        overall, per_script = pg_baseline.parse_pgbench_logs(lines, 2)
        self.assertEqual(overall, [1.5, 2.5])
        self.assertEqual(per_script, {0: [1.5], 1: [2.5]})

    def test_reindex_output(self):
        out = (
            "jobs: 18000 documents in 0.9 s (20000/s), at event 0, now live in /d/index/jobs-2\n"
            "candidates: 5000 documents in 0.5 s (10000/s), at event 0, now live in /d/index/candidates-1\n"
        )
        parsed = data.parse_reindex(out)
        self.assertEqual(parsed["jobs"]["documents"], 18000)
        self.assertEqual(parsed["jobs"]["per_s"], 20000.0)
        self.assertEqual(parsed["candidates"]["dir"], "/d/index/candidates-1")
        self.assertEqual(data.parse_reindex("something else"), {})

    def test_pgbench_tps(self):
        out = "latency average = 3.1 ms\ntps = 5134.812 (without initial connection time)\n"
        self.assertAlmostEqual(pg_baseline.parse_pgbench_tps(out), 5134.812)
        self.assertIsNone(pg_baseline.parse_pgbench_tps("nothing"))

    def test_oha_failures(self):
        ok = load.parse_oha({"statusCodeDistribution": {"200": 10}})
        self.assertIsNone(load.failures(ok))
        failed = load.parse_oha({"statusCodeDistribution": {"200": 8, "503": 2}, "errorDistribution": {"timeout": 1}})
        self.assertEqual(failed["requests"], 11)
        self.assertEqual(load.failures(failed), "3 requests failed: {'200': 8, '503': 2} {'timeout': 1}")

    def test_oha_report_without_figures(self):
        parsed = load.parse_oha({})
        self.assertEqual(parsed["requests"], 0)
        self.assertIsNone(parsed["p99_ms"])
        self.assertIsNone(parsed["max_ms"])

    def test_seed_summary(self):
        out = "demo accounts: ...\nwrote 800 employers, 20000 jobs, 5000 candidates in 4.9 s\n"
        self.assertEqual(data.parse_seed(out), ("wrote 800 employers, 20000 jobs, 5000 candidates in 4.9 s", 4.9))
        self.assertEqual(data.parse_seed("nothing"), (None, None))
        self.assertEqual(data.parse_seed(None), (None, None))


class Words(unittest.TestCase):
    def test_letters(self):
        self.assertEqual([lag.letters(n) for n in (0, 25, 26, 27)], ["a", "z", "ba", "bb"])
        words = {lag.letters(n) for n in range(1000)}
        self.assertEqual(len(words), 1000)
        self.assertTrue(all(w.isalpha() for w in words))


class Sizes(unittest.TestCase):
    def args(self, **kw):
        return argparse.Namespace(**{"small": False, "jobs": None, "candidates": None, **kw})

    def test_labels(self):
        self.assertEqual(bench.size_and_label(self.args()), (common.FULL, "full"))
        self.assertEqual(bench.size_and_label(self.args(small=True)), (common.SMALL, "small"))
        size, label = bench.size_and_label(self.args(small=True, jobs=100))
        self.assertEqual((size, label), ({"jobs": 100, "candidates": 5_000}, "custom"))
        self.assertEqual(bench.size_and_label(self.args(jobs=1_000_000))[1], "full")

    def test_open_job_condition(self):
        self.assertIn("j.status = 'open'", common.open_job("j"))
        self.assertIn("j.expires_at IS NULL OR j.expires_at >", common.open_job("j"))
        self.assertTrue(common.open_job().startswith("status = 'open'"))


class EntryPoint(unittest.TestCase):
    """bench/run.py as a person runs it, from outside the bench directory."""

    def run_py(self, *args):
        return subprocess.run([sys.executable, str(BENCH / "run.py"), *args], cwd="/", capture_output=True, text=True)

    def test_help_lists_the_knobs(self):
        out = self.run_py("--help")
        self.assertEqual(out.returncode, 0, out.stderr)
        for knob in ("--small", "--reuse", "--render", "--seconds", "--pg-url", "--ratio-rounds"):
            self.assertIn(knob, out.stdout)
        self.assertIn("TalentBridge benchmarks", out.stdout)

    def test_render_rewrites_results_md_only(self):
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(BENCH / "results.json", tmp)
            before = (Path(tmp) / "results.json").read_text()
            out = self.run_py("--render", "--out-dir", tmp)
            self.assertEqual(out.returncode, 0, out.stderr)
            text = (Path(tmp) / "RESULTS.md").read_text()
            self.assertTrue(text.startswith("# Benchmark results — "))
            self.assertIn("| figure | value | target | met | baseline | ratio |", text)
            self.assertIn((BENCH / "notes.md").read_text().rstrip(), text)
            self.assertIn((BENCH / "changes.md").read_text().strip(), text)
            self.assertIn("## Targets", text)
            self.assertEqual((Path(tmp) / "results.json").read_text(), before)

    def test_render_of_results_from_before_the_alternated_rounds(self):
        results = json.loads((BENCH / "results.json").read_text())
        results.get("search", {}).pop("alternated", None)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "results.json").write_text(json.dumps(results))
            out = self.run_py("--render", "--out-dir", tmp)
            self.assertEqual(out.returncode, 0, out.stderr)
            text = (Path(tmp) / "RESULTS.md").read_text()
            self.assertIn("| HTTP throughput / floor throughput at 16 | — | ≥ 0.85× | not measured |", text)
            self.assertIn("| HTTP throughput / floor throughput at 16, phases taken minutes apart |", text)
            self.assertIn("HTTP and the floor in alternation: not measured in this run", text)


if __name__ == "__main__":
    unittest.main()
