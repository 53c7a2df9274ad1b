"""Checks of the Zipf query log (harness/querylog.py) and of the open-loop figures
(harness/openloop.py) on canned oha reports: no service is started and no timing is asserted.
"""

import json
import tempfile
import unittest
import urllib.parse
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from harness import load, openloop, querylog, targets

BASE = "http://127.0.0.1:18080"
REGISTRY = querylog.REGISTRY


class QueryLog(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.vocab = querylog.load_vocabulary()
        cls.log = querylog.build(vocab=cls.vocab)
        cls.counts = Counter(cls.log.sequence)
        cls.requested = [cls.log.queries[rank] for rank in cls.log.sequence]

    def url_file(self, log, directory, name):
        return Path(querylog.write_urls(log, Path(directory) / name, BASE)).read_bytes()

    def test_the_same_seed_gives_the_same_log_byte_for_byte(self):
        with tempfile.TemporaryDirectory() as tmp:
            first = self.url_file(self.log, tmp, "a.txt")
            again = self.url_file(querylog.build(vocab=self.vocab), tmp, "b.txt")
            other = self.url_file(querylog.build(seed=querylog.SEED + 1, vocab=self.vocab), tmp, "c.txt")
        self.assertEqual(first, again)
        self.assertNotEqual(first, other)

    def test_sizes(self):
        keys = {querylog.params_key(query["params"]) for query in self.log.queries}
        self.assertGreaterEqual(len(keys), 5_000)
        self.assertEqual(len(keys), len(self.log.queries), "the queries are distinct")
        self.assertGreaterEqual(len(self.log.sequence), 50_000)
        self.assertGreaterEqual(len(self.counts), 5_000, "at least 5,000 distinct queries are asked")

    def test_zipf_shape(self):
        # s = 1: the query of rank 1 is asked about 10 times as often as that of rank 10
        self.assertLess(abs(self.counts[0] / self.counts[9] - 10), 2)
        self.assertGreater(self.counts[9], self.counts[99])
        top = querylog.summary(self.log)["top_share"]
        self.assertLess(top["1"], top["10"])
        self.assertLess(top["10"], top["100"])
        self.assertLess(top["100"], 1)

    def test_all_three_scripts_and_browsing(self):
        scripts = Counter(query["script"] for query in self.requested)
        for script in ("en", "zh-Hans", "zh-Hant", "none"):
            self.assertGreater(scripts[script] / len(self.requested), 0.01, script)

    def test_filters_on_some_share(self):
        filtered = querylog.summary(self.log)["filtered"]
        self.assertGreater(filtered, 0.1)
        self.assertLess(filtered, 0.9)
        names = Counter(name for query in self.log.queries for name in query["params"])
        for name in ("q", "jurisdiction", "employment_type", "skill_id", "salary_min", "salary_currency"):
            self.assertGreater(names[name], 0, name)
        self.assertEqual(names["salary_min"], names["salary_currency"])

    def test_every_text_is_plain_words_within_the_limit(self):
        for query in self.log.queries:
            q = query["params"].get("q")
            if q is None:
                self.assertEqual(query["form"], "browse")
                self.assertGreater(len(query["params"]), 0, "browsing needs a filter")
                continue
            self.assertTrue(q.strip(), query)
            self.assertLessEqual(len(q), self.vocab.max_query_chars, query)
            self.assertEqual(q, " ".join(q.split()), query)
            self.assertTrue(all(ch.isalnum() or ch == " " for ch in q), query)
            self.assertFalse(set(q.split()) & querylog.GRAMMAR_WORDS, query)

    def test_every_filter_names_what_the_registry_has(self):
        skills = {row["id"] for row in json.loads((REGISTRY / "skills.json").read_text())}
        currencies = {row["code"]: row["currency"] for row in json.loads((REGISTRY / "jurisdictions.json").read_text())}
        for query in self.log.queries:
            params = query["params"]
            self.assertIn(params.get("jurisdiction", "HK"), currencies)
            self.assertIn(params.get("skill_id", "data-analysis"), skills)
            self.assertIn(params.get("employment_type", "full_time"), self.vocab.employment_types)
            if "salary_min" in params:
                self.assertIn(params["salary_currency"], currencies.values())
                self.assertGreater(params["salary_min"], 0)
            if "salary_min" in params and "jurisdiction" in params:
                self.assertEqual(params["salary_currency"], currencies[params["jurisdiction"]])

    def test_url_file_holds_each_request_in_order(self):
        with tempfile.TemporaryDirectory() as tmp:
            lines = self.url_file(self.log, tmp, "urls.txt").decode().splitlines()
        self.assertEqual(len(lines), len(self.log.sequence))
        for line, params in zip(lines[:500], querylog.request_params(self.log)):
            self.assertTrue(line.startswith(BASE + "/api/v1/jobs/search?"), line)
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(line).query)
            self.assertEqual(query.pop("limit"), ["20"])
            self.assertEqual(query, {name: [str(value)] for name, value in params.items()})

    def test_summary_counts(self):
        summary = querylog.summary(self.log)
        self.assertEqual(summary["distinct"], len(self.log.queries))
        self.assertEqual(summary["requests"], len(self.log.sequence))
        self.assertEqual(summary["distinct_requested"], len(self.counts))
        self.assertAlmostEqual(sum(summary["scripts"].values()), 1.0)
        self.assertAlmostEqual(summary["top_share"]["1"], self.counts[0] / len(self.log.sequence))


class Vocabulary(unittest.TestCase):
    """What is read from the registry and the Rust sources."""

    def test_rust_constants(self):
        vocab = querylog.load_vocabulary()
        self.assertIn("{} Engineer", vocab.title_patterns["en"])
        self.assertIn("{}工程师", vocab.title_patterns["zh-Hans"])
        self.assertIn("{}工程師", vocab.title_patterns["zh-Hant"])
        self.assertIn("full_time", vocab.employment_types)
        self.assertEqual(set(vocab.salary_ranges), set(vocab.currencies.values()))
        self.assertGreater(vocab.max_query_chars, 0)
        self.assertEqual({e.jurisdiction for e in vocab.employers}, {"HK", "CN"})

    def test_a_changed_source_is_an_error_not_an_empty_list(self):
        with tempfile.NamedTemporaryFile("w", suffix=".rs") as rs:
            rs.write("const OTHER: &[&str] = &[\"x\"];\n")
            rs.flush()
            with self.assertRaises(ValueError):
                querylog.rust_strings(rs.name, "TITLES_EN")

    def test_words_only(self):
        self.assertEqual(querylog.words_only("C++ / Node.js (back-end)"), "C Node js back end")
        self.assertEqual(querylog.words_only("R AND D OR NOT IN and"), "R D and")
        self.assertEqual(querylog.words_only("落马洲河套区（港深创新及科技园）"), "落马洲河套区 港深创新及科技园")
        self.assertEqual(querylog.words_only("title:engineer \"x"), "title engineer x")

    def test_scripts_from_the_registry_pairs(self):
        characters = querylog.registry_characters()
        self.assertEqual(querylog.scripts_of("Data analysis", characters), ("en",))
        self.assertEqual(querylog.scripts_of("软件工程师", characters), ("zh-Hans",))
        self.assertEqual(querylog.scripts_of("軟件工程師", characters), ("zh-Hant",))
        self.assertEqual(querylog.scripts_of("IC設計", characters), ("zh-Hant",))
        self.assertEqual(querylog.scripts_of("香港", characters), ("zh-Hans", "zh-Hant"))


def oha_report(per_s, p50, p99, codes, errors=None):
    """A canned `oha --output-format json` report (oha 1.15's fields; seconds, as oha writes them)."""
    return {
        "summary": {"successRate": 1.0, "total": 5.02, "slowest": p99 * 3, "fastest": 0.0008,
                    "average": p50 * 1.2, "requestsPerSec": per_s, "totalData": 1000, "sizePerRequest": 10,
                    "sizePerSec": 200.0},
        "latencyPercentiles": {"p10": p50 / 2, "p25": p50 / 1.5, "p50": p50, "p75": p50 * 1.5,
                               "p90": p99 / 2, "p95": p99 / 1.5, "p99": p99, "p99.9": p99 * 2, "p99.99": p99 * 3},
        "statusCodeDistribution": codes,
        "errorDistribution": errors or {},
    }


# offered rate → what oha reports at it: keeps up to 400/s, p99 past the target at 400, saturated at 800
CANNED = {
    100: oha_report(100.1, 0.004, 0.009, {"200": 501}),
    200: oha_report(199.8, 0.005, 0.016, {"200": 1000}),
    400: oha_report(398.0, 0.009, 0.045, {"200": 1990}),
    800: oha_report(612.0, 0.600, 2.400, {"200": 3060}),
    1200: oha_report(640.0, 0.900, 3.100, {"200": 3200}),
}


def canned_step(rate):
    return openloop.step_figures(rate, load.parse_oha(CANNED[rate]))


class OpenLoop(unittest.TestCase):
    def test_step_from_an_oha_report(self):
        step = canned_step(200)
        self.assertEqual(step["offered"], 200)
        self.assertAlmostEqual(step["achieved"], 199.8)
        self.assertAlmostEqual(step["p50_ms"], 5.0)
        self.assertAlmostEqual(step["p99_ms"], 16.0)
        self.assertEqual(step["failed"], 0)
        self.assertFalse(step["saturated"])

    def test_failures_leave_the_achieved_rate(self):
        report = oha_report(400.0, 0.005, 0.015, {"200": 1800, "503": 190}, {"deadline": 10})
        step = openloop.step_figures(400, load.parse_oha(report))
        self.assertEqual(step["failed"], 200)
        self.assertAlmostEqual(step["achieved"], 400.0 * 1800 / 2000)
        self.assertFalse(openloop.within_p99(step), "a rate that lost requests does not count")

    def test_saturation(self):
        self.assertFalse(canned_step(400)["saturated"])  # p99 past 20 ms, but keeping up
        self.assertTrue(canned_step(800)["saturated"])  # 612 answered of 800 offered
        exploded = openloop.step_figures(300, load.parse_oha(oha_report(299.0, 0.05, 0.5, {"200": 1495})))
        self.assertTrue(exploded["saturated"], "p99 past ten times the target")
        nothing = openloop.step_figures(100, load.parse_oha({}))
        self.assertEqual(nothing["achieved"], 0.0)
        self.assertTrue(nothing["saturated"])

    def test_headline_is_the_last_rate_of_an_unbroken_run_within_p99(self):
        steps = [canned_step(rate) for rate in (100, 200, 400, 800)]
        self.assertEqual(openloop.rate_at_p99(steps), 200)
        lucky = {**canned_step(200), "offered": 1600}  # a later rate within p99 after one that missed
        self.assertEqual(openloop.rate_at_p99(steps + [lucky]), 200)
        self.assertEqual(openloop.rate_at_p99([canned_step(400)]), 0)
        self.assertIsNone(openloop.rate_at_p99([]))

    def test_the_ladder_stops_after_the_first_saturated_rate(self):
        bench = SimpleNamespace(args=SimpleNamespace(small=False), seconds=5.0, phase=lambda name: None)
        calls, durations = [], []

        def fake_oha(bench_, what, *args, concurrency, seconds):
            calls.append(args)
            durations.append(seconds)
            return load.parse_oha(CANNED[int(args[args.index("-q") + 1])])

        overloaded = []

        def fake_overload_oha(bench_, *args, concurrency, seconds):
            overloaded.append((args, concurrency))
            return load.parse_oha(oha_report(1550.0, 0.004, 0.460, {"200": 5000, "503": 7000}, {"timeout": 3}))

        with mock.patch.object(openloop, "oha_checked", fake_oha), mock.patch.object(openloop, "log"), \
                mock.patch.object(openloop, "oha", fake_overload_oha):
            result = openloop.open_loop(bench, Path("urls.txt"))
        self.assertEqual([step["offered"] for step in result["steps"]], [100, 200, 400, 800])
        # A low rate runs until it offered MIN_STEP_REQUESTS (4,000), a high one bench.seconds.
        self.assertEqual(durations, [40.0, 20.0, 10.0, 5.0])
        self.assertEqual([step["seconds"] for step in result["steps"]], durations)
        self.assertEqual(result["min_step_requests"], openloop.MIN_STEP_REQUESTS)
        # Past the saturated 800/s: twice it, over more connections than compute and wait.
        self.assertEqual(overloaded, [(("-q", "1600", "--latency-correction", "--urls-from-file", "urls.txt"),
                                       openloop.OVERLOAD_CONNECTIONS)])
        o = result["overload"]
        self.assertEqual((o["offered"], o["answered"], o["refused"], o["other_failures"]), (1600, 5000, 7000, 3))
        self.assertAlmostEqual(o["answered_per_s"], 1000.0)
        self.assertAlmostEqual(o["p99_ms"], 460.0)
        self.assertEqual(result["rate_at_p99"], 200)
        self.assertAlmostEqual(result["peak_achieved"], 612.0)
        self.assertEqual(result["connections"], openloop.OPEN_CONNECTIONS)
        self.assertEqual(calls[0], ("-q", "100", "--latency-correction", "--urls-from-file", "urls.txt"))

    def test_no_overload_step_when_no_rate_saturated(self):
        bench = SimpleNamespace(args=SimpleNamespace(small=True), seconds=5.0, phase=lambda name: None)
        def fake_oha(bench_, what, *args, concurrency, seconds):
            rate = int(args[args.index("-q") + 1])  # keeps up with every rate
            return load.parse_oha(oha_report(float(rate), 0.004, 0.009, {"200": rate * 5}))

        def no_overload(*args, **kwargs):
            raise AssertionError("no overload step without a saturated rate")

        with mock.patch.object(openloop, "oha_checked", fake_oha), mock.patch.object(openloop, "log"), \
                mock.patch.object(openloop, "oha", no_overload):
            result = openloop.open_loop(bench, Path("urls.txt"))
        self.assertIsNone(result["overload"])
        self.assertEqual(len(result["steps"]), len(openloop.SMALL_LADDER))

    def test_small_runs_a_shorter_ladder(self):
        small = SimpleNamespace(args=SimpleNamespace(small=True))
        full = SimpleNamespace(args=SimpleNamespace(small=False))
        self.assertLess(len(openloop.ladder(small)), len(openloop.ladder(full)))
        self.assertEqual(openloop.ladder(full)[0], openloop.ladder(small)[0])

    def test_the_full_ladder_has_the_targets_rate_as_a_step_and_rises(self):
        full = openloop.ladder(SimpleNamespace(args=SimpleNamespace(small=False)))
        self.assertIn(targets.SEARCH_RATE, full)
        self.assertEqual(list(full), sorted(set(full)))


if __name__ == "__main__":
    unittest.main()
