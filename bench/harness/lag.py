"""Publish → searchable: jobs created and published one at a time, each searched for by a word
only it holds until the search finds it."""

from __future__ import annotations

import json
import random
import string
import time

from .common import DEMO_DOMAIN, ROOT
from .service import Client, search_path
from .stats import percentile, summarize_ms

FOUND_WITHIN_S = 30


def letters(n):
    """0 → 'a', 25 → 'z', 26 → 'ba': a number as a word of letters (the analyser keeps it whole)."""
    word = ""
    while True:
        word = chr(ord("a") + n % 26) + word
        n //= 26
        if n == 0:
            return word


def verified_employer(client, token):
    status, body = client.request("GET", "/api/v1/employers", token=token)
    items = body.get("items", body) if isinstance(body, dict) else body
    employer = next((e for e in items if e.get("verified")), None)
    if status != 200 or employer is None:
        raise SystemExit(f"the demo employer has no verified employer: {status} {body}")
    return employer


def job_body(employer, word):
    locations = json.loads((ROOT / "assets" / "registry" / "locations.json").read_text())
    location = next(l["id"] for l in locations if l["jurisdiction"] == employer["jurisdiction"])
    currency = "HKD" if employer["jurisdiction"] == "HK" else "CNY"
    return {
        "employer_id": employer["id"],
        "title": f"Benchmark {word} analyst",
        "description": f"A job made by the benchmark to time publish-to-search ({word}).",
        "location_id": location,
        "employment_type": "full_time",
        "salary_min": 30000, "salary_max": 40000, "salary_currency": currency, "salary_period": "month",
        "skills": [{"skill_id": "data-analysis", "min_level": 3, "required": True}],
        "languages": [],
        "sponsorship": False,
    }


def publish_and_find(client, token, body, word, poll):
    """Publishes a new job and polls search for it: (publish call ms, lag ms or None if not found)."""
    status, job = client.request("POST", "/api/v1/jobs", body, token=token)
    if status != 201:
        raise SystemExit(f"creating a job failed: {status} {job}")
    t0 = time.perf_counter()
    status, _ = client.request("POST", f"/api/v1/jobs/{job['id']}/publish", token=token)
    publish_ms = (time.perf_counter() - t0) * 1000
    if status != 200:
        raise SystemExit(f"publishing a job failed: {status}")
    deadline = t0 + FOUND_WITHIN_S
    path = search_path({"q": word}, limit=5)
    while True:
        status, found = client.request("GET", path)
        now = time.perf_counter()
        if status == 200 and any(h["job"]["id"] == job["id"] for h in found["hits"]):
            return publish_ms, (now - t0) * 1000
        if now > deadline:
            return publish_ms, None
        time.sleep(poll)


def nrt(bench):
    client = Client(bench.args.port)
    bench.phase("publish → searchable")
    token = client.login(f"employer.hk@{DEMO_DOMAIN}")
    employer = verified_employer(client, token)
    run_tag = "".join(random.choice(string.ascii_lowercase) for _ in range(5))
    lags, publish_ms = [], []
    for i in range(bench.args.nrt_jobs):
        word = "zq" + run_tag + letters(i)
        publish, lag = publish_and_find(client, token, job_body(employer, word), word, bench.args.poll_ms / 1000.0)
        publish_ms.append(publish)
        if lag is not None:
            lags.append(lag)
    missing = bench.args.nrt_jobs - len(lags)
    if missing:
        bench.warn(f"{missing} published jobs were not found by search within {FOUND_WITHIN_S} s")
    return {**summarize_ms(lags), "jobs": bench.args.nrt_jobs, "found": len(lags), "poll_ms": bench.args.poll_ms,
            "publish_p50_ms": percentile(publish_ms, 50), "publish_p99_ms": percentile(publish_ms, 99)}
