"""Talent search over HTTP as an employer, and what its consent rule costs on the stored records.

A talent search puts the consent rule into the query and then, for the page it answers, reads
each hit's stored record and checks the rule again (src/search/talent_search/request.rs), which
job search no longer does. The same searches run with a page of 20 and a page of 1: the index's
part (matching, scoring, the facets) is the same for both, so the difference is what the page's
records cost — their rows read, the rule checked again, each hit's view and JSON."""

from __future__ import annotations

import json
import urllib.parse

from .common import DEMO_DOMAIN, ROOT, log
from .load import base_url, oha_checked
from .service import Client

TALENT_QUERIES = 12
SCRIPTS = ("en", "zh-Hans", "zh-Hant")
PAGES = (20, 1)
LEVELS = (1, 16)
EMPLOYER = f"employer.hk@{DEMO_DOMAIN}"


def talent_params(skills, count=TALENT_QUERIES):
    """`count` skills spread over the registry, each asked by its label in one of the three
    scripts in turn."""
    step = max(1, len(skills) // count)
    return [{"q": skill["labels"][SCRIPTS[i % len(SCRIPTS)]]} for i, skill in enumerate(skills[::step][:count])]


def talent_path(params, limit):
    return "/api/v1/candidates/search?" + urllib.parse.urlencode({**params, "limit": limit})


def talent_search(bench):
    """oha at 1 and 16 connections with each page size, as the demo's Hong Kong employer."""
    skills = json.loads((ROOT / "assets" / "registry" / "skills.json").read_text())
    params = talent_params(skills)
    client = Client(bench.args.port)
    token = client.login(EMPLOYER)
    found = {}
    for p in params:
        status, body = client.request("GET", talent_path(p, 20), token=token)
        if status != 200:
            bench.warn(f"talent search {p['q']!r}: {status} {str(body)[:200]}")
        else:
            found[p["q"]] = body["total"]
    results = {"queries": len(params), "employer": EMPLOYER, "totals": found}
    for limit in PAGES:
        urls = bench.work / f"talent_urls_{limit}.txt"
        urls.write_text("".join(base_url(bench) + talent_path(p, limit) + "\n" for p in params))
        for c in LEVELS:
            bench.phase(f"talent search, a page of {limit}, at {c} connections")
            log(f"oha: talent search, a page of {limit}, at {c} connections for {bench.seconds:.0f} s")
            results.setdefault(f"page_{limit}", {})[str(c)] = oha_checked(
                bench, f"talent search (page of {limit}) at {c}", "--urls-from-file", str(urls),
                "-H", f"authorization: Bearer {token}", concurrency=c, seconds=bench.seconds)
    return results
