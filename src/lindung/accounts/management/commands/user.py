"""`lindung user …`: manage accounts through the audited services (Django admin is read-only).

    lindung user create NAME --role ROLE [--region CODE …] [--full-name "…"] [--password-stdin]
    lindung user role NAME ROLE [--region CODE …]
    lindung user scope NAME CODE …
    lindung user deactivate NAME --reason "…"
    lindung user activate NAME
    lindung user password NAME [--password-stdin]

`--by NAME` records which superadmin acted (default: "system"); every change is an audit event
under the `command` channel. Passwords are asked for twice, or read from standard input.
"""

from __future__ import annotations

import getpass
import sys

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from lindung.accounts import services
from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.system import command_actor
from lindung.audit.commands import AuditedCommand
from lindung.common.errors import ApplicationError


class Command(AuditedCommand):
    help = "Create users and change their role, regions, activation or password (audited)."

    def add_arguments(self, parser):
        parser.add_argument("--by", default="", help="the superadmin doing this (for the audit)")
        actions = parser.add_subparsers(dest="action", required=True)

        create = actions.add_parser("create", help="a new user")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--region", action="append", default=[], dest="regions")
        create.add_argument("--full-name", default="")
        create.add_argument("--password-stdin", action="store_true")

        role = actions.add_parser("role", help="change the role (and regions)")
        role.add_argument("username")
        role.add_argument("role", choices=Role.values)
        role.add_argument("--region", action="append", default=None, dest="regions")

        scope = actions.add_parser("scope", help="replace the regions")
        scope.add_argument("username")
        scope.add_argument("regions", nargs="+")

        deactivate = actions.add_parser("deactivate", help="end sessions and API access")
        deactivate.add_argument("username")
        deactivate.add_argument("--reason", required=True)

        activate = actions.add_parser("activate")
        activate.add_argument("username")

        password = actions.add_parser("password", help="set a new password (revokes API tokens)")
        password.add_argument("username")
        password.add_argument("--password-stdin", action="store_true")

    def handle(self, *args, action: str, by: str, **options):
        actor = self._actor(by)
        try:
            if action == "create":
                user = services.user_create(
                    actor=actor,
                    username=options["username"],
                    password=self._password(options["password_stdin"]),
                    role=options["role"],
                    region_codes=options["regions"],
                    full_name=options["full_name"],
                )
            else:
                user = self._user(options["username"])
                if action == "role":
                    services.user_set_role(
                        actor=actor,
                        user=user,
                        role=options["role"],
                        region_codes=options["regions"],
                    )
                elif action == "scope":
                    services.user_set_scope(actor=actor, user=user, region_codes=options["regions"])
                elif action in ("activate", "deactivate"):
                    services.user_set_active(
                        actor=actor,
                        user=user,
                        active=action == "activate",
                        reason=options.get("reason", ""),
                    )
                elif action == "password":
                    services.user_set_password(
                        actor=actor, user=user, password=self._password(options["password_stdin"])
                    )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        except PermissionDenied as exc:
            raise CommandError(_("%(name)s is not a superadmin.") % {"name": repr(by)}) from exc
        self.stdout.write(f"{action}: {user.username} ({user.role}, active={user.is_active})")

    @staticmethod
    def _actor(by: str):
        return command_actor(by)

    @staticmethod
    def _user(username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user %(name)s.") % {"name": repr(username)})
        return user

    @staticmethod
    def _password(from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError(_("The two passwords differ."))
        return first
