"""Roles and what each may do. The one table of permissions; `scoping` applies it per region."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_OPERATOR = "village_operator", _("Village operator")
    REGENCY_ADMIN = "regency_admin", _("Regency admin (DPMD/Dinsos)")
    BPJS_OFFICER = "bpjs_officer", _("BPJS branch officer")
    # A BPJS regional office (kantor wilayah) follows the branches' lists across a province
    # without verifying them itself: BPJS staff, not a regional head, so labelled as BPJS.
    BPJS_REGIONAL = "bpjs_regional", _("BPJS regional office (read-only)")
    REGIONAL_HEAD = "regional_head", _("Regional head (read-only)")
    AUDITOR = "auditor", _("Auditor (read-only + audit)")
    SUPERADMIN = "superadmin", _("Superadmin")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    VIEW_PII = "view_pii", _("view full personal data")
    CREATE = "create", _("create")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    VIEW_AUDIT = "view_audit", _("read the audit trail")
    # Duplicate review and defining programs (regency and BPJS, not villages).
    REVIEW = "review", _("review and verify")
    # The steps of a village list, one role each (separation of duties): the village submits,
    # the regency approves or returns, BPJS decides people, verifies and marks ready.
    SUBMIT = "submit", _("submit a village list")
    APPROVE_REGENCY = "approve_regency", _("approve or return a list for the regency")
    VERIFY_BPJS = "verify_bpjs", _("verify a list for BPJS")
    # Loading a poverty list (DTSEN) changes who is eligible: a regency's social office task.
    LOAD_POVERTY = "load_poverty", _("load a poverty list (DTSEN)")
    # Enrolment, one role each: the regency (the payer's side) turns ready lists into
    # participants, exports BPJS's registration file, reads BPJS's answer and ends or renews
    # participations; BPJS enters or corrects a person's KPJ number.
    ENROL = "enrol", _("enrol, end and renew participants")
    SET_KPJ = "set_kpj", _("enter or correct a KPJ number")
    # Billing: the regency (the payer) issues its invoices and records what it paid.
    ISSUE_INVOICE = "issue_invoice", _("issue contribution invoices")
    RECORD_PAYMENT = "record_payment", _("record contribution payments")
    # Claims: the regency or BPJS files a claim and completes its documents; BPJS verifies,
    # approves or rejects (the verifier never approves the same claim) and records payments.
    FILE_CLAIM = "file_claim", _("file a claim and complete its documents")
    DECIDE_CLAIM = "decide_claim", _("verify, approve or reject a claim")
    PAY_CLAIM = "pay_claim", _("record a claim payment")


_ALL = frozenset(Action)
PERMISSIONS: dict[str, frozenset[str]] = {
    # Operators enter and correct their own village's people, so they see full NIKs there.
    Role.VILLAGE_OPERATOR: frozenset(
        {Action.VIEW, Action.VIEW_PII, Action.CREATE, Action.CHANGE, Action.SUBMIT}
    ),
    Role.REGENCY_ADMIN: frozenset(
        {
            Action.VIEW,
            Action.VIEW_PII,
            Action.CREATE,
            Action.CHANGE,
            Action.DELETE,
            Action.REVIEW,
            Action.APPROVE_REGENCY,
            Action.LOAD_POVERTY,
            Action.ENROL,
            Action.ISSUE_INVOICE,
            Action.RECORD_PAYMENT,
            Action.FILE_CLAIM,
        }
    ),
    # BPJS verifies identities against its own records: full NIK, and corrections.
    Role.BPJS_OFFICER: frozenset(
        {
            Action.VIEW,
            Action.VIEW_PII,
            Action.CHANGE,
            Action.REVIEW,
            Action.VERIFY_BPJS,
            Action.SET_KPJ,
            Action.FILE_CLAIM,
            Action.DECIDE_CLAIM,
            Action.PAY_CLAIM,
        }
    ),
    # The regional office follows the branches' work; verifying stays with the branch.
    Role.BPJS_REGIONAL: frozenset({Action.VIEW}),
    # Regional heads follow figures; they never need a full NIK.
    Role.REGIONAL_HEAD: frozenset({Action.VIEW}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.VIEW_AUDIT}),
    Role.SUPERADMIN: _ALL,
}

# The region level each role is normally assigned at, used to check assignments.
ASSIGNMENT_LEVELS: dict[str, tuple[int, ...]] = {
    Role.VILLAGE_OPERATOR: (4,),
    Role.REGENCY_ADMIN: (2,),
    Role.BPJS_OFFICER: (2, 1),
    Role.BPJS_REGIONAL: (1, 2),
    Role.REGIONAL_HEAD: (1, 2),
    Role.AUDITOR: (1, 2, 3, 4),
    Role.SUPERADMIN: (1, 2, 3, 4),
}


def role_allows(role: str, action: str) -> bool:
    return action in PERMISSIONS.get(role, frozenset())
