"""Phones and weak networks, in a real browser against a real `lindung serve` of the demo:
every main page fits a 360 × 740 screen without sideways scrolling, for every role; the first
page (the login) costs under 100 KB on the wire, with static files compressed, hashed and kept
by the browser for a year. Runs when Chromium is installed, like the other browser tests.
"""

from __future__ import annotations

import re

import pytest

from lindung.conftest import make_nik
from lindung.site.testing import Server, chromium

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
FIRST_LOAD_LIMIT = 100 * 1024

# Pages every role may open, then detail pages reached by following the first link of a list.
LIST_PAGES = [
    "/",
    "/pekerja/",
    "/unggah/",
    "/verifikasi/program/",
    "/verifikasi/duplikat/",
    "/wilayah/",
    "/wilayah/16/",
    "/audit/",
    "/akun/profil/",
]
DETAILS = {
    "worker": ("/pekerja/", re.compile(r"^/pekerja/\d+/$")),
    "upload": ("/unggah/", re.compile(r"^/unggah/[0-9a-f-]{36}/$")),
    "program": ("/verifikasi/program/", re.compile(r"^/verifikasi/program/(?!baru/).+/$")),
    # Village lists are linked from their program's page (found just before).
    "submission": ("program", re.compile(r"^/verifikasi/usulan/\d+/$")),
    # A program's budget page, linked from the program page for the regency's staff.
    "budget": ("program", re.compile(r"^/anggaran/program/.+/$")),
    "duplicate pair": ("/verifikasi/duplikat/", re.compile(r"^/verifikasi/duplikat/\d+/$")),
    # A program's participants are linked from its page; one participant from that list.
    "participants": ("program", re.compile(r"^/peserta/program/.+/$")),
    "participant": ("participants", re.compile(r"^/peserta/\d+/$")),
}
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(e => {
    const box = e.getBoundingClientRect();
    return box.right > width + 1 && getComputedStyle(e).position !== "fixed"
      && !e.closest("table, pre, .table-scroll");
  }).slice(0, 5).map(e => e.tagName + "." + e.className + " " + (e.textContent || "").slice(0, 40));
  return {scroll: document.documentElement.scrollWidth, wide};
}"""
TRANSFERRED = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource");
  return {
    total: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
    resources: res.map(r => [r.name, r.transferSize, r.decodedBodySize]),
  };
}"""


@pytest.fixture(scope="module")
def site(demo_installation, tmp_path_factory):
    """The demo (a few hundred workers, its programs and village lists at every step), one
    upload with a refused row and a duplicate scan, served with its background worker."""
    home = tmp_path_factory.mktemp("phone-site")
    env = demo_installation.copy(home)
    server = Server(env)
    yield server.base, demo_installation.logins, home
    server.stop()


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


def _one_per_role(logins):
    seen = {}
    for username, role, password in logins:
        seen.setdefault(role, (username, password))
    return seen


def _login(page, base, username, password):
    page.goto(base + "/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def _upload_with_a_refused_row(page, base, tmp_path):
    """An upload page with its counts and reason table (as the operator sees it)."""
    good = make_nik("161201", __import__("datetime").date(1980, 5, 17), "P", 8)
    csv = tmp_path / "daftar-desa-dengan-nama-berkas-yang-panjang-sekali-tanpa-spasi.csv"
    csv.write_text(
        "NIK;Nama Lengkap;Pekerjaan\n"
        f"{good};Siti Aminah;Petani\n"
        f"{good[:-1]};Andi;Pekerjaan-yang-tidak-ada-di-daftar-dan-sangat-panjang\n"
    )
    page.goto(base + "/unggah/")
    page.set_input_files("input[type=file]", str(csv))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/unggah/*-*/")


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")


def test_every_main_page_fits_a_360_px_phone_for_every_role(site, browser, tmp_path):
    base, logins, _home = site
    roles = _one_per_role(logins)
    assert len(roles) >= 5, roles
    checked, too_wide = set(), []
    for role, (username, password) in roles.items():
        context = browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
        page = context.new_page()
        _login(page, base, username, password)
        # The menu is one "Menu" button on a phone; opened, it lists the links within the screen.
        assert not page.locator("header .menu-wide").is_visible()
        page.click("header .menu-phone summary")
        assert page.locator("header .menu-phone a[href='/pekerja/']").is_visible()
        opened = page.evaluate(OVERFLOW)
        if opened["scroll"] > PHONE["width"]:
            too_wide.append((role, "menu opened", opened["scroll"], opened["wide"]))
        if role == "village_operator" and "upload" not in checked:
            _upload_with_a_refused_row(page, base, tmp_path)
        paths, found = list(LIST_PAGES), {}
        for kind, (source, pattern) in DETAILS.items():
            source = found.get(source, source)
            if source.startswith("/") and page.goto(base + source).status == 200:
                link = next((h for h in _links(page) if pattern.match(h)), None)
                if link:
                    found[kind] = link
                    paths.append(link)
                    checked.add(kind)
        for path in paths:
            response = page.goto(base + path)
            if response.status != 200:  # not this role's page (403/404): nothing to lay out
                continue
            checked.add(path if path in LIST_PAGES else "detail")
            result = page.evaluate(OVERFLOW)
            if result["scroll"] > PHONE["width"]:
                too_wide.append((role, path, result["scroll"], result["wide"]))
        context.close()
    print(f"\n360 px: {len(roles)} roles, pages checked: {sorted(checked)}")
    assert too_wide == [], "\n".join(map(str, too_wide))
    assert {"worker", "upload", "program", "submission"} <= checked


def test_first_page_load_is_small_compressed_and_cached(site, browser):
    base, _logins, _home = site
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(base + "/akun/masuk/", wait_until="load")
    sent = page.evaluate(TRANSFERRED)
    print(f"\nfirst load of the login page: {sent['total'] / 1024:.1f} KB transferred")
    for name, transferred, decoded in sent["resources"]:
        print(f"  {name.rsplit('/', 1)[1]}: {transferred / 1024:.1f} KB ({decoded / 1024:.1f} KB)")
    assert sent["total"] < FIRST_LOAD_LIMIT

    icon = page.get_attribute("link[rel=icon]", "href")
    assets = [name for name, _t, _d in sent["resources"]] + [base + icon]
    on_wire = {"gzip": 0, "br": 0}
    for url in assets:
        # Hashed names, so the browser may keep them for a year; compressed on the wire.
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), url
        answer = context.request.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert answer.status == 200, url
        assert "max-age=315360000" in answer.headers["cache-control"], url
        if url.endswith(".svg"):
            continue
        # Brotli copies exist (collectstatic wrote .br files) and are served to browsers that
        # ask for them; gzip to the others. Content-Length is the size on the wire.
        assert answer.headers.get("content-encoding") == "br", url
        for encoding in on_wire:
            one = context.request.get(url, headers={"Accept-Encoding": encoding})
            assert one.headers.get("content-encoding") == encoding, (url, encoding)
            on_wire[encoding] += int(one.headers["content-length"])
    print(
        f"static files of the login page on the wire: gzip {on_wire['gzip'] / 1024:.1f} KB, "
        f"brotli {on_wire['br'] / 1024:.1f} KB"
    )
    assert on_wire["br"] < on_wire["gzip"]
    # Reloading sends nothing but the page itself: the assets come from the browser's cache.
    page.goto(base + "/akun/masuk/", wait_until="load")
    again = page.evaluate(TRANSFERRED)
    assert all(t == 0 for _n, t, _d in again["resources"]), again["resources"]
    context.close()


def test_wide_screens_show_the_menu_as_a_row_of_links(site, browser):
    base, logins, _home = site
    username, password = next(iter(_one_per_role(logins).values()))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _login(page, base, username, password)
    assert page.locator("header .menu-wide a[href='/pekerja/']").is_visible()
    assert not page.locator("header .menu-phone").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()
