"""Bases for Lindung's management commands.

`LindungCommand` is the one place that turns a user's mistake into a clear message and exit
status 2 instead of a Python traceback, on the command line only (`call_command` still raises,
so tests and callers see the exception). With `--json` the message is JSON on standard output,
`{"error": {"code", "message"}}`, so scripts that parse the output parse errors too. Messages
are in Bahasa Indonesia unless the command line says `--lang en`.

`lindung.audit.commands.AuditedCommand` adds the `command` audit channel for commands that write
(it lives with the audit app, since common imports no Lindung app).
"""

from __future__ import annotations

import json
import sys

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import OperationalError, ProgrammingError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.common.errors import ApplicationError

# Exit statuses: 0 done, 1 done but the input holds problems (e.g. an invalid NIK),
# 2 refused (a user mistake: bad option, missing file, out of scope, unknown region…).
EXIT_PROBLEMS = 1
EXIT_REFUSED = 2

USER_MISTAKES = (
    ApplicationError,
    PermissionDenied,
    Http404,
    ObjectDoesNotExist,
    ValidationError,
    CommandError,
    FileNotFoundError,
    IsADirectoryError,
    PermissionError,
    UnicodeDecodeError,
    # A database not set up yet (no tables) or not reachable: said as such, with the reason.
    OperationalError,
    ProgrammingError,
)


def language_of(argv: list[str]) -> str:
    """The `--lang` given on the command line (`--lang en` or `--lang=en`); Indonesian if none."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "id"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "id"
    return "id"


def describe(exc: BaseException) -> tuple[str, str]:
    """(code, message) of a user mistake, in the active language."""
    if isinstance(exc, ApplicationError):
        return exc.code, str(exc.message)
    if isinstance(exc, PermissionDenied):
        # scoping.require raises a bare PermissionDenied: say what it means on this channel.
        return "forbidden", str(exc) or _(
            "This user may not do this in that region (outside their regions or not their role)."
        )
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return "not_found", _("Not found, or outside this user's regions.")
    if isinstance(exc, ValidationError):
        return "invalid", " ".join(str(m) for m in exc.messages)
    if isinstance(exc, FileNotFoundError | IsADirectoryError):
        return "file_not_found", _("File not found: %(path)s") % {"path": exc.filename}
    if isinstance(exc, PermissionError):
        return "file_unreadable", _("The file cannot be read: %(path)s") % {"path": exc.filename}
    if isinstance(exc, UnicodeDecodeError):
        return "file_encoding", _("The file is not text in a known encoding (UTF-8 or Latin-1).")
    if isinstance(exc, OperationalError | ProgrammingError):
        return "database", _(
            "The database is not ready or cannot be reached (%(reason)s). Run `lindung setup` "
            "first, or check DATABASE_URL."
        ) % {"reason": str(exc).strip()}
    if isinstance(exc, CommandError) and str(exc).startswith("Error: "):
        # argparse's own message (English: it comes from Python's argparse).
        return "usage", _("Wrong command: %(reason)s") % {"reason": str(exc)[len("Error: ") :]}
    return getattr(exc, "code", "") or "invalid", str(exc)


class LindungCommand(BaseCommand):
    """A command whose user mistakes end in a clear message and exit status 2.

    `handle` may set `self.exit_status = EXIT_PROBLEMS` to report that it ran but found problems
    in its input (the command line then exits 1).
    """

    exit_status = 0

    def run_from_argv(self, argv):
        # Django's own run_from_argv, with the parser built as if called from code so argparse
        # raises CommandError instead of exiting, and every user mistake mapped in one place.
        # Connections are left to close with the process (Django closes them here).
        as_json = "--json" in argv
        lang = language_of(argv)
        try:
            parser = self.create_parser(argv[0], argv[1])
            self._called_from_command_line = True
            options = parser.parse_args(argv[2:])
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            handle_default_options(options)
            self.execute(*args, **cmd_options)
        except USER_MISTAKES as exc:
            if "--traceback" in argv:
                raise
            with translation.override(lang):
                code, message = describe(exc)
                hint = _("See `lindung %(command)s --help`.") % {"command": argv[1]}
            self.report_refusal(code, message, hint=hint, as_json=as_json)
            sys.exit(EXIT_REFUSED)
        if self.exit_status:
            sys.exit(self.exit_status)

    def report_refusal(self, code: str, message: str, *, hint: str, as_json: bool) -> None:
        if as_json:
            error = {"error": {"code": code, "message": message}}
            self.stdout.write(json.dumps(error, ensure_ascii=False))
        else:
            self.stderr.write(message)
            if code == "usage":
                self.stderr.write(hint)
