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
