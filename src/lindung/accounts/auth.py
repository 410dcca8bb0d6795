"""API authentication: bearer tokens (scripts, other systems) or the browser session (docs)."""

from __future__ import annotations

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken
from .selectors import api_token_refusal


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        )
        if row is None:
            return None  # an unknown token learns nothing: the plain 401
        now = timezone.now()
        if reason := api_token_refusal(row, now=now):
            # The holder of a real token is told why it stopped working (401, not a bare one).
            raise AuthenticationError(message=reason)
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
