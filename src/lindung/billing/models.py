"""Contribution rules as dated, cited data (issue 9 §1).

Every figure the law sets (JKK per declared-income step, JKM flat, JHT percentage, the PP 50/2025
discount months, which occupations count as transport) is a row here with the dates it is in
force and its legal citation. A rate change is a new row, never a code change: rules are looked
up by contribution month, so a later-dated row changes only the months from its date.

Dates are whole contribution months: `valid_from` is the first day of a month and `valid_to`
(inclusive, empty while in force) the last day of one; the loader refuses anything else.
"""

from __future__ import annotations

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
