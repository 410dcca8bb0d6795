"""The Content-Security-Policy in a real browser: pages, htmx and the upload script work and the
browser reports no violation. Runs when Chromium is installed (like the intake browser test)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from lindung.conftest import PALI_VILLAGE

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("LINDUNG_CHROMIUM", "/usr/bin/chromium")
VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile);
});
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lindung(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "lindung.cli", *args], env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    home = tmp_path_factory.mktemp("csp-site")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["LINDUNG_HOME"] = str(home)
    assert _lindung(env, "setup").returncode == 0
    created = _lindung(
        env,
        "shell",
        "-c",
        "from lindung.accounts.services import user_create;"
        f"user_create(username='operator', password='lindung-demo-2025', role='village_operator',"
        f" region_codes=['{PALI_VILLAGE}'])",
    )
    assert created.returncode == 0, created.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lindung.cli", "serve", f"127.0.0.1:{port}", "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/akun/masuk/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def page(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context()
        context.add_init_script(VIOLATIONS)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        yield page
        browser.close()


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp") + [
        e for e in page.console_errors if "Content Security Policy" in e
    ]


def test_pages_htmx_and_upload_script_work_under_the_policy_without_violations(site, page):
    page.goto(site + "/akun/masuk/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "lindung-demo-2025")
    page.click("main button[type=submit]")
    page.wait_for_url(site + "/")
    assert _violations(page) == []

    # htmx: typing in the search asks the server and pushes the query into the address bar.
    page.goto(site + "/pekerja/")
    page.fill("input[name=q]", "siti")
    page.wait_for_url("**/pekerja/?*q=siti*")
    assert _violations(page) == []

    # The upload script (a static file) gets the template URL from a data attribute.
    page.goto(site + "/unggah/")
    href = page.get_attribute("#template-link", "href")
    assert PALI_VILLAGE in href.replace(".", "")
    assert _violations(page) == []

    page.goto(site + "/api/docs")
    page.wait_for_selector("#swagger-ui .info")
    assert _violations(page) == []
