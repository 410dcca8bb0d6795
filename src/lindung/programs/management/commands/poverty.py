"""`lindung poverty import FILE --year 2025 [--source DTSEN] [--json] [--lang en]`: a
socio-economic list (CSV or XLSX with NIK and decile columns, e.g. an extract of DTSEN) for
programs that require one. The report names every skipped row and why, in Bahasa Indonesia by
default. The same reader serves the web page (programs/poverty.py)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import SYSTEM
from lindung.audit.commands import AuditedCommand
from lindung.common.text import number
from lindung.intake.guard import FileRefused
from lindung.programs.poverty import read_poverty_list
from lindung.programs.services import poverty_import

SHOWN_SKIPPED = 50


class Command(AuditedCommand):
    help = "Import a poverty list (NIK, decile) such as DTSEN."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="load a CSV with NIK and Desil columns")
        load.add_argument("file")
        load.add_argument("--year", type=int, required=True)
        load.add_argument("--source", default="DTSEN")
        load.add_argument("--json", action="store_true", help="print one JSON report")
        load.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
            try:
                good, skipped = read_poverty_list(path.read_bytes())
            except FileRefused as exc:
                raise CommandError(exc.message) from exc
            stored = poverty_import(
                actor=SYSTEM,
                rows=good.select("nik", "decile").iter_rows(),
                source=options["source"],
                year=options["year"],
            )
            if options["json"]:
                report = {"stored": stored, "skipped": skipped}
                self.stdout.write(json.dumps(report, ensure_ascii=False))
                return
            self.stdout.write(
                _("%(stored)s rows stored; %(skipped)s rows skipped.")
                % {"stored": number(stored), "skipped": number(len(skipped))}
            )
            for s in skipped[:SHOWN_SKIPPED]:
                self.stdout.write("  " + _("row %(row)s: %(reason)s") % s)
            if len(skipped) > SHOWN_SKIPPED:
                self.stdout.write(
                    "  "
                    + _("… and %(count)s more (use --json for all)")
                    % {"count": len(skipped) - SHOWN_SKIPPED}
                )
