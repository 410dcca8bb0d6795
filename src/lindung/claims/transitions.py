"""The claim's states and who moves it between them: one table, one action (so one role) per
step. Payments move an approved claim to paid (`services.claim_payment_record`), never a button.
"""

from __future__ import annotations

from lindung.accounts.roles import Action

from .choices import ClaimState

S = ClaimState
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.FILED, S.DOCUMENTS_COMPLETE): Action.FILE_CLAIM,  # the filer: the checklist is satisfied
    (S.DOCUMENTS_COMPLETE, S.VERIFIED): Action.DECIDE_CLAIM,  # BPJS computes the benefit
    (S.VERIFIED, S.APPROVED): Action.DECIDE_CLAIM,  # another BPJS officer approves
    (S.APPROVED, S.PAID): Action.PAY_CLAIM,  # when the payments reach the payable amount
    (S.FILED, S.REJECTED): Action.DECIDE_CLAIM,
    (S.DOCUMENTS_COMPLETE, S.REJECTED): Action.DECIDE_CLAIM,
    (S.VERIFIED, S.REJECTED): Action.DECIDE_CLAIM,
    (S.APPROVED, S.REJECTED): Action.DECIDE_CLAIM,  # only while nothing has been paid
}
# Steps a user takes with a button (paid follows from the payments).
BUTTONS = tuple(step for step in TRANSITIONS if step[1] != S.PAID)
# The audit code of each step; literal codes, so the test of audit labels finds every one.
MOVE_ACTIONS = {
    S.DOCUMENTS_COMPLETE: "claim.documents_complete",
    S.VERIFIED: "claim.verified",
    S.APPROVED: "claim.approved",
    S.PAID: "claim.paid",
    S.REJECTED: "claim.rejected",
}
