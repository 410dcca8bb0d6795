"""A village operator in a real browser (headless Chromium driven by Playwright) against a real
`lindung serve`: download the template, fill it, upload it, read the reasons, download the file
back, fix it, upload again, save — and end with exactly the right workers.

Runs when Chromium is installed (`dev.py test` selects these tests then; `.ci/run` installs it
and requires them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.site.testing import Server, chromium, user_create

pytestmark = pytest.mark.browser

GOOD = make_nik("161201", dt.date(1980, 5, 17), "P", 8)
FIXED = make_nik("161201", dt.date(1990, 1, 1), "L", 2)


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    """A real server on its own SQLite file, with one village operator of PALI."""
    env = installation.copy(tmp_path_factory.mktemp("site"))
    user_create(env, "operator", "lindung-demo-2025", "village_operator", [PALI_VILLAGE])
    server = Server(env, "--no-worker")
    yield server.base, env
    server.stop()


@pytest.fixture
def page(site):
    with chromium() as browser:
        context = browser.new_context(accept_downloads=True, locale="en-US")
        yield context.new_page()


def _rows(path: Path) -> list[list]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def _save(rows: list[list], path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in (None, ""):
                sheet.write_string(r, c, str(value))
    book.close()


def test_operator_uploads_fixes_and_saves_in_a_real_browser(site, page, tmp_path):
    base, _env = site
    page.goto(base + "/akun/masuk/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "lindung-demo-2025")
    page.click("main button[type=submit]")
    page.goto(base + "/unggah/")
    assert "Unggah daftar pekerja" in page.content()  # Indonesian although the browser is English

    with page.expect_download() as download:
        page.click("#template-link")
    template = tmp_path / "templat.xlsx"
    download.value.save_as(template)
    rows = _rows(template)
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "NIK")
    header = rows[header_at]

    def person(nik, name):
        row = [""] * len(header)
        row[header.index("NIK")], row[header.index("Nama Lengkap")] = nik, name
        row[header.index("Pekerjaan")] = "Petani"
        return row

    filled = tmp_path / "desa.xlsx"
    _save([*rows[: header_at + 1], person(GOOD, "Siti Aminah"), person(FIXED[:-1], "Andi")], filled)
    page.set_input_files("input[type=file]", str(filled))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/unggah/*-*/")
    assert "NIK harus 16 digit; yang tertulis 15 digit." in page.content()

    with page.expect_download() as download:
        page.click("text=Unduh berkas saya dengan status dan keterangan")
    annotated = tmp_path / "desa-hasil.xlsx"
    download.value.save_as(annotated)
    back = _rows(annotated)
    back[header_at + 2][header.index("NIK")] = FIXED  # the operator fixes the NIK in place
    fixed = tmp_path / "desa-perbaikan.xlsx"
    _save(back, fixed)

    page.goto(base + "/unggah/")
    page.set_input_files("input[type=file]", str(fixed))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/unggah/*-*/")
    page.click("text=Simpan 2 baris yang diterima ke registri")
    page.wait_for_selector(".flash.success")

    page.goto(base + "/pekerja/")
    body = page.content()
    assert "Siti Aminah" in body and "Andi" in body and "2 pekerja" in body
