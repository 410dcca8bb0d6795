"""Append-only audit events. Rows are never updated or deleted, by anyone.

The database enforces it (triggers in migration 0002 on PostgreSQL and SQLite); the model refuses
it too, so the mistake is caught before reaching the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .context import CHANNELS


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    REGION_FIELD = "region_code"  # for accounts.scoping

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint: a user row may go away, the record of what they did may not.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    # Stable codes such as "worker.create"; a code never changes meaning.
    action = models.CharField(max_length=60, db_index=True)
    channel = models.CharField(max_length=10, choices=[(c, c) for c in CHANNELS])
    request_id = models.CharField(max_length=64, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    # The region the object belongs to, so audit reading is region-scoped like everything else.
    region_code = models.CharField(max_length=10, blank=True, db_index=True)
    # {"field": [before, after]}; for a create only "after" values, for a delete only "before".
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    # For bulk events: how many rows the one event stands for.
    row_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def after_values(self) -> dict:
        """The values after the change ({"field": [before, after]} → {"field": after})."""
        return {
            k: v[1] if isinstance(v, list) and len(v) == 2 else v
            for k, v in (self.changes or {}).items()
        }
