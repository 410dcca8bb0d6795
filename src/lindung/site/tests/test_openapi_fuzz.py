"""Schemathesis against /api/openapi.json, in process: no generated request gets a 5xx, and every
answer is one the OpenAPI document declares (status, content type, body shape).

Each operation is one test, driven by a fixed-seed hypothesis run (derandomized, so a failure
reproduces exactly) with a bearer token drawn from every role, and path parameters drawn either
freely or from objects that exist in the caller's regions, so the checks reach real data and
not only 404s. Valid and deliberately invalid input (schemathesis negative mode) are mixed;
15 examples per operation, about 500 in total.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.api import api
from lindung.conftest import PALI_VILLAGE

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
REAL_FIELDS = {
    "owner_region_code": "1612",
    "village_code": PALI_VILLAGE,
    "region_code": "1612",
    "occupation_code": "petani",
    "covers_region_code": "",
}
ROLE_REGIONS = {
    Role.VILLAGE_OPERATOR: [PALI_VILLAGE],
    Role.REGENCY_ADMIN: ["1612"],
    Role.BPJS_OFFICER: ["1612"],
    Role.BPJS_REGIONAL: ["16"],
    Role.REGIONAL_HEAD: ["16"],
    Role.AUDITOR: ["16"],
    Role.SUPERADMIN: [],
}


def _operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every documented operation, read from the same document."""
    paths = api.get_openapi_schema()["paths"]
    return sorted(
        (method.upper(), path)
        for path, methods in paths.items()
        for method in methods
        if method in ("get", "post", "put", "patch", "delete")
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes the connection after each WSGI request; inside the test's transaction
    that would end it (PostgreSQL). Django's own test client detaches the same handler."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@functools.cache
def _schema():
    """The document as a client fetches it, loaded once per session (it does not change)."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def known(make_user, make_worker) -> dict:
    """A PALI village with people, a program, a list and an upload; ids of each by parameter."""
    from lindung.duplicates.models import DuplicateCandidate
    from lindung.enrolment.models import Participant
    from lindung.intake.services import upload_stage
    from lindung.programs.models import SubmissionPerson
    from lindung.programs.services import program_create, submission_for

    admin = make_user(Role.REGENCY_ADMIN, ["1612"], username="fuzz-admin")
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="fuzz-operator")
    worker = make_worker(
        name="Siti Aminah",
        phone="081234567890",
        heirs=[{"name": "Budi", "relationship": "child"}],
    )
    twin = make_worker(name="Siti Aminah", birth_date=dt.date(1985, 3, 9))
    program = program_create(
        actor=admin,
        code="pali-2025",
        name="PALI 2025",
        owner_region_code="1612",
        coverage_start=dt.date(2025, 10, 1),
        coverage_end=dt.date(2025, 12, 31),
        occupation_codes=["petani"],
        funders=[{"kind": "apbd", "name": "APBD PALI"}],
    )
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    # Rows made directly: the services' duplicate scan would cost a second per test here.
    line = SubmissionPerson.objects.create(submission=submission, worker=worker, eligible=True)
    participant = Participant.objects.create(
        program=program,
        worker=worker,
        submission_person=line,
        village_id=PALI_VILLAGE,
        funder=program.funders.first(),
        declared_wage=program.wage_basis,
        registered_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
        start_date=program.coverage_start,
        end_date=program.coverage_end,
        enrol_batch=uuid.uuid4(),
    )
    candidate = DuplicateCandidate.objects.create(
        worker_a=worker,
        worker_b=twin,
        nik_a=worker.nik,
        nik_b=twin.nik,
        kind="probable",
        score=90.0,
        region_code=PALI_VILLAGE,
    )
    upload = upload_stage(
        actor=operator,
        data=f"NIK;Nama Lengkap;Pekerjaan\n{worker.nik};Siti Aminah;Petani\n".encode(),
        filename="daftar.csv",
        village_code=PALI_VILLAGE,
    )
    return {
        "worker_id": worker.pk,
        "submission_id": submission.pk,
        "candidate_id": candidate.pk,
        "code": program.code,
        "upload_id": str(upload.pk),
        "participant_id": participant.pk,
    }


@pytest.fixture
def tokens(make_user) -> list[str]:
    raw_tokens = []
    for role, regions in ROLE_REGIONS.items():
        user = make_user(role, regions, username=f"fuzz-{role}")
        raw_tokens.append(api_token_create(actor=user, user=user, name="fuzz")[1])
    return raw_tokens


@pytest.mark.parametrize(("method", "path"), _operations())
def test_generated_requests_get_no_server_error_and_only_documented_answers(
    method, path, known, tokens
):
    operation = _schema()[path][method]
    names = {p.name for p in operation.path_parameters}
    existing = {name: value for name, value in known.items() if name in names}
    cases = st.one_of(
        operation.as_strategy(),
        # Invalid input on purpose (wrong types, out-of-range numbers, missing fields): it
        # must be refused with a declared 4xx, never reach the database as a 500.
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )
    if existing:
        cases = st.one_of(cases, operation.as_strategy(path_parameters=existing))

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases, token=st.sampled_from(tokens), real_places=st.booleans())
    def run(case, token, real_places):
        if real_places and isinstance(case.body, dict):
            # Region and occupation codes that exist, so bodies get past the lookups and their
            # numbers and texts reach the database.
            case.body.update({k: v for k, v in REAL_FIELDS.items() if k in case.body})
        headers = {"Authorization": f"Bearer {token}"}
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
