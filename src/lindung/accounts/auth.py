"""API authentication: bearer tokens (scripts, other systems) or the browser session (docs)."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        # Written at most once a minute: a busy script should not turn every GET into a write.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class BrowserSession(SessionAuth):
    """The logged-in page session, so /api/docs can be tried from the browser (CSRF checked)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_authenticated else None


API_AUTH = [TokenAuth(), BrowserSession()]
