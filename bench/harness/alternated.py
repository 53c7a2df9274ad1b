"""HTTP search beside the floor, in alternation: the throughput ratio the target judges.

The floor's phase runs before the service starts and the HTTP mix many minutes later; this
shared machine's pace drifts within a run, so the ratio of those two phases moved from 0.62× to
about 0.9× between a run and rounds measured right after it (bench/notes.md). Here, with the
service up and warmed by the mix, each round runs the floor (its own process, the indexes
opened read-only at what was committed; nothing is written while this phase runs) and then oha
on the mix's URLs, at the same concurrency for the same seconds, so the two see the same
machine. The median of the rounds' ratios is what the target is judged on (figures.py)."""

from __future__ import annotations

import statistics

from .common import log
from .floor import search_floor
from .load import oha_checked, search_urls
from .stats import ratio
from .targets import THROUGHPUT_RATIO_LEVELS

# An odd number, so that the median is one round's ratio.
RATIO_ROUNDS = 3


def alternated(bench, rounds, seconds):
    """`rounds` rounds of the floor then HTTP at each level of THROUGHPUT_RATIO_LEVELS, `seconds`
    each; per level (as a string) its rounds and their median ratio."""
    urls = search_urls(bench)
    out = {}
    for c in THROUGHPUT_RATIO_LEVELS:
        measured = []
        for i in range(1, rounds + 1):
            log(f"alternated round {i} of {rounds} at {c}: the floor, then HTTP, {seconds:.0f} s each")
            # The service is idle while the floor runs: its memory then counts for no phase.
            bench.phase(None)
            floor = search_floor(bench, [c], seconds, bench.work / f"floor_alternated_{c}.json")["runs"][0]
            bench.phase(f"HTTP search alternated with the floor at {c} connections")
            http = oha_checked(bench, f"HTTP search alternated with the floor at {c}", "--urls-from-file",
                               str(urls), concurrency=c, seconds=seconds)
            measured.append(round_figures(floor["throughput"], http["throughput"]))
        out[str(c)] = level_summary(measured, seconds)
    bench.phase(None)
    return out


def round_figures(floor_per_s, http_per_s):
    """One round: each side's searches/s and HTTP's share of the floor's."""
    return {"floor_throughput": floor_per_s, "http_throughput": http_per_s, "ratio": ratio(http_per_s, floor_per_s)}


def level_summary(rounds, seconds):
    """The rounds of one level, `seconds` each side, and the median of their ratios (None when no
    round has one)."""
    ratios = [r["ratio"] for r in rounds if r["ratio"] is not None]
    return {"rounds": rounds, "median_ratio": statistics.median(ratios) if ratios else None, "seconds": seconds}
