"""Heirs and their shares: registered heirs of the highest class present, shares from the
heirs' statement adding up to 100 %, the burial organiser only without heirs; bank accounts
in full only for those who pay claims."""

from __future__ import annotations

import pytest

from lindung.claims.services import claim_heirs_set
from lindung.common.errors import ApplicationError
from lindung.registry.models import Heir

from .conftest import JKM_TOTAL, half_and_half, move

pytestmark = pytest.mark.django_db


def _set(users, claim, heirs, who="admin"):
    return claim_heirs_set(actor=users[who], claim=claim, heirs=heirs, expected_state=claim.state)


@pytest.mark.parametrize(
    "shares", [(5_000, 4_999), (5_000, 5_001), (10_000, 10_000), (3_333, 3_333)]
)
def test_shares_not_adding_up_to_100_percent_are_refused(jkm_claim, users, shares):
    claim = jkm_claim(complete=False)
    rows = half_and_half(claim)
    for row, share in zip(rows, shares, strict=True):
        row["share_bp"] = share
    with pytest.raises(ApplicationError) as refused:
        _set(users, claim, rows)
    assert refused.value.code in ("shares_total", "share")
    assert not claim.heirs.exists()


@pytest.mark.parametrize("share", [0, -1, 10_001, 2**70, True, "5000", None])
def test_a_share_outside_0_01_to_100_percent_is_refused(jkm_claim, users, share):
    claim = jkm_claim(complete=False)
    rows = half_and_half(claim)
    rows[0]["share_bp"] = share
    with pytest.raises(ApplicationError) as refused:
        _set(users, claim, rows)
    assert refused.value.code == "share"


def test_a_lower_class_is_refused_while_a_spouse_or_child_exists(participant_of, users):
    from lindung.claims.services import claim_file

    from .conftest import DEATH

    participant = participant_of(
        heirs=[
            {"name": "Sri Wahyuni", "relationship": "spouse"},
            {"name": "Pak Tua", "relationship": "parent"},
        ]
    )
    claim = claim_file(
        actor=users["admin"], participant=participant, claim_type="jkm", event_date=DEATH
    )
    spouse, parent = Heir.objects.filter(worker_id=claim.worker_id).order_by("id")
    with pytest.raises(ApplicationError) as refused:
        _set(
            users,
            claim,
            [{"heir_id": spouse.pk, "share_bp": 5_000}, {"heir_id": parent.pk, "share_bp": 5_000}],
        )
    assert refused.value.code == "not_entitled"
    (only,) = _set(users, claim, [{"heir_id": spouse.pk, "share_bp": 10_000}])
    assert only.heir_class == 1


def test_another_workers_heir_or_a_typed_in_name_are_refused_when_heirs_exist(jkm_claim, users):
    claim = jkm_claim(complete=False)
    stranger = jkm_claim(complete=False)
    their_heir = Heir.objects.filter(worker_id=stranger.worker_id).first()
    with pytest.raises(ApplicationError) as unknown:
        _set(users, claim, [{"heir_id": their_heir.pk, "share_bp": 10_000}])
    assert unknown.value.code == "unknown_heir"
    with pytest.raises(ApplicationError) as typed:
        _set(users, claim, [{"heir_id": None, "name": "Tetangga", "share_bp": 10_000}])
    assert typed.value.code == "heirs_exist"


def test_without_heirs_the_burial_organiser_is_recorded(participant_of, users):
    from lindung.claims.services import claim_file

    from .conftest import DEATH

    participant = participant_of(heirs=[])
    claim = claim_file(
        actor=users["admin"], participant=participant, claim_type="jkm", event_date=DEATH
    )
    (row,) = _set(users, claim, [{"name": "Ketua RT 03", "share_bp": 10_000}])
    assert row.heir_class == 6 and row.relationship == "burial_organiser"
    with pytest.raises(ApplicationError):
        _set(users, claim, [{"name": "Nama\x00", "share_bp": 10_000}])


def test_heirs_are_fixed_once_verified_and_a_stale_change_is_409(jkm_claim, users):
    claim = jkm_claim()
    with pytest.raises(ApplicationError) as stale:
        claim_heirs_set(
            actor=users["admin"], claim=claim, heirs=half_and_half(claim), expected_state="verified"
        )
    assert stale.value.status == 409
    move(users["admin"], claim, "documents_complete")
    move(users["bpjs"], claim, "verified")
    with pytest.raises(ApplicationError) as fixed:
        _set(users, claim, half_and_half(claim))
    assert fixed.value.status == 409


def test_bank_accounts_are_full_for_bpjs_and_masked_for_the_regency_and_auditors(
    jkm_claim, users, api_for, client_for
):
    claim = jkm_claim()
    accounts = sorted(h.bank_account for h in claim.heirs.all())
    assert accounts[0].startswith("0012345678")
    bpjs = api_for(users["bpjs"]).get(f"/api/claims/{claim.pk}").json()
    assert sorted(h["bank_account"] for h in bpjs["heirs"]) == accounts
    for who in ("admin", "auditor", "head"):
        body = api_for(users[who]).get(f"/api/claims/{claim.pk}").json()
        shown = sorted(h["bank_account"] for h in body["heirs"])
        assert shown == ["*******" + a[-4:] for a in accounts], who
        page = client_for(users[who]).get(f"/klaim/{claim.pk}/").content.decode()
        assert not any(a in page for a in accounts), who
    assert accounts[0] in client_for(users["bpjs"]).get(f"/klaim/{claim.pk}/").content.decode()
    # The audit trail never holds a full account number.
    from lindung.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="claim.heirs_set", object_id=str(claim.pk))
    assert not any(a in str(event.changes) for a in accounts)


def test_payments_split_the_payable_by_the_shares(jkm_claim, users):
    from lindung.claims.services import heir_dues

    claim = jkm_claim()
    rows = half_and_half(claim)
    rows[0]["share_bp"], rows[1]["share_bp"] = 3_333, 6_667
    _set(users, claim, rows)
    move(users["admin"], claim, "documents_complete")
    claim = move(users["bpjs"], claim, "verified")
    dues = heir_dues(claim)
    assert sum(dues.values()) == JKM_TOTAL
    assert sorted(dues.values()) == [13_998_600, 28_001_400]
