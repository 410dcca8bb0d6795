"""`lindung protection status NIK --date YYYY-MM-DD [--json] [--user NAME] [--lang en]`:
was this person protected on that date, under which program, and how (the one answer of
`billing.protection`). Exit 0 with the answer, 2 when refused (bad NIK or date, unknown person
or outside the user's regions)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import SYSTEM, command_actor
from lindung.billing.protection import STATUS_WORDS, protection_for
from lindung.common.management.base import LindungCommand


class Command(LindungCommand):
    help = "Was a person protected on a date, under which program, and how?"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="the protection of one person on a date")
        status.add_argument("nik")
        status.add_argument("--date", required=True, help="YYYY-MM-DD")
        status.add_argument("--json", action="store_true", help="print one JSON object")
        status.add_argument("--user", default="", help="answer as this user (scope, masking)")
        status.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    _("--date is not a date (YYYY-MM-DD): %(value)s") % {"value": options["date"]}
                ) from exc
            actor = command_actor(options["user"])
            answer = protection_for(None if actor is SYSTEM else actor, options["nik"], day)
            if options["json"]:
                self.stdout.write(json.dumps(answer, ensure_ascii=False))
                return
            self.stdout.write(
                f"{answer['nik']} {day:%d-%m-%Y}: {STATUS_WORDS[answer['status']]}"
                + (
                    f" ({answer['program']}, KPJ {answer['kpj_masked']})"
                    if answer["program"]
                    else ""
                )
            )
            self.stdout.write(answer["reason"])
            if answer["arrears_months"]:
                self.stdout.write(
                    _("Unpaid months: %(m)s") % {"m": ", ".join(answer["arrears_months"])}
                )
            self.stdout.write(answer["citation"])
