from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Region

from .roles import Role


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VILLAGE_OPERATOR)
    # A BPJS branch serves several regencies, so a user has one or more scope regions.
    regions = models.ManyToManyField(
        Region, through="ScopeAssignment", related_name="+", blank=True
    )

    @property
    def is_superadmin(self) -> bool:
        return self.role == Role.SUPERADMIN


class ScopeAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="scope_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.region}"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "lnd_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, verbose_name=_("name"))
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _digest(raw)
