"""`lindung nik inspect NIK [NIK ...] [--json]` (or `-` to read NIKs from standard input).

Exit status 0 when every NIK is valid, 1 when any is not (so scripts can test it), 2 when the
command itself was wrong (see `LindungCommand`)."""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.common.management.base import EXIT_PROBLEMS, LindungCommand
from lindung.regions.selectors import region_names
from lindung.registry.nik import inspect_nik


class Command(LindungCommand):
    help = "Check NIKs: structure, region codes, birth date and sex, with the reasons."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        inspect = sub.add_parser("inspect", help="Inspect one or more NIKs")
        inspect.add_argument("niks", nargs="+", help="NIKs, or - to read one per line from stdin")
        inspect.add_argument("--json", action="store_true", help="one JSON object per line")
        inspect.add_argument("--lang", choices=["id", "en"], default="id")
        inspect.add_argument(
            "--reference-date",
            type=dt.date.fromisoformat,
            help="judge birth dates as of this day (YYYY-MM-DD); default today",
        )

    def handle(self, *args, **options):
        niks = []
        for arg in options["niks"]:
            if arg == "-":
                niks.extend(line.rstrip("\r\n") for line in sys.stdin if line.strip())
            else:
                niks.append(arg)
        from lindung.regions.models import Region

        with translation.override(options["lang"]):
            if not niks:
                raise CommandError(_("No NIK given."))
            if not Region.objects.exists():
                raise CommandError(_("The region list is empty: run `lindung setup` first."))
        names = region_names()
        with translation.override(options["lang"]):
            results = [
                inspect_nik(
                    n, regions=names, reference_date=options["reference_date"], lang=options["lang"]
                )
                for n in niks
            ]
        if not all(r.valid for r in results):
            self.exit_status = EXIT_PROBLEMS
        if options["json"]:
            for r in results:
                d = r.to_dict()
                keys = (
                    "nik",
                    "valid",
                    "errors",
                    "warnings",
                    "province_code",
                    "regency_code",
                    "district_code",
                    "birth_date",
                    "sex",
                    "region_names",
                    "input",
                )
                self.stdout.write(json.dumps({k: d[k] for k in keys}, ensure_ascii=False))
            return
        self._table(results, options["lang"])

    def _table(self, results, lang):
        from rich.console import Console
        from rich.table import Table

        en = lang == "en"
        table = Table(show_lines=True)
        for title in (
            ("NIK", "Valid", "Born", "Sex", "Region", "Problems")
            if en
            else ("NIK", "Sah", "Lahir", "JK", "Wilayah", "Masalah")
        ):
            table.add_column(title, overflow="fold")
        for r in results:
            region = ", ".join(
                r.region_names.get(k, "")
                for k in ("district", "regency", "province")
                if r.region_names.get(k)
            )
            problems = [f"✗ {e.message}" for e in r.errors] + [f"! {w.message}" for w in r.warnings]
            table.add_row(
                r.nik or r.input,
                ("yes" if en else "ya") if r.valid else ("no" if en else "tidak"),
                r.birth_date.strftime("%d-%m-%Y") if r.birth_date else "",
                r.sex or "",
                region,
                "\n".join(problems),
            )
        Console(file=self.stdout._out, width=140).print(table)
