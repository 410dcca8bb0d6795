"""Coverage: figures per region and date, the public status check and membership cards."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PublicCheckHit(models.Model):
    """One attempt at the public check, counted for the rate limits (per address, per NIK).

    Counted in the database, not in Django's cache: the site runs several web processes (and
    a local-memory cache is per process), so only a shared store gives one count per address.
    The NIK is kept as a keyed hash, never in clear; rows older than a day are pruned."""

    IP, NIK = "ip", "nik"
    kind = models.CharField(max_length=3, choices=[(IP, "ip"), (NIK, "nik")])
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="coverage_hit_key_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS to a worker's registered phone, for the public check.

    Made for every request, known NIK or not (so both take the same path); only its keyed hash
    is stored. It works once, for 5 minutes, and 3 wrong tries end it."""

    nik_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    # Null when the NIK is unknown or has no phone: such a code can never confirm anything.
    worker = models.ForeignKey(
        "registry.Worker", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code {self.pk}"


class CardToken(models.Model):
    """The opaque token in a membership card's QR code: 160 random bits, stored as a hash.

    It resolves on the public check page to the card holder's masked answer without a second
    factor (it cannot be guessed); revoked tokens answer like unknown ones."""

    REGION_FIELD = "participant__village_id"

    token_hash = models.CharField(max_length=64, unique=True)
    participant = models.ForeignKey(
        "enrolment.Participant", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"card {self.pk}"


# ---------------------------------------------------------------------------------------------
# Figures: pre-aggregated counts kept fresh by `refresh.py`, read by `figures.py`.
# ---------------------------------------------------------------------------------------------


class Snapshot(models.Model):
    """One day the figures were counted for: today's (replaced as the day moves on) and every
    month end (kept, so a trend line needs no recount). `complete` is set once every village
    has been counted for the day."""

    day = models.DateField(primary_key=True)
    complete = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}{'' if self.complete else ' (partial)'}"


class Cell(models.Model):
    """Registered workers of one region on one snapshot day, counted by status, for one
    combination of program, funder kind, occupation group, official role, sex and age band.

    Rows exist per village (level 4) and rolled up per district, regency, province (3, 2, 1)
    and Indonesia (level 0, region ""), so a dashboard of any region reads only its own rows.
    `program_id` and `funder_kind` are those of the participation that covered the person on
    the day (empty: no participation covered them)."""

    day = models.DateField()
    level = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=10)
    parent = models.CharField(max_length=10)
    program_id = models.IntegerField(null=True)
    funder_kind = models.CharField(max_length=20, default="")
    occupation_group = models.CharField(max_length=20, default="")
    official = models.BooleanField(default=False)
    sex = models.CharField(max_length=1, default="")
    age_band = models.CharField(max_length=8, default="")
    protected = models.IntegerField(default=0)
    with_arrears = models.IntegerField(default=0)
    not_protected = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["day", "level", "region"], name="coverage_cell_region"),
            models.Index(fields=["day", "level", "parent"], name="coverage_cell_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region or 'ID'}"


class Total(models.Model):
    """The headline numbers of one region on one snapshot day (the sum of its cells), plus its
    village ecosystem: officials registered and officials protected. Rankings read these."""

    day = models.DateField()
    level = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=10)
    parent = models.CharField(max_length=10)
    protected = models.IntegerField(default=0)
    with_arrears = models.IntegerField(default=0)
    not_protected = models.IntegerField(default=0)
    officials = models.IntegerField(default=0)
    officials_protected = models.IntegerField(default=0)
    # Villages below this region (itself, for a village) with officials, and those with every
    # official protected: "villages at 100 %" without reading a village row.
    villages_with_officials = models.IntegerField(default=0)
    villages_all_officials = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "region"], name="coverage_total_once")
        ]
        indexes = [models.Index(fields=["day", "level", "parent"], name="coverage_total_parent")]

    def __str__(self) -> str:
        return f"{self.day} {self.region or 'ID'}: {self.protected + self.with_arrears}"


class DirtyVillage(models.Model):
    """Villages to recount whole (`refresh.mark_dirty`: anything that changes a village's
    figures other than its people, whose changes the triggers mark in `DirtyWorker`); emptied
    by `refresh.refresh_dirty`. `version` grows on every mark, so a refresh deletes only the
    marks it has counted, never one that arrived while it ran."""

    village = models.CharField(max_length=10, primary_key=True)
    version = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return self.village


class CountedPerson(models.Model):
    """One person as counted on a snapshot day: where they count and in which cell, and their
    status. The village cells are the sums of these rows, so a change to a few people is
    applied to the cells as the difference between their old and new rows, without recounting
    their villages (`refresh.refresh_people`). Kept for the days a dirty refresh may still
    apply to (the live day); month ends keep only their cells.

    `worker_id` is a plain column, not a foreign key: a deleted worker must leave their row
    behind until the refresh subtracts it, and ten million rows are written without checks."""

    day = models.DateField()
    worker_id = models.BigIntegerField()
    region = models.CharField(max_length=10)
    program_id = models.IntegerField(null=True)
    funder_kind = models.CharField(max_length=20, default="")
    occupation_group = models.CharField(max_length=20, default="")
    official = models.BooleanField(default=False)
    sex = models.CharField(max_length=1, default="")
    age_band = models.CharField(max_length=8, default="")
    status = models.CharField(max_length=24, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "worker_id"], name="coverage_person_once")
        ]
        indexes = [models.Index(fields=["day", "region"], name="coverage_person_region")]

    def __str__(self) -> str:
        return f"{self.day} {self.worker_id}"


class DirtyWorker(models.Model):
    """People whose figures may have changed since they were last counted: written by database
    triggers on participants, invoice lines and workers (migration
    `0005_figures_dirty_worker_triggers`) in the same transaction as the change, whatever
    wrote it; emptied by `refresh.refresh_dirty`. `version` as in `DirtyVillage`."""

    worker_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return str(self.worker_id)
