"""`lindung import FILE --village CODE [--program CODE] [--commit] [--json] [--user NAME]`.

Without --commit the file is only staged and reported. Exit status 0 when the file was readable
(even with rejected rows), 2 with a clear message when it was not, or the user may not act on
that village (`LindungCommand` maps the refusal; JSON with --json).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from rich.console import Console

from lindung.accounts.system import command_actor
from lindung.audit import context
from lindung.audit.commands import AuditedCommand
from lindung.common.errors import ApplicationError
from lindung.common.text import number
from lindung.intake.models import StagedRow
from lindung.intake.services import upload_commit, upload_stage


class Command(AuditedCommand):
    help = "Stage (and with --commit, apply) a worker list from an XLSX or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--village", required=True, help="village code, e.g. 16.12.01.2001")
        parser.add_argument("--program", default="", help="program code (optional)")
        parser.add_argument("--commit", action="store_true", help="apply the accepted rows")
        parser.add_argument("--json", action="store_true", help="print one JSON report")
        parser.add_argument("--user", default="", help="act as this user (their scope applies)")
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def execute(self, *args, **options):
        # Rows staged by this command are audited under the `import` channel.
        with context.channel(context.IMPORT):
            return super(AuditedCommand, self).execute(*args, **options)

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
            actor = command_actor(options["user"])
        with translation.override(options["lang"]), _progress_bar(options["commit"]) as step:
            try:
                upload = upload_stage(
                    actor=actor,
                    data=path.read_bytes(),
                    filename=path.name,
                    village_code=options["village"],
                    program_code=options["program"],
                    on_step=step,
                )
                if options["commit"]:
                    step("committing")
                    upload = upload_commit(actor=actor, upload=upload)
                    if options["program"]:
                        _submit_to_program(actor, upload, options["program"])
            finally:
                step("done")
        report = report_of(upload)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self._summary(report)

    def _summary(self, report: dict) -> None:
        out = self.stdout
        n = {k: number(report[k]) for k in ("rows", "accepted", "updated", "unchanged")}
        n |= {k: number(report[k]) for k in ("duplicates", "rejected")}
        out.write(
            f"upload {report['upload_id']}: {n['rows']} rows, {n['accepted']} new, "
            f"{n['updated']} updates, {n['unchanged']} unchanged, "
            f"{n['duplicates']} duplicates, {n['rejected']} rejected; "
            f"{'committed' if report['committed'] else 'staged only (add --commit to apply)'}"
        )
        for e in report["errors"][:50]:
            out.write(f"  row {e['row']} [{e['column']}] {e['message']}")
        if len(report["errors"]) > 50:
            out.write(f"  … and {len(report['errors']) - 50} more (use --json for all)")


STEPS = ("reading", "checking", "matching", "staging", "committing")


def _submit_to_program(actor, upload, program_code: str) -> None:
    """--program: put the saved people on the village's list for that program."""
    from lindung.programs.models import Program
    from lindung.programs.services import submission_add_upload, submission_for

    program = Program.objects.filter(code=program_code).first()
    if program is None:
        raise ApplicationError(f"unknown program {program_code!r}", code="program")
    submission = submission_for(actor=actor, program=program, village_code=upload.village_id)
    submission_add_upload(actor=actor, submission=submission, upload=upload)


@contextlib.contextmanager
def _progress_bar(committing: bool):
    """A progress bar on the terminal (stderr); silent when output is not a terminal."""
    if not sys.stderr.isatty():
        yield lambda step: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    steps = STEPS if committing else STEPS[:-1]
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as progress:
        bar = progress.add_task("reading", total=len(steps))

        def step(name: str) -> None:
            done = len(steps) if name == "done" else steps.index(name) if name in steps else 0
            progress.update(bar, completed=done, description=name)

        yield step


def report_of(upload) -> dict:
    counts = upload.counts
    errors = [
        {"row": number, **problem}
        for number, problems in StagedRow.objects.filter(upload=upload)
        .exclude(errors=[])
        .order_by("row_number")
        .values_list("row_number", "errors")
        .iterator(chunk_size=5000)
        for problem in problems
    ]
    return {
        "upload_id": str(upload.pk),
        "rows": counts.get("rows", 0),
        "accepted": counts.get("accepted", 0),
        "rejected": counts.get("rejected", 0),
        "duplicates": counts.get("duplicates", 0),
        "updated": counts.get("updated", 0),
        "unchanged": counts.get("unchanged", 0),
        "conflicts": counts.get("conflicts", 0),
        "committed": upload.status == "committed",
        "errors": errors,
    }
