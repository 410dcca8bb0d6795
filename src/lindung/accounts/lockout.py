"""Log-in lockout that cannot be turned against a user from elsewhere.

django-axes counts failures per (username, client address): guessing X's password from one
address locks X out *there* only, so nobody can lock X out from everywhere by typing X's name.
On top of that, one address that fails too often across any usernames (password spraying) is
throttled for the cool-off time, whatever username it tries next.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str:
    """The browser's address. With LINDUNG_PROXY_COUNT=n proxies in front, the address the
    outermost of them saw: X-Forwarded-For read from the right, as entries further left are
    whatever the client wrote. Hand-written (ten lines) rather than adding django-ipware."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.LINDUNG_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < count:
        return remote  # did not come through the proxies
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def failures_from_address(request) -> int:
    """Failed log-ins from the request's address within the cool-off time, for any username."""
    total = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return total or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        per_account = super().get_failures(request, credentials)
        if failures_from_address(request) >= settings.LINDUNG_LOGIN_IP_FAILURE_LIMIT:
            # Read by the lock-out page to say why.
            request.lindung_address_throttled = True
            return max(per_account, get_failure_limit(request, credentials))
        return per_account
