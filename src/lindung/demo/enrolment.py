"""The demo's ready lists carried on into enrolment, through the real services and roles.

For each program, in village order, the ready lists become:

1. enrolled, BPJS's registration file produced, and BPJS's answer (a KPJ for every row) read
   back through the real KPJ import, so its people are *active*; one of them then dies (marked
   in the registry, which ends the participation), so an *ended* participation shows too;
2. enrolled, registration file sent, no answer yet: its people stay *registered*;
3. the rest left *ready*, for the regency admin to enrol from the page.

The answer file is built from the registration file itself, read back as BPJS would read it
(XLSX for one program, CSV for the next, so both formats of the import are exercised). KPJ
numbers are synthetic. Invoices and payments for these participants are the next step
(`demo.billing`), not made here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import xlsxwriter
from django.db import transaction

from lindung.accounts.models import User
from lindung.accounts.roles import Action, Role
from lindung.common.errors import ApplicationError
from lindung.enrolment.choices import ParticipantState
from lindung.enrolment.models import Participant
from lindung.enrolment.services import kpj_import, participants_enrol, registration_file
from lindung.intake.reader import open_workbook, sheet_rows
from lindung.programs.models import Program, Submission, SubmissionState
from lindung.registry.models import LifeStatus
from lindung.registry.services import worker_mark

from .programs import PROGRAMS, login_for

# What the demo does with a program's ready lists, in village order; lists past the end of this
# stay ready.
PLAN = ("kpj", "registered")
DEATH_AFTER_DAYS = 40  # the death falls inside every demo program's period


def demo_enrolment() -> dict[str, dict]:
    """Enrol the demo programs' ready lists as described above, once per program (a program
    that already has participants is left alone). Returns {program code: counts}."""
    admin = User.objects.filter(role=Role.SUPERADMIN).first()
    out = {}
    for index, spec in enumerate(PROGRAMS):
        program = Program.objects.filter(code=spec["code"]).first()
        if program is None or Participant.objects.filter(program=program).exists():
            continue
        with transaction.atomic():  # a program's enrolment as a whole, or nothing
            out[program.code] = _enrol_program(admin, program, fmt=("xlsx", "csv")[index % 2])
    return out


def _enrol_program(admin, program: Program, *, fmt: str) -> dict:
    ready = list(
        Submission.objects.filter(program=program, state=SubmissionState.READY)
        .filter(people__outcome="accepted", people__removed_at__isnull=True)
        .distinct()
        .order_by("village_id")
    )
    counts = {"enrolled": 0, "kpj": 0, "ended": 0, "ready_left": max(len(ready) - len(PLAN), 0)}
    for submission, step in zip(ready, PLAN, strict=False):
        enrolled, assigned = enrol_list(admin, program, submission, fmt=fmt, kpj=step == "kpj")
        counts["enrolled"] += enrolled
        counts["kpj"] += assigned
        if step == "kpj":
            counts["ended"] += _one_death(
                login_for(Action.ENROL, submission.village_id, admin),
                program,
                submission.village_id,
            )
    return counts


def enrol_list(
    admin, program: Program, submission: Submission, *, fmt: str, kpj: bool = True
) -> tuple[int, int]:
    """Enrol one ready list by the regency's login and produce BPJS's registration file; with
    `kpj`, read BPJS's answer back (a KPJ for every row). Returns (enrolled, KPJs assigned)."""
    village = submission.village_id
    regency = login_for(Action.ENROL, village, admin)
    result = participants_enrol(
        actor=regency,
        program=program,
        submission=submission,
        expected_state=SubmissionState.READY,
        version=submission.version,
    )
    content, _name, _kind = registration_file(
        actor=regency, program=program, village_code=village, fmt=fmt
    )
    if not kpj:
        return result.enrolled, 0  # sent to BPJS; no answer yet
    bpjs = login_for(Action.SET_KPJ, village, admin)
    # Serials go on from the KPJs already given in the regency, so a number is never reused.
    issued = Participant.objects.filter(
        village__code__startswith=program.owner_region_id, kpj__isnull=False
    ).count()
    answer = bpjs_answer(
        registration_niks(content, fmt),
        program.coverage_start,
        fmt,
        regency=program.owner_region_id,
        first_serial=issued + 1,
    )
    report = kpj_import(actor=bpjs, program=program, data=answer)
    if not report.applied:
        raise ApplicationError(f"demo KPJ answer refused: {report.errors[:3]}")
    return result.enrolled, report.assigned


def registration_niks(content: bytes, fmt: str) -> list[str]:
    """The NIK column of the registration file, as BPJS reads it."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    else:
        workbook, _archive = open_workbook(content)
        _sheet, rows = sheet_rows(workbook, 0)
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "NIK")
    return [str(row[0]) for row in rows[header_at + 1 :] if row and row[0]]


def demo_kpj(regency: str, serial: int) -> str:
    """A synthetic 11-digit KPJ: 9, the regency's code, a serial. Unique within the demo (one
    serial sequence per regency) and easy to tell apart from a real number at a glance."""
    return f"9{regency[:4]}{serial:06d}"


def bpjs_answer(
    niks: list[str], start: dt.date, fmt: str, *, regency: str, first_serial: int = 1
) -> bytes:
    """BPJS's answer to a registration file, the way a branch office sends it back: its own
    column names and order (No, No KPJ, NIK, TMT Kepesertaan), KPJ as text."""
    headers = ["No", "No KPJ", "NIK", "TMT Kepesertaan"]
    rows = [
        [str(i), demo_kpj(regency, first_serial + i - 1), nik, start.strftime("%d-%m-%Y")]
        for i, nik in enumerate(niks, start=1)
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=",")
        writer.writerow(headers)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Peserta")
    sheet.write_string(0, 0, "Daftar Peserta Baru — BPJS Ketenagakerjaan")
    for c, header in enumerate(headers):
        sheet.write_string(2, c, header)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def _one_death(actor, program: Program, village: str) -> int:
    """The village's first active participant dies during the period: marked deceased in the
    registry by the regency admin, which ends the participation (reason: died) on that day."""
    participant = (
        Participant.objects.filter(program=program, village_id=village)
        .filter(state=ParticipantState.ACTIVE)
        .select_related("worker")
        .order_by("worker__name", "pk")
        .first()
    )
    if participant is None:
        return 0
    on = min(participant.start_date + dt.timedelta(days=DEATH_AFTER_DAYS), participant.end_date)
    if on > dt.date.today():
        return 0  # the registry refuses a death in the future (a clock before the period)
    worker_mark(
        actor=actor,
        worker=participant.worker,
        status=LifeStatus.DECEASED,
        since=on,
        reason="Laporan kematian dari kepala desa (data demo).",
    )
    return 1
