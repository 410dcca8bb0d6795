"""Claims: benefit rules by date (`rulebook.py`), and claims, their heirs and payments (here)."""

from lindung.claims.rulebook import *  # noqa: F403  (rule tables live in their own module)

# isort: split
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ClaimState, ClaimType, DocumentKind, SchoolLevel

_USER = {
    "to": settings.AUTH_USER_MODEL,
    "null": True,
    "blank": True,
    "on_delete": models.SET_NULL,
    "related_name": "+",
    "db_index": False,
}


class Claim(models.Model):
    """A benefit claimed for one participation: filed, its documents completed, verified (the
    benefit computed by the rules in force, never typed), approved by another officer, paid to
    the heirs — or rejected with a reason. `computed` is the calculator's answer taken at
    verification; approval freezes it, so a later rule never changes an approved claim."""

    REGION_FIELD = "participant__village__code"

    participant = models.ForeignKey(
        "enrolment.Participant", on_delete=models.PROTECT, related_name="claims"
    )
    # Denormalised from the participant for the register's grouping (program, village).
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    claim_type = models.CharField(_("claim type"), max_length=20, choices=ClaimType.choices)
    event_date = models.DateField(_("event date"))
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    cause = models.TextField(_("cause"), blank=True, default="")
    # JKK reporting (stage I ≤ 2×24 h after the accident, stage II ≤ 2×24 h after the doctor's
    # statement; judged in `reporting.py`). The times are optional: without them a report two
    # days after cannot be judged to the hour, and the page says so.
    event_time = models.TimeField(_("event time"), null=True, blank=True)
    report_1_date = models.DateField(_("stage I report"), null=True, blank=True)
    report_1_time = models.TimeField(_("stage I report time"), null=True, blank=True)
    doctor_statement_date = models.DateField(_("doctor's statement"), null=True, blank=True)
    doctor_statement_time = models.TimeField(_("doctor's statement time"), null=True, blank=True)
    report_2_date = models.DateField(_("stage II report"), null=True, blank=True)
    report_2_time = models.TimeField(_("stage II report time"), null=True, blank=True)
    at_work = models.BooleanField(_("while working"), default=False)
    wage = models.PositiveBigIntegerField(_("wage used (Rp)"), default=0)
    state = models.CharField(
        _("state"), max_length=20, choices=ClaimState.choices, default=ClaimState.FILED
    )
    version = models.PositiveIntegerField(default=1)
    rejection_reason = models.TextField(_("rejection reason"), blank=True, default="")
    computed = models.JSONField(default=dict, blank=True)
    payable = models.PositiveBigIntegerField(default=0)
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(**_USER)
    documents_completed_at = models.DateTimeField(null=True, blank=True)
    documents_completed_by = models.ForeignKey(**_USER)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(**_USER)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(**_USER)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(**_USER)
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(**_USER)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["program", "state"], name="claim_program_state"),
            models.Index(fields=["participant"], name="claim_participant"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ClaimState.REJECTED) | ~Q(rejection_reason=""),
                name="claim_rejected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_claim_type_display()} #{self.pk}"

    @property
    def village_id(self) -> str:
        return self.participant.village_id


class ClaimDocument(models.Model):
    """An uploaded file of a claim, of one kind of its checklist. Stored under a random name;
    served only through the claim's scoped view."""

    REGION_FIELD = "claim__participant__village__code"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(**_USER)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class ClaimHeir(models.Model):
    """Who receives (part of) a claim: a registered heir of the worker, or (no heirs) whoever
    arranged the burial, typed in. `share_bp` is the share the heirs' statement gives, in basis
    points; the shares of a claim add up to 10,000."""

    REGION_FIELD = "claim__participant__village__code"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="heirs")
    heir = models.ForeignKey(
        "registry.Heir", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    relationship = models.CharField(_("relationship"), max_length=20, blank=True, default="")
    heir_class = models.PositiveSmallIntegerField(_("heir class"))
    share_bp = models.PositiveIntegerField(_("share (basis points)"))
    bank_name = models.CharField(_("bank"), max_length=60, blank=True, default="")
    bank_account = models.CharField(_("bank account"), max_length=30, blank=True, default="")

    class Meta:
        ordering = ["heir_class", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_bp__gte=1) & Q(share_bp__lte=10_000), name="claim_heir_share"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def share_percent(self) -> str:
        return f"{self.share_bp / 100:.2f}".rstrip("0").rstrip(".")


class ClaimPayment(models.Model):
    """Money paid to one heir (or to the participant) for a claim."""

    REGION_FIELD = "claim__participant__village__code"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    claim_heir = models.ForeignKey(
        ClaimHeir, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.PositiveBigIntegerField()
    bank_name = models.CharField(max_length=60, blank=True, default="")
    bank_account = models.CharField(max_length=30, blank=True, default="")
    paid_on = models.DateField()
    reference = models.CharField(max_length=60)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(**_USER)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "reference"], name="claim_payment_reference_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.amount})"


class ScholarshipPlace(models.Model):
    """One of at most two scholarship places of a deceased participant: a child registered as
    an heir before the death. The place can move once to a substitute child."""

    REGION_FIELD = "participant__village__code"

    participant = models.ForeignKey(
        "enrolment.Participant", on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="places"
    )
    child = models.ForeignKey("registry.Heir", on_delete=models.PROTECT, related_name="+")
    moved_from = models.ForeignKey(
        "registry.Heir", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.child_id}"


class ScholarshipYear(models.Model):
    """A place's school level and year, tracked year by year (claimed every year)."""

    REGION_FIELD = "place__participant__village__code"

    place = models.ForeignKey(ScholarshipPlace, on_delete=models.CASCADE, related_name="years")
    school_year = models.PositiveSmallIntegerField()  # the year the school year starts
    level = models.CharField(max_length=12, choices=SchoolLevel.choices)
    grade = models.PositiveSmallIntegerField(default=1)
    recorded_at = models.DateTimeField()
    # The child who held the place that year (a place moves once to a substitute child).
    child = models.ForeignKey(
        "registry.Heir", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The scholarship claim that pays this school year (a rejected claim lets go of it).
    claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scholarship_years",
    )

    class Meta:
        ordering = ["school_year"]
        constraints = [
            models.UniqueConstraint(fields=["place", "school_year"], name="scholarship_year_once"),
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.school_year} {self.level}"
