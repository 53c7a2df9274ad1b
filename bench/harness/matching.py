"""Matching both ways, one request at a time: a candidate's top-20 jobs (as the candidate) and a
job's top-20 candidates (as the job's owner)."""

from __future__ import annotations

from .common import DEMO_DOMAIN, open_job
from .service import Client
from .stats import elapsed_ms, summarize_ms


def timed_rounds(bench, client, requests, rounds, what):
    """Latencies of `rounds` timed passes over (path, token) pairs, after one unmeasured pass."""
    lat = []
    for r in range(rounds + 1):
        for path, token in requests:
            (status, body), ms = elapsed_ms(lambda: client.request("GET", path, token=token))
            if status != 200:
                bench.warn(f"{what}: {status} {str(body)[:200]}")
            elif r > 0:
                lat.append(ms)
    return lat


def candidate_requests(bench, client, subjects):
    emails = bench.pg.psql(
        "SELECT u.email FROM users u JOIN candidates c ON c.user_id = u.id "
        f"WHERE c.erased_at IS NULL AND u.email LIKE '%@{DEMO_DOMAIN}' ORDER BY md5(u.id) LIMIT {subjects}"
    ).splitlines()
    return [("/api/v1/candidates/me/matches?limit=20", client.login(e)) for e in emails]


def job_requests(bench, client, subjects):
    rows = bench.pg.psql(
        "SELECT j.id || ' ' || u.email FROM jobs j "
        "JOIN employer_members m ON m.employer_id = j.employer_id AND m.role = 'owner' "
        "JOIN users u ON u.id = m.user_id "
        f"WHERE {open_job('j')} "
        f"ORDER BY md5(j.id) LIMIT {subjects}"
    ).splitlines()
    owner_tokens = {}
    requests = []
    for row in rows:
        job_id, email = row.split()
        if email not in owner_tokens:
            owner_tokens[email] = client.login(email)
        requests.append((f"/api/v1/jobs/{job_id}/matches?limit=20", owner_tokens[email]))
    return requests


def matching(bench):
    client = Client(bench.args.port)
    subjects, rounds = bench.args.match_subjects, bench.args.match_rounds
    candidates = candidate_requests(bench, client, subjects)
    bench.phase("matching")
    lat = timed_rounds(bench, client, candidates, rounds, "candidate matches")
    results = {"candidate_to_jobs": {**summarize_ms(lat), "subjects": len(candidates)}}
    jobs = job_requests(bench, client, subjects)
    lat = timed_rounds(bench, client, jobs, rounds, "job matches")
    results["job_to_candidates"] = {**summarize_ms(lat), "subjects": len(jobs)}
    return results
