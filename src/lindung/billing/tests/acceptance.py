"""The setup the acceptance tests of issue 9 share: a PALI program starting this month (APBD,
JKK + JKM on Rp1,000,000: Rp16,800 per worker and month) and one village list of three people
taken to "ready" through the real services, each step by its own role. Only this is prepared;
everything after it (budget, enrolment, files, invoice, payment) is the test's to click or call.
"""

from __future__ import annotations

import datetime as dt

from lindung.conftest import PALI_VILLAGE, make_nik

PASSWORD = "lindung-demo-2025"
PROGRAM = "pali-terima"
WORKERS = 3
MONTHS = 3
PER_WORKER_MONTH = 16_800  # JKK Rp10,000 + JKM Rp6,800 (PP 44/2015 Art. 20), no discount (APBD)


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    """This month and the next two: the first invoice's month is the current one, so "today"
    falls in the cover and the question "protected today?" has a real answer."""
    start = today.replace(day=1)
    y, m = divmod(start.month - 1 + MONTHS, 12)
    return start, dt.date(start.year + y, m + 1, 1) - dt.timedelta(days=1)


def niks() -> list[str]:
    return [make_nik(PALI_VILLAGE[:6], dt.date(1980, 4, 10 + i), "L", 700 + i) for i in range(3)]


def ready_list_setup() -> int:
    """Users `dpmd` (regency admin), `desa` (village operator), `bpjs` (BPJS officer); the
    program; three workers on a list moved submitted → approved → verified → ready. Returns the
    list's id. Runs in the test database or in a child process's (`lindung shell`)."""
    from django.utils import timezone

    from lindung.accounts.services import user_create
    from lindung.programs.services import (
        people_decide,
        program_create,
        submission_add_workers,
        submission_for,
        submission_move,
    )
    from lindung.registry.services import worker_create
    from lindung.registry.validation import WorkerInput

    admin = user_create(
        username="dpmd", password=PASSWORD, role="regency_admin", region_codes=["1612"]
    )
    operator = user_create(
        username="desa", password=PASSWORD, role="village_operator", region_codes=[PALI_VILLAGE]
    )
    bpjs = user_create(
        username="bpjs", password=PASSWORD, role="bpjs_officer", region_codes=["1612"]
    )
    start, end = period(timezone.localdate())
    program = program_create(
        actor=admin,
        code=PROGRAM,
        name="Pekerja Rentan PALI (uji terima)",
        owner_region_code="1612",
        coverage_start=start,
        coverage_end=end,
        occupation_codes=["petani"],
        funders=[{"kind": "apbd", "name": "APBD PALI"}],
        target_workers=WORKERS,
    )
    ids = [
        worker_create(
            actor=operator,
            data=WorkerInput(
                nik=nik,
                name=f"Petani Uji {i + 1}",
                village_code=PALI_VILLAGE,
                occupation_code="petani",
            ),
            heirs=[],
        ).pk
        for i, nik in enumerate(niks())
    ]
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=operator, submission=submission, worker_ids=ids)
    for actor, to, seen in (
        (operator, "submitted", "draft"),
        (admin, "approved", "submitted"),
    ):
        submission = submission_move(actor=actor, submission=submission, to=to, expected_state=seen)
    people_decide(actor=bpjs, submission=submission, person_ids=None, accept=True)
    submission = submission_move(
        actor=bpjs, submission=submission, to="verified", expected_state="approved"
    )
    submission = submission_move(
        actor=bpjs, submission=submission, to="ready", expected_state="verified"
    )
    return submission.pk
