#!/usr/bin/env python3
"""Enrolment benchmark on PostgreSQL: ready lists → participants → BPJS file → KPJ answer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench .venv/bin/python \\
        bench/enrolment.py [--people 100000]

Loads N workers across Muara Enim's villages (COPY), one program with every village's list ready
and everyone accepted, then measures in the same run:
  - enrolling every ready list at once (`participants_enrol`, one bulk insert, row locks, the
    overlap check, funder resolution) — and again (idempotent: must add nobody);
  - the BPJS registration file (CSV) for the whole program;
  - BPJS's answer (CSV, N rows: NIK, KPJ, TMT) read and applied all or nothing;
  - the same answer with one bad row at the end (refused whole, nothing applied).
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
import time
from pathlib import Path

from _shared import ensure_database, log, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lindung_bench"
REGENCY = "1603"


def load(people: int):
    from django.utils import timezone

    from lindung.accounts.system import SYSTEM
    from lindung.common.bulk import copy_rows
    from lindung.programs.models import Outcome, Submission, SubmissionPerson, SubmissionState
    from lindung.programs.services import program_create
    from lindung.regions.models import Region
    from lindung.registry.models import Occupation, Worker

    villages = list(
        Region.objects.filter(level=4, code__startswith=REGENCY, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    farmer = Occupation.objects.get(code="petani").pk
    now = timezone.now()
    log(f"{people:,} workers in {len(villages)} villages (COPY)")

    def workers():
        for i in range(people):
            village = villages[i % len(villages)]
            born = dt.date(1962, 1, 1) + dt.timedelta(days=(i // len(villages)) % 16000)
            serial = i % len(villages) + 1 + len(villages) * (i // (len(villages) * 16000))
            nik = f"{village[:6]}{born.day:02d}{born:%m%y}{serial:04d}"
            yield (nik, "", f"Pekerja {i}", "", born, "L", "", village, "", farmer, now, now,
                   "active", "")  # fmt: skip

    copy_rows(
        Worker,
        ["nik", "kk_number", "name", "birth_place", "birth_date", "sex", "address", "village",
         "phone", "occupation", "created_at", "updated_at", "life_status", "life_status_reason"],
        workers(),
    )  # fmt: skip
    log("program and ready lists")
    program = program_create(
        actor=SYSTEM,
        code="bench-enrol",
        name="Bench enrolment",
        owner_region_code=REGENCY,
        coverage_start=dt.date(2025, 10, 1),
        coverage_end=dt.date(2025, 12, 31),
        occupation_codes=["petani"],
        funders=[{"kind": "apbd", "name": "APBD Muara Enim"}],
    )
    Submission.objects.bulk_create(
        Submission(program=program, village_id=v, state=SubmissionState.READY, version=4)
        for v in villages
    )
    log("accepted people on the lists (COPY)")
    lists = dict(Submission.objects.filter(program=program).values_list("village_id", "pk"))
    copy_rows(
        SubmissionPerson,
        [
            "submission",
            "worker",
            "eligible",
            "reasons",
            "outcome",
            "outcome_reason",
            "removed_reason",
        ],
        (
            (lists[v], w, True, [], Outcome.ACCEPTED, "", "")
            # A list, not .iterator(): a server-side cursor cannot run beside COPY on one
            # connection.
            for w, v in list(Worker.objects.values_list("pk", "village_id"))
        ),
    )
    return program


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    log(f"{label}: {seconds:.2f} s")
    return result, round(seconds, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        sys.exit("PostgreSQL only: set DATABASE_URL=postgres://…")
    ensure_database(url, fresh=True)
    setup_django(url)
    from lindung.accounts.system import SYSTEM
    from lindung.enrolment import services
    from lindung.enrolment.models import Participant

    program = load(args.people)
    result, enrol_s = timed(
        "enrol every ready list", lambda: services.participants_enrol(actor=SYSTEM, program=program)
    )
    assert result.enrolled == args.people, result
    again, enrol_again_s = timed(
        "enrol again", lambda: services.participants_enrol(actor=SYSTEM, program=program)
    )
    assert again.enrolled == 0 and again.already == args.people
    (content, _n, _k), file_s = timed(
        "registration file (CSV)",
        lambda: services.registration_file(actor=SYSTEM, program=program, fmt="csv"),
    )
    answer = io.StringIO()
    answer.write("Nomor Peserta;NIK;TMT\n")
    for i, nik in enumerate(
        Participant.objects.filter(program=program).values_list("worker__nik", flat=True)
    ):
        answer.write(f"{i:011d};{nik};01-10-2025\n")
    data = answer.getvalue().encode()
    bad = data + b"1603011234567890;123;01-10-2025\n"
    refused, refused_s = timed(
        "KPJ answer with one bad row (refused)",
        lambda: services.kpj_import(actor=SYSTEM, program=program, data=bad),
    )
    assert not refused.applied and len(refused.errors) == 1
    report, import_s = timed(
        "KPJ answer applied",
        lambda: services.kpj_import(actor=SYSTEM, program=program, data=data),
    )
    assert report.applied and report.assigned == args.people, report.errors[:3]
    print(
        json.dumps(
            {
                "people": args.people,
                "enrol_seconds": enrol_s,
                "enrol_again_seconds": enrol_again_s,
                "registration_csv_seconds": file_s,
                "registration_csv_mb": round(len(content) / 1e6, 1),
                "kpj_import_seconds": import_s,
                "kpj_refused_seconds": refused_s,
            }
        )
    )


if __name__ == "__main__":
    main()
