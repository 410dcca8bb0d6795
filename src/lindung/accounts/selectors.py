"""Reads about accounts: which API tokens still open the API, and why one does not."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import ApiToken, User


def usable_api_tokens(user: User, *, now: dt.datetime | None = None) -> QuerySet[ApiToken]:
    """The user's tokens that still open the API: not revoked, not expired, made after the last
    password change."""
    now = now or timezone.now()
    tokens = ApiToken.objects.filter(
        user=user,
        revoked_at__isnull=True,
        created_at__gt=now - dt.timedelta(days=settings.LINDUNG_API_TOKEN_DAYS),
    )
    if user.password_changed_at is not None:
        tokens = tokens.filter(created_at__gt=user.password_changed_at)
    return tokens


def api_token_refusal(token: ApiToken, *, now: dt.datetime | None = None) -> str | None:
    """Why `token` no longer opens the API (a sentence for its owner), or None if it does."""
    now = now or timezone.now()
    user = token.user
    if token.revoked_at is not None:
        return _("This API token was revoked.")
    if not user.is_active:
        return _("The account of this API token is deactivated.")
    if user.password_changed_at is not None and token.created_at <= user.password_changed_at:
        return _(
            "This API token stopped working because the password was changed; "
            "create a new one on your profile page."
        )
    if token.expires_at <= now:
        return _("This API token expired on %(date)s; create a new one on your profile page.") % {
            "date": formats.date_format(timezone.localtime(token.expires_at), "d-m-Y H:i")
        }
    return None
