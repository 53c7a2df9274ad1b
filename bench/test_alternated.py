"""Checks of HTTP beside the floor in alternation (no service, no floor binary, no timing): the
order of the runs, what each round records, and the median that the target is judged on."""

import tempfile
import unittest
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from harness import alternated, load
from harness.targets import THROUGHPUT_RATIO_LEVELS

QUERIES = [{"name": "a", "params": {"q": "rust"}}, {"name": "b", "params": {"q": "经理"}}]
# searches/s each fake run reports, in the order the runs are made
FLOOR_PACE = [300.0, 200.0, 200.0, 400.0, 400.0, 400.0]
HTTP_PACE = [186.0, 192.0, 200.0, 280.0, 320.0, 300.0]


class Rounds(unittest.TestCase):
    def test_the_median_of_the_rounds_ratios(self):
        rounds = [alternated.round_figures(f, h) for f, h in ((300.0, 186.0), (200.0, 200.0), (200.0, 192.0))]
        self.assertEqual([r["ratio"] for r in rounds], [0.62, 1.0, 0.96])
        self.assertEqual(alternated.level_summary(rounds, 5)["median_ratio"], 0.96)
        # a round without a figure on either side has no ratio and is left out of the median
        rounds.append(alternated.round_figures(None, 150.0))
        self.assertIsNone(rounds[-1]["ratio"])
        self.assertEqual(alternated.level_summary(rounds, 5)["median_ratio"], 0.96)
        self.assertIsNone(alternated.level_summary([alternated.round_figures(0.0, 10.0)], 5)["median_ratio"])

    def test_each_round_runs_the_floor_then_http_at_the_same_level_for_the_same_seconds(self):
        calls = []
        floor_pace, http_pace = iter(FLOOR_PACE), iter(HTTP_PACE)

        def fake_floor(bench_, levels, seconds, out_file, check_file=None):
            calls.append(("floor", tuple(levels), seconds))
            return {"runs": [{"concurrency": levels[0], "throughput": next(floor_pace)}]}

        def fake_oha(bench_, what, *args, concurrency, seconds):
            calls.append(("http", (concurrency,), seconds, args))
            return load.parse_oha({"summary": {"requestsPerSec": next(http_pace)},
                                   "statusCodeDistribution": {"200": 10}})

        with tempfile.TemporaryDirectory() as tmp:
            bench = SimpleNamespace(work=Path(tmp), queries=QUERIES, args=SimpleNamespace(port=18080),
                                    phase=lambda name: None, warn=self.fail)
            with mock.patch.object(alternated, "search_floor", fake_floor), \
                    mock.patch.object(alternated, "oha_checked", fake_oha), mock.patch.object(alternated, "log"):
                result = alternated.alternated(bench, rounds=3, seconds=4.0)
            urls = Path(tmp) / "search_urls.txt"
            # the same URLs as the HTTP mix: one line a query of the mix
            self.assertEqual(len(urls.read_text().splitlines()), len(QUERIES))

        self.assertEqual([c[0] for c in calls], ["floor", "http"] * 6)
        self.assertEqual([c[1][0] for c in calls], [c for c in THROUGHPUT_RATIO_LEVELS for _ in range(6)])
        self.assertTrue(all(c[2] == 4.0 for c in calls))
        self.assertTrue(all(c[3] == ("--urls-from-file", str(urls)) for c in calls if c[0] == "http"))

        self.assertEqual(set(result), {str(c) for c in THROUGHPUT_RATIO_LEVELS})
        one = result["1"]
        self.assertEqual(one["rounds"][0], {"floor_throughput": 300.0, "http_throughput": 186.0, "ratio": 0.62})
        self.assertEqual((len(one["rounds"]), one["median_ratio"], one["seconds"]), (3, 0.96, 4.0))
        self.assertEqual(result["16"]["median_ratio"], 0.75)


if __name__ == "__main__":
    unittest.main()
