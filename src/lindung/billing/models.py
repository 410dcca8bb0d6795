"""Contribution rules as dated, cited data (issue 9 §1).

Every figure the law sets (JKK per declared-income step, JKM flat, JHT percentage, the PP 50/2025
discount months, which occupations count as transport) is a row here with the dates it is in
force and its legal citation. A rate change is a new row, never a code change: rules are looked
up by contribution month, so a later-dated row changes only the months from its date.

Dates are whole contribution months: `valid_from` is the first day of a month and `valid_to`
(inclusive, empty while in force) the last day of one; the loader refuses anything else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Component(models.TextChoices):
    JKK = "jkk", _("Work accident (JKK)")
    JKM = "jkm", _("Death (JKM)")
    JHT = "jht", _("Old age savings (JHT)")


class Sector(models.TextChoices):
    """PP 50/2025 names its discount months by sector: transport or all others."""

    TRANSPORT = "transport", _("Transport (drivers, couriers, ojek)")
    OTHER = "other", _("Other sectors")


class ContributionRule(models.Model):
    """One component's contribution for non-wage-earner participants (BPU) over a period.

    Either a flat `amount` (JKK for one declared-income step, JKM) or `rate_bp`, basis points of
    the declared income (JHT 2 % = 200). A row with an income band (`income_from`..`income_to`,
    inclusive) applies only to declared incomes inside it: JKK is set per step of PP 44/2015
    Annex II, and a declared income with no step row is refused, never interpolated.
    """

    code = models.SlugField(max_length=60)
    component = models.CharField(max_length=3, choices=Component.choices)
    income_from = models.PositiveBigIntegerField(null=True, blank=True)
    income_to = models.PositiveBigIntegerField(null=True, blank=True)
    amount = models.PositiveBigIntegerField(null=True, blank=True)
    rate_bp = models.PositiveIntegerField(null=True, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    citation = models.TextField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["component", "income_from", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=~Q(citation=""), name="contribution_rule_cited"),
            models.CheckConstraint(
                condition=(Q(amount__isnull=False) & Q(rate_bp__isnull=True))
                | (Q(amount__isnull=True) & Q(rate_bp__isnull=False)),
                name="contribution_rule_amount_or_rate",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="contribution_rule_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(income_from__isnull=True)
                | Q(income_to__isnull=True)
                | Q(income_to__gte=models.F("income_from")),
                name="contribution_rule_band_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from}–{self.valid_to or '…'})"


class DiscountRule(models.Model):
    """A cut of some components for named contribution months (PP 50/2025: 50 % of JKK and JKM).

    It applies to self-paid participants; funders of the kinds in `excluded_funder_kinds`
    (comma-separated, e.g. APBN/APBD under PP 50/2025 Art. 3(5)) never get it, and any other
    funder gets it only when its own setting (`programs.Funder.discounts_apply`) says so.
    """

    code = models.SlugField(max_length=60, unique=True)
    applies_jkk = models.BooleanField(default=False)
    applies_jkm = models.BooleanField(default=False)
    applies_jht = models.BooleanField(default=False)
    percent = models.PositiveSmallIntegerField()
    sector = models.CharField(max_length=10, choices=Sector.choices)
    month_from = models.DateField()
    month_to = models.DateField()
    excluded_funder_kinds = models.CharField(max_length=200, blank=True)
    citation = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month_from", "code"]
        constraints = [
            models.CheckConstraint(condition=~Q(citation=""), name="discount_rule_cited"),
            models.CheckConstraint(
                condition=Q(percent__gte=1) & Q(percent__lte=100), name="discount_rule_percent"
            ),
            models.CheckConstraint(
                condition=Q(month_to__gte=models.F("month_from")), name="discount_rule_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.month_from:%Y-%m}–{self.month_to:%Y-%m})"


class SectorOccupation(models.Model):
    """Which occupations (registry codes) count as transport for PP 50/2025; all others are
    "other sectors". Kept here, not on the occupation list, because the sector split is the
    regulation's, and more entries (a courier role, say) are added as data with their reason."""

    occupation_code = models.SlugField(max_length=40, unique=True)
    sector = models.CharField(max_length=10, choices=Sector.choices)
    citation = models.TextField()

    def __str__(self) -> str:
        return f"{self.occupation_code} → {self.sector}"


class Invoice(models.Model):
    """One funder's bill for one contribution month (issue 9 §4).

    The amounts live on the lines, copied from the rules in force when it was issued, so a rule
    added later never changes an issued invoice. `holidays_known` is False when neither lokal-id
    nor billing's own calendar had the year's holidays: the due date then skips weekends only.
    """

    REGION_FIELD = "region__code"

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    funder = models.ForeignKey("programs.Funder", on_delete=models.PROTECT, related_name="+")
    # The program's owner region: the invoice is scoped like its program.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # first day of the contribution month
    month_index = models.PositiveIntegerField()  # year × 12 + month − 1, for set-based joins
    due_date = models.DateField()
    holidays_known = models.BooleanField(default=True)
    holiday_source = models.CharField(max_length=200, blank=True, default="")
    participants = models.PositiveIntegerField(default=0)
    jkk = models.PositiveBigIntegerField(default=0)
    jkm = models.PositiveBigIntegerField(default=0)
    jht = models.PositiveBigIntegerField(default=0)
    discount = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    rules = models.JSONField(default=list)  # [{code, citation}] applied on this invoice
    refused = models.JSONField(default=list)  # people the rules could not price, with why
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month", "funder_id"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "month"], name="invoice_once_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.funder_id} {self.month:%Y-%m}"


class InvoiceLine(models.Model):
    """One participant-month on an invoice: the flat monthly amount, no proration."""

    # No database foreign-key constraints on the three keys, on purpose: lines are written only
    # by the invoice run's one INSERT … SELECT (invoicing._insert_lines), which takes them from
    # the invoice created in the same transaction and from existing participants and their
    # villages, so each key holds by construction. A constraint would add one deferred check
    # per line at COMMIT (three per participant-month: a third of the run at a million lines).
    # Deletes stay guarded: on_delete=PROTECT is enforced by Django, which refuses to delete an
    # invoice, participant or village that has lines (tested in test_invoicing).
    # No index of its own either: invoice_line_village (invoice, village) serves every
    # lookup by invoice, and one index fewer is one fewer to write per line.
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    participant = models.ForeignKey(
        "enrolment.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    month_index = models.PositiveIntegerField()
    jkk = models.PositiveBigIntegerField()
    jkm = models.PositiveBigIntegerField()
    jht = models.PositiveBigIntegerField()
    discount = models.PositiveBigIntegerField()
    amount = models.PositiveBigIntegerField()
    # The day the line became fully paid: the payment date at which its allocations, in payment
    # date order, first reach its amount; NULL while anything is owed. A summary of the
    # allocations kept by invoicing.settle_lines whenever allocations are written, so that
    # "paid by day D" for a million people is `settled_on <= D` instead of summing allocations.
    settled_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            # A participant has one funder, so one line per participant-month at most.
            models.UniqueConstraint(
                fields=["participant", "month_index"], name="invoice_line_once"
            ),
        ]
        indexes = [models.Index(fields=["invoice", "village"], name="invoice_line_village")]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.participant_id} {self.amount}"


class Payment(models.Model):
    """Money a funder paid, with its bank/transfer reference (unique per funder)."""

    REGION_FIELD = "region__code"

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    funder = models.ForeignKey("programs.Funder", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=60)
    amount = models.PositiveBigIntegerField()
    paid_on = models.DateField()
    first_month = models.DateField()
    months = models.PositiveSmallIntegerField(default=1)  # 1, or 2/3/6/12 paid in advance
    allocated = models.PositiveBigIntegerField(default=0)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "reference"], name="payment_reference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.amount})"

    @property
    def credit(self) -> int:
        """What this payment holds beyond the participant-months it paid: credited forward."""
        return self.amount - self.allocated


class PaymentAllocation(models.Model):
    """Which participant-month a payment paid, and how much of it: what a payment covers is
    explicit, row by row."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    line = models.ForeignKey(InvoiceLine, on_delete=models.PROTECT, related_name="allocations")
    amount = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["line"], name="allocation_line")]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.line_id}: {self.amount}"
