"""THE helper that decides what a user may see and change. Every list, detail, export and API
route goes through `restrict` or `get_for_user`; services check writes with `require`.

A user's scope is the set of regions assigned to them; a region covers every code that starts
with its code, so scoping is a prefix match on the region code column each model names in
`REGION_FIELD` (indexed; no joins). A user without an assignment sees nothing, except a
superadmin, who sees everything. Out of scope answers 404, exactly like "does not exist", so no
count, name or NIK leaks; in scope but not allowed answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .roles import Action, Role, role_allows

_CACHE_ATTR = "_lindung_scope_prefixes"


def scope_prefixes(user) -> list[str] | None:
    """Region code prefixes the user covers: None means all of Indonesia, [] means nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.role == Role.SUPERADMIN:
        return None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        codes = sorted(user.assignments.values_list("region_id", flat=True))
        # Drop codes already covered by a shorter one (a regency and one of its villages).
        cached = [c for c in codes if not any(c != p and c.startswith(p) for p in codes)]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_scope(user) -> None:
    """Call after changing a user's assignments in the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def region_q(user, field: str) -> Q:
    """A filter on `field` (a region code column) for the user's scope."""
    prefixes = scope_prefixes(user)
    if prefixes is None:
        return Q()
    if not prefixes:
        return Q(pk__in=[])
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


def covers(user, region_code: str) -> bool:
    prefixes = scope_prefixes(user)
    return prefixes is None or any(str(region_code).startswith(p) for p in prefixes)


def can(user, action: str, region_code: str) -> bool:
    return role_allows(getattr(user, "role", ""), action) and covers(user, region_code)


def restrict(queryset: QuerySet, user, action: str = Action.VIEW) -> QuerySet:
    """The part of `queryset` the user may `action`; empty when the role may not."""
    if not getattr(user, "is_authenticated", False) or not role_allows(user.role, action):
        return queryset.none()
    field = queryset.model.REGION_FIELD
    return queryset.filter(region_q(user, field))


def region_code_of(obj: Model) -> str:
    """The region code of an object, read from the foreign key column where the path ends in
    a region's code (`village__code` → `village_id`), so no extra query is made."""
    *path, last = type(obj).REGION_FIELD.split("__")
    value = obj
    if path and last == "code":
        *path, fk = path
        for part in path:
            value = getattr(value, part)
        return str(getattr(value, f"{fk}_id"))
    for part in [*path, last]:
        value = getattr(value, part)
    return str(value)


def get_for_user(queryset: QuerySet, user, action: str = Action.VIEW, **lookup) -> Model:
    """Fetch one object: 404 when missing or out of scope, 403 when visible but not allowed."""
    obj = restrict(queryset, user, Action.VIEW).filter(**lookup).first()
    if obj is None:
        raise Http404
    if action != Action.VIEW and not can(user, action, region_code_of(obj)):
        raise PermissionDenied
    return obj


def require(user, action: str, region_code: str) -> None:
    """For services: refuse a write outside the user's scope or role (403)."""
    if not can(user, action, region_code):
        raise PermissionDenied
