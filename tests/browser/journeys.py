#!/usr/bin/env python3
"""The three journeys of the web front, in headless Chromium (Debian's, driven by Playwright).

Starts the service with the demo market (SQLite, a fresh data directory, a free port), then:
1. a job seeker, browsing in Traditional Chinese, searches in Traditional characters, finds a
   posting written in Simplified, signs in and applies;
2. the employer sees that applicant only while the seeker consents to share across the
   boundary (seen, withdrawn: hidden, given again: seen);
3. an agency officer opens a case and sets a milestone.
Screenshots of the main pages go to --screenshots (docs/screenshots in the repository).

    python3 tests/browser/journeys.py --binary target/debug/talentbridge [--screenshots docs/screenshots]
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

PASSWORD = "demo-password-2026"
CANDIDATE = "candidate.hk@demo.talentbridge.example"
EMPLOYER = "employer.cn@demo.talentbridge.example"
OFFICER = "officer@demo.talentbridge.example"
# A Shenzhen posting of the demo employer above, written in Simplified Chinese; the seeker types
# the Traditional form. The demo market is the same on every machine.
SIMPLIFIED_TITLE = "风险管理分析师"
TRADITIONAL_QUERY = "風險管理分析師"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_service(binary, workdir, port):
    env = dict(os.environ)
    env.update(
        {
            "TALENTBRIDGE__APPLICATION__PORT": str(port),
            "TALENTBRIDGE__APPLICATION__DATA_DIR": str(workdir / "data"),
            "TALENTBRIDGE__APPLICATION__BASE_URL": f"http://127.0.0.1:{port}",
            "RUST_LOG": "warn",
        }
    )
    env.pop("TALENTBRIDGE__DATABASE__URL", None)
    env.pop("DATABASE_URL", None)
    log = open(workdir / "service.log", "w")
    process = subprocess.Popen(
        [str(binary), "serve", "--demo"], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.time() + 300
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the service stopped:\n{(workdir / 'service.log').read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the service did not become ready in 5 minutes")


class Shots:
    def __init__(self, folder):
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def take(self, page, name, full_page=True):
        if self.folder:
            page.screenshot(path=str(self.folder / f"{name}.png"), full_page=full_page)


def sign_in(page, email):
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|登入|登录")).click()


def seeker_searches_in_traditional_and_applies(base, browser, shots):
    context = browser.new_context(locale="zh-HK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    page.fill("#q", TRADITIONAL_QUERY)
    page.get_by_role("button", name="搜尋", exact=True).click()
    hit = page.locator("ol.hits li").filter(has_text=SIMPLIFIED_TITLE).first
    expect(hit).to_be_visible()
    # The Traditional query is highlighted in the Simplified title.
    expect(hit.locator("h3 b").first).to_be_visible()
    shots.take(page, "search-zh-hant")
    hit.locator("h3 a").click()
    expect(page.locator("h1")).to_have_text(SIMPLIFIED_TITLE)
    job_url = page.url
    page.get_by_role("link", name="以求職者身份登入後申請").click()
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    shots.take(page, "sign-in")
    sign_in(page, CANDIDATE)
    expect(page).to_have_url(job_url)
    expect(page.get_by_role("heading", name="您的資歷在當地的認可")).to_be_visible()
    expect(page.get_by_role("heading", name="可讓您在當地工作的途徑")).to_be_visible()
    shots.take(page, "job-signed-in")
    # Across the boundary the consent comes first; the page asks for it when it is missing
    # (the demo seeker may have given it already) and comes back.
    consent = page.get_by_role("button", name="我同意向當地共享資料")
    if consent.count():
        consent.click()
        expect(page).to_have_url(job_url)
    page.fill("#cover_letter", "我在香港從事風險管理五年，希望到深圳發展。")
    page.get_by_role("button", name="申請", exact=True).click()
    expect(page).to_have_url(re.compile(r"/me\?applied="))
    expect(page.locator("#applications")).to_contain_text(SIMPLIFIED_TITLE)
    shots.take(page, "my-page")
    name = page.locator("#profile-heading + p strong").inner_text()
    return context, page, job_url, name


def employer_sees_the_applicant_only_after_consent(base, browser, seeker_page, job_url, name, shots):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/sign-in?next=/employer/jobs")
    sign_in(page, EMPLOYER)
    expect(page).to_have_url(re.compile(r"/employer/jobs$"))
    job_id = job_url.rstrip("/").split("/")[-1]
    applicants = f"{base}/employer/jobs/{job_id}/applicants"
    page.goto(applicants)
    expect(page.locator("main")).to_contain_text(name)
    shots.take(page, "applicants")

    # The seeker withdraws the consent: the employer no longer sees who applied.
    seeker_page.goto(base + "/me#consents")
    seeker_page.once("dialog", lambda dialog: dialog.accept())
    seeker_page.get_by_role("button", name="撤回").click()
    expect(seeker_page.locator("#consents table")).to_contain_text("撤回於")
    page.goto(applicants)
    expect(page.locator("main")).to_contain_text("Applicant not shown")
    expect(page.locator("main")).not_to_contain_text(name)
    shots.take(page, "applicants-without-consent")

    # Consent given again: seen again.
    seeker_page.select_option("#to_jurisdiction", "CN")
    seeker_page.get_by_role("button", name="同意共享").click()
    expect(seeker_page.locator("#consents table")).to_contain_text("有效")
    shots.take(seeker_page, "consents")
    page.goto(applicants)
    expect(page.locator("main")).to_contain_text(name)
    context.close()


def officer_sets_a_milestone(base, browser, shots):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/agency/cases")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    sign_in(page, OFFICER)
    expect(page).to_have_url(re.compile(r"/agency/cases$"))
    shots.take(page, "case-board")
    page.locator("main a[href^='/agency/cases/']").first.click()
    expect(page).to_have_url(re.compile(r"/agency/cases/[^/]+$"))
    page.fill("#milestone-visa_approved", "2027-01-15")
    page.locator("#milestone-visa_approved").locator("xpath=ancestor::form").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/agency/cases/[^/?#]+"))
    expect(page.locator("#milestone-visa_approved")).to_have_value("2027-01-15")
    shots.take(page, "case", full_page=False)
    for path, name in [("/agency/equivalences", "equivalences"), ("/agency/analytics", "analytics")]:
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
        shots.take(page, name, full_page=name != "equivalences")
    context.close()


def phone_width(base, browser, shots):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(base + "/jobs?q=%E8%BD%AF%E4%BB%B6")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the search page scrolls sideways at phone width ({width}px)"
    shots.take(page, "search-phone", full_page=False)
    context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    binary = Path(args.binary).resolve()
    shots = Shots(args.screenshots)
    with tempfile.TemporaryDirectory(prefix="tb-browser-") as tmp:
        workdir = Path(tmp)
        port = free_port()
        service = start_service(binary, workdir, port)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                # Inline script or style would be refused by the CSP and reported here.
                violations = []
                seeker, seeker_page, job_url, name = seeker_searches_in_traditional_and_applies(base, browser, shots)
                seeker_page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
                print("journey 1: a seeker searched in Traditional, found a Simplified posting, signed in and applied")
                employer_sees_the_applicant_only_after_consent(base, browser, seeker_page, job_url, name, shots)
                print("journey 2: the employer saw the applicant only after consent")
                seeker.close()
                officer_sets_a_milestone(base, browser, shots)
                print("journey 3: an officer opened a case and set a milestone")
                phone_width(base, browser, shots)
                print("phone width: the search page fits 390 px")
                browser.close()
                assert not violations, f"CSP violations: {violations}"
        except Exception:
            print((workdir / "service.log").read_text()[-4000:], file=sys.stderr)
            raise
        finally:
            service.terminate()
            service.wait(timeout=30)


if __name__ == "__main__":
    main()
