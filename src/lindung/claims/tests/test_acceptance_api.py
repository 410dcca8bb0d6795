"""Issue 10's acceptance over the API: a regency admin files a JKM claim, uploads its
documents, records the heirs' statement and marks the documents complete; a BPJS officer
verifies (Rp42,000,000 computed), a second one approves, payments to each heir make it paid —
and the audit trail holds every step with its actor and before/after."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.audit.models import AuditEvent
from lindung.claims.choices import CHECKLIST
from lindung.registry.models import Heir

from .conftest import JKM_TOTAL, PDF

pytestmark = pytest.mark.django_db


def _json(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_jkm_claim_from_filing_to_paid_over_the_api(participant_of, users, api_for):
    participant = participant_of()
    admin, bpjs, bpjs2 = (api_for(users[w]) for w in ("admin", "bpjs", "bpjs2"))

    filed = _json(
        admin,
        "post",
        "/api/claims",
        {
            "participant_id": participant.pk,
            "claim_type": "jkm",
            "event_date": "2025-11-20",
            "place": "Talang Ubi",
            "cause": "sakit jantung",
        },
    )
    assert filed.status_code == 201, filed.content
    claim = filed.json()
    cid = claim["id"]
    assert claim["state"] == "filed" and claim["payable"] == 0
    assert claim["missing_documents"] == list(CHECKLIST["jkm"])

    for kind in CHECKLIST["jkm"]:
        up = admin.post(
            f"/api/claims/{cid}/documents",
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF)},
        )
        assert up.status_code == 201, up.content

    spouse, child = Heir.objects.filter(worker_id=participant.worker_id).order_by("id")
    shares = _json(
        admin,
        "put",
        f"/api/claims/{cid}/heirs",
        {
            "expected_state": "filed",
            "heirs": [
                {
                    "heir_id": spouse.pk,
                    "share_bp": 5000,
                    "bank_name": "BRI",
                    "bank_account": "001201234567501",
                },
                {
                    "heir_id": child.pk,
                    "share_bp": 5000,
                    "bank_name": "BRI",
                    "bank_account": "001201234567502",
                },
            ],
        },
    )
    assert shares.status_code == 200, shares.content
    # The regency admin does not pay claims: the accounts come back masked.
    assert [h["bank_account"][-4:] for h in shares.json()["heirs"]] == ["7501", "7502"]
    assert all(h["bank_account"].startswith("*") for h in shares.json()["heirs"])

    done = _json(
        admin,
        "post",
        f"/api/claims/{cid}/move",
        {"to": "documents_complete", "expected_state": "filed"},
    )
    assert done.status_code == 200 and done.json()["state"] == "documents_complete"
    # The regency admin may not verify.
    assert (
        _json(
            admin,
            "post",
            f"/api/claims/{cid}/move",
            {"to": "verified", "expected_state": "documents_complete"},
        ).status_code
        == 403
    )

    verified = _json(
        bpjs,
        "post",
        f"/api/claims/{cid}/move",
        {"to": "verified", "expected_state": "documents_complete"},
    )
    assert verified.status_code == 200, verified.content
    body = verified.json()
    assert body["payable"] == JKM_TOTAL == body["computed"]["payable"]
    assert body["message"]
    # The verifier may not approve; a stale approval is 409.
    own = _json(
        bpjs, "post", f"/api/claims/{cid}/move", {"to": "approved", "expected_state": "verified"}
    )
    assert own.status_code == 403 and own.json()["code"] == "own_verification"
    stale = _json(
        bpjs2,
        "post",
        f"/api/claims/{cid}/move",
        {"to": "approved", "expected_state": "documents_complete"},
    )
    assert stale.status_code in (400, 409)
    approved = _json(
        bpjs2, "post", f"/api/claims/{cid}/move", {"to": "approved", "expected_state": "verified"}
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    again = _json(
        bpjs,
        "post",
        f"/api/claims/{cid}/move",
        {"to": "rejected", "expected_state": "verified", "reason": "x"},
    )
    assert again.status_code == 409 and again.json()["state"] == "approved"

    heirs = approved.json()["heirs"]
    assert [h["due"] for h in heirs] == [JKM_TOTAL // 2] * 2
    over = _json(
        bpjs,
        "post",
        f"/api/claims/{cid}/payments",
        {
            "claim_heir_id": heirs[0]["id"],
            "amount": JKM_TOTAL,
            "paid_on": "2025-11-25",
            "reference": "TRF-X",
        },
    )
    assert over.status_code == 400
    for i, heir in enumerate(heirs):
        paid = _json(
            bpjs,
            "post",
            f"/api/claims/{cid}/payments",
            {
                "claim_heir_id": heir["id"],
                "amount": heir["due"],
                "paid_on": "2025-11-25",
                "reference": f"TRF-{i}",
            },
        )
        assert paid.status_code == 201, paid.content
    final = paid.json()
    assert final["state"] == "paid" and final["paid"] == JKM_TOTAL
    # BPJS pays claims, so it sees the accounts in full.
    assert [p["bank_account"] for p in final["payments"]] == ["001201234567501", "001201234567502"]

    listed = admin.get("/api/claims?state=paid").json()
    assert [c["id"] for c in listed["items"]] == [cid]

    trail = list(
        AuditEvent.objects.filter(object_type="claims.claim", object_id=str(cid)).order_by("id")
    )
    steps = [(e.action, e.actor_username) for e in trail]
    assert steps[0] == ("claim.file", users["admin"].username)
    assert ("claim.documents_complete", users["admin"].username) in steps
    assert ("claim.verified", users["bpjs"].username) in steps
    assert ("claim.approved", users["bpjs2"].username) in steps
    assert [a for a, _u in steps].count("claim.document_add") == len(CHECKLIST["jkm"])
    assert [a for a, _u in steps].count("claim.payment_record") == 2
    assert steps[-1] == ("claim.paid", users["bpjs"].username)
    verified_event = next(e for e in trail if e.action == "claim.verified")
    assert verified_event.changes["payable"] == [0, JKM_TOTAL]
    assert all(e.channel == "api" for e in trail)
    # Approval ended the participation (death) and marked the worker, both audited too.
    assert AuditEvent.objects.filter(action="enrolment.end", object_id=str(participant.pk)).exists()
    assert AuditEvent.objects.filter(
        action="worker.mark", object_id=str(participant.worker_id)
    ).exists()
