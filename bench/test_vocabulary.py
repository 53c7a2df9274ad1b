"""Checks of the vocabulary phase's summary and its report (no service, no timing)."""

import unittest

from harness import report, vocabulary


class Summary(unittest.TestCase):
    FOUND = [("程式設計", "程序设计", 92, 92), ("質素", "质量", 0, 91), ("軟體", "软件", 0, 0)]

    def test_pairs_agree_when_their_totals_are_equal(self):
        s = vocabulary.summary(self.FOUND)
        self.assertEqual((s["pairs"], s["equal_totals"], s["pairs_with_jobs"]), (3, 2, 2))
        self.assertAlmostEqual(s["agreement"], 2 / 3)
        self.assertEqual(s["unequal"], [["質素", "质量", 0, 91]])
        self.assertEqual(s["examples"], [["程式設計", "程序设计", 92, 92], ["質素", "质量", 0, 91]])
        self.assertIsNone(vocabulary.summary([])["agreement"])

    def test_the_report_lists_the_examples_and_the_pairs_that_differ(self):
        text = "\n".join(str(part) for part in report.vocabulary_paragraphs(vocabulary.summary(self.FOUND)))
        self.assertIn("equal totals for 2 pairs", text)
        self.assertIn("質素", text)
        self.assertEqual(report.vocabulary_paragraphs(None), [])


if __name__ == "__main__":
    unittest.main()
