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
