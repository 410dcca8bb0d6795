"""Benefit rules as dated, cited data (DOMAIN.md §3).

Every figure the regulations set for a benefit (JKM amounts, JKK caps and wage multiples, the
scholarship levels, the membership and contribution minimums, the 5-year lapse, the arrears
limit) is a `BenefitRule` row: a `code`, an integer `value` in the row's `unit` (rupiah, a
multiple of the declared wage, a percent, months, years or a count), the dates it is in force
and its legal citation. A change in the law is a new row with a later `valid_from`, never a
code change: the calculator looks rules up by the date of the event (death, accident), so a
later row changes the results for later events only.

The partial-disability percentage table (PP 82/2019 Annex III) is not transcribed anywhere we
can reach: `DisabilityRate` starts empty and is loaded from a cited file
(`lindung benefit-rules load-disability FILE`); the calculator takes a percent directly.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["BenefitRule", "DisabilityRate", "Unit"]


class Unit(models.TextChoices):
    RUPIAH = "rupiah", _("rupiah")
    WAGE_MULTIPLE = "wage_multiple", _("times the declared wage")
    PERCENT = "percent", _("percent")
    HOURS = "hours", _("hours")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")
    COUNT = "count", _("count")


class BenefitRule(models.Model):
    """One figure of the benefit rules over a period, with its legal citation."""

    code = models.SlugField(max_length=60)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    value = models.PositiveBigIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)  # inclusive; empty while in force
    citation = models.TextField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=~Q(citation=""), name="benefit_rule_cited"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="benefit_rule_dates_ordered",
            ),
            models.UniqueConstraint(fields=["code", "valid_from"], name="benefit_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.value} {self.unit} ({self.valid_from}–{self.valid_to or '…'})"


class DisabilityRate(models.Model):
    """One row of the partial-disability percentage table (PP 82/2019 Annex III): the percent
    of 80 × wage that the loss of one body part or function is worth. Loaded as data only."""

    code = models.SlugField(max_length=60)
    description = models.CharField(max_length=200)
    percent = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    citation = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=~Q(citation=""), name="disability_rate_cited"),
            models.CheckConstraint(
                condition=Q(percent__gte=1) & Q(percent__lte=100), name="disability_rate_percent"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="disability_rate_dates_ordered",
            ),
            models.UniqueConstraint(fields=["code", "valid_from"], name="disability_rate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.percent}% ({self.valid_from}–{self.valid_to or '…'})"
