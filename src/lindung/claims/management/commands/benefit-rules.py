"""`lindung benefit-rules list [--json]`, `lindung benefit-rules load FILE.csv [--json]` and
`lindung benefit-rules load-disability FILE.csv [--json]`: the dated, cited benefit rules and the
partial-disability table (PP 82/2019 Annex III, shipped empty). A file is stored whole or not at
all, and every refused row is named with why (see `claims.rules_load`)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import SYSTEM
from lindung.audit.commands import AuditedCommand
from lindung.claims.rulebook import BenefitRule, DisabilityRate
from lindung.claims.rules_load import disability_load, rules_load
from lindung.common.errors import ApplicationError
from lindung.intake.reader import decode_text

MAX_FILE = 1_000_000  # a rule table is a few hundred rows; anything larger is a wrong file


class Command(AuditedCommand):
    help = "List or load the benefit rules and the partial-disability table (dated, cited)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("list", help="the rules and disability rows on file")
        load = sub.add_parser("load", help="add benefit rules from a CSV file, all or nothing")
        load.add_argument("file")
        table = sub.add_parser(
            "load-disability", help="add rows of the partial-disability table from a CSV file"
        )
        table.add_argument("file")
        for p in (show, load, table):
            p.add_argument("--json", action="store_true")
            p.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            if options["action"] == "list":
                return self._list(options["json"])
            path = Path(options["file"])
            if path.stat().st_size > MAX_FILE:
                raise ApplicationError(
                    _("The file is too large for a rule table."), code="too_large"
                )
            rows = list(csv.DictReader(io.StringIO(decode_text(path.read_bytes()))))
            load = rules_load if options["action"] == "load" else disability_load
            try:
                report = load(actor=SYSTEM, rows=rows)
            except ApplicationError as exc:
                detail = "; ".join(
                    _("row %(row)s: %(errors)s")
                    % {"row": p["row"], "errors": ", ".join(p["errors"])}
                    for p in exc.extra.get("problems", [])
                )
                raise ApplicationError(f"{exc.message} {detail}", code=exc.code) from exc
            if options["json"]:
                self.stdout.write(json.dumps(report, ensure_ascii=False))
                return
            self.stdout.write(_("%(n)s rule(s) stored.") % {"n": report["stored"]})
            for code in report["closed"]:
                self.stdout.write(_("Closed (superseded): %(code)s") % {"code": code})

    def _list(self, as_json: bool) -> None:
        rules = [
            {"code": r.code, "unit": r.unit, "value": r.value,
             "valid_from": r.valid_from.isoformat(),
             "valid_to": r.valid_to.isoformat() if r.valid_to else None, "citation": r.citation}
            for r in BenefitRule.objects.order_by("code", "valid_from")
        ]  # fmt: skip
        rates = [
            {"code": r.code, "description": r.description, "percent": r.percent,
             "valid_from": r.valid_from.isoformat(),
             "valid_to": r.valid_to.isoformat() if r.valid_to else None, "citation": r.citation}
            for r in DisabilityRate.objects.order_by("code", "valid_from")
        ]  # fmt: skip
        if as_json:
            self.stdout.write(json.dumps({"rules": rules, "disability": rates}, ensure_ascii=False))
            return
        for r in rules:
            self.stdout.write(
                f"{r['code']:<30} {r['value']:>12} {r['unit']:<13} "
                f"{r['valid_from']}–{r['valid_to'] or '…'}  {r['citation']}"
            )
        self.stdout.write("")
        if not rates:
            self.stdout.write(
                _("The partial-disability table is empty: load it with "
                  "`lindung benefit-rules load-disability FILE`.")
            )  # fmt: skip
        for r in rates:
            self.stdout.write(
                f"{r['code']:<30} {r['percent']:>3}% {r['description']}  "
                f"{r['valid_from']}–{r['valid_to'] or '…'}  {r['citation']}"
            )
