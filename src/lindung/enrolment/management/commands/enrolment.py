"""`lindung enrolment import-kpj FILE --program CODE [--json] [--user NAME] [--lang en]`:
BPJS's answer to a registration file, applied all or nothing. Exit 0 when applied, 1 when rows
have problems (each reported; nothing applied), 2 when refused (unreadable file, unknown
program, out of scope)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import command_actor
from lindung.audit.commands import AuditedCommand
from lindung.common.management.base import EXIT_PROBLEMS
from lindung.enrolment.services import kpj_import
from lindung.programs.selectors import program_for_user

SHOWN = 50


class Command(AuditedCommand):
    help = "Enrolment: read BPJS's answer (KPJ numbers) into a program's participants."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import-kpj", help="assign KPJ numbers from BPJS's file")
        load.add_argument("file")
        load.add_argument("--program", required=True, help="program code, e.g. muara-enim-2025")
        load.add_argument("--json", action="store_true", help="print one JSON report")
        load.add_argument("--user", default="", help="act as this user (their scope applies)")
        load.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            actor = command_actor(options["user"])
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
            program = program_for_user(actor, options["program"])
            report = kpj_import(actor=actor, program=program, data=path.read_bytes())
            if not report.applied:
                self.exit_status = EXIT_PROBLEMS
            if options["json"]:
                self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
                return
            if report.applied:
                self.stdout.write(
                    _("%(n)d KPJ number(s) assigned; %(u)d unchanged.")
                    % {"n": report.assigned, "u": report.unchanged}
                )
                return
            self.stdout.write(
                _("%(n)d row(s) have problems; nothing was applied. Fix them and import again.")
                % {"n": len(report.errors)}
            )
            for e in report.errors[:SHOWN]:
                self.stdout.write(
                    "  " + _("row %(row)s: %(reason)s") % {"row": e["row"], "reason": e["message"]}
                )
