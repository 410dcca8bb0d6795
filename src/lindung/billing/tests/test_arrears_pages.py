"""The arrears page per funder and village (and one village's people), its XLSX, and invoices
marked paid in full / underpaid / unpaid — with their abuse cases."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.billing import invoicing
from lindung.billing.arrears import PAID, PARTLY_PAID, UNPAID, pay_state, people_in_arrears
from lindung.conftest import PALI_VILLAGE

pytestmark = pytest.mark.django_db
D = dt.date


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_invoice_is_paid_in_full_underpaid_or_unpaid():
    assert pay_state(50_400, 50_400) == PAID
    assert pay_state(50_400, 60_000) == PAID
    assert pay_state(50_400, 1) == PARTLY_PAID
    assert pay_state(50_400, 0) == UNPAID


def test_a_person_s_run_counts_consecutive_unpaid_months_only():
    rows = [
        {"participant": 1, "village": "v", "month": m, "owed": 16_800}
        for m in ("2025-01", "2025-02", "2025-04", "2025-05", "2025-06", "2025-07")
    ]
    person = people_in_arrears(rows)[1]
    assert person.run == 4 and person.beyond_limit and person.owed == 6 * 16_800
    short = people_in_arrears(rows[:3])[1]
    assert short.run == 2 and not short.beyond_limit


@pytest.fixture
def four_months(active, regency_admin):
    """Three people in two villages, Oct 2025 – Jan 2026; only October paid, and November
    only in part (Rp1 short)."""
    program, workers = active(n1=2, n2=1, start=D(2025, 10, 1), end=D(2026, 1, 31))
    funder = program.funders.first()
    for month in (D(2025, 10, 1), D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1)):
        invoicing.invoice_issue(actor=regency_admin, funder_id=funder.pk, month=month)
    for reference, amount, month in (("OKT", 50_400, 10), ("NOV", 50_399, 11)):
        invoicing.payment_record(
            actor=regency_admin,
            funder_id=funder.pk,
            reference=reference,
            amount=amount,
            paid_on=D(2025, month, 10),
            first_month=D(2025, month, 1),
        )
    return program, workers


def test_the_invoice_list_and_page_say_paid_in_full_underpaid_and_unpaid(
    four_months, regency_admin
):
    program, _ = four_months
    c = client_of(regency_admin)
    with_lang = {"HTTP_ACCEPT_LANGUAGE": "id"}
    listing = c.get(f"/anggaran/tagihan/program/{program.code}/", **with_lang).content.decode()
    assert listing.count("Lunas") == 1 and listing.count("Kurang bayar") == 1
    assert listing.count("Belum dibayar") == 2
    from lindung.accounts.services import api_token_create
    from lindung.billing.models import Invoice

    november = Invoice.objects.get(program=program, month=D(2025, 11, 1))
    page = c.get(f"/anggaran/tagihan/{november.pk}/", **with_lang).content.decode()
    assert "Kurang bayar" in page and "masih kurang Rp1" in page
    _token, raw = api_token_create(actor=regency_admin, user=regency_admin, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(f"/api/invoices/{november.pk}").json()["pay_state"] == "partly_paid"


def test_the_arrears_page_groups_by_village_and_lists_one_village_s_people(
    four_months, regency_admin
):
    program, workers = four_months
    c = client_of(regency_admin)
    url = f"/anggaran/tunggakan/program/{program.code}/"
    # On 1 March 2026 every due date has passed: Nov (Rp1 short), Dec, Jan unpaid.
    page = c.get(url, {"tanggal": "2026-03-01"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    owed = 1 + 2 * 50_400
    assert f"Rp{owed:,}".replace(",", ".") in page
    assert "Talang" in page  # the PALI villages by name
    people = c.get(url, {"tanggal": "2026-03-01", "desa": PALI_VILLAGE}).content.decode()
    names = [w.name for w in workers if w.village_id == PALI_VILLAGE]
    assert all(name in people for name in names)
    assert "2025-12, 2026-01" in people
    # Before December's due date only November's last rupiah is owed, by one person.
    early = c.get(url, {"tanggal": "2025-12-01"}).content.decode()
    assert "Rp1<" in early or "Rp1 " in early
    x = c.get(f"{url}tunggakan.xlsx", {"tanggal": "2026-03-01", "desa": PALI_VILLAGE})
    assert x.status_code == 200 and x.content[:2] == b"PK"
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(x.content))
    assert book.sheet_names == ["Per desa", "Per orang"]
    rows = book.get_sheet_by_name("Per orang").to_python()
    assert {r[2] for r in rows[3:]} == set(names)


def test_arrears_are_the_regency_s_another_regency_404_a_village_operator_403(
    four_months, make_user
):
    program, _ = four_months
    url = f"/anggaran/tunggakan/program/{program.code}/"
    other = client_of(make_user(Role.REGENCY_ADMIN, ["1603"]))
    operator = client_of(make_user(Role.VILLAGE_OPERATOR))
    for path in (url, f"{url}tunggakan.xlsx"):
        assert other.get(path).status_code == 404
        assert operator.get(path).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page


def test_a_regional_head_sees_arrears_with_nik_masked(four_months, make_user):
    program, workers = four_months
    head = client_of(make_user(Role.REGIONAL_HEAD, ["16"]))
    page = head.get(
        f"/anggaran/tunggakan/program/{program.code}/",
        {"tanggal": "2026-03-01", "desa": PALI_VILLAGE},
    ).content.decode()
    assert page.count("<tr>") >= 3
    assert not any(w.nik in page for w in workers)


def test_a_bad_date_or_hostile_village_is_refused_cleanly(four_months, regency_admin):
    program, _ = four_months
    c = client_of(regency_admin)
    url = f"/anggaran/tunggakan/program/{program.code}/"
    r = c.get(url, {"tanggal": "2026-13-45"})
    assert r.status_code == 302 and r["Location"].endswith(url)
    r = c.get(url, {"tanggal": "2026-03-01", "desa": "16\x00" + "9" * 5000})
    assert r.status_code in (200, 400) and b"Traceback" not in r.content
