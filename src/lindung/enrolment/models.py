"""Participants: one row per person per program period, with their KPJ and coverage dates.

Billing (invoices, arrears) and the one "protected on date D?" answer read this table set-based
for up to a million people, so it carries what they join on directly (program, village, funder,
worker, dates, KPJ) and is indexed for those joins rather than for the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import EndReason, ParticipantState


class Participant(models.Model):
    """A person protected (or about to be) by one program for one period.

    Coverage is the closed date range [start_date, end_date]: from the program's start (or the
    date BPJS's answer gives, "TMT") to the program's end, or earlier when the participation is
    ended (death, moving away…). A row whose end falls before its start never covered a day.
    A registered row (no KPJ yet) holds the period planned for it, so the one-program-a-day rule
    already reserves those days; it protects nobody until BPJS issues the KPJ
    (`selectors.covered_on`).
    """

    REGION_FIELD = "village__code"  # the FK holds the code: scoping needs no join

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="participants"
    )
    worker = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, related_name="participations"
    )
    # Where the person came from: the accepted line of a ready village list, or (renewal) the
    # participation of the previous period. One of the two is set.
    # SET_NULL: a merge of two records of one person drops the merged-away list line.
    submission_person = models.ForeignKey(
        "programs.SubmissionPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    renewed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The village at enrolment: invoices and reports group by it even if the person moves later.
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    # Who pays for this person (see `services.resolve_funders` for the rule).
    funder = models.ForeignKey("programs.Funder", on_delete=models.PROTECT, related_name="+")
    # Whole rupiah: the income declared to BPJS, which sets the JKK step and the JHT 2 %.
    declared_wage = models.PositiveBigIntegerField(_("declared wage (Rp)"))
    jkk = models.BooleanField(default=True)
    jkm = models.BooleanField(default=True)
    jht = models.BooleanField(default=False)
    # BPJS's participant number: 11 digits kept as text (leading zeros matter). One per person
    # across programs, so the same KPJ appears on each period of the same worker.
    kpj = models.CharField("KPJ", max_length=11, null=True, blank=True)
    state = models.CharField(
        max_length=12, choices=ParticipantState.choices, default=ParticipantState.REGISTERED
    )
    registered_at = models.DateTimeField()
    start_date = models.DateField(_("coverage from"))
    end_date = models.DateField(_("coverage until"))
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True, default="")
    end_note = models.TextField(blank=True, default="")
    ended_at = models.DateTimeField(null=True, blank=True)
    kpj_assigned_at = models.DateTimeField(null=True, blank=True)
    # Per-row provenance of the bulk writes: the batch (named in its audit event) that created
    # the row, and the one that last set its KPJ. No foreign key: nothing to check per row.
    enrol_batch = models.UUIDField(editable=False)
    kpj_batch = models.UUIDField(null=True, blank=True, editable=False)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["program", "village", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "worker"], name="participant_once"),
            # Within a program a KPJ names one person; across programs the service (and, on
            # PostgreSQL, an exclusion constraint) keeps a KPJ on one worker.
            models.UniqueConstraint(
                fields=["program", "kpj"],
                condition=Q(kpj__isnull=False),
                name="participant_kpj_once",
            ),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(state=ParticipantState.ENDED),
                name="participant_end_reason_when_ended",
            ),
        ]
        indexes = [
            # Invoices and figures per village: program, then village.
            models.Index(fields=["program", "village"], name="participant_program_village"),
            # "Protected on D?" for one person and the overlap check: worker, then dates.
            models.Index(
                fields=["worker", "start_date", "end_date"], name="participant_worker_dates"
            ),
            # The KPJ answer and claims look people up by KPJ.
            models.Index(fields=["kpj"], name="participant_kpj"),
            models.Index(fields=["funder"], name="participant_funder"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} in {self.program_id} ({self.start_date}–{self.end_date})"

    @property
    def covers_a_day(self) -> bool:
        return self.end_date >= self.start_date
