"""`lindung demo`: a ready-to-click Lindung in one command: setup, logins, workers, server.

Safe to run again: setup is idempotent, existing logins are kept and demo workers are loaded once.
"""

from __future__ import annotations

import io
import time

from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from rich.console import Console
from rich.table import Table

from lindung.accounts.roles import Role
from lindung.audit.commands import AuditedCommand
from lindung.common.errors import ApplicationError
from lindung.common.text import number
from lindung.demo.billing import demo_billing
from lindung.demo.claims import demo_claims
from lindung.demo.coverage import demo_coverage
from lindung.demo.enrolment import demo_enrolment
from lindung.demo.generator import DEFAULT_SEED, DEFAULT_TOTAL
from lindung.demo.programs import demo_programs
from lindung.demo.services import demo_load, demo_mark_site, demo_users
from lindung.site.management.commands.serve import parse_addrport

DEFAULT_ADDRPORT = "127.0.0.1:8000"

PALI_NOTE = (
    "Note: PALI (16.12) has 71 villages (65 desa + 6 kelurahan) in the official Kemendagri 2025 "
    "list (Kepmendagri 300.2.2-2430/2025), not the 75 the news article implies (12 + 63 villages). "
    "Lindung uses the official list."
)


def url_for(addrport: str) -> str:
    """`8000`, `0.0.0.0:8000`, `127.0.0.1:8000` → the address to open in a browser."""
    host, _sep, port = addrport.rpartition(":")
    if host in ("", "0.0.0.0", "::", "[::]"):  # listening everywhere: the local address works
        host = "127.0.0.1"
    return f"http://{host}:{port or '8000'}"


class Command(AuditedCommand):
    help = (
        "Demo: set up the database, create one login per role and about 4,000 synthetic workers "
        "in real villages of Muara Enim, Musi Banyuasin, PALI and Sarolangun, the four programs "
        "of the news articles with village lists at every step and some enrolled (KPJ numbers "
        "from a BPJS answer file), invoiced and paid (one PALI village in arrears), then start "
        "the web server. Demo data and passwords only: never run this on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=DEFAULT_TOTAL, help="how many workers (default 4000)"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"where to serve (default {DEFAULT_ADDRPORT})",
        )
        parser.add_argument("--no-serve", action="store_true", help="prepare only; do not serve")
        parser.add_argument(
            "--skip-setup",
            action="store_true",
            help="the database is already set up: skip migrations and the region load",
        )

    def handle(self, *args, **options):
        if options["workers"] < 0:
            raise CommandError("--workers cannot be negative")
        if not options["no_serve"]:
            # A wrong --addrport is refused now, not after minutes of loading.
            parse_addrport(options["addrport"])
        if not options["skip_setup"]:
            call_command("setup", stdout=self.stdout, stderr=self.stderr)
        demo_mark_site()
        try:
            logins = demo_users(seed=options["seed"])
            started = time.perf_counter()
            loaded = demo_load(workers=options["workers"], seed=options["seed"])
            self._report_load(loaded, time.perf_counter() - started)
            started = time.perf_counter()
            made = demo_programs()
            self.stdout.write(
                f"demo programs: {made} created (Muara Enim, Musi Banyuasin, PALI, Sarolangun) "
                f"with village lists at every step, in {time.perf_counter() - started:.1f} s"
            )
            started = time.perf_counter()
            enrolled = demo_enrolment()
            self._report_enrolment(enrolled, time.perf_counter() - started)
            # Billing is its own step: invoices and payments for the participants just enrolled.
            started = time.perf_counter()
            billed = demo_billing()
            self._report_billing(billed, time.perf_counter() - started)
            # Claims last: a death paid to the heirs in Sarolangun, one waiting in PALI.
            started = time.perf_counter()
            claims = demo_claims()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self._report_claims(claims, time.perf_counter() - started)
        # Coverage last: month ends counted before and after each launch, and the working
        # population scaled so the articles' percentages come out at demo scale.
        started = time.perf_counter()
        try:
            covered = demo_coverage()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self._report_coverage(covered, time.perf_counter() - started)
        url = url_for(options["addrport"])
        self._print_logins(logins, url)
        self.stdout.write(PALI_NOTE)
        if options["no_serve"]:
            self.stdout.write(
                f"Not serving (--no-serve); start it later: lindung serve {options['addrport']}"
            )
            return
        self._serve(options["addrport"])

    def _report_load(self, loaded: dict, seconds: float) -> None:
        if loaded["loaded"]:
            self.stdout.write(
                f"demo workers: {loaded['workers']} workers and {loaded['heirs']} heirs in "
                f"{loaded['villages']} villages (seed {loaded['seed']}) in {seconds:.1f} s"
            )
        else:
            self.stdout.write(
                f"demo workers: already loaded ({loaded['workers']} workers in the "
                f"{loaded['villages']} demo villages); nothing added"
            )

    def _report_enrolment(self, enrolled: dict[str, dict], seconds: float) -> None:
        if not enrolled:
            self.stdout.write("demo enrolment: already done; nothing added")
            return
        people = sum(c["enrolled"] for c in enrolled.values())
        kpj = sum(c["kpj"] for c in enrolled.values())
        ended = sum(c["ended"] for c in enrolled.values())
        self.stdout.write(
            f"demo enrolment: {people} participants in {len(enrolled)} programs, {kpj} with a "
            f"KPJ from BPJS's answer file, {ended} ended (death); one ready list per program "
            f"left to enrol, in {seconds:.1f} s"
        )

    def _report_billing(self, billed: dict[str, dict], seconds: float) -> None:
        if not billed:
            self.stdout.write("demo billing: already done; nothing added")
            return
        total = {k: sum(c[k] for c in billed.values()) for k in next(iter(billed.values()))}
        self.stdout.write(
            f"demo billing: {total['invoices']} invoices (Rp{number(total['billed'])}) and "
            f"{total['payments']} payments (Rp{number(total['paid'])}) in {len(billed)} programs, "
            f"{total['in_arrears']} village in arrears (PALI), in {seconds:.1f} s"
        )

    def _report_coverage(self, covered: dict[str, dict], seconds: float) -> None:
        if not covered:
            self.stdout.write("demo coverage: already counted; nothing added")
            return
        parts = [
            f"{code[:2]}.{code[2:]} {c['coverage_pct']} % on {c['day']:%d-%m-%Y} "
            f"(article {c['article_pct']} %)"
            for code, c in covered.items()
        ]
        self.stdout.write(
            "demo coverage: month ends counted, synthetic working population scaled from the "
            f"articles: {'; '.join(parts)}, in {seconds:.1f} s"
        )

    def _report_claims(self, claims: dict[str, int], seconds: float) -> None:
        if not claims:
            self.stdout.write("demo claims: already done; nothing added")
            return
        self.stdout.write(
            f"demo claims: {claims['paid']} JKM claim paid to the heirs in Sarolangun "
            f"(Rp{number(claims['paid_amount'])}), {claims['waiting']} waiting for BPJS's "
            f"verification in PALI, in {seconds:.1f} s"
        )

    def _print_logins(self, logins: list[tuple[str, str, str, str]], url: str) -> None:
        table = Table(title=f"Lindung demo logins — open {url}", title_justify="left")
        for column in ("Username", "Password", "Role", "Scope"):
            table.add_column(column, overflow="fold")
        for username, password, role, scope in logins:
            table.add_row(username, password, str(Role(role).label), scope)
        # Rendered to text first so it goes through self.stdout (captured in tests, colour on a
        # terminal only).
        buffer = io.StringIO()
        console = Console(file=buffer, width=120, force_terminal=self.stdout.isatty())
        console.print(table)
        console.print(f"Open [bold]{url}[/bold] and sign in with one of the logins above.")
        console.print("[yellow]Demo passwords: for this demo database only.[/yellow]")
        self.stdout.write(buffer.getvalue(), ending="")

    def _serve(self, addrport: str) -> None:
        if "serve" in get_commands():
            call_command("serve", addrport=addrport)
            return
        # Builds without the production `serve` command still get a working (dev) server.
        self.stderr.write("`serve` is not available; falling back to Django's runserver.")
        call_command("runserver", addrport, use_reloader=False)
