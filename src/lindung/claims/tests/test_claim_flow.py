"""A JKM claim from filing to payment through the services, and what approval does to the
participant (issue 10 §2, §5)."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEvent
from lindung.claims.services import claim_payment_record
from lindung.enrolment.models import Participant
from lindung.registry.models import Worker

from .conftest import DEATH, JKM_TOTAL, move

pytestmark = pytest.mark.django_db


def test_protected_death_is_verified_at_42_million_approved_by_another_officer_and_paid(
    jkm_claim, users
):
    claim = jkm_claim()
    move(users["admin"], claim, "documents_complete")
    claim = move(users["bpjs"], claim, "verified")
    assert claim.payable == JKM_TOTAL
    assert claim.computed["payable"] == JKM_TOTAL
    assert all(c["citation"] for c in claim.computed["components"])
    assert sum(c["amount"] for c in claim.computed["components"]) == JKM_TOTAL
    claim = move(users["bpjs2"], claim, "approved")
    assert claim.state == "approved"

    heirs = list(claim.heirs.order_by("id"))
    for i, heir in enumerate(heirs):
        claim_payment_record(
            actor=users["bpjs"],
            claim=claim,
            claim_heir_id=heir.pk,
            amount=JKM_TOTAL // 2,
            paid_on=dt.date(2025, 11, 28),
            reference=f"TRF-{i}",
        )
    claim.refresh_from_db()
    assert claim.state == "paid"
    assert claim.paid_by == users["bpjs"]
    codes = list(
        AuditEvent.objects.filter(object_type="claims.claim", object_id=str(claim.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert codes[0] == "claim.file"
    for code in (
        "claim.document_add",
        "claim.heirs_set",
        "claim.documents_complete",
        "claim.verified",
        "claim.approved",
        "claim.payment_record",
        "claim.paid",
    ):
        assert code in codes
    approved = AuditEvent.objects.get(object_id=str(claim.pk), action="claim.approved")
    assert approved.changes["state"] == ["verified", "approved"]


def test_approved_death_ends_the_enrolment_and_marks_the_worker_deceased(jkm_claim, users):
    claim = jkm_claim()
    move(users["admin"], claim, "documents_complete")
    move(users["bpjs"], claim, "verified")
    move(users["bpjs2"], claim, "approved")
    worker = Worker.objects.get(pk=claim.worker_id)
    assert worker.life_status == "deceased"
    assert worker.life_status_date == DEATH
    participant = Participant.objects.get(pk=claim.participant_id)
    assert participant.state == "ended"
    assert participant.end_reason == "death"
    assert participant.end_date == DEATH


def test_unprotected_death_computes_nothing_payable_and_can_only_be_rejected(jkm_claim, users):
    from lindung.common.errors import ApplicationError

    claim = jkm_claim(paid=False)
    move(users["admin"], claim, "documents_complete")
    claim = move(users["bpjs"], claim, "verified")
    assert claim.payable == 0
    assert claim.computed["not_payable"]
    with pytest.raises(ApplicationError) as refused:
        move(users["bpjs2"], claim, "approved")
    assert refused.value.code == "nothing_payable"
    claim = move(
        users["bpjs2"], claim, "rejected", reason="Tidak terlindungi pada tanggal kematian"
    )
    assert claim.state == "rejected"
    assert Worker.objects.get(pk=claim.worker_id).life_status == "active"


def test_the_computed_benefit_is_frozen_at_approval(jkm_claim, users):
    claim = jkm_claim()
    move(users["admin"], claim, "documents_complete")
    move(users["bpjs"], claim, "verified")
    claim = move(users["bpjs2"], claim, "approved")
    frozen = dict(claim.computed)
    # Whatever happens to the contributions afterwards, the approved claim keeps its figures.
    from lindung.billing.models import PaymentAllocation

    PaymentAllocation.objects.all().delete()
    claim.refresh_from_db()
    assert claim.computed == frozen and claim.payable == JKM_TOTAL
