"""`lindung duplicates scan --region CODE [--json] [--user NAME]`."""

from __future__ import annotations

import json

from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import command_actor
from lindung.audit.commands import AuditedCommand
from lindung.common.errors import ApplicationError
from lindung.duplicates.services import duplicates_scan
from lindung.regions.models import Region, canonical


class Command(AuditedCommand):
    help = "Refresh and print the open duplicate candidates among a region's workers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser("scan", help="scan a region against the rest of its province")
        scan.add_argument("--region", required=True, help="region code, e.g. 16.12")
        scan.add_argument("--json", action="store_true", help="one JSON object per line")
        scan.add_argument("--user", default="", help="act as this user (their scope applies)")
        scan.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            actor = command_actor(options["user"])
            # A code that names no region would scan nothing and print "0 pairs", which reads
            # like a clean region: refuse it instead.
            if not Region.objects.filter(code=canonical(options["region"])).exists():
                raise ApplicationError(
                    _("No region has the code %(code)s.") % {"code": options["region"]},
                    code="region_not_found",
                )
        candidates = duplicates_scan(actor=actor, region_code=options["region"])
        for c in candidates:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "nik_a": c.nik_a,
                            "nik_b": c.nik_b,
                            "kind": c.kind,
                            "score": round(c.score, 2),
                        }
                    )
                )
            else:
                self.stdout.write(
                    f"{c.nik_a}  {c.nik_b}  {c.kind:<9} {c.score:5.1f}  "
                    f"agree: {', '.join(c.details.get('agree', []))}; "
                    f"differ: {', '.join(c.details.get('disagree', []))}"
                )
        if not options["json"]:
            self.stdout.write(f"{len(candidates)} open pair(s) in {options['region']}")
