"""What each action on one's account did, in one sentence (the pages' success messages)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lindung.common.text import number


def token_revoked(token) -> str:
    return _("API token %(name)s (%(hint)s…) revoked: it no longer opens the API.") % {
        "name": token.name,
        "hint": token.hint,
    }


def password_changed(user, tokens_stopped: int) -> str:
    if not tokens_stopped:
        return _("Password of %(user)s changed.") % {"user": user.get_username()}
    return ngettext(
        "Password of %(user)s changed; %(n)s API token no longer works, create a new one if "
        "needed.",
        "Password of %(user)s changed; %(n)s API tokens no longer work, create new ones if needed.",
        tokens_stopped,
    ) % {"user": user.get_username(), "n": number(tokens_stopped)}
