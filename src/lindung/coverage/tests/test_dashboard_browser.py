"""The coverage dashboard in a real browser against a real `lindung serve`: a regional head
of South Sumatra drills down from the province to a PALI village by following the links of
the regions below (chart labels and table), on a 360 px phone and on a 1280 px screen, and
nothing scrolls sideways. Runs when Chromium is installed, like the other browser tests."""

from __future__ import annotations

import pytest

from lindung.conftest import PALI_VILLAGE
from lindung.site.testing import Server, chromium, lindung_shell, user_create
from lindung.site.tests.test_phone_browser import OVERFLOW, PHONE

pytestmark = pytest.mark.browser
PASSWORD = "dasbor-uji-123!"
WIDE = {"width": 1280, "height": 900}
SETUP = """
import datetime as dt
from lindung.accounts.services import user_create
from lindung.conftest import make_nik
from lindung.coverage.refresh import refresh_all, today
from lindung.regions.models import WorkforceDenominator
from lindung.registry.services import worker_create
from lindung.registry.validation import WorkerInput
root = user_create(username="root-dasbor", password="x-Uji-12345!", role="superadmin")
for i in range(3):
    worker_create(actor=root, data=WorkerInput(
        nik=make_nik("VILLAGE"[:6], dt.date(1980, 1, 2 + i), "L", 200 + i), name=f"Pekerja {i}",
        village_code="VILLAGE", occupation_code="petani"), heirs=[])
WorkforceDenominator.objects.create(region_id="16", year=today().year, working_population=1000,
    source="BPS (uji)")
refresh_all(today())
print("ok")
""".replace("VILLAGE", PALI_VILLAGE)


@pytest.fixture(scope="module")
def site(installation, tmp_path_factory):
    env = installation.copy(tmp_path_factory.mktemp("dashboard-site"))
    assert lindung_shell(env, SETUP) == "ok"
    user_create(env, "kepala-sumsel", PASSWORD, "regional_head", ["16"])
    server = Server(env, "--no-worker")
    yield server.base
    server.stop()


def _drill(page, base, via_chart: bool):
    page.goto(base + "/akun/masuk/")
    page.fill("input[name=username]", "kepala-sumsel")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    page.goto(base + "/cakupan/")
    page.wait_for_url(base + "/cakupan/wilayah/16/")
    seen = []
    # Province → regency → district → village, each step by the link of the child region.
    for code in ("16.12", PALI_VILLAGE[:2] + "." + PALI_VILLAGE[2:4] + "." + PALI_VILLAGE[4:6],
                 ".".join((PALI_VILLAGE[:2], PALI_VILLAGE[2:4], PALI_VILLAGE[4:6],
                           PALI_VILLAGE[6:]))):  # fmt: skip
        link = f'a[href="/cakupan/wilayah/{code}/"]'
        if via_chart:
            page.locator(f"svg.chart {link}").first.click()
        else:
            page.locator("#children-table").evaluate("t => t.closest('details').open = true")
            page.locator(f"#children-table {link}").click()
        page.wait_for_url(f"{base}/cakupan/wilayah/{code}/")
        overflow = page.evaluate(OVERFLOW)
        seen.append((code, page.inner_text("#fig-protected"), overflow))
    return seen


@pytest.mark.parametrize(("viewport", "via_chart"), [(PHONE, False), (WIDE, True)])
def test_drill_down_from_province_to_village(site, viewport, via_chart):
    with chromium() as browser:
        context = browser.new_context(
            viewport=viewport, is_mobile=viewport is PHONE, locale="id-ID"
        )
        page = context.new_page()
        seen = _drill(page, site, via_chart)
        # Three registered workers in one PALI village, none protected: 0 protected at every
        # level, the village page counts them as not protected.
        assert [s[1] for s in seen] == ["0", "0", "0"]
        assert page.inner_text("#fig-not-protected") == "3"
        for _code, _fig, overflow in seen:
            assert overflow["scroll"] <= viewport["width"], overflow
        # Breadcrumbs lead back up to the province (not to Indonesia: out of scope).
        crumbs = page.inner_text(".breadcrumbs")
        assert "Sumatera Selatan" in crumbs and "Indonesia" not in crumbs
        page.click('.breadcrumbs a[href="/cakupan/wilayah/16/"]')
        page.wait_for_url(site + "/cakupan/wilayah/16/")
        assert page.inner_text("#fig-coverage") == "0,00 %"
        context.close()
