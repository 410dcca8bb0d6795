"""What each action on a claim did, in one sentence for the person who did it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lindung.common.text import number

from .choices import ClaimState
from .models import Claim, ClaimDocument, ClaimPayment

S = ClaimState


def _rp(amount: int) -> str:
    return "Rp" + number(amount)


def filed(claim: Claim) -> str:
    return _("%(type)s claim #%(id)s filed for %(name)s.") % {
        "type": claim.get_claim_type_display(),
        "id": claim.pk,
        "name": claim.worker.name,
    }


def document_added(document: ClaimDocument) -> str:
    return _("%(kind)s uploaded (%(file)s).") % {
        "kind": document.get_kind_display(),
        "file": document.original_name,
    }


def heirs_set(n: int) -> str:
    return _("Heirs and shares recorded (%(n)s heir(s), 100 %%).") % {"n": n}


def moved(claim: Claim) -> str:
    args = {"id": claim.pk, "amount": _rp(claim.payable)}
    if claim.state == S.DOCUMENTS_COMPLETE:
        return _("Claim #%(id)s: documents complete, sent to BPJS for verification.") % args
    if claim.state == S.VERIFIED:
        return _("Claim #%(id)s verified: %(amount)s payable by the rules in force.") % args
    if claim.state == S.APPROVED:
        return _("Claim #%(id)s approved: %(amount)s to pay.") % args
    if claim.state == S.REJECTED:
        return _("Claim #%(id)s rejected.") % args
    return _("Claim #%(id)s moved.") % args


def paid(payment: ClaimPayment, claim: Claim) -> str:
    args = {"amount": _rp(payment.amount), "ref": payment.reference, "id": claim.pk}
    if claim.state == S.PAID:
        return _("Payment %(ref)s of %(amount)s recorded; claim #%(id)s is paid in full.") % args
    return _("Payment %(ref)s of %(amount)s recorded.") % args
