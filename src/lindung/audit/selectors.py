"""Reading the audit trail: auditors and superadmins, within their regions."""

from __future__ import annotations

from django.db.models import QuerySet

from lindung.accounts.roles import Action
from lindung.accounts.scoping import restrict

from .models import AuditEvent


def events_for(user) -> QuerySet[AuditEvent]:
    return restrict(AuditEvent.objects.all(), user, Action.VIEW_AUDIT)


def event_list(user, *, object_type="", object_id="", actor="", action="") -> QuerySet[AuditEvent]:
    qs = events_for(user)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(actor_username=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    return qs


def history_of(user, obj) -> QuerySet[AuditEvent] | list:
    """An object's own history, for its detail page: shown to whoever may see the object,
    without the field values of personal data unless the reader may audit."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("-occurred_at", "-id")[:50]


def last_event(obj, action: str) -> AuditEvent | None:
    """The latest event of one kind on an object (e.g. when a list's NIKs were last checked);
    the caller has already fetched `obj` through the scoping helper."""
    return (
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
        )
        .order_by("-occurred_at", "-id")
        .first()
    )
