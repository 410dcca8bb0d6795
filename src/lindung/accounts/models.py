from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Region

from .roles import Role


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VILLAGE_OPERATOR)
    # A BPJS branch serves several regencies, so a user has one or more scope regions.
    regions = models.ManyToManyField(
        Region, through="ScopeAssignment", related_name="+", blank=True
    )

    # API tokens issued before this moment no longer work. Set here, at the model, so every way
    # of changing a password revokes them: the profile page, `changepassword`, admin, shell.
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    @property
    def is_superadmin(self) -> bool:
        return self.role == Role.SUPERADMIN

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def set_unusable_password(self):
        super().set_unusable_password()
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password):
        """Django's, except that re-hashing the same password with a stronger hasher (after an
        upgrade) is not a password change and leaves the user's API tokens alone."""

        def rehash(raw):
            changed_at = self.password_changed_at
            super(User, self).set_password(raw)
            self.password_changed_at = changed_at
            self._password = None
            self.save(update_fields=["password"])

        return check_password(raw_password, self.password, rehash)


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

    @property
    def expires_at(self) -> dt.datetime:
        # From the setting at the time of use, so shortening it takes effect for every token.
        return self.created_at + dt.timedelta(days=settings.LINDUNG_API_TOKEN_DAYS)

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _digest(raw)
