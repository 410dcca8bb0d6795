"""Claim types, states and the document checklist per type, as data (issue 10 §2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimType(models.TextChoices):
    JKM = "jkm", _("Death (JKM)")
    JKK_MEDICAL = "jkk-medical", _("Work accident: medical care (JKK)")
    JKK_STMB = "jkk-stmb", _("Work accident: temporary incapacity (JKK)")
    JKK_DISABILITY = "jkk-disability", _("Work accident: disability (JKK)")
    JKK_DEATH = "jkk-death", _("Work accident: death (JKK)")
    SCHOLARSHIP = "scholarship", _("Scholarship")


# Types whose approval means the participant died: the enrolment ends and the worker is marked.
DEATH_TYPES = frozenset({ClaimType.JKM, ClaimType.JKK_DEATH})
JKK_TYPES = frozenset(
    {ClaimType.JKK_MEDICAL, ClaimType.JKK_STMB, ClaimType.JKK_DISABILITY, ClaimType.JKK_DEATH}
)
# Types paid to heirs (a share per heir); the others are paid to the participant.
HEIR_TYPES = frozenset({ClaimType.JKM, ClaimType.JKK_DEATH, ClaimType.SCHOLARSHIP})


class ClaimState(models.TextChoices):
    FILED = "filed", _("Filed")
    DOCUMENTS_COMPLETE = "documents_complete", _("Documents complete")
    VERIFIED = "verified", _("Verified")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


OPEN_STATES = frozenset(
    {ClaimState.FILED, ClaimState.DOCUMENTS_COMPLETE, ClaimState.VERIFIED, ClaimState.APPROVED}
)


class DocumentKind(models.TextChoices):
    MEMBERSHIP_CARD = "membership_card", _("Membership card (KPJ)")
    HEIR_KTP = "heir_ktp", _("Heir's identity card (KTP)")
    FAMILY_CARD = "family_card", _("Family card (KK)")
    DEATH_CERTIFICATE = "death_certificate", _("Death certificate")
    HEIRS_STATEMENT = "heirs_statement", _("Heirs' statement")
    ACCIDENT_REPORT_I = "accident_report_1", _("Accident report, stage I")
    DOCTOR_STATEMENT = "doctor_statement", _("Doctor's statement")
    ACCIDENT_REPORT_II = "accident_report_2", _("Accident report, stage II")
    MEDICAL_BILLS = "medical_bills", _("Medical bills")
    SCHOOL_CERTIFICATE = "school_certificate", _("School certificate")
    OTHER = "other", _("Other document")


D = DocumentKind
_JKM = (D.MEMBERSHIP_CARD, D.HEIR_KTP, D.FAMILY_CARD, D.DEATH_CERTIFICATE, D.HEIRS_STATEMENT)
_JKK = (D.MEMBERSHIP_CARD, D.ACCIDENT_REPORT_I, D.DOCTOR_STATEMENT, D.ACCIDENT_REPORT_II)
# The documents a claim of each type needs before it is complete (DOMAIN.md §3: JKM needs the
# card, heir's KTP, KK, death certificate and heirs' statement; JKK the reports of both stages
# and the doctor's statement). A changed checklist is a change here, not in code.
CHECKLIST: dict[str, tuple[str, ...]] = {
    ClaimType.JKM: _JKM,
    ClaimType.JKK_MEDICAL: (*_JKK, D.MEDICAL_BILLS),
    ClaimType.JKK_STMB: _JKK,
    ClaimType.JKK_DISABILITY: _JKK,
    ClaimType.JKK_DEATH: (*_JKK, D.DEATH_CERTIFICATE, D.HEIR_KTP, D.FAMILY_CARD, D.HEIRS_STATEMENT),
    ClaimType.SCHOLARSHIP: (D.MEMBERSHIP_CARD, D.FAMILY_CARD, D.SCHOOL_CERTIFICATE),
}


class SchoolLevel(models.TextChoices):
    TK = "tk", _("Kindergarten (TK)")
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA)")
    UNIVERSITY = "university", _("University (up to S1) or training")


# Files a claim accepts: sniffed by their first bytes, never by the name's extension.
MAGIC = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # a scanned certificate is a few hundred kilobytes
MAX_SCHOLARSHIP_CHILDREN = 2  # Permenaker 5/2021 Art. 102 as amended by Permenaker 1/2025
SHARES_TOTAL = 10_000  # basis points: the heirs' shares of one claim add up to 100 %
