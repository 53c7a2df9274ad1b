#!/usr/bin/env python3
"""Schema-driven fuzzing of the real service with schemathesis (issue #8).

Starts `talentbridge serve` from a binary that is already built, once on SQLite and once on a
fresh PostgreSQL database, writes a small demo market into it, signs in as each role and lets
schemathesis generate requests from the service's own OpenAPI document, checking every answer
against it (status codes, content types, bodies, headers) and that none is a server error. Prints
a table (role, backend, operations, test cases, failures) and exits non-zero on any failure.

    python3 tests/fuzz/run.py --binary target/debug/talentbridge

schemathesis comes from the venv `.ci/run` makes (`tests/fuzz/requirements.txt`); `--schemathesis`
names another executable. Everything the run makes — data directories, the PostgreSQL database,
the service — is removed or stopped when it ends, also on failure, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-password-2026"
DEMO = "demo.talentbridge.example"
# Who the fuzzer is, in this order: the candidate last, since its run ends by fuzzing
# DELETE /candidates/me, which may erase them (and the others' runs use their records).
ROLES = {
    "anonymous": None,
    "admin": f"admin@{DEMO}",
    "officer": f"officer@{DEMO}",
    "employer": f"employer.hk@{DEMO}",
    "candidate": f"candidate.hk@{DEMO}",
}
# Every check schemathesis has. `ignored_auth` sends each secured request without and with a
# broken token as well, so the anonymous role is covered a second time on every secured route.
CHECKS = "all"
RUN_TIMEOUT = 600
# Operations that end the caller's account (operation ids): fuzzed after all the others.
LAST = ["erase"]
PHASES = "examples,coverage,fuzzing,stateful"


def main() -> int:
    args = parse_args()
    # SIGTERM unwinds like Ctrl-C, so the service is stopped and the database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results: list[Result] = []
    try:
        for backend in args.backends:
            with Service(args.binary, backend, args.pg_url, args.report_dir) as service:
                service.seed(args.jobs, args.candidates)
                service.start()
                world = World.gather(service.url)
                for role in args.roles:
                    results.append(fuzz(args, service, world, role))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print_table(results)
    failed = [r for r in results if not r.ok]
    return 1 if failed or not results else 0


def parse_args() -> argparse.Namespace:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", type=Path, default=target / "debug" / "talentbridge",
                        help="the talentbridge executable (default: $CARGO_TARGET_DIR/debug/talentbridge)")
    parser.add_argument("--backends", default="sqlite,postgres", type=lambda s: s.split(","))
    parser.add_argument("--roles", default=",".join(ROLES), type=lambda s: s.split(","))
    parser.add_argument("--pg-url", default=os.environ.get(
        "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a server whose user may create databases (a fresh one is made and dropped)")
    parser.add_argument("--schemathesis", default=str(Path(sys.executable).parent / "schemathesis"))
    parser.add_argument("--examples", type=int, default=12, help="test cases per operation and phase")
    parser.add_argument("--max-time", type=int, default=0,
                        help="seconds per role and backend (0: no limit but the examples)")
    parser.add_argument("--seed", type=int, default=2026, help="schemathesis' random seed")
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--report-dir", type=Path, default=ROOT / "target" / "fuzz",
                        help="schemathesis' reports and each run's output")
    args = parser.parse_args()
    if not args.binary.is_file():
        parser.error(f"no binary at {args.binary}: build it first (cargo build)")
    unknown = [r for r in args.roles if r not in ROLES]
    if unknown or not set(args.backends) <= {"sqlite", "postgres"}:
        parser.error(f"roles are {', '.join(ROLES)}; backends sqlite and postgres")
    return args


class Service:
    """`talentbridge serve` on its own data directory and database, gone after the `with`."""

    def __init__(self, binary: Path, backend: str, pg_url: str, report_dir: Path):
        self.binary = binary.resolve()
        self.backend = backend
        self.pg_url = pg_url
        self.data_dir: Path | None = None
        self.database: str | None = None
        self.process: subprocess.Popen | None = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Kept with the reports: after a crash it holds the panic or the abort and its backtrace.
        report_dir.mkdir(parents=True, exist_ok=True)
        self.log = report_dir / f"{backend}-service.log"

    def __enter__(self) -> Service:
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"talentbridge-fuzz-{self.backend}-"))
        try:
            if self.backend == "postgres":
                name = f"talentbridge_fuzz_{os.getpid()}"
                psql(self.pg_url, f'DROP DATABASE IF EXISTS "{name}"')
                psql(self.pg_url, f'CREATE DATABASE "{name}"')
                self.database = name
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        if self.database:
            psql(self.pg_url, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "TALENTBRIDGE_ENV": "development",
            "TALENTBRIDGE_CONFIG_DIR": str(ROOT / "config"),
            "TALENTBRIDGE__MAIL__TRANSPORT": "log",
            "TALENTBRIDGE__APPLICATION__BASE_URL": self.url,
            # The auth endpoints' limits (60 requests a minute, 50 failed logins per address)
            # would answer most generated auth requests with 429 before their handlers ran;
            # 429 itself is documented and tested in tests/api.
            "TALENTBRIDGE__AUTH__IP_REQUESTS_PER_MINUTE": "1000000",
            "TALENTBRIDGE__AUTH__IP_MAX_FAILURES": "1000000",
            # Likewise the cap on an employer's invitations a day (20) would soon answer every
            # generated invitation with 429.
            "TALENTBRIDGE__EMPLOYERS__INVITATIONS_PER_DAY": "1000000",
            "RUST_LOG": "warn",
            "RUST_BACKTRACE": "1",
            "NO_COLOR": "1",
        })
        env.pop("TALENTBRIDGE__DATABASE__URL", None)
        if self.database:
            env["TALENTBRIDGE__DATABASE__URL"] = with_database(self.pg_url, self.database)
        return env

    def command(self, *args: str) -> list[str]:
        return [str(self.binary), "--data-dir", str(self.data_dir), *args]

    def seed(self, jobs: int, candidates: int) -> None:
        run = subprocess.run(
            self.command("seed-demo", "--jobs", str(jobs), "--candidates", str(candidates)),
            env=self.env(), cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"seed-demo failed ({run.returncode}):\n{run.stdout}{run.stderr}")

    def start(self) -> None:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command("serve", "--bind", f"127.0.0.1:{self.port}"),
                env=self.env(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the service ended at start:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"the service did not become ready:\n{self.log.read_text()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 60) -> str:
        """The log from its first panic or abort on, else its end."""
        try:
            log = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        first = next((i for i, line in enumerate(log) if "panicked" in line or "memory allocation" in line),
                     max(len(log) - lines, 0))
        return "\n".join(log[first:first + lines])


def psql(url: str, statement: str) -> None:
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement],
                   check=True, capture_output=True, text=True)


def with_database(url: str, database: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(url: str, method: str, path: str, token: str | None = None, body: object = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{url}{path}", data=data, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def login(url: str, email: str) -> str:
    answer = call(url, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD})
    return answer["access_token"]


def items(listing: object) -> list[dict]:
    """The records of a list answer, `{items, total}` or (a few small lists) a bare array."""
    return listing["items"] if isinstance(listing, dict) else listing


def ids(listing: object) -> list[str]:
    return [item["id"] for item in items(listing)]


@dataclass
class World:
    """Ids of real records for each kind of path parameter, so that generated requests reach the
    handlers' logic and not only their 404s."""

    values: dict[str, list[str]] = field(default_factory=dict)

    @staticmethod
    def gather(url: str) -> World:
        officer = login(url, ROLES["officer"])
        employer = login(url, ROLES["employer"])
        candidate = login(url, ROLES["candidate"])
        own_employer = ids(call(url, "GET", "/api/v1/employers", employer))[0]
        me = call(url, "GET", "/api/v1/candidates/me", candidate)["id"]
        jobs = ids(call(url, "GET", f"/api/v1/employers/{own_employer}/jobs?limit=5", employer))
        invitation = call(url, "POST", f"/api/v1/employers/{own_employer}/members", employer,
                          {"email": f"recruiter@{DEMO}", "role": "recruiter"})
        case = call(url, "POST", "/api/v1/cases", officer,
                    {"candidate_id": me, "direction": "HK_TO_CN", "summary": "fuzzing"})
        consent = call(url, "POST", "/api/v1/candidates/me/consents", candidate,
                       {"purpose": "cross_border_sharing", "to_jurisdiction": "CN"})
        saved = call(url, "POST", "/api/v1/saved-searches", candidate,
                     {"query": "engineer", "filters": {}, "frequency": "daily"})
        members = call(url, "GET", f"/api/v1/employers/{own_employer}/members", employer)
        found = call(url, "GET", "/api/v1/candidates/search?limit=3", officer)
        admin = login(url, ROLES["admin"])
        registry = {
            "jurisdiction": [j["code"] for j in items(call(url, "GET", "/api/v1/jurisdictions", admin))],
            "location": ids(call(url, "GET", "/api/v1/locations?limit=100", admin)),
            "skill": ids(call(url, "GET", "/api/v1/skills?limit=100", admin))[:40],
            "qualification": ids(call(url, "GET", "/api/v1/qualifications?limit=100", admin))[:20],
            "basis": [b["code"] for b in items(call(url, "GET", "/api/v1/work-authorization-bases", admin))],
        }
        world = World()
        world.values = registry | {
            "employer": [own_employer, *ids(call(url, "GET", "/api/v1/employers?limit=3", officer))],
            "job": jobs,
            "candidate": [me, *[hit["candidate"]["id"] for hit in found["hits"]]],
            "application": ids(call(url, "GET", "/api/v1/applications?limit=3", employer)),
            "case": [case["id"]],
            "task": [task["id"] for task in case["tasks"][:3]],
            "credential": ids(call(url, "GET", "/api/v1/candidates/me/credentials", candidate)),
            "authorization": ids(call(url, "GET", "/api/v1/candidates/me/work-authorizations", candidate)),
            "consent": [consent["id"]],
            "saved_search": [saved["id"]],
            "invitation": [invitation["id"]],
            "member": [m["user_id"] for m in items(members)],
            "equivalence": ids(call(url, "GET", "/api/v1/equivalences?limit=3", officer)),
            "direction": ["CN_TO_HK", "HK_TO_CN"],
        }
        return world


# positive_data_acceptance sends requests that match the document and expects them accepted.
# The document states every rule a schema can state (enums, lengths, patterns, ranges), so a 422
# for schema-valid data is accepted only where an operation has a rule no static schema can state:
# each such operation is listed below with its rules. Everywhere else a 422 fails the check, as do
# 400 (the document gets the shape wrong), 5xx and every other status not listed.
POSITIVE_DATA = [
    "[checks.positive_data_acceptance]",
    'expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "429"]',
]
REGISTRY = "a value naming a record of the registry"
UNSTATABLE = {
    "POST /api/v1/admin/users": "a common password; an email address's grammar; a name of only spaces",
    "POST /api/v1/auth/register": "a common password; an email address's grammar; a name of only "
                                  "spaces; an unsupported locale tag",
    "POST /api/v1/auth/password-reset/request": "an email address's grammar",
    "POST /api/v1/auth/password-reset/confirm": "an unknown, spent or expired token; a common password",
    "POST /api/v1/auth/verify-email": "an unknown, spent or expired token",
    "GET /api/v1/analytics/skill-gap": f"{REGISTRY} (jurisdiction)",
    "PUT /api/v1/candidates/me": f"{REGISTRY} (jurisdictions, location, skills, languages); a "
                                 "location outside the residence; a value listed twice; HK or MO as "
                                 "a nationality; a currency of the registry; a name of only spaces",
    "POST /api/v1/candidates/me/consents": f"{REGISTRY}; not the candidate's own jurisdiction",
    "POST /api/v1/candidates/me/credentials": f"{REGISTRY} (qualification); awarded_on not in the future",
    "POST /api/v1/candidates/me/work-authorizations": f"{REGISTRY} (a basis of that jurisdiction); "
                                                      "valid_until required by time-limited bases, "
                                                      "not in the past",
    "GET /api/v1/candidates/me/routes": f"{REGISTRY} (to)",
    "GET /api/v1/candidates/{id}/routes": f"{REGISTRY} (to)",
    "GET /api/v1/candidates/search": f"{REGISTRY} (skill, jurisdiction, language)",
    "PUT /api/v1/case-templates/{direction}": "item rules across fields (anchors, conditions naming "
                                              "the registry's groups and bases)",
    "POST /api/v1/cases": "records named by id (candidate, job, application of that candidate); a "
                          "direction of the registry; an assignee who is agency staff",
    "PATCH /api/v1/cases/{id}": "an assignee who is agency staff; a route of the case's direction; "
                                "milestones the route has",
    "POST /api/v1/cases/{id}/notes": "a body of only spaces",
    "PATCH /api/v1/cases/{id}/tasks/{task_id}": "due_on between the years 2000 and 2100 (a range of "
                                                "dates)",
    "POST /api/v1/employers": f"{REGISTRY} (jurisdiction); the registration number's form and check "
                              "character, which are the jurisdiction's data; a name of only spaces",
    "PATCH /api/v1/employers/{id}": "a name of only spaces",
    "POST /api/v1/employers/{id}/members": "an email address's grammar",
    "GET /api/v1/equivalences": f"{REGISTRY} (to_jurisdiction)",
    "POST /api/v1/equivalences": f"{REGISTRY} (qualifications, levels, jurisdiction); one target, a "
                                 "qualification or a level; effective_to after effective_from",
    "PATCH /api/v1/equivalences/{id}": "as for POST, over the rule with the patch laid on it",
    "GET /api/v1/equivalences/resolve": f"{REGISTRY} (qualification, jurisdiction)",
    "POST /api/v1/jobs": f"{REGISTRY} (employer, location, skills, qualification or level, languages, "
                         "currency); salary_min <= salary_max; expires_at's grammar and in the future",
    "PATCH /api/v1/jobs/{id}": "as for POST, over the job with the patch laid on it",
    "POST /api/v1/jobs/{id}/publish": "the expiry has passed (the clock)",
    "POST /api/v1/qualifications": f"{REGISTRY} (jurisdiction, framework, level of that jurisdiction)",
    "GET /api/v1/locations": f"{REGISTRY} (jurisdiction)",
    "GET /api/v1/qualifications": f"{REGISTRY} (jurisdiction)",
    "GET /api/v1/work-authorization-bases": f"{REGISTRY} (jurisdiction)",
    "POST /api/v1/saved-searches": f"{REGISTRY} (filters); posted_since refused; salary_currency with "
                                   "salary_min",
    "PUT /api/v1/work-authorization-bases/{code}/route": "a route's rules across fields (conditions "
                                                         "naming the registry's groups and bases, "
                                                         "dates in order)",
    # The searches' `q` is tantivy's query language (`"exact phrase"`, `+must -not`, documented
    # so), whose grammar a schema cannot state: `q=4[Q-V` is a string, and a 400 naming the error.
    "GET /api/v1/jobs/search": f"{REGISTRY} (jurisdiction, location, skill, currency); posted_since's "
                               "grammar; salary_currency with salary_min; q's query grammar (400)",
}
QUERY_GRAMMAR = {"GET /api/v1/jobs/search", "GET /api/v1/candidates/search"}


def unstatable_blocks() -> list[str]:
    lines = []
    for name in sorted(UNSTATABLE.keys() | QUERY_GRAMMAR):
        statuses = ["2xx", "3xx", "401", "403", "404", "409", "429", "422"]
        if name in QUERY_GRAMMAR:
            statuses.append("400")
        lines += ["[[operations]]", f"include-name = {toml_string(name)}",
                  "[operations.checks.positive_data_acceptance]",
                  f"expected-statuses = [{', '.join(map(toml_string, statuses))}]", ""]
    return lines


# Which record each path parameter names: (path regex, parameter, kind of record).
BINDINGS = [
    (r"^/api/v1/jobs/\{id\}", "id", "job"),
    (r"^/api/v1/employers/\{id\}", "id", "employer"),
    (r"^/api/v1/employers/\{id\}/invitations/", "invitation_id", "invitation"),
    (r"^/api/v1/employers/\{id\}/members/", "user_id", "member"),
    (r"^/api/v1/candidates/\{id\}", "id", "candidate"),
    (r"^/api/v1/candidates/\{id\}/credentials/", "credential_id", "credential"),
    (r"^/api/v1/candidates/\{id\}/work-authorizations/", "authorization_id", "authorization"),
    (r"^/api/v1/candidates/me/credentials/", "id", "credential"),
    (r"^/api/v1/candidates/me/work-authorizations/", "id", "authorization"),
    (r"^/api/v1/candidates/me/consents/", "id", "consent"),
    (r"^/api/v1/applications/\{id\}", "id", "application"),
    (r"^/api/v1/cases/\{id\}", "id", "case"),
    (r"^/api/v1/cases/\{id\}/tasks/", "task_id", "task"),
    (r"^/api/v1/case-templates/", "direction", "direction"),
    (r"^/api/v1/equivalences/\{id\}", "id", "equivalence"),
    (r"^/api/v1/qualifications/\{id\}", "id", "qualification"),
    (r"^/api/v1/saved-searches/", "id", "saved_search"),
]


# Fields of bodies and queries that name a record: offered real values for most generated cases,
# so that writes get past "names no jurisdiction" to the rest of their validation and storage.
FIELDS = {
    "jurisdiction": ["body.jurisdiction", "body.to_jurisdiction", "body.residence_jurisdiction",
                     "body.desired_jurisdictions[*]", "body.filters.jurisdiction", "query.jurisdiction",
                     "query.to_jurisdiction"],
    "location": ["body.location_id", "body.filters.location_id", "query.location_id"],
    "skill": ["body.skills[*].skill_id", "body.filters.skill_id", "query.skill_id"],
    "qualification": ["body.qualification_id", "body.from_qualification_id", "body.to_qualification_id",
                      "body.qualification.qualification_id", "query.qualification_id"],
    "basis": ["body.basis"],
    "employer": ["body.employer_id"],
    "candidate": ["body.candidate_id"],
    "direction": ["body.direction"],
}


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def config(token: str | None, world: World) -> str:
    """A schemathesis.toml: the role's bearer token and the real ids, each offered for half of
    the generated values of its parameter (the other half stay random, to reach the 404s)."""
    # No signing up on its own: each run stays the role it was given (anonymous included).
    lines = ["[auth]", "auto-signup = false", "", *POSITIVE_DATA, ""]
    if token:
        lines += ["[auth.openapi.bearer]", f"bearer = {toml_string(token)}", ""]
    for kind, values in world.values.items():
        lines += [f"[dictionaries.{kind}]", f"values = [{', '.join(map(toml_string, values))}]", ""]
    lines.append("[parameters]")
    for kind, keys in FIELDS.items():
        if world.values.get(kind):
            lines += [f'"{key}" = {{ dictionary = "{kind}", probability = 0.8 }}' for key in keys]
    lines.append("")
    lines += unstatable_blocks()
    for regex, parameter, kind in BINDINGS:
        if world.values.get(kind):
            lines += ["[[operations]]", f"include-path-regex = {toml_string(regex)}",
                      f'parameters = {{ "path.{parameter}" = {{ dictionary = "{kind}", probability = 0.5 }} }}',
                      ""]
    return "\n".join(lines)


@dataclass
class Result:
    role: str
    backend: str
    operations: int = 0
    cases: int = 0
    failures: int = 0
    errors: int = 0
    seconds: float = 0.0
    crashed: bool = False
    distinct: set[str] = field(default_factory=set)
    operations_seen: set[str] = field(default_factory=set)

    def add(self, part: Result) -> None:
        self.operations_seen |= part.operations_seen
        self.operations = len(self.operations_seen)
        self.cases += part.cases
        self.failures += part.failures
        self.errors += part.errors
        self.distinct |= part.distinct

    @property
    def ok(self) -> bool:
        return self.failures == 0 and self.errors == 0 and not self.crashed and self.cases > 0


def fuzz(args: argparse.Namespace, service: Service, world: World, role: str) -> Result:
    """Two passes: every operation but the ones that end the caller's account, then those, so
    that erasing the candidate does not leave the rest of the run only 401s to test."""
    out = args.report_dir / f"{service.backend}-{role}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    token = login(service.url, ROLES[role]) if ROLES[role] else None
    (out / "schemathesis.toml").write_text(config(token, world))
    started = time.monotonic()
    result = Result(role, service.backend)
    for name, selection in [("rest", "--exclude-operation-id"), ("last", "--include-operation-id")]:
        filters = [option for operation in LAST for option in (selection, operation)]
        code = schemathesis(args, service, out, name, filters)
        part = summarise(out / f"{name}.ndjson", role, service.backend)
        result.add(part)
        if code != 0 or not part.ok:
            print(f"--- {role} on {service.backend} ({name}): schemathesis exited {code}; reports in {out}")
            for line in sorted(part.distinct):
                print(f"  {line}")
            print(failures_section(out / f"{name}.txt"))
            if code != 0 and part.ok:
                result.errors += 1
    result.seconds = time.monotonic() - started
    result.crashed = not service.alive()
    if result.crashed:
        status = service.process.returncode
        how = f"signal {-status}" if status < 0 else f"exit status {status}"
        print(f"--- the service died ({how}); its log ({service.log}):\n{service.log_tail()}")
    print(f"{role} on {service.backend}: {result.cases} test cases, {result.failures} failures "
          f"in {result.seconds:.0f} s", flush=True)
    return result


def schemathesis(args: argparse.Namespace, service: Service, out: Path, name: str, filters: list[str]) -> int:
    """One schemathesis run; its output goes to `<name>.txt`, its events to `<name>.ndjson`."""
    command = [
        args.schemathesis, "--config-file", str(out / "schemathesis.toml"), "--no-color",
        "run", f"{service.url}/api/v1/openapi.json", *filters,
        "--checks", CHECKS, "--phases", PHASES,
        "--max-examples", str(args.examples), "--seed", str(args.seed),
        "--generation-database", "none", "--workers", "1",
        "--report", "ndjson", "--report-ndjson-path", str(out / f"{name}.ndjson"),
    ]
    if args.max_time:
        command += ["--max-time", str(args.max_time)]
    with open(out / f"{name}.txt", "w") as output:
        try:
            return subprocess.run(command, cwd=out, stdout=output, stderr=subprocess.STDOUT,
                                  timeout=RUN_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            output.write(f"\nschemathesis did not finish in {RUN_TIMEOUT} s\n")
            return -1


def failures_section(output: Path, most: int = 300) -> str:
    """schemathesis' own account of the failures and errors (each with a curl to reproduce it)."""
    lines = output.read_text(errors="replace").splitlines()
    start = next((i for i, line in enumerate(lines) if " ERRORS " in line or " FAILURES " in line), 0)
    return "\n".join(lines[start:start + most])


def summarise(events: Path, role: str, backend: str) -> Result:
    """Counts from schemathesis' event stream: operations tested, test cases sent, failing test
    cases (each with its operation and the check it failed, printed once)."""
    result = Result(role, backend)
    operations: set[str] = set()
    if not events.exists():
        result.errors = 1
        return result
    for line in events.read_text().splitlines():
        name, body = next(iter(json.loads(line).items()))
        if name == "NonFatalError":
            result.errors += 1
        if name != "ScenarioFinished":
            continue
        recorder = body.get("recorder") or {}
        cases = recorder.get("cases") or {}
        label = recorder.get("label", "")
        if cases and label.split(" ")[0].isupper() and " /" in label:  # not "Stateful tests"
            operations.add(label)
        result.cases += len(cases)
        for checks in (recorder.get("checks") or {}).values():
            failed = [c for c in checks if c.get("status") == "failure"]
            result.failures += bool(failed)
            for check in failed:
                failure = (check.get("failure_info") or {}).get("failure") or {}
                message = (failure.get("message") or "").splitlines()[:1]
                result.distinct.add(f"{recorder.get('label')}: {check['name']}: "
                                    f"{failure.get('title', '')} {' '.join(message)}".rstrip())
    result.operations_seen = operations
    result.operations = len(operations)
    return result


def print_table(results: list[Result]) -> None:
    header = ("role", "backend", "operations", "test cases", "failures", "seconds")
    rows = [(r.role, r.backend, str(r.operations), str(r.cases),
             str(r.failures + r.errors) + (" (service died)" if r.crashed else ""), f"{r.seconds:.0f}")
            for r in results]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    total_cases = sum(r.cases for r in results)
    total_failures = sum(r.failures + r.errors for r in results)
    print(f"\n{total_cases} test cases, {total_failures} failures")


if __name__ == "__main__":
    sys.exit(main())
