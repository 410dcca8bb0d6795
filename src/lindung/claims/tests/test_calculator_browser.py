"""The calculator page in a real browser on a 360 px phone against a real `lindung serve`: a
BPJS officer fills in the what-if form, reads the total, the components with their citations
and the total in words, and nothing scrolls sideways. Runs when Chromium is installed."""

from __future__ import annotations

import pytest

from lindung.site.testing import Server, chromium, user_create
from lindung.site.tests.test_phone_browser import OVERFLOW, PHONE

pytestmark = pytest.mark.browser
PASSWORD = "kalkulator-uji-123!"


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    env = installation.copy(tmp_path_factory.mktemp("calculator-site"))
    user_create(env, "bpjs-kalkulator", PASSWORD, "bpjs_officer", ["1612"])
    server = Server(env, "--no-worker")
    yield server.base
    server.stop()


def test_the_calculator_on_a_phone(site):
    base = site
    with chromium() as browser:
        page = browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID").new_page()
        page.goto(base + "/akun/masuk/")
        page.fill("input[name=username]", "bpjs-kalkulator")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(base + "/")
        page.goto(base + "/klaim/kalkulator/")
        assert page.evaluate(OVERFLOW)["scroll"] <= PHONE["width"]
        page.select_option("select[name=type]", "jkk-death")
        page.fill("input[name=event_date]", "2025-10-16")
        page.fill("input[name=coverage_start]", "2025-07-01")
        page.fill("input[name=paid_through]", "2025-09")
        page.fill("input[name=claim_date]", "2025-10-20")
        page.click("#calculator button[type=submit]")
        page.wait_for_selector("#benefit-total")
        # 48 × Rp1,000,000 + Rp10,000,000 + Rp12,000,000, less October's Rp16,800 unpaid.
        assert page.inner_text("#benefit-total") == "Rp69.983.200"
        body = page.inner_text("main")
        assert "Enam puluh sembilan juta" in body and "PP 82/2019" in body
        assert "Tunggakan iuran 10-2025 dipotong" in body
        seen = page.evaluate(OVERFLOW)
        assert seen["scroll"] <= PHONE["width"], seen
        page.goto(
            base + "/klaim/kalkulator/?type=scholarship&event_date=2025-10-10"
            "&coverage_start=2020-01-01&paid_through=2025-12&wage=1000000&children=3"
            "&levels=sd,smp,pt&years=5,1,1"
        )
        assert page.inner_text("#benefit-total") == "Rp6.500.000"
        seen = page.evaluate(OVERFLOW)
        assert seen["scroll"] <= PHONE["width"], seen
