"""`lindung coverage refresh [--all] [--date YYYY-MM-DD]`: recount the villages marked since
the last refresh (or, with --all, every village) and every region above them.
`lindung coverage import-workforce FILE --source TEXT [--year YYYY] [--dry-run] [--json]`: the
working population per region and year (the denominator of coverage %), all rows or none,
every refused row named with why.
`lindung coverage show REGION [--date YYYY-MM-DD] [--json]`: a region's figures and ranking.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import SYSTEM, command_actor
from lindung.audit.commands import AuditedCommand
from lindung.common.errors import ApplicationError
from lindung.common.text import number
from lindung.coverage import refresh as refreshing
from lindung.coverage.denominators import denominators_import


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(
            _("--date is not a date (YYYY-MM-DD): %(value)s") % {"value": text}
        ) from exc


class Command(AuditedCommand):
    help = "Coverage figures: refresh the counts, import the working population, show a region."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        r = sub.add_parser("refresh", help="recount marked villages (--all: every village)")
        r.add_argument("--all", action="store_true")
        r.add_argument("--date", default="", help="YYYY-MM-DD (default today)")
        w = sub.add_parser("import-workforce", help="working population per region and year")
        w.add_argument("file")
        w.add_argument("--source", default="", help="e.g. 'BPS, Sakernas Agustus 2024'")
        w.add_argument("--year", type=int, default=None)
        w.add_argument("--dry-run", action="store_true", help="check only, store nothing")
        s = sub.add_parser("show", help="a region's figures and the ranking below it")
        s.add_argument("region")
        s.add_argument("--date", default="")
        s.add_argument("--user", default="", help="answer as this user (scope)")
        for p in (r, w, s):
            p.add_argument("--json", action="store_true")
            p.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            return getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _refresh(self, options):
        day = _date(options["date"]) or refreshing.today()
        started = time.perf_counter()
        if options["all"]:
            refreshing.refresh_all(day)
            n = -1
        else:
            n = refreshing.refresh_dirty(day)
        seconds = round(time.perf_counter() - started, 3)
        if options["json"]:
            self.stdout.write(
                json.dumps({"date": day.isoformat(), "villages": n, "seconds": seconds})
            )
        elif n == -1:
            self.stdout.write(
                _("All villages counted for %(date)s in %(s)s s.")
                % {"date": day.strftime("%d-%m-%Y"), "s": seconds}
            )
        else:
            self.stdout.write(
                _("%(n)s village(s) recounted for %(date)s in %(s)s s.")
                % {"n": number(n), "date": day.strftime("%d-%m-%Y"), "s": seconds}
            )

    def _import_workforce(self, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            report = denominators_import(
                actor=SYSTEM,
                data=path.read_bytes(),
                year=options["year"],
                source=options["source"],
                commit=not options["dry_run"],
            )
        except ApplicationError as exc:
            bad = exc.extra.get("report", {})
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {"code": exc.code, "message": exc.message, **bad}, ensure_ascii=False
                    )
                )
            else:
                for e in bad.get("errors", []):
                    self.stderr.write(
                        _("row %(row)s: %(errors)s")
                        % {"row": e["row"], "errors": "; ".join(e["reasons"])}
                    )
            raise CommandError(exc.message, returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        for w in report.warnings:
            self.stdout.write(
                _("row %(row)s: %(errors)s") % {"row": w["row"], "errors": w["message"]}
            )
        self.stdout.write(_("%(n)s region-year(s) stored.") % {"n": number(report.stored)})

    def _show(self, options):
        from lindung.coverage import figures

        actor = command_actor(options["user"])
        user = _Everyone() if actor is SYSTEM else actor
        day = _date(options["date"]) or refreshing.today()
        try:
            answer = figures.figures(user, options["region"], day)
            below = figures.ranking(user, options["region"], day) if answer["level"] < 4 else None
        except Exception as exc:
            from django.http import Http404

            if isinstance(exc, Http404):
                raise CommandError(
                    _("No such region in your scope: %(code)s") % {"code": options["region"]},
                    returncode=2,
                ) from exc
            raise
        if options["json"]:
            self.stdout.write(json.dumps({**answer, "ranking": below}, ensure_ascii=False))
            return
        self.stdout.write(
            f"{answer['name']} ({answer['region']}), {day:%d-%m-%Y}"
            + (f" [{answer['as_of']}]" if answer["as_of"] != day.isoformat() else "")
        )
        self.stdout.write(
            _("Protected: %(p)s of %(r)s registered; coverage: %(pct)s")
            % {
                "p": number(answer["protected"]),
                "r": number(answer["registered"]),
                "pct": f"{answer['coverage_pct']} %" if answer["coverage_pct"] else "—",
            }
        )
        for row in (below or {}).get("regions", [])[:50]:
            self.stdout.write(
                f"{row['rank']:>4}. {row['name']}: {number(row['protected'])}"
                + (f" ({row['coverage_pct']} %)" if row["coverage_pct"] else "")
            )


class _Everyone:
    """The server's operator on the command line: sees all of Indonesia."""

    is_authenticated = True
    is_active = True
    role = "superadmin"
