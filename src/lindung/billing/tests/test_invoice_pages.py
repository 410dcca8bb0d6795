"""The invoice pages and the "rekap iuran per desa" exports, with their abuse cases."""

from __future__ import annotations

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.billing.models import Invoice, Payment

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_regency_admin_issues_an_invoice_reads_it_and_records_a_payment(active, regency_admin):
    program, _ = active(n1=2, n2=1)
    c = client_of(regency_admin)
    listing = c.get(f"/anggaran/tagihan/program/{program.code}/")
    assert listing.status_code == 200
    r = c.post(
        f"/anggaran/tagihan/program/{program.code}/",
        {"funder": program.funders.first().pk, "month": "2025-10"},
    )
    invoice = Invoice.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/tagihan/{invoice.pk}/")
    page = c.get(f"/anggaran/tagihan/{invoice.pk}/").content.decode()
    assert "Rp50.400" in page and "Rp33.600" in page and "lima puluh ribu" in page.lower()
    again = c.post(
        f"/anggaran/tagihan/program/{program.code}/",
        {"funder": program.funders.first().pk, "month": "2025-10"},
    )
    assert again.status_code == 409
    r = c.post(
        f"/anggaran/tagihan/{invoice.pk}/",
        {"reference": "TRF-1", "amount": "50.400", "paid_on": "2025-10-10", "months": "1"},
    )
    assert r.status_code == 302 and Payment.objects.get().allocated == 50_400
    hostile = c.post(
        f"/anggaran/tagihan/{invoice.pk}/",
        {"reference": "TRF-2", "amount": "-5", "paid_on": "2025-10-10", "months": "1"},
    )
    assert hostile.status_code == 400 and Payment.objects.count() == 1


def test_the_rekap_exports_as_xlsx_and_pdf(active, regency_admin):
    from lindung.billing.invoicing import invoice_issue

    program, _ = active()
    invoice = invoice_issue(
        actor=regency_admin, funder_id=program.funders.first().pk, month=program.coverage_start
    )
    c = client_of(regency_admin)
    x = c.get(f"/anggaran/tagihan/{invoice.pk}/rekap.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    p = c.get(f"/anggaran/tagihan/{invoice.pk}/rekap.pdf")
    assert p.status_code == 200 and p.content[:5] == b"%PDF-"
    assert c.get(f"/anggaran/tagihan/{invoice.pk}/rekap.exe").status_code == 404


def test_other_regencies_get_404_and_village_operators_403(active, regency_admin, make_user):
    from lindung.billing.invoicing import invoice_issue

    program, _ = active()
    invoice = invoice_issue(
        actor=regency_admin, funder_id=program.funders.first().pk, month=program.coverage_start
    )
    other = client_of(make_user(Role.REGENCY_ADMIN, ["1603"]))
    operator = client_of(make_user(Role.VILLAGE_OPERATOR))
    # An invoice is the regency's: outside a village operator's scope (404), like another
    # regency's; the program's invoice list is visible to them only as "not your role" (403).
    for url in (f"/anggaran/tagihan/{invoice.pk}/", f"/anggaran/tagihan/{invoice.pk}/rekap.pdf"):
        assert other.get(url).status_code == 404
        assert operator.get(url).status_code == 404
    listing = f"/anggaran/tagihan/program/{program.code}/"
    assert other.get(listing).status_code == 404
    assert operator.get(listing).status_code == 403
    r = operator.post(listing, {"funder": program.funders.first().pk, "month": "2025-11"})
    assert r.status_code == 403
    r = operator.post(
        f"/anggaran/tagihan/{invoice.pk}/",
        {"reference": "X", "amount": "100", "paid_on": "2025-10-10", "months": "1"},
    )
    assert r.status_code == 404 and not Payment.objects.exists()
    # A regional head reads the invoice but may not record a payment (403).
    head = client_of(make_user(Role.REGIONAL_HEAD, ["16"]))
    assert head.get(f"/anggaran/tagihan/{invoice.pk}/").status_code == 200
    r = head.post(
        f"/anggaran/tagihan/{invoice.pk}/",
        {"reference": "X", "amount": "100", "paid_on": "2025-10-10", "months": "1"},
    )
    assert r.status_code == 403 and not Payment.objects.exists()
