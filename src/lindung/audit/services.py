"""Writing audit events. Called by every service that changes data, inside its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from . import context
from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited fields of `obj` as JSON-ready values (foreign keys as their key)."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = _plain(getattr(obj, field.attname))
    return out


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, list]:
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region_code: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    row_count: int | None = None,
) -> AuditEvent:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    authenticated = getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        # A stand-in actor (the system) has no row to point at, only a name.
        actor=actor if authenticated and getattr(actor, "pk", None) else None,
        actor_username=actor.get_username() if authenticated else "",
        action=action,
        channel=ctx.channel,
        request_id=ctx.request_id,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        region_code=region_code,
        changes=diff(before, after),
        reason=reason,
        row_count=row_count,
    )
