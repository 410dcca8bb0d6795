"""The `lindung` console command: every Django management command plus Lindung's own.

`lindung` alone (or `lindung help`, `-h`, `--help`) lists Lindung's own commands first, one line
each, in the order a newcomer meets them, then says how to list Django's; everything else goes
to Django's management utility unchanged.
"""

import os
import sys

HELP_ASKS = ([], ["help"], ["-h"], ["--help"])

# The order a newcomer meets them in: how to call each, and what it does (a msgid; Indonesian
# in django.po).
# A test checks this lists every command of a Lindung app, so a new one cannot be left out.
SUMMARIES = {
    "setup": ("setup", "migrations, all regions and reference lists; safe to re-run"),
    "demo": ("demo [--no-serve]", "demo logins and synthetic workers, then the web server"),
    "serve": ("serve [ADDR:PORT]", "the web server and its background worker"),
    "worker": ("worker", "the background task worker alone (serve starts one)"),
    "nik": ("nik inspect NIK … [--json]", "explain NIKs; exit 1 when any is invalid"),
    "import": (
        "import FILE --village CODE [--commit]",
        "check (and with --commit save) a worker list",
    ),
    "user": (
        "user create|role|scope|… NAME",
        "manage accounts (audited)",
    ),
    "duplicates": ("duplicates scan --region CODE", "refresh and list a region's duplicate pairs"),
    "poverty": (
        "poverty import FILE --year YEAR",
        "load a poverty list (NIK, decile) such as DTSEN",
    ),
    "budget": (
        "budget --workers N --months M --start YYYY-MM",
        "what N workers cost for M months (per component, month, funder)",
    ),
    "rates": ("rates list|load FILE", "the dated, cited contribution rules"),
    "enrolment": (
        "enrolment import-kpj FILE --program CODE",
        "assign KPJ numbers from BPJS's answer file (all rows or none)",
    ),
    "protection": (
        "protection status NIK --date YYYY-MM-DD",
        "was a person protected on a date, under which program, and how",
    ),
    "benefit": (
        "benefit TYPE --nik|--kpj|--what-if --event-date D",
        "what a death, work accident or scholarship pays, with each rule's citation",
    ),
    "benefit-rules": (
        "benefit-rules list|load|load-disability FILE",
        "the dated, cited benefit rules and the disability table",
    ),
    "coverage": (
        "coverage refresh|import-workforce FILE|show REGION",
        "coverage figures: recount, working population per region and year, a region's figures",
    ),
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    argv = sys.argv[1:]
    if without_lang(argv) in HELP_ASKS:
        print_overview(argv)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lindung", *argv])


def without_lang(argv: list[str]) -> list[str]:
    """argv without `--lang X` / `--lang=X` (the overview takes it too)."""
    rest, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            rest.append(arg)
    return rest


def lindung_commands() -> list[str]:
    """Names of the management commands that Lindung's own apps define, in SUMMARIES order."""
    from django.core.management import get_commands

    own = [name for name, app in get_commands().items() if app.startswith("lindung.")]
    order = list(SUMMARIES)
    return sorted(own, key=lambda n: (order.index(n) if n in order else len(order), n))


def print_overview(argv: list[str]) -> None:
    import django
    from django.utils import translation
    from django.utils.translation import gettext as _

    from lindung.common.management.base import language_of

    django.setup()
    with translation.override(language_of(argv)):
        lines = [_("Usage: lindung COMMAND [options]"), "", _("Lindung's commands:")]
        rows = [SUMMARIES.get(name, (name, "")) for name in lindung_commands()]
        width = max(len(synopsis) for synopsis, _summary in rows) + 2
        for synopsis, summary in rows:
            lines.append(f"  {synopsis:<{width}}{_(summary) if summary else ''}".rstrip())
        lines += [
            "",
            _("`lindung COMMAND --help` explains one command and its options."),
            _(
                "`lindung help --commands` lists every command, Django's too "
                "(migrate, createsuperuser, shell…)."
            ),
        ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
