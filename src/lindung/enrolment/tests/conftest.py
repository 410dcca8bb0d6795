import datetime as dt

import pytest

from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE


@pytest.fixture
def regency_admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1612"])


@pytest.fixture
def bpjs(make_user):
    return make_user(Role.BPJS_OFFICER, ["1612"])


@pytest.fixture
def make_program(regency_admin):
    from lindung.programs.services import program_create

    counter = {"n": 0}

    def make(start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31), **kw):
        counter["n"] += 1
        return program_create(
            actor=regency_admin,
            code=kw.pop("code", f"pali-{counter['n']}"),
            name=kw.pop("name", f"Pekerja Rentan PALI {counter['n']}"),
            owner_region_code=kw.pop("region", "1612"),
            coverage_start=start,
            coverage_end=end,
            occupation_codes=kw.pop("occupations", ["petani", "ojek", "perangkat-desa"]),
            rules=kw.pop("rules", None),
            funders=kw.pop("funders", [{"kind": "apbd", "name": "APBD PALI"}]),
            **kw,
        )

    return make


@pytest.fixture
def ready_list():
    """A village list at the end of verification (ready, everyone accepted), made directly:
    the flow that leads there is the programs app's to test."""
    from lindung.programs.models import Outcome, Submission, SubmissionPerson, SubmissionState

    def make(program, workers, village=PALI_VILLAGE, state=SubmissionState.READY):
        submission = Submission.objects.create(
            program=program, village_id=village, state=state, version=5
        )
        SubmissionPerson.objects.bulk_create(
            SubmissionPerson(
                submission=submission, worker=w, eligible=True, outcome=Outcome.ACCEPTED
            )
            for w in workers
        )
        return submission

    return make


@pytest.fixture
def enrolled(make_program, make_worker, ready_list, regency_admin):
    """A program with three enrolled people of one PALI village."""
    from lindung.enrolment.services import participants_enrol

    program = make_program()
    workers = [make_worker() for _ in range(3)]
    submission = ready_list(program, workers)
    participants_enrol(actor=regency_admin, program=program, submission=submission)
    return program, workers, submission
