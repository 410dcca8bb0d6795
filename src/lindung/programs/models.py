"""Programs, their funders and eligibility rules, and submissions with the people on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Open for submissions")
    CLOSED = "closed", _("Closed")


class Program(models.Model):
    """A protection program run by a regency, province or village, e.g. Muara Enim's village
    workers Oct–Dec 2025 under Surat Edaran Bupati 140/792/DPMD-IV/2025."""

    REGION_FIELD = "owner_region__code"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    owner_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner region")
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    jkk = models.BooleanField(_("work accident (JKK)"), default=True)
    jkm = models.BooleanField(_("death (JKM)"), default=True)
    jht = models.BooleanField(_("old age savings (JHT)"), default=False)
    wage_basis = models.PositiveBigIntegerField(_("declared wage basis (Rp)"), default=1_000_000)
    coverage_start = models.DateField(_("coverage from"))
    coverage_end = models.DateField(_("coverage until"))
    target_workers = models.PositiveIntegerField(_("target workers"), null=True, blank=True)
    min_per_village = models.PositiveIntegerField(_("minimum per village"), null=True, blank=True)
    data_deadline = models.DateField(_("data deadline"), null=True, blank=True)
    registration_start = models.DateField(_("registration from"), null=True, blank=True)
    eligible_occupations = models.ManyToManyField(
        "registry.Occupation", blank=True, related_name="+", verbose_name=_("eligible occupations")
    )
    status = models.CharField(max_length=10, choices=ProgramStatus.choices, default="draft")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-coverage_start", "name"]

    def __str__(self) -> str:
        return self.name


class FunderKind(models.TextChoices):
    APBD = "apbd", _("Regency budget (APBD)")
    APBD_REVISED = "apbd_perubahan", _("Revised regency budget (APBD-P)")
    APBD_PROVINCE = "apbd_provinsi", _("Province budget (APBD Provinsi)")
    APBDES = "apbdes", _("Village budget (APBDes / Dana Desa)")
    CSR = "csr", _("Company CSR")


class Funder(models.Model):
    """Who pays, for whom: a region (e.g. one village for its APBDes) and optionally
    occupations (e.g. palm-oil farmers paid by a company)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="funders")
    kind = models.CharField(max_length=20, choices=FunderKind.choices)
    name = models.CharField(max_length=200)
    covers_region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    covers_occupations = models.ManyToManyField("registry.Occupation", blank=True, related_name="+")
    budget = models.PositiveBigIntegerField(null=True, blank=True)
    # Whether contribution discounts meant for self-paid workers (PP 50/2025: 50 % of JKK and
    # JKM for named months) reach the people this funder pays for. PP 50/2025 Art. 3(5)
    # excludes APBN/APBD-funded contributions, so billing never applies it to the APBD kinds
    # whatever this says; for APBDes and CSR the regulation is silent. Default off: a budget
    # planned at the full tariff is never short, and months overpaid under a discount are
    # credited forward (Art. 6), while one planned at half is short if BPJS disagrees. A funder
    # that has BPJS's confirmation switches it on.
    discounts_apply = models.BooleanField(
        _("self-payer discounts apply (e.g. PP 50/2025)"), default=False
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class EligibilityRules(models.Model):
    """One version of a program's eligibility rules; the version in force on a date applies.

    Figures are data with their citation: the age cap is 65 in the programs we know (one PALI
    village used 60), so it is per program, not a constant.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rules")
    valid_from = models.DateField()
    age_min = models.PositiveSmallIntegerField(default=18)
    age_max_exclusive = models.PositiveSmallIntegerField(default=65)
    require_poverty_list = models.BooleanField(default=False)
    poverty_max_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    # Programs protect informal workers; a program that also covers employees or people not
    # working (pupils, pensioners, homemakers) says so here.
    admit_formal_and_not_working = models.BooleanField(default=False)
    citation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-valid_from", "-id"]

    def __str__(self) -> str:
        return f"{self.program} rules from {self.valid_from}"


class PovertyRecord(models.Model):
    """A person's decile in an imported socio-economic list (DTSEN, formerly DTKS/P3KE)."""

    nik = models.CharField(max_length=16, db_index=True)
    decile = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=40, default="DTSEN")
    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nik", "source", "year"], name="poverty_unique")
        ]

    def __str__(self) -> str:
        return f"{self.nik}: decile {self.decile} ({self.source} {self.year})"


# --- submissions -------------------------------------------------------------------------------


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted by the village")
    RETURNED = "returned", _("Returned to the village")
    APPROVED = "approved", _("Approved by the regency")
    VERIFIED = "verified", _("Verified by BPJS")
    READY = "ready", _("Ready for enrolment")


class Submission(models.Model):
    """A village's list of people for one program, through village → regency → BPJS."""

    REGION_FIELD = "village__code"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="submissions")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=SubmissionState.choices, default="draft")
    notes = models.TextField(blank=True)  # the regency's notes when it returns a list
    # Counts the moves: a decision names the version it was made on, so one made on a list
    # that moved since (even back to the same state: returned, then submitted again) is stale.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Who took each step: whoever submitted a list may not approve or verify it (four eyes).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["program", "village"]
        constraints = [
            models.UniqueConstraint(fields=["program", "village"], name="submission_per_village")
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.village.name}"


class Outcome(models.TextChoices):
    PENDING = "pending", _("Waiting for BPJS")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    # Not eligible when the regency approved the list: never sent on to BPJS, the reasons stay
    # on the row for the village to read (issue 8 §2).
    EXCLUDED = "excluded", _("Excluded by the regency (not eligible)")


class SubmissionPerson(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="people")
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    eligible = models.BooleanField(default=False)
    # [{"code": "age_limit", "message": "..."}], from the eligibility rules
    reasons = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default="pending")
    outcome_reason = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # Taken off the list by the village (kept, never deleted: the regency sees who and why).
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "worker__name"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "worker"], name="person_once_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.worker} in {self.submission}"
