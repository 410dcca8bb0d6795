from django.conf import settings

from .roles import Action, role_allows


def role(request):
    """Which menu entries to show; the views check again (a hidden link is not a permission)."""
    user = getattr(request, "user", None)
    r = getattr(user, "role", "")
    return {
        "can_create": role_allows(r, Action.CREATE),
        "can_view_audit": role_allows(r, Action.VIEW_AUDIT),
        "can_review": role_allows(r, Action.REVIEW),
        "can_see_claims": _sees_claims(user),
    }


def _sees_claims(user) -> bool:
    from lindung.claims.selectors import may_see_claims

    return may_see_claims(user)


def lockout(request):
    """The lock-out figures the log-in pages quote, from the settings that enforce them."""
    return {
        "lockout_failures": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": round(float(settings.AXES_COOLOFF_TIME) * 60),
    }
