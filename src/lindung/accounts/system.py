"""The actor of server-side commands (`lindung import` without --user): full scope, and audit
rows that say "system" rather than naming a person who did not act."""

from .roles import Role


class SystemActor:
    is_authenticated = True
    is_active = True
    role = Role.SUPERADMIN
    pk = None
    username = "system"

    def get_username(self) -> str:
        return self.username


SYSTEM = SystemActor()


def person_or_none(actor):
    """The actor as a user row to point at, or None for the system (which has no row)."""
    return actor if getattr(actor, "pk", None) else None


def command_actor(username: str = ""):
    """Who a command acts as: the active user named by `--user`/`--by`, else the system.

    An unknown or inactive name is a user mistake, refused with its reason (CommandError, which
    `LindungCommand` turns into a message and exit status 2)."""
    if not username:
        return SYSTEM
    from django.core.management.base import CommandError
    from django.utils.translation import gettext as _

    from .models import User

    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(_("No active user %(name)s.") % {"name": repr(username)})
    return actor
