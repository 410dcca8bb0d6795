"""The scholarship page in a real browser against a real `lindung serve`: from the approved
death claim, a regency admin gives two children a place, is refused a third in Indonesian,
records a school year and files its claim — at 1280 px; the same page does not scroll sideways
on a 360 px phone, and the claim register's drop-downs show "Semua" whole at both widths."""

from __future__ import annotations

import pytest

from lindung.claims.tests.acceptance import PASSWORD
from lindung.site.testing import Server, chromium, lindung_shell
from lindung.site.tests.test_phone_browser import OVERFLOW, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    env = installation.copy(tmp_path_factory.mktemp("scholarship-site"))
    answer = lindung_shell(
        env,
        "from lindung.claims.tests.acceptance import scholarship_setup; print(scholarship_setup())",
    )
    assert answer.isdecimal(), answer
    server = Server(env, "--no-worker")
    yield server.base, int(answer)
    server.stop()


def _login(browser, base: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.goto(base + "/akun/masuk/")
    page.fill("input[name=username]", "dpmd")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    return context, page


SELECT_WIDTHS = (
    "() => [...document.querySelectorAll('form.filters select')]"
    ".map(e => e.getBoundingClientRect().width)"
)


def test_scholarship_places_and_a_school_year_claim_in_a_real_browser(site):
    base, participant = site
    with chromium() as browser:
        context, page = _login(browser, base, {"width": 1280, "height": 900})
        page.goto(base + "/klaim/")
        assert min(page.evaluate(SELECT_WIDTHS)) >= 120  # "Semua" whole, not "Sem"
        page.click("main table a[href^='/klaim/']")
        page.click("#scholarship-link a")
        page.wait_for_url(f"**/klaim/beasiswa/{participant}/")
        for name in ("Dimas Saputra", "Rina Lestari"):
            page.select_option("#place-form select[name=child]", label=name)
            page.click("#place-form button[type=submit]")
            assert "mendapat tempat beasiswa" in page.inner_text("main .flash")
        page.select_option("#place-form select[name=child]", label="Bayu Pratama")
        page.click("#place-form button[type=submit]")
        refused = page.inner_text("#scholarship-error")
        assert "Paling banyak 2 anak" in refused
        first = page.locator("section.place").first
        year = first.locator("input[name=school_year]").input_value()
        first.locator("select[name=level]").select_option("smp")
        first.locator("input[name=grade]").fill("8")
        first.locator("form.year-form button[type=submit]").click()
        assert "dicatat" in page.inner_text("main .flash")
        page.click(f"section.place >> nth=0 >> button[data-claim-year='{year}']")
        page.wait_for_url("**/klaim/*/")
        assert "Beasiswa" in page.inner_text("h1")
        assert "diajukan" in page.inner_text("main .flash")
        context.close()

        context, page = _login(browser, base, PHONE)
        page.goto(f"{base}/klaim/beasiswa/{participant}/")
        assert "Dimas Saputra" in page.inner_text("#places")
        answer = page.evaluate(OVERFLOW)
        assert answer["scroll"] <= PHONE["width"], answer["wide"]
        page.goto(base + "/klaim/")
        assert min(page.evaluate(SELECT_WIDTHS)) >= 120
        answer = page.evaluate(OVERFLOW)
        assert answer["scroll"] <= PHONE["width"], answer["wide"]
        context.close()
