"""Vocabulary both ways on the benchmark's data set: every pair the service bridges (Hong Kong or
Taiwan word, Mainland word; `talentbridge analyze --vocabulary`) is searched both ways over HTTP,
and the totals compared. Equal totals for a pair mean a seeker on either side finds the same
jobs; the issue's examples (程式設計 / 程序设计, 資訊科技 / 信息技术, 質素 / 质量) are listed too."""

from __future__ import annotations

from .common import log, run
from .service import Client, search_path

EXAMPLES = (("程式設計", "程序设计"), ("資訊科技", "信息技术"), ("質素", "质量"))


def pairs(bench):
    """The pairs as the service reads them."""
    output = run([str(bench.binary), "analyze", "--vocabulary"], env=bench.env).stdout
    return [tuple(line.split("\t", 1)) for line in output.splitlines() if "\t" in line]


def agreement(bench):
    """Each pair's two totals, and how many pairs agree."""
    client = Client(bench.args.port)

    def total(word):
        status, body = client.request("GET", search_path({"q": word}, limit=1))
        if status != 200:
            raise RuntimeError(f"search for {word}: {status} {body}")
        return body["total"]

    found = [(other, mainland, total(other), total(mainland)) for other, mainland in pairs(bench)]
    log(f"vocabulary: {len(found)} pairs searched both ways")
    return summary(found)


def summary(found):
    """`found`: (other, mainland, other's total, Mainland's total) per pair."""
    equal = [row for row in found if row[2] == row[3]]
    return {
        "pairs": len(found),
        "equal_totals": len(equal),
        "agreement": len(equal) / len(found) if found else None,
        "pairs_with_jobs": sum(1 for row in found if row[2] or row[3]),
        "unequal": [list(row) for row in found if row[2] != row[3]],
        "examples": [list(row) for row in found if (row[0], row[1]) in EXAMPLES],
    }
