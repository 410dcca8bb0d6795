"""Duplicate detection's data: candidate pairs and reviewers' decisions.

Both models lived in `programs` until duplicates became an app of their own; their tables keep
the names they were created with (`db_table`), so moving them copied no rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.registry.models import Worker


class DuplicateKind(models.TextChoices):
    EXACT = "exact", _("Same NIK, same person")
    CONFLICT = "conflict", _("Same NIK, different name or birth date")
    PROBABLE = "probable", _("Probably the same person")


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    SAME = "same", _("Same person (merged)")
    DIFFERENT = "different", _("Different people")


class DuplicateCandidate(models.Model):
    """A pair of registered workers who may be one person, with why we think so.

    Or a NIK conflict from an upload: a registered worker (A) against the identity a row of an
    upload gave for the same NIK (B: `incoming`, with `upload` and `incoming_row`). Such a row is
    never applied; only the reviewer's decision may change the registered identity.
    """

    REGION_FIELD = "region_code"

    # SET_NULL: a decided pair outlives the record merged away (its NIKs are kept below).
    worker_a = models.ForeignKey(Worker, null=True, on_delete=models.SET_NULL, related_name="+")
    worker_b = models.ForeignKey(Worker, null=True, on_delete=models.SET_NULL, related_name="+")
    nik_a = models.CharField(max_length=16)
    nik_b = models.CharField(max_length=16)
    kind = models.CharField(max_length=10, choices=DuplicateKind.choices)
    score = models.FloatField()
    # {"name": 93.5, "nik_digits": 1, "birth": "swapped", "agree": [...], "disagree": [...]}
    details = models.JSONField(default=dict)
    # The region of worker A: reviewers see a pair when worker A is in their scope.
    region_code = models.CharField(max_length=10, db_index=True)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default="open")
    found_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A NIK conflict from an upload (worker_b is empty): which upload and row, and the identity
    # that row gave ({"name", "birth_date", "sex", "kk_number", "village", "file"}), kept here
    # because staged rows go away with their upload.
    upload = models.ForeignKey(
        "intake.Upload", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incoming_row = models.PositiveIntegerField(null=True, blank=True)
    incoming = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "programs_duplicatecandidate"
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["worker_a", "worker_b"], name="duplicate_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.nik_a} ~ {self.nik_b} ({self.kind}, {self.score:.1f})"

    @property
    def from_upload(self) -> bool:
        return self.incoming_row is not None


class DistinctPeople(models.Model):
    """Two NIKs a reviewer declared to be different people: never proposed again."""

    nik_low = models.CharField(max_length=16)
    nik_high = models.CharField(max_length=16)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        db_table = "programs_distinctpeople"
        constraints = [
            models.UniqueConstraint(fields=["nik_low", "nik_high"], name="distinct_people_unique")
        ]

    def __str__(self) -> str:
        return f"{self.nik_low} ≠ {self.nik_high}"
