"""Checks of the talent-search phase's requests and of its rows in the report (no timing)."""

import unittest
import urllib.parse

from harness import figures, talent
from test_report import render, synthetic_results


def skill(n):
    return {"id": f"s{n}", "labels": {"en": f"skill {n}", "zh-Hans": f"技能{n}", "zh-Hant": f"技能{n}甲"}}


class Requests(unittest.TestCase):
    def test_queries_spread_over_the_registry_in_the_three_scripts_in_turn(self):
        params = talent.talent_params([skill(n) for n in range(30)], count=6)
        self.assertEqual([p["q"] for p in params], ["skill 0", "技能5", "技能10甲", "skill 15", "技能20", "技能25甲"])

    def test_a_small_registry_gives_each_skill_once(self):
        self.assertEqual(len(talent.talent_params([skill(n) for n in range(4)], count=6)), 4)

    def test_the_path_asks_for_the_page_size(self):
        path = talent.talent_path({"q": "數據分析"}, 1)
        self.assertTrue(path.startswith("/api/v1/candidates/search?"))
        self.assertEqual(urllib.parse.parse_qs(path.split("?", 1)[1]), {"q": ["數據分析"], "limit": ["1"]})


class Rows(unittest.TestCase):
    def test_the_page_cost_is_a_page_of_20_less_a_page_of_1(self):
        r = synthetic_results()
        level = lambda p50, tput: {"p50_ms": p50, "p99_ms": p50 * 3, "throughput": tput}
        r["talent"] = {"page_20": {"1": level(9.0, 100.0), "16": level(40.0, 300.0)},
                       "page_1": {"1": level(6.0, 150.0), "16": level(30.0, 400.0)}}
        rows = {row["figure"]: row for row in figures.figures(r)}
        cost = rows["talent search: a page of 20 over a page of 1, p50 at 1 (the stored records re-checked)"]
        self.assertEqual((cost["value"], cost["baseline"]), (3.0, 9.0))
        self.assertAlmostEqual(cost["ratio"], 1 / 3)
        at_16 = rows["talent search (employer, page of 20) throughput at 16"]
        self.assertEqual((at_16["value"], at_16["target"]), (300.0, None))
        self.assertEqual(at_16["baseline"], r["search"]["http"]["16"]["throughput"])

    def test_a_run_without_the_phase_shows_no_figure(self):
        rows = {row["figure"]: row for row in figures.figures(synthetic_results())}
        self.assertIsNone(rows["talent search (employer, page of 20) p99 at 1"]["value"])
        self.assertIsNone(rows["talent search: a page of 20 over a page of 1, p50 at 1 (the stored records re-checked)"]["value"])

    def test_a_phase_added_after_the_run_is_said_in_the_header(self):
        r = {**synthetic_results(), "added_phases": {"talent": {"commit": "def5678", "at": "2026-01-01T01:00:00"}}}
        header = render(r).split("\n## ", 1)[0]
        self.assertIn("- **Added after the run**: talent, alone on its data set at commit `def5678`", header)
        self.assertNotIn("Added after the run", render(synthetic_results()))


if __name__ == "__main__":
    unittest.main()
