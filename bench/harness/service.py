"""The binaries and the running service: the tools a run needs (build, oha), starting and
stopping `talentbridge serve`, sampling its resident memory, and an HTTP client for it."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

from .common import BENCH, DEMO_PASSWORD, ROOT, log, run


def prepare_tools(bench):
    """Checks the tools, installs oha when missing, records their versions, builds the binaries.
    Returns oha's path."""
    for tool in ("psql", "pgbench", "cargo"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed and not on PATH")
    oha = shutil.which("oha") or str(BENCH / ".tools" / "bin" / "oha")
    if not Path(oha).exists():
        log("installing oha into bench/.tools (cargo install oha --locked)")
        run(["cargo", "install", "--locked", "--root", str(BENCH / ".tools"), "oha"], capture=False)
    bench.results["tools"] = {
        "oha": run([oha, "--version"]).stdout.strip(),
        "pgbench": run(["pgbench", "--version"]).stdout.strip(),
        "postgres": bench.pg.psql("SHOW server_version", db="postgres"),
    }
    if not bench.args.skip_build:
        log("building the release binary and examples/search_floor")
        env = dict(os.environ, CARGO_TARGET_DIR=str(bench.target))
        run(["cargo", "build", "--release", "--bin", "talentbridge", "--example", "search_floor"],
            env=env, capture=False)
    return oha


class RssSampler:
    """Samples VmRSS of a process every `every` seconds; the peak per named phase."""

    def __init__(self, pid, every=0.1):
        self.pid, self.every = pid, every
        self.phase, self.peaks, self.anon_peaks = None, {}, {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def status(self, key):
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def _loop(self):
        while not self.stop.is_set():
            rss, anon = self.status("VmRSS"), self.status("RssAnon")
            with self.lock:
                if self.phase and rss:
                    self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), rss)
                if self.phase and anon:
                    self.anon_peaks[self.phase] = max(self.anon_peaks.get(self.phase, 0), anon)
            time.sleep(self.every)

    def set_phase(self, phase):
        with self.lock:
            self.phase = phase

    def close(self):
        self.stop.set()
        self.thread.join(timeout=2)


class Service:
    """`talentbridge serve` on 127.0.0.1:port, with its memory sampled from start to stop."""

    def __init__(self, binary, data, env, work, port):
        self.binary, self.data, self.env, self.work, self.port = binary, data, env, work, port
        self.process = None
        self.sampler = None
        self.log_file = None

    def start(self):
        """Starts the service, waits until it is ready, and returns its memory at rest."""
        log(f"starting the service on 127.0.0.1:{self.port}")
        self.log_file = open(self.work / "service.log", "w")
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--bind", f"127.0.0.1:{self.port}", "--data-dir", str(self.data)],
            env=self.env, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT,
        )
        self._wait_ready(300)
        self.sampler = RssSampler(self.process.pid)
        time.sleep(2)
        return {
            "rest_bytes": self.sampler.status("VmRSS"),
            "rest_anon_bytes": self.sampler.status("RssAnon"),
            "phases": {},
        }

    def _wait_ready(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the service exited ({self.process.returncode}); see {self.work / 'service.log'}")
            try:
                status, _ = Client(self.port).request("GET", "/readyz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the service did not become ready in {seconds} s")

    def phase(self, name):
        """Names the phase the next RSS samples count for (None: none)."""
        if self.sampler:
            self.sampler.set_phase(name)

    def memory_after_load(self):
        """The peaks per phase, the high-water mark, and the memory 3 s after the last load."""
        peaks, anon = dict(self.sampler.peaks), dict(self.sampler.anon_peaks)
        out = {
            "phases": peaks,
            "anon_phases": anon,
            "peak_bytes": max(peaks.values(), default=None),
            "hwm_bytes": self.sampler.status("VmHWM"),
        }
        time.sleep(3)
        out["after_load_bytes"] = self.sampler.status("VmRSS")
        out["after_load_anon_bytes"] = self.sampler.status("RssAnon")
        return out

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.sampler:
            self.sampler.close()


class Client:
    """A keep-alive HTTP/1.1 client for the service."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, body=None, token=None):
        headers = {"accept": "application/json"}
        if body is not None:
            headers["content-type"] = "application/json"
            body = json.dumps(body)
        if token:
            headers["authorization"] = f"Bearer {token}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        payload = None
        if data:
            try:
                payload = json.loads(data)
            except ValueError:
                payload = data.decode(errors="replace")
        return response.status, payload

    def login(self, email):
        status, body = self.request("POST", "/api/v1/auth/login", {"email": email, "password": DEMO_PASSWORD})
        if status != 200:
            raise RuntimeError(f"login {email}: {status} {body}")
        return body["access_token"]


def search_path(params, limit=20):
    query = dict(params)
    query["limit"] = limit
    return "/api/v1/jobs/search?" + urllib.parse.urlencode(query)


def write_search_urls(path, base, params_list):
    """A file with one search URL a line, for each params of the list in its order: what oha's
    --urls-from-file reads (it draws a line at random for each request). Returns the path."""
    Path(path).write_text("".join(base + search_path(params) + "\n" for params in params_list))
    return path
