"""Payments per heir: never more than the payable amount or the heir's share; the claim is
paid when they reach it; only an approved claim is paid, by a role that pays claims."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from lindung.claims.services import claim_payment_record
from lindung.common.errors import ApplicationError

from .conftest import JKM_TOTAL, move

pytestmark = pytest.mark.django_db
PAID_ON = dt.date(2025, 12, 1)


@pytest.fixture
def approved(jkm_claim, users):
    claim = jkm_claim()
    move(users["admin"], claim, "documents_complete")
    move(users["bpjs"], claim, "verified")
    return move(users["bpjs2"], claim, "approved")


def _pay(users, claim, amount, heir=None, ref="T1", who="bpjs", **kw):
    heir = heir or claim.heirs.order_by("id").first()
    return claim_payment_record(
        actor=users[who],
        claim=claim,
        claim_heir_id=heir.pk,
        amount=amount,
        paid_on=kw.pop("paid_on", PAID_ON),
        reference=ref,
        **kw,
    )


def test_a_payment_over_the_payable_or_the_heirs_share_is_refused(approved, users):
    with pytest.raises(ApplicationError) as over:
        _pay(users, approved, JKM_TOTAL + 1)
    assert over.value.code == "over_payable"
    with pytest.raises(ApplicationError) as share:
        _pay(users, approved, JKM_TOTAL // 2 + 1)
    assert share.value.code == "over_share"
    _pay(users, approved, JKM_TOTAL // 2)
    with pytest.raises(ApplicationError) as again:
        _pay(users, approved, 1, ref="T2")
    assert again.value.code == "over_share"
    approved.refresh_from_db()
    assert approved.state == "approved"


@pytest.mark.parametrize("amount", [0, -5, 2**70, True])
def test_a_nonsense_amount_is_refused(approved, users, amount):
    with pytest.raises(ApplicationError) as refused:
        _pay(users, approved, amount)
    assert refused.value.code == "amount"


def test_the_same_reference_twice_and_a_date_before_the_death_are_refused(approved, users):
    _pay(users, approved, 1_000_000)
    with pytest.raises(ApplicationError) as twice:
        _pay(users, approved, 1_000_000)
    assert twice.value.status == 409
    with pytest.raises(ApplicationError) as early:
        _pay(users, approved, 1_000_000, ref="T3", paid_on=dt.date(2025, 1, 1))
    assert early.value.code == "paid_on"


def test_only_an_approved_claim_is_paid_and_only_by_bpjs(jkm_claim, approved, users):
    with pytest.raises(PermissionDenied):
        _pay(users, approved, 1_000, who="admin")
    with pytest.raises(PermissionDenied):
        _pay(users, approved, 1_000, who="other_bpjs")
    filed = jkm_claim()
    with pytest.raises(ApplicationError) as early:
        _pay(users, filed, 1_000)
    assert early.value.status == 409


def test_the_claim_is_paid_when_payments_reach_the_payable(approved, users):
    first, second = approved.heirs.order_by("id")
    _pay(users, approved, 20_000_000, heir=first, ref="A")
    _pay(users, approved, 1_000_000, heir=first, ref="B")
    _pay(users, approved, 21_000_000, heir=second, ref="C")
    approved.refresh_from_db()
    assert approved.state == "paid"
    with pytest.raises(ApplicationError) as after:
        _pay(users, approved, 1, ref="D")
    assert after.value.status == 409


def test_payment_page_records_and_shows_dibayar(approved, users, client_for):
    client = client_for(users["bpjs"])
    for heir in approved.heirs.order_by("id"):
        response = client.post(
            f"/klaim/{approved.pk}/bayar/",
            {
                "claim_heir": heir.pk,
                "amount": "21.000.000",
                "paid_on": "2025-12-01",
                "reference": f"TRF-{heir.pk}",
            },
        )
        assert response.status_code == 302
    page = client.get(f"/klaim/{approved.pk}/").content.decode()
    assert "Dibayar" in page
    assert (
        client_for(users["admin"])
        .post(
            f"/klaim/{approved.pk}/bayar/",
            {"amount": "1", "paid_on": "2025-12-01", "reference": "x"},
        )
        .status_code
        == 403
    )
