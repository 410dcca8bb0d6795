"""`lindung setup`: make an empty (or existing) database ready. Safe to run again at any time."""

from __future__ import annotations

import time

from django.core.management import call_command

from lindung.audit.commands import AuditedCommand
from lindung.common.text import number
from lindung.regions.services import historical_codes_load, regions_load
from lindung.registry.services import occupations_seed

from .serve import collect_static


class Command(AuditedCommand):
    help = "Apply migrations, load all Kemendagri regions and the reference lists (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args, **options):
        if not options["skip_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("migrations applied")
        started = time.perf_counter()
        result = regions_load()
        counts = {k: number(v) for k, v in result.counts.items()}
        changed = {k: number(getattr(result, k)) for k in ("inserted", "updated", "deactivated")}
        self.stdout.write(
            f"regions: {result.dataset.decree} from {result.dataset.source} "
            f"{result.dataset.source_version}: {counts['provinces']} provinces, "
            f"{counts['regencies']} regencies/cities, {counts['districts']} districts, "
            f"{counts['villages']} villages; inserted {changed['inserted']}, "
            f"updated {changed['updated']}, deactivated {changed['deactivated']} "
            f"in {time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(f"historical region codes: {number(historical_codes_load())} changed")
        self.stdout.write(f"occupations: {number(occupations_seed())} added")
        collect_static()
