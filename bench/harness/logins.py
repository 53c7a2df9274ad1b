"""Logins (argon2id) at full tilt, and job search at 16 connections while they run."""

from __future__ import annotations

import json
import threading
import time

from .common import DEMO_DOMAIN, DEMO_PASSWORD, log
from .load import base_url, oha, oha_checked, search_urls


def login_args(bench):
    body = json.dumps({"email": f"candidate.hk@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})
    return ["-m", "POST", "-T", "application/json", "-d", body, base_url(bench) + "/api/v1/auth/login"]


def login(bench):
    bench.phase("login at full tilt")
    c = bench.args.login_concurrency
    log(f"oha: login at {c} connections for {bench.seconds:.0f} s")
    result = oha_checked(bench, "login", *login_args(bench), concurrency=c, seconds=bench.seconds)
    result["concurrency"] = c
    return result


def storm(bench):
    bench.phase("search at 16 during a login storm")
    c = bench.args.login_concurrency
    log(f"oha: search at 16 while logins run at {c} connections")
    urls = search_urls(bench)
    box = {}

    def logins():
        # longer than the searches, so the whole measured search runs inside the storm
        box["login"] = oha(bench, *login_args(bench), concurrency=c, seconds=bench.seconds + 4)

    thread = threading.Thread(target=logins)
    thread.start()
    time.sleep(2)
    search = oha(bench, "--urls-from-file", str(urls), concurrency=16, seconds=bench.seconds)
    thread.join()
    return {"search": search, "login": box.get("login", {}), "login_concurrency": c}
