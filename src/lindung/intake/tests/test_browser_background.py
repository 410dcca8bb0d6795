"""Long work finishes on the page: a village list too big to check inside the request (a
2.4 MB, 32,000-row CSV) goes to the background worker of a real `lindung serve`; the page shows
progress to the end and then the counts and the "Simpan" button without a reload, and saving
(also in the background at this size) ends on the saved result the same way.

Runs when Chromium is installed, like the other browser tests.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.site.testing import Server, chromium, user_create

pytestmark = pytest.mark.browser

ROWS = 32_000
FIRST = ["Siti", "Ahmad", "Dewi", "Budi", "Rina", "Joko", "Sri", "Agus", "Nur", "Hendra"]
MIDDLE = ["Aminah", "Saputra", "Lestari", "Santoso", "Wati", "Hidayat", "Rahma", "Setiawan"]
LAST = [f"{a}{b}" for a in "BDGHKMPRSTW" for b in ("ani", "ono", "iyah", "udin", "ara")]


def _big_csv(path) -> int:
    """ROWS distinct people of PALI, about 2.4 MB: over LINDUNG_INLINE_CHECK_BYTES (2 MB)."""
    lines = ["NIK;Nama Lengkap;Pekerjaan;Alamat;No HP"]
    start = dt.date(1966, 1, 1)
    for i in range(ROWS):
        birth = start + dt.timedelta(days=i % 9000)
        nik = make_nik("161201", birth, "P" if i % 2 else "L", i // 9000 + 1)
        name = f"{FIRST[i % 10]} {MIDDLE[(i // 10) % 8]} {LAST[(i // 80) % len(LAST)]}"
        address = f"Dusun {i % 7 + 1} RT {i % 12 + 1:03d} RW {i % 5 + 1:02d}"
        lines.append(f"{nik};{name};Petani;{address};08{i:010d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path.stat().st_size


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    """A real server with its background worker, on its own SQLite file."""
    env = installation.copy(tmp_path_factory.mktemp("background-site"))
    user_create(env, "operator", "lindung-demo-2025", "village_operator", [PALI_VILLAGE])
    server = Server(env)
    yield server.base
    server.stop()


@pytest.fixture
def page(site):
    with chromium() as browser:
        yield browser.new_context(locale="id-ID").new_page()


def test_big_upload_shows_progress_then_its_result_and_saves_without_a_reload(site, page, tmp_path):
    big = tmp_path / "desa-besar.csv"
    size = _big_csv(big)
    assert size > 2 * 1024 * 1024
    page.goto(site + "/akun/masuk/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "lindung-demo-2025")
    page.click("main button[type=submit]")
    page.goto(site + "/unggah/")
    page.set_input_files("input[type=file]", str(big))
    started = time.monotonic()
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/unggah/*-*/")
    # Handed to the worker: the page waits with a progress box, not with a result.
    page.wait_for_selector("#progress-box progress")

    # No reload by the test: the page itself must end on the counts and the save button.
    save = page.locator("form[action$='/simpan/'] button")
    save.wait_for(timeout=300_000)
    checked = time.monotonic() - started
    counts = page.locator(".counts strong").all_inner_texts()
    assert counts[0].replace(".", "") == str(ROWS), counts
    assert page.locator("#progress-box").count() == 0
    print(f"\n{ROWS} rows, {size / 1e6:.1f} MB: checked and shown in {checked:.0f} s")

    started = time.monotonic()
    save.click()
    # More rows than a request saves: the worker saves them while the page shows progress.
    page.wait_for_selector("#progress-box progress")
    page.wait_for_selector("text=Sudah disimpan", timeout=300_000)
    print(f"saved and shown in {time.monotonic() - started:.0f} s")
    assert page.locator("#progress-box").count() == 0
    assert page.locator(".counts strong").first.inner_text().replace(".", "") == str(ROWS)
