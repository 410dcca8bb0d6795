"""Each role's home page starts with its to-do, in a real browser at 360 px and at 1280 px,
against one `lindung serve` of the demo (issue 11 §2). Runs where Chromium is installed."""

from __future__ import annotations

import pytest

from lindung.site.testing import Server, chromium

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return document.documentElement.scrollWidth <= width + 1;
}"""


@pytest.fixture(scope="module")
def site(demo_installation, tmp_path_factory):
    env = demo_installation.copy(tmp_path_factory.mktemp("todo-site"))
    server = Server(env)
    yield server.base, demo_installation.logins
    server.stop()


def _login(page, base, username, password):
    page.goto(base + "/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


# What each demo login finds first on its home page (Indonesian, the default language).
EXPECTED = {
    "operator": "Daftar",  # its village's draft list, to submit
    "dpmd-pali": "desa belum mengirim data",  # PALI's villages not yet sent
    "dpmd-muaraenim": "daftar menunggu persetujuan Anda",
    "bpjs-muaraenim": "daftar untuk diverifikasi",
    "pemprov-sumsel": "Cakupan",
    "kanwil-sumsel": "Cakupan",
    "auditor": "Cakupan",
    "admin": "Cakupan",
}


def test_every_role_home_page_starts_with_its_todo_on_phone_and_desktop(site):
    base, logins = site
    seen_roles = set()
    with chromium() as browser:
        for viewport in (PHONE, DESK):
            for username, role, password in logins:
                context = browser.new_context(viewport=viewport, locale="id-ID")
                page = context.new_page()
                _login(page, base, username, password)
                todo = page.locator("section.todo")
                assert todo.is_visible(), (username, viewport)
                # The to-do comes before the region counts.
                first_h2 = page.locator("main h2").first.inner_text()
                assert first_h2 == "Yang perlu dikerjakan", (username, first_h2)
                text = todo.inner_text()
                items = page.locator("section.todo li").count()
                assert items or "Tidak ada yang perlu dikerjakan" in text, (username, text)
                if username in EXPECTED:
                    assert EXPECTED[username] in text, (username, text)
                assert page.evaluate(OVERFLOW), (username, viewport)
                # The demo says so on every page (`lindung demo` marked its home).
                assert "sintetis" in page.locator("footer").inner_text()
                # Every to-do link opens a page for that user.
                if items:
                    href = page.locator("section.todo li a").first.get_attribute("href")
                    assert page.goto(base + href).status == 200, (username, href)
                seen_roles.add(role)
                context.close()
    assert len(seen_roles) == 7, seen_roles
