"""Uploads of worker lists and their staged rows.

An upload is parsed and validated into staged rows first (nothing touches the registry); a commit
then applies every accepted row in one transaction with set-based SQL. The original file is kept
so the operator can download it back with a status and a reason on every row.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Region


class UploadStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    STAGED = "staged", _("Checked, waiting for commit")
    COMMITTED = "committed", _("Committed")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("File refused")
    # Never saved: the operator cancelled it, or it waited longer than LINDUNG_UPLOAD_STAGED_HOURS.
    # Its staged rows are removed; the upload row stays as history.
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired unsaved")


class Upload(models.Model):
    REGION_FIELD = "village__code"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    program_code = models.CharField(max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=UploadStatus.choices, default="received")
    # {"rows", "accepted", "rejected", "duplicates", "updated", "unchanged"}
    counts = models.JSONField(default=dict, blank=True)
    # Why a whole file was refused, in the uploader's language.
    message = models.TextField(blank=True)
    header_map = models.JSONField(default=dict, blank=True)
    # What background work is doing now ("reading", "checking", …); empty when idle.
    progress = models.CharField(max_length=20, blank=True)
    # When the rows were last matched against the registry: the commit refuses to write a
    # worker changed after this (their identity may have been corrected meanwhile).
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class TaskLease(models.Model):
    """Background work in progress on an upload, kept alive by its worker (see `leases`).

    A row of its own, not fields on the upload: the commit holds the upload's row locked for its
    whole transaction, and the heartbeat must still get through meanwhile. No database foreign
    key for the same reason (an update would take a key-share lock on the upload row).
    """

    upload = models.OneToOneField(
        Upload,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="lease",
        db_constraint=False,
    )
    work = models.CharField(max_length=10)  # "check" or "commit"
    holder = models.CharField(max_length=100, blank=True)  # host:pid, or "queue" before a start
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.work} by {self.holder or '?'} until {self.expires_at:%H:%M:%S}"


class RowStatus(models.TextChoices):
    NEW = "new", _("New worker")
    UPDATE = "update", _("Updates a registered worker")
    UNCHANGED = "unchanged", _("Already registered, no change")
    DUPLICATE = "duplicate", _("Duplicate in this file")
    REJECTED = "rejected", _("Rejected")


class StagedRow(models.Model):
    """One data row of an upload, normalised, with its outcome and reasons.

    Keyed by (upload, row number): the one index serves loading, listing and the commit's scan.
    No database foreign key: a per-row constraint check would triple the cost of staging a
    million rows, and rows are only ever written by `staging.write_staged` for an existing
    upload (Django still deletes them with their upload).
    """

    pk = models.CompositePrimaryKey("upload_id", "row_number")
    upload = models.ForeignKey(
        Upload,
        on_delete=models.CASCADE,
        related_name="rows",
        db_constraint=False,
        db_index=False,
    )
    row_number = models.PositiveIntegerField()  # as the spreadsheet numbers it (header = 1)
    status = models.CharField(max_length=10, choices=RowStatus.choices)
    errors = models.JSONField(default=list, blank=True)  # [{"column", "code", "message"}]
    nik = models.CharField(max_length=16, blank=True)
    kk_number = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=150, blank=True)
    birth_place = models.CharField(max_length=80, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    address = models.CharField(max_length=255, blank=True)
    village_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    occupation_id = models.BigIntegerField(null=True, blank=True)
    monthly_income = models.BigIntegerField(null=True, blank=True)
    heir_name = models.CharField(max_length=150, blank=True)
    heir_relationship = models.CharField(max_length=20, blank=True)
    heir_nik = models.CharField(max_length=16, blank=True)
    worker_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["upload", "row_number"]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.status}"
