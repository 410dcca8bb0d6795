"""The transition table, by role: every allowed step works for its role and no other; every
step not in the table is refused; stale decisions are 409; the verifier never approves."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from lindung.accounts.roles import Action, Role, role_allows
from lindung.claims.choices import ClaimState
from lindung.claims.models import Claim
from lindung.claims.services import claim_move, claim_payment_record
from lindung.claims.transitions import TRANSITIONS
from lindung.common.errors import ApplicationError

from .conftest import DEATH, JKM_TOTAL, move

pytestmark = pytest.mark.django_db

S = ClaimState
ROLES = {
    "admin": Role.REGENCY_ADMIN,
    "bpjs": Role.BPJS_OFFICER,
    "operator": Role.VILLAGE_OPERATOR,
    "auditor": Role.AUDITOR,
    "head": Role.REGIONAL_HEAD,
}


@pytest.fixture
def claim_in(jkm_claim, users):
    """A complete claim put straight into a state, every condition of the next step met
    (documents, heirs, a payable amount, verified by someone else)."""
    claim = jkm_claim(paid=False)

    def put(state: str) -> Claim:
        Claim.objects.filter(pk=claim.pk).update(
            state=state,
            rejection_reason="alasan" if state == S.REJECTED else "",
            payable=JKM_TOTAL,
            computed={"payable": JKM_TOTAL, "components": [], "not_payable": []},
            verified_by=users["bpjs2"] if state in (S.VERIFIED, S.APPROVED) else None,
        )
        claim.refresh_from_db()
        return claim

    return put


def test_the_table_gives_every_step_to_exactly_one_claim_action():
    claim_actions = {Action.FILE_CLAIM, Action.DECIDE_CLAIM, Action.PAY_CLAIM}
    assert set(TRANSITIONS.values()) <= claim_actions
    assert all(to != S.FILED for (_before, to) in TRANSITIONS)
    assert not any(before in (S.PAID, S.REJECTED) for (before, _to) in TRANSITIONS)


@pytest.mark.parametrize(
    ("before", "to"),
    [(b, t) for b, t in itertools.product(S.values, S.values) if t != S.PAID and b != t],
)
@pytest.mark.parametrize("who", list(ROLES))
def test_each_step_by_each_role(claim_in, users, before, to, who, monkeypatch):
    # The worker stays alive in this table: what approval does to them is tested in the flow.
    monkeypatch.setattr("lindung.claims.services._end_on_death", lambda actor, claim: None)
    claim = claim_in(before)
    actor = users[who]
    action = TRANSITIONS.get((before, to))
    call = dict(actor=actor, claim=claim, to=to, expected_state=before, reason="alasan")
    if action is None:
        with pytest.raises(ApplicationError) as refused:
            claim_move(**call)
        assert refused.value.code == "transition"
    elif not role_allows(ROLES[who], action):
        with pytest.raises(PermissionDenied):
            claim_move(**call)
    else:
        assert claim_move(**call).state == to
        return
    claim.refresh_from_db()
    assert claim.state == before


def test_a_stale_decision_is_409_with_the_state_it_is_in_now(claim_in, users):
    claim = claim_in(S.DOCUMENTS_COMPLETE)
    with pytest.raises(ApplicationError) as stale:
        claim_move(
            actor=users["bpjs"], claim=claim, to=S.REJECTED, expected_state=S.FILED, reason="x"
        )
    assert stale.value.status == 409 and stale.value.extra == {"state": S.DOCUMENTS_COMPLETE}
    with pytest.raises(ApplicationError) as missing:
        claim_move(actor=users["bpjs"], claim=claim, to=S.VERIFIED, expected_state="")
    assert missing.value.code == "expected_state_required"


def test_the_verifier_cannot_approve_the_same_claim(jkm_claim, users):
    claim = jkm_claim()
    move(users["admin"], claim, S.DOCUMENTS_COMPLETE)
    move(users["bpjs"], claim, S.VERIFIED)
    with pytest.raises(ApplicationError) as own:
        move(users["bpjs"], claim, S.APPROVED)
    assert own.value.status == 403 and own.value.code == "own_verification"
    assert move(users["bpjs2"], claim, S.APPROVED).state == S.APPROVED


def test_documents_are_complete_only_when_the_checklist_is(jkm_claim, users):
    from .conftest import documents_for

    claim = jkm_claim(complete=False)
    documents_for(users["admin"], claim, ["membership_card", "death_certificate"])
    with pytest.raises(ApplicationError) as missing:
        move(users["admin"], claim, S.DOCUMENTS_COMPLETE)
    assert missing.value.code == "documents_missing"
    assert "KK" in missing.value.message


def test_rejecting_needs_a_reason_and_is_refused_once_money_was_paid(claim_in, users):
    import datetime as dt

    claim = claim_in(S.APPROVED)
    with pytest.raises(ApplicationError) as no_reason:
        move(users["bpjs"], claim, S.REJECTED, reason="  ")
    assert no_reason.value.code == "reason_required"
    heir = claim.heirs.first()
    claim_payment_record(
        actor=users["bpjs"],
        claim=claim,
        claim_heir_id=heir.pk,
        amount=1_000_000,
        paid_on=dt.date(2025, 12, 1),
        reference="T1",
    )
    with pytest.raises(ApplicationError) as paid:
        move(users["bpjs"], claim, S.REJECTED, reason="salah")
    assert paid.value.status == 409


def test_a_claim_of_another_regency_is_refused_to_a_bpjs_officer_there(claim_in, users):
    claim = claim_in(S.DOCUMENTS_COMPLETE)
    with pytest.raises(PermissionDenied):
        move(users["other_bpjs"], claim, S.VERIFIED)


def test_an_unknown_or_huge_state_is_refused(claim_in, users):
    claim = claim_in(S.FILED)
    for bad in ("paid\x00", "x" * 10_000, "PAID"):
        with pytest.raises(ApplicationError):
            claim_move(actor=users["bpjs"], claim=claim, to=bad, expected_state=S.FILED)


def test_event_date_in_the_future_is_refused(participant_of, users):
    import datetime as dt

    from django.utils import timezone

    from lindung.claims.services import claim_file

    participant = participant_of(paid=False)
    with pytest.raises(ApplicationError) as future:
        claim_file(
            actor=users["admin"],
            participant=participant,
            claim_type="jkm",
            event_date=timezone.localdate() + dt.timedelta(days=1),
        )
    assert future.value.code == "event_date"
    claim_file(actor=users["admin"], participant=participant, claim_type="jkm", event_date=DEATH)
    with pytest.raises(ApplicationError) as twice:
        claim_file(actor=users["bpjs"], participant=participant, claim_type="jkm", event_date=DEATH)
    assert twice.value.status == 409
    with pytest.raises(PermissionDenied):
        claim_file(
            actor=users["operator"],
            participant=participant,
            claim_type="jkk-medical",
            event_date=DEATH,
        )
