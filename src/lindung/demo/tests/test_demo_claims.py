"""The demo shows a JKM claim paid to the heirs in Sarolangun (Rp42.000.000, spouse and child),
as at the program's launch, and one claim in PALI waiting for BPJS's verification — both made
through the real claim services, with their audit trail."""

from __future__ import annotations

import pytest
from django.test import Client

from lindung.accounts.models import User
from lindung.audit.models import AuditEvent
from lindung.claims.models import Claim
from lindung.enrolment.models import Participant

from .test_demo_enrolment import build


@pytest.mark.django_db
def test_demo_has_a_paid_jkm_claim_in_sarolangun_and_one_waiting_in_pali(regions, monkeypatch):
    printed = build(regions, monkeypatch)
    assert "demo claims: 1 JKM claim paid to the heirs in Sarolangun (Rp42.000.000)" in printed

    paid = Claim.objects.get(program__code="sarolangun-2024")
    assert (paid.claim_type, paid.state, paid.payable) == ("jkm", "paid", 42_000_000)
    assert paid.participant.village_id.startswith("1503")
    assert sorted(h.relationship for h in paid.heirs.all()) == ["child", "spouse"]
    assert sum(p.amount for p in paid.payments.all()) == 42_000_000
    assert paid.verified_by_id != paid.approved_by_id
    # Two BPJS officers, neither the administrator: the Sarolangun branch verifies, the regional
    # office approves.
    assert (paid.verified_by.username, paid.approved_by.username) == (
        "bpjs-sarolangun",
        "bpjs-sumbagsel",
    )
    assert {paid.verified_by.role, paid.approved_by.role} == {"bpjs_officer"}
    participant = Participant.objects.get(pk=paid.participant_id)
    assert (participant.state, participant.end_reason) == ("ended", "death")
    actions = set(
        AuditEvent.objects.filter(object_type="claims.claim", object_id=str(paid.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"claim.file", "claim.verified", "claim.approved", "claim.paid"} <= actions

    waiting = Claim.objects.get(program__code="pali-desa-2025")
    assert waiting.state == "documents_complete"

    client = Client()
    client.force_login(User.objects.get(username="pemkab-sarolangun"))
    page = client.get(f"/klaim/{paid.pk}/").content.decode()
    assert "Dibayar" in page and "Rp42.000.000" in page
    assert "Belum ada klaim" not in client.get("/klaim/").content.decode()
    # PALI's claim is not Sarolangun's to see.
    assert client.get(f"/klaim/{waiting.pk}/").status_code == 404
