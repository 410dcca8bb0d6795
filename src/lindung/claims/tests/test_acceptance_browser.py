"""Issue 10's acceptance in a real browser against a real `lindung serve`: a regency admin
files a JKM claim, uploads its documents, records the heirs' statement and marks the documents
complete; a BPJS officer verifies (Rp42.000.000 computed), a second officer approves and
records the payments to each heir, and the claim shows "Dibayar" — only by clicking through
the pages. The same pages must not scroll sideways on a 360 px phone."""

from __future__ import annotations

import pytest

from lindung.claims.choices import CHECKLIST
from lindung.claims.tests.acceptance import DEATH, KPJ, PASSWORD
from lindung.claims.tests.conftest import PDF
from lindung.site.testing import Server, chromium, lindung_shell
from lindung.site.tests.test_phone_browser import OVERFLOW, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    env = installation.copy(tmp_path_factory.mktemp("claims-site"))
    answer = lindung_shell(
        env, "from lindung.claims.tests.acceptance import claim_setup; print(claim_setup())"
    )
    assert answer == KPJ
    server = Server(env, "--no-worker")
    yield server.base
    server.stop()


def test_jkm_claim_filed_verified_approved_and_paid_in_a_real_browser(site, tmp_path):
    base = site
    scan = tmp_path / "dokumen.pdf"
    scan.write_bytes(PDF)
    visited = []
    with chromium() as browser:

        def login(username: str):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
            page = context.new_page()
            page.goto(base + "/akun/masuk/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(base + "/")
            return context, page

        def done(page) -> str:
            flash = page.wait_for_selector("main .flash")
            assert "success" in (flash.get_attribute("class") or ""), flash.inner_text()
            return flash.inner_text()

        # The regency admin files the claim from the participant, found by KPJ.
        admin_ctx, page = login("dpmd")
        page.click("header .menu-wide a[href='/klaim/']")
        visited.append(page.url)
        page.click("main a[href='/klaim/baru/']")
        page.fill("input[name=q]", KPJ)
        page.click("main form button[type=submit]")
        visited.append(page.url)
        page.click("main table a[href*='participant=']")
        page.select_option("select[name=claim_type]", "jkm")
        page.fill("input[name=event_date]", DEATH)
        page.fill("input[name=place]", "Talang Ubi")
        page.click("#claim-form button[type=submit]")
        page.wait_for_url("**/klaim/*/")
        assert "diajukan" in done(page)
        claim_url = page.url
        visited.append(claim_url)

        # Every document of the JKM checklist, then the heirs' statement (50 % each).
        for kind in CHECKLIST["jkm"]:
            page.select_option("#upload-form select[name=kind]", kind)
            page.set_input_files("#upload-form input[type=file]", str(scan))
            page.click("#upload-form button[type=submit]")
            done(page)
        assert "✗" not in page.inner_text("#documents")
        for i, box in enumerate(page.query_selector_all("#heirs-form input[name=heir]")):
            box.check()
            heir = box.get_attribute("value")
            page.fill(f"input[name=share_{heir}]", "50")
            page.fill(f"input[name=bank_{heir}]", "BRI")
            page.fill(f"input[name=account_{heir}]", f"00120123456750{i + 1}")
        page.click("#heirs-form button[type=submit]")
        done(page)
        page.click("button[data-to=documents_complete]")
        assert "lengkap" in done(page)
        assert "Dokumen lengkap" in page.inner_text("#claim-state")
        assert page.query_selector("button[data-to=verified]") is None  # not the admin's step

        # A BPJS officer verifies: the benefit is computed, never typed.
        bpjs1_ctx, page = login("bpjs1")
        page.goto(claim_url)
        page.click("button[data-to=verified]")
        done(page)
        assert page.inner_text("#payable") == "Rp42.000.000"
        assert page.query_selector("button[data-to=approved]") is None  # not the verifier's
        assert page.query_selector("#own-verification") is not None

        # A second officer approves and records the payment to each heir.
        bpjs2_ctx, page = login("bpjs2")
        page.goto(claim_url)
        page.click("button[data-to=approved]")
        done(page)
        heirs = page.query_selector_all("#payment-form select[name=claim_heir] option")
        values = [h.get_attribute("value") for h in heirs]
        assert len(values) == 2
        for i, value in enumerate(values):
            page.select_option("#payment-form select[name=claim_heir]", value)
            page.fill("#payment-form input[name=amount]", "21.000.000")
            page.fill("#payment-form input[name=paid_on]", "2025-11-25")
            page.fill("#payment-form input[name=reference]", f"TRF-AW-{i + 1}")
            page.click("#payment-form button[type=submit]")
            done(page)
        assert "Dibayar" in page.inner_text("#claim-state")
        assert page.inner_text("#paid-total") == "Rp42.000.000"
        history = page.inner_text("#history")
        for who in ("dpmd", "bpjs1", "bpjs2"):
            assert who in history

        # The same pages on a phone: nothing scrolls sideways.
        phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
        phone.add_cookies(bpjs2_ctx.cookies())
        small = phone.new_page()
        too_wide = []
        for url in [*visited, base + "/klaim/baru/"]:
            small.goto(url)
            seen = small.evaluate(OVERFLOW)
            if seen["scroll"] > PHONE["width"]:
                too_wide.append((url, seen))
        assert not too_wide, too_wide
        for context in (admin_ctx, bpjs1_ctx, bpjs2_ctx, phone):
            context.close()
