"""The Content-Security-Policy in a real browser: pages, htmx and the upload script work and the
browser reports no violation. Runs when Chromium is installed (like the intake browser test)."""

from __future__ import annotations

import pytest

from lindung.conftest import PALI_VILLAGE
from lindung.site.testing import Server, chromium, user_create

pytestmark = pytest.mark.browser

VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile);
});
"""


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    env = installation.copy(tmp_path_factory.mktemp("csp-site"))
    user_create(env, "operator", "lindung-demo-2025", "village_operator", [PALI_VILLAGE])
    server = Server(env, "--no-worker")
    yield server.base
    server.stop()


@pytest.fixture
def page(site):
    with chromium() as browser:
        context = browser.new_context()
        context.add_init_script(VIOLATIONS)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        yield page


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
