"""The public check in a real browser against a real `lindung serve`, on a 360 px phone with
scripts off: the form, a confirmed answer, the one refusal and the code form all fit the screen
and need no script. Runs when Chromium is installed, like the other browser tests."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.site.testing import Server, chromium, lindung_shell
from lindung.site.tests.test_phone_browser import OVERFLOW, PHONE

pytestmark = pytest.mark.browser

NIK = make_nik(PALI_VILLAGE[:6], dt.date(1985, 3, 5), "P", 7)
KK = "1612010101250001"


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    env = installation.copy(tmp_path_factory.mktemp("public-site"))
    lindung_shell(
        env,
        "from lindung.accounts.services import user_create;"
        "from lindung.registry.services import worker_create;"
        "from lindung.registry.validation import WorkerInput;"
        "u = user_create(username='public-root', password='x-Pass-12345!', role='superadmin');"
        f"w = worker_create(actor=u, data=WorkerInput(nik={NIK!r}, name='Siti Rahmawati',"
        f" village_code={PALI_VILLAGE!r}, occupation_code='petani', kk_number={KK!r},"
        " phone='081234567890'), heirs=[]); print(w.pk)",
    )
    server = Server(env, "--no-worker")
    yield server.base
    server.stop()


def _fits(page) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= PHONE["width"], (page.url, found)


def test_public_check_on_a_phone_without_scripts(site):
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="id-ID")
        page = context.new_page()
        page.goto(f"{site}/cek/")
        assert "Cek perlindungan" in page.content()
        _fits(page)
        page.fill("#nik", NIK)
        page.fill("#kk", KK)
        page.click("form[action='/cek/'] button[type=submit]")
        body = page.content()
        assert "S*** R***" in body and "Siti" not in body and NIK not in body
        _fits(page)
        page.goto(f"{site}/cek/")
        page.fill("#nik", NIK)
        page.fill("#kk", "1612010101259999")
        page.click("form[action='/cek/'] button[type=submit]")
        assert "tidak dapat dikonfirmasi" in page.content()
        _fits(page)
        page.goto(f"{site}/cek/")
        page.fill("#nik2", NIK)
        page.click("form[action='/cek/kode/'] button[type=submit]")
        assert page.locator("#code").count() == 1
        _fits(page)
        # The English switch works without a script.
        page.goto(f"{site}/cek/")
        page.click("button[value=en]")
        assert "Check your protection" in page.content()
        context.close()
