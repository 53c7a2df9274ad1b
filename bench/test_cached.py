"""Checks of the cache phase's reading of the service's counters (no service, no timing)."""

import unittest

from harness import cached

METRICS = """# HELP job_search_cache_hits_total Job searches answered from the cache
# TYPE job_search_cache_hits_total counter
job_search_cache_hits_total 42
# HELP job_search_cache_misses_total Job searches computed
# TYPE job_search_cache_misses_total counter
job_search_cache_misses_total 8
http_requests_total{method="GET",route="/api/v1/jobs/search",status="200"} 50
"""


class Counters(unittest.TestCase):
    def test_the_two_counters_are_read_and_nothing_else(self):
        self.assertEqual(cached.parse_counters(METRICS), {"hits": 42, "misses": 8})
        self.assertEqual(cached.parse_counters(""), {"hits": 0, "misses": 0})

    def test_the_hit_rate_is_of_what_happened_between_two_readings(self):
        rate = cached.hit_rate({"hits": 2, "misses": 8}, {"hits": 42, "misses": 18})
        self.assertEqual(rate, {"hits": 40, "misses": 10, "hit_rate": 0.8})
        self.assertIsNone(cached.hit_rate({"hits": 1, "misses": 1}, {"hits": 1, "misses": 1})["hit_rate"])


if __name__ == "__main__":
    unittest.main()
