"""Users, their roles and scope regions, and API tokens."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.audit.services import record
from lindung.common.errors import ApplicationError
from lindung.regions.models import Region, canonical

from .models import ApiToken, ScopeAssignment, User
from .roles import ASSIGNMENT_LEVELS, Role
from .scoping import forget_scope
from .selectors import usable_api_tokens


@transaction.atomic
def user_create(
    *,
    actor=None,
    username: str,
    password: str,
    role: str,
    region_codes: list[str] = (),
    full_name: str = "",
) -> User:
    """Create a user with a role and scope; a superadmin also gets Django admin access."""
    if role not in Role.values:
        raise ApplicationError(_("Unknown role %(role)s.") % {"role": role})
    if User.objects.filter(username=username).exists():
        raise ApplicationError(_("Username %(name)s is taken.") % {"name": username})
    regions = _regions(role, region_codes)
    first, _sep, last = full_name.partition(" ")
    user = User.objects.create_user(
        username=username,
        password=password,
        role=role,
        first_name=first,
        last_name=last,
        is_staff=role == Role.SUPERADMIN,
        is_superuser=role == Role.SUPERADMIN,
    )
    ScopeAssignment.objects.bulk_create([ScopeAssignment(user=user, region=r) for r in regions])
    record(
        actor=actor,
        action="user.create",
        obj=user,
        region_code=regions[0].code if len(regions) == 1 else "",
        after={"role": role, "regions": [r.code for r in regions]},
    )
    return user


@transaction.atomic
def user_set_scope(*, actor, user: User, region_codes: list[str]) -> User:
    before = sorted(user.assignments.values_list("region_id", flat=True))
    regions = _regions(user.role, region_codes)
    user.assignments.all().delete()
    ScopeAssignment.objects.bulk_create([ScopeAssignment(user=user, region=r) for r in regions])
    forget_scope(user)
    record(
        actor=actor,
        action="user.scope",
        obj=user,
        before={"regions": before},
        after={"regions": sorted(r.code for r in regions)},
    )
    return user


def _regions(role: str, codes) -> list[Region]:
    wanted = [canonical(c) for c in codes]
    found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ApplicationError(
            _("Unknown region code(s): %(codes)s.") % {"codes": ", ".join(missing)}
        )
    allowed = ASSIGNMENT_LEVELS[role]
    wrong = [c for c in wanted if found[c].level not in allowed]
    if wrong:
        raise ApplicationError(
            _("Region(s) %(codes)s are not at a level this role is assigned at.")
            % {"codes": ", ".join(wrong)}
        )
    return [found[c] for c in wanted]


@transaction.atomic
def api_token_create(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and shown only now."""
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user, name=name or "API", digest=ApiToken.digest_of(raw), hint=raw[:8]
    )
    record(
        actor=actor,
        action="apitoken.create",
        obj=token,
        after={"user": user.username, "name": token.name},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=actor, action="apitoken.revoke", obj=token)


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """A new password (checked by the password rules). The user's API tokens stop working:
    User.set_password marks the moment, TokenAuth refuses tokens made before it."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), fields={"password": exc.messages}) from exc
    tokens_before = usable_api_tokens(user).count()
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    record(
        actor=actor,
        action="user.password",
        obj=user,
        reason=_("Password changed; %(n)s API token(s) stopped working.") % {"n": tokens_before},
    )
    return user


def _require_superadmin(actor) -> None:
    """Roles, staff rights and activation are a superadmin's (or a server command's) to change."""
    if getattr(actor, "role", None) != Role.SUPERADMIN:
        raise PermissionDenied


@transaction.atomic
def user_set_role(*, actor, user: User, role: str, region_codes: list[str] | None = None) -> User:
    """A new role, with regions at that role's level (the current ones when not given). Only a
    superadmin has Django admin (staff) rights, and only through this role."""
    _require_superadmin(actor)
    if role not in Role.values:
        raise ApplicationError(_("Unknown role %(role)s.") % {"role": role})
    current = sorted(user.assignments.values_list("region_id", flat=True))
    regions = _regions(role, current if region_codes is None else region_codes)
    fields = ("role", "is_staff", "is_superuser")
    before = {name: getattr(user, name) for name in fields} | {"regions": current}
    user.role = role
    user.is_staff = user.is_superuser = role == Role.SUPERADMIN
    user.save(update_fields=list(fields))
    user.assignments.all().delete()
    ScopeAssignment.objects.bulk_create([ScopeAssignment(user=user, region=r) for r in regions])
    forget_scope(user)
    after = {name: getattr(user, name) for name in fields} | {
        "regions": sorted(r.code for r in regions)
    }
    record(actor=actor, action="user.role", obj=user, before=before, after=after)
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool, reason: str = "") -> User:
    """Deactivating ends the user's sessions and API access at their next request."""
    _require_superadmin(actor)
    if not active and not reason.strip():
        raise ApplicationError(_("Give a reason for deactivating the account."), code="reason")
    before = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        obj=user,
        before={"is_active": before},
        after={"is_active": active},
        reason=reason,
    )
    return user
