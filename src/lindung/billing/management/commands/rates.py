"""`lindung rates list [--json]` and `lindung rates load FILE.csv [--json]`: the contribution
rule table. A file has the columns code, component, income_from, income_to, amount, rate_bp,
valid_from, valid_to, citation, note; it is stored whole or not at all, and every refused row
is named with why (no citation, no dates, overlapping another rule…)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import SYSTEM
from lindung.audit.commands import AuditedCommand
from lindung.billing.models import ContributionRule
from lindung.billing.services import rates_load
from lindung.common.errors import ApplicationError
from lindung.common.text import number
from lindung.intake.reader import decode_text

MAX_FILE = 1_000_000  # a rate table is a few hundred rows; anything larger is a wrong file


class Command(AuditedCommand):
    help = "List or load contribution rules (dated, cited)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("list", help="the rules on file")
        load = sub.add_parser("load", help="add rules from a CSV file, all or nothing")
        load.add_argument("file")
        for p in (show, load):
            p.add_argument("--json", action="store_true")
            p.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            if options["action"] == "list":
                return self._list(options["json"])
            path = Path(options["file"])
            if path.stat().st_size > MAX_FILE:
                raise ApplicationError(
                    _("The file is too large for a rate table."), code="too_large"
                )
            text = decode_text(path.read_bytes())
            rows = list(csv.DictReader(io.StringIO(text)))
            try:
                report = rates_load(actor=SYSTEM, rows=rows)
            except ApplicationError as exc:
                problems = exc.extra.get("problems", [])
                detail = "; ".join(
                    _("row %(row)s: %(errors)s")
                    % {"row": p["row"], "errors": ", ".join(p["errors"])}
                    for p in problems
                )
                raise ApplicationError(f"{exc.message} {detail}", code=exc.code) from exc
            if options["json"]:
                self.stdout.write(json.dumps(report, ensure_ascii=False))
            else:
                self.stdout.write(_("%(n)s rule(s) stored.") % {"n": report["stored"]})
                for code in report["closed"]:
                    self.stdout.write(_("Closed (superseded): %(code)s") % {"code": code})

    def _list(self, as_json: bool) -> None:
        rows = [
            {
                "code": r.code,
                "component": r.component,
                "income_from": r.income_from,
                "income_to": r.income_to,
                "amount": r.amount,
                "rate_bp": r.rate_bp,
                "valid_from": r.valid_from.isoformat(),
                "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                "citation": r.citation,
            }
            for r in ContributionRule.objects.order_by("component", "income_from", "valid_from")
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            what = (
                f"Rp{number(r['amount'])}"
                if r["amount"] is not None
                else f"{r['rate_bp'] // 100}.{r['rate_bp'] % 100:02d}%"
            )
            self.stdout.write(
                f"{r['code']:<22} {r['component'].upper()} {what:<12} "
                f"{r['valid_from']}–{r['valid_to'] or '…'}  {r['citation']}"
            )
