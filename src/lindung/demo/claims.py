"""The demo's claims, through the real claim services and the demo logins (issue 10 §6):

- Sarolangun: a participant of `sarolangun-2024` dies (not at work) on 15 August 2025, nine
  months into a fully paid membership; the regency files the JKM claim with its documents and
  the heirs' statement (spouse and child, half each), the BPJS branch officer
  (`bpjs-sarolangun`) verifies it (Rp42.000.000 computed by the rules), the regional office's
  officer (`bpjs-sumbagsel`) approves it and the payments to both heirs make it *paid* — as
  handed over at Sarolangun's launch;
- PALI: a JKM claim with its documents complete, waiting for BPJS's verification.

The documents are placeholder scans (a one-page PDF) stored like any upload.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.roles import Action, Role
from lindung.claims.choices import CHECKLIST, SHARES_TOTAL
from lindung.claims.models import Claim
from lindung.claims.services import (
    claim_document_add,
    claim_file,
    claim_heirs_set,
    claim_move,
    claim_payment_record,
    heir_dues,
)
from lindung.enrolment.models import Participant
from lindung.registry.models import Heir, LifeStatus

from .programs import login_for

PAID_PROGRAM = "sarolangun-2024"
WAITING_PROGRAM = "pali-desa-2025"
DEATH_ON = dt.date(2025, 8, 15)  # contributions paid in advance through September (demo.billing)
PAID_ON = dt.date(2025, 8, 25)
WAITING_DEATH_ON = dt.date(2025, 9, 20)
SCAN = b"%PDF-1.4\n% Lindung demo scan\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _participant(program_code: str) -> Participant | None:
    """An active participant (KPJ issued) who is alive and has a spouse and a child as heirs,
    else one with any spouse or child."""
    alive = (
        Participant.objects.filter(program__code=program_code, kpj__isnull=False, state="active")
        .filter(worker__life_status=LifeStatus.ACTIVE)
        .exclude(claims__isnull=False)
        .select_related("worker")
        .order_by("village_id", "pk")
    )
    with_both = alive.filter(worker__heirs__relationship="spouse").filter(
        worker__heirs__relationship="child"
    )
    return (
        with_both.first()
        or alive.filter(worker__heirs__relationship__in=["spouse", "child"]).first()
    )


def _shares(claim: Claim) -> list[dict]:
    heirs = list(
        Heir.objects.filter(
            worker_id=claim.worker_id, relationship__in=["spouse", "child"]
        ).order_by("relationship", "pk")
    )[:2]
    each = SHARES_TOTAL // len(heirs)
    return [
        {
            "heir_id": h.pk,
            "share_bp": each + (SHARES_TOTAL - each * len(heirs) if i == 0 else 0),
            "bank_name": "Bank Jambi"
            if claim.program.code == PAID_PROGRAM
            else "Bank Sumsel Babel",
            "bank_account": f"{claim.participant.kpj}{i + 1}",
        }
        for i, h in enumerate(heirs)
    ]


def _file_complete(program_code: str, died: dt.date, admin) -> Claim | None:
    participant = _participant(program_code)
    if participant is None:
        return None
    village = participant.village_id
    filer = login_for(Action.FILE_CLAIM, village, admin)
    claim = claim_file(
        actor=filer,
        participant=participant,
        claim_type="jkm",
        event_date=died,
        place=participant.village.name,
        cause="Sakit (bukan kecelakaan kerja)",
    )
    for kind in CHECKLIST["jkm"]:
        claim_document_add(
            actor=filer, claim=claim, kind=kind, data=SCAN, filename=f"{kind}-scan.pdf"
        )
    claim_heirs_set(actor=filer, claim=claim, heirs=_shares(claim), expected_state="filed")
    return claim_move(actor=filer, claim=claim, to="documents_complete", expected_state="filed")


def demo_claims() -> dict[str, int]:
    """Make the two demo claims once (a database with claims already is left alone)."""
    if Claim.objects.exists() or timezone.localdate() <= PAID_ON:
        return {}
    admin = User.objects.filter(role=Role.SUPERADMIN).first()
    out = {"paid": 0, "waiting": 0, "paid_amount": 0}
    with transaction.atomic():
        claim = _file_complete(PAID_PROGRAM, DEATH_ON, admin)
        if claim is not None:
            village = claim.participant.village_id
            verifier = login_for(Action.DECIDE_CLAIM, village, admin)
            claim = claim_move(
                actor=verifier, claim=claim, to="verified", expected_state="documents_complete"
            )
            # Another officer approves: the branch (bpjs-sarolangun) verifies, the regional
            # office's officer (bpjs-sumbagsel) approves; the administrator only where no second
            # BPJS login covers the village.
            approver = next(
                (
                    u
                    for u in User.objects.filter(role=Role.BPJS_OFFICER, is_active=True)
                    .exclude(pk=verifier.pk)
                    .order_by("username")
                    if _covers(u, village)
                ),
                admin,
            )
            if claim.payable:
                claim = claim_move(
                    actor=approver, claim=claim, to="approved", expected_state="verified"
                )
                payer = login_for(Action.PAY_CLAIM, village, admin)
                for i, (heir_id, due) in enumerate(sorted(heir_dues(claim).items()), start=1):
                    claim_payment_record(
                        actor=payer,
                        claim=claim,
                        claim_heir_id=heir_id,
                        amount=due,
                        paid_on=PAID_ON,
                        reference=f"DEMO-KLAIM-{claim.pk}-{i}",
                    )
                claim.refresh_from_db()
                out["paid"] = int(claim.state == "paid")
                out["paid_amount"] = claim.payable if claim.state == "paid" else 0
        waiting = _file_complete(WAITING_PROGRAM, WAITING_DEATH_ON, admin)
        out["waiting"] = int(waiting is not None)
    return out


def _covers(user, village: str) -> bool:
    from lindung.accounts.scoping import can

    return can(user, Action.DECIDE_CLAIM, village)
