"""Issue 9's acceptance in a real browser against a real `lindung serve`: a regency admin
plans the budget, enrols a ready list, downloads BPJS's registration file, uploads BPJS's
answer built from it, issues the first month's invoice, records its payment, and sees the
invoice paid and the person protected today — only by clicking through the pages. The same
pages must not scroll sideways on a 360 px phone. Runs when Chromium is installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import pytest

from lindung.billing.rates import rupiah
from lindung.billing.tests.acceptance import (
    MONTHS,
    PASSWORD,
    PER_WORKER_MONTH,
    PROGRAM,
    WORKERS,
    niks,
)
from lindung.site.testing import Server, chromium, lindung_shell
from lindung.site.tests.test_phone_browser import OVERFLOW, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    env = installation.copy(tmp_path_factory.mktemp("accept-site"))
    lindung_shell(
        env,
        "from lindung.billing.tests.acceptance import ready_list_setup; print(ready_list_setup())",
    )
    server = Server(env, "--no-worker")
    yield server.base
    server.stop()


def test_regency_admin_budget_to_paid_invoice_in_a_real_browser(site, tmp_path):
    base = site
    started = time.monotonic()
    visited = []
    with chromium() as browser:
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="id-ID"
        )
        page = context.new_page()

        def went(url_part: str) -> None:
            page.wait_for_url(f"**{url_part}**")
            visited.append(page.url)

        def done() -> str:
            """The page's answer to the last action: a success notice, else why not."""
            flash = page.wait_for_selector("main .flash, .flash")
            assert "success" in (flash.get_attribute("class") or ""), flash.inner_text()
            return flash.inner_text()

        page.goto(base + "/akun/masuk/")
        page.fill("input[name=username]", "dpmd")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(base + "/")

        # The program, from the menu's program list.
        page.click("header a[href='/verifikasi/program/']")
        page.click(f"main a[href='/verifikasi/program/{PROGRAM}/']")
        went(f"/verifikasi/program/{PROGRAM}/")
        program_page = page.url

        # Budget: prefilled from the program (3 workers × 3 months × Rp16,800).
        page.click(f"a[href='/anggaran/program/{PROGRAM}/']")
        went("/anggaran/program/")
        total = WORKERS * MONTHS * PER_WORKER_MONTH
        assert page.inner_text("#budget-total") == rupiah(total) == "Rp151.200"

        # Enrol the ready list.
        page.goto(program_page)
        page.click(f"a[href='/peserta/program/{PROGRAM}/']")
        went("/peserta/program/")
        page.click("main form.inline:has(input[name=action][value=enrol]) button")
        done()
        assert "Didaftarkan, menunggu KPJ: <strong>3</strong>" in page.content()

        # BPJS's registration file (CSV): one row per person with the program's figures.
        with page.expect_download() as download:
            page.click(f"a[href='/peserta/program/{PROGRAM}/berkas-bpjs/?format=csv']")
        registration = tmp_path / "pendaftaran.csv"
        download.value.save_as(registration)
        text = registration.read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text), dialect=csv.Sniffer().sniff(text[:2000])))
        assert sorted(r["NIK"] for r in rows) == sorted(niks())
        assert {r["Upah Dilaporkan"].replace(".", "") for r in rows} == {"1000000"}
        assert {r["Sumber Dana"] for r in rows} == {"APBD PALI"}
        assert all(not r["KPJ"] for r in rows)

        # BPJS's answer built from it: KPJ numbers, columns in another order.
        kpjs = {r["NIK"]: f"9{i:010d}" for i, r in enumerate(rows, 1)}
        answer = tmp_path / "jawaban-bpjs.csv"
        answer.write_text(
            "No KPJ;NIK\n" + "".join(f"{k};{n}\n" for n, k in kpjs.items()), encoding="utf-8"
        )
        page.set_input_files("input[type=file][name=file]", str(answer))
        page.click("main form:has(input[name=action][value=import]) button")
        done()
        assert "Aktif: <strong>3</strong>" in page.content()

        # The first month's invoice, from the program page's link.
        page.goto(program_page)
        page.click(f"a[href='/anggaran/tagihan/program/{PROGRAM}/']")
        went("/anggaran/tagihan/program/")
        page.click(
            "main form:has(input[name=month]) button"
        )  # month prefilled: the program's first
        page.wait_for_url("**/anggaran/tagihan/*/")
        first_month = WORKERS * PER_WORKER_MONTH
        assert page.inner_text("#invoice-total") == rupiah(first_month) == "Rp50.400"
        invoice_page = page.url
        visited.append(invoice_page)

        # The payment, in full, today.
        page.fill("input[name=reference]", "TRF-APBD-0001")
        page.fill("input[name=amount]", "50.400")
        page.fill("input[name=paid_on]", dt.date.today().isoformat())
        page.click("main form:has(input[name=reference]) button")
        done()
        body = page.inner_text("main")
        assert "3 peserta · terbayar Rp50.400" in body, body  # paid in full
        assert "TRF-APBD-0001" in body

        # The person, protected today.
        page.goto(program_page)
        page.click(f"a[href='/peserta/program/{PROGRAM}/']")
        page.click("main table a[href^='/peserta/']")
        went("/peserta/")
        protection = page.inner_text("#protection-today")
        assert "Perlindungan hari ini: terlindungi" in protection, protection

        # The same pages on a phone: nothing scrolls sideways.
        phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
        phone.add_cookies(context.cookies())
        small = phone.new_page()
        too_wide = []
        for url in visited:
            small.goto(url)
            seen = small.evaluate(OVERFLOW)
            if seen["scroll"] > PHONE["width"]:
                too_wide.append((url, seen))
        assert not too_wide, too_wide
    assert time.monotonic() - started < 40
