import datetime as dt
import uuid

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.audit import access
from lindung.common.api import ErrorOut, Paging, answers
from lindung.common.inputs import (
    MAX_IDS,
    MAX_INT,
    MAX_NOTE,
    PROGRAM_CODE_PATTERN,
    BigAmount,
    Count,
    Id,
    SmallCount,
    Text,
)
from lindung.intake.selectors import upload_for_user

from . import notices
from . import services as program_services
from .models import SubmissionState
from .selectors import (
    people_of,
    program_for_user,
    programs_for,
    submission_for_user,
    submissions_for,
)

router = Router(tags=["verification"])


# --- programs and submissions ----------------------------------------------------------------


class FunderOut(Schema):
    # The id is what invoices and payments name (`POST /api/invoices`, `/api/payments`).
    id: int
    kind: str
    name: str
    covers_region_code: str | None
    budget: int | None
    discounts_apply: bool

    @staticmethod
    def resolve_covers_region_code(obj) -> str | None:
        return obj.covers_region_id


class ProgramOut(Schema):
    code: str
    name: str
    owner_region_code: str
    legal_basis: str
    jkk: bool
    jkm: bool
    jht: bool
    wage_basis: int
    coverage_start: dt.date
    coverage_end: dt.date
    target_workers: int | None
    min_per_village: int | None
    data_deadline: dt.date | None
    registration_start: dt.date | None
    status: str
    funders: list[FunderOut]

    @staticmethod
    def resolve_owner_region_code(obj) -> str:
        return obj.owner_region_id

    @staticmethod
    def resolve_funders(obj) -> list:
        return sorted(obj.funders.all(), key=lambda f: f.pk)


class FunderIn(Schema):
    kind: Text(20)
    name: Text(200, min_length=1)
    covers_region_code: Text(20) = ""
    occupation_codes: list[Text(40)] = Field([], max_length=200)
    budget: BigAmount | None = None


class ProgramIn(Schema):
    # A code is part of page addresses and file names: letters, digits, '.', '-', '_' only.
    code: str = Field(pattern=PROGRAM_CODE_PATTERN)
    name: Text(200, min_length=1)
    owner_region_code: Text(20)
    coverage_start: dt.date
    coverage_end: dt.date
    legal_basis: Text(MAX_NOTE) = ""
    jht: bool = False
    wage_basis: BigAmount = 1_000_000
    target_workers: Count | None = None
    min_per_village: Count | None = None
    data_deadline: dt.date | None = None
    registration_start: dt.date | None = None
    occupation_codes: list[Text(40)] = Field([], max_length=200)
    funders: list[FunderIn] = Field([], max_length=50)
    age_max_exclusive: SmallCount = Field(65, ge=1)
    age_min: SmallCount = 18
    require_poverty_list: bool = False
    admit_formal_and_not_working: bool = False
    poverty_max_decile: int | None = Field(None, ge=1, le=10)


class SubmissionOut(Schema):
    id: int
    program_code: str
    village_code: str
    village_name: str
    state: str
    # Send it back with a move: a decision made on an older version is refused (409).
    version: int
    notes: str
    people: int = 0
    eligible: int = 0
    accepted: int = 0
    rejected: int = 0
    # Not eligible when the regency approved: never sent to BPJS (their reasons stay).
    excluded: int = 0
    # Taken off the list by the village (kept with who, when and why).
    removed: int = 0

    @staticmethod
    def resolve_program_code(obj) -> str:
        return obj.program.code

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj) -> str:
        return obj.village.name

    @staticmethod
    def resolve_people(obj) -> int:
        return obj.n_people

    @staticmethod
    def resolve_eligible(obj) -> int:
        return obj.n_eligible

    @staticmethod
    def resolve_accepted(obj) -> int:
        return obj.n_accepted

    @staticmethod
    def resolve_rejected(obj) -> int:
        return obj.n_rejected

    @staticmethod
    def resolve_excluded(obj) -> int:
        return obj.n_excluded

    @staticmethod
    def resolve_removed(obj) -> int:
        return obj.n_removed


class PersonOut(Schema):
    id: int
    worker_id: int
    name: str
    nik: str
    eligible: bool
    reasons: list[dict]
    outcome: str
    outcome_reason: str
    removed_reason: str = ""

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.worker.name

    @staticmethod
    def resolve_nik(obj, context) -> str:
        return masking.nik_for(context["request"].auth, obj.worker.village_id, obj.worker.nik)


class VillageIn(Schema):
    village_code: Text(20)


class AddIn(Schema):
    worker_ids: list[Id] = Field([], max_length=MAX_IDS)
    upload_id: uuid.UUID | None = None
    all_village_workers: bool = False


class MoveIn(Schema):
    # An unknown state is a 422 that lists the valid ones (the enum is in the OpenAPI schema).
    to: SubmissionState
    # What the user saw: required, so a decision on a list that moved meanwhile is a 409.
    expected_state: SubmissionState
    version: int | None = Field(None, ge=0, le=MAX_INT)
    notes: Text(MAX_NOTE) = ""


class StaleOut(ErrorOut):
    """The list moved since the user saw it: where it is now."""

    state: str
    version: int


# What a step of the flow may answer besides 200 (400/404/422 are the API's usual ones).
MOVE_RESPONSES = {**answers({200: SubmissionOut}), 409: StaleOut}


class DecideIn(Schema):
    accept: bool
    person_ids: list[Id] | None = Field(None, max_length=MAX_IDS)
    reason: Text(MAX_NOTE) = ""
    expected_state: SubmissionState | None = None
    version: int | None = Field(None, ge=0, le=MAX_INT)


@router.get(
    "/programs",
    response=answers({200: list[ProgramOut]}),
    summary="Programs in or around your regions",
)
def programs(request):
    return programs_for(request.auth).prefetch_related("funders")


@router.post("/programs", response=answers({201: ProgramOut}), summary="Create a program (regency)")
def program_create(request, payload: ProgramIn):
    data = payload.dict()
    rules = {
        key: data.pop(key)
        for key in (
            "age_max_exclusive",
            "age_min",
            "require_poverty_list",
            "poverty_max_decile",
            "admit_formal_and_not_working",
        )
    }
    program = program_services.program_create(actor=request.auth, rules=rules, **data)
    return Status(201, program)


@router.get("/programs/{code}", response=answers({200: ProgramOut}), summary="One program")
def program_detail(request, code: Text(40)):
    return program_for_user(request.auth, code)


@router.get(
    "/programs/{code}/submissions",
    response=answers({200: list[SubmissionOut]}),
    summary="Its villages' lists",
)
def program_submissions(request, code: Text(40)):
    return submissions_for(request.auth, program_for_user(request.auth, code))


@router.post(
    "/programs/{code}/submissions",
    response=answers({200: SubmissionOut}),
    summary="A village's list (created if new)",
)
def submission_open(request, code: Text(40), payload: VillageIn):
    program = program_for_user(request.auth, code)
    submission = program_services.submission_for(
        actor=request.auth, program=program, village_code=payload.village_code
    )
    return submission_for_user(request.auth, submission.pk)


@router.get(
    "/submissions/{submission_id}", response=answers({200: SubmissionOut}), summary="One list"
)
def submission_detail(request, submission_id: Id):
    return submission_for_user(request.auth, submission_id)


@router.get(
    "/submissions/{submission_id}/people",
    response=answers({200: list[PersonOut]}),
    summary="People and outcomes",
)
@paginate(Paging)
def submission_people(
    request,
    submission_id: Id,
    outcome: Text(20) = "",
    eligible: Text(10) = "",
    removed: bool = False,
):
    submission = submission_for_user(request.auth, submission_id)
    people = people_of(submission, outcome=outcome, eligible=eligible, removed=removed)
    access.list_shown(
        request.auth,
        region_code=submission.village_id,
        worker_ids=people.values_list("worker_id", flat=True),
        what=f"API submission #{submission.pk} people",
        object_type="programs.submission",
        object_id=submission.pk,
    )
    return people


@router.post(
    "/submissions/{submission_id}/people",
    response=answers({200: SubmissionOut}),
    summary="Add people",
)
def submission_add(request, submission_id: Id, payload: AddIn):
    from lindung.registry.models import Worker

    submission = submission_for_user(request.auth, submission_id, Action.CREATE)
    if payload.upload_id:
        upload = upload_for_user(request.auth, payload.upload_id)
        program_services.submission_add_upload(
            actor=request.auth, submission=submission, upload=upload
        )
    ids = list(payload.worker_ids)
    if payload.all_village_workers:
        ids += list(
            Worker.objects.filter(village_id=submission.village_id).values_list("pk", flat=True)
        )
    if ids:
        program_services.submission_add_workers(
            actor=request.auth, submission=submission, worker_ids=ids
        )
    return submission_for_user(request.auth, submission_id)


@router.post(
    "/submissions/{submission_id}/recheck",
    response=answers({200: SubmissionOut}),
    summary="Check eligibility again",
)
def submission_recheck(request, submission_id: Id):
    submission = submission_for_user(request.auth, submission_id, Action.CREATE)
    program_services.submission_recheck(actor=request.auth, submission=submission)
    return submission_for_user(request.auth, submission_id)


@router.post(
    "/submissions/{submission_id}/move",
    response=MOVE_RESPONSES,
    summary="Submit, approve, return, verify, ready",
    description=(
        "Each step belongs to one role: the village operator submits; the regency admin "
        "approves or returns; the BPJS officer returns, verifies and marks ready. Nobody "
        "approves or verifies a list they submitted (403). `expected_state` (and optionally "
        "`version`) is what you saw: if the list moved meanwhile the answer is 409 with its "
        "current `state` and `version`."
    ),
)
def submission_move(request, submission_id: Id, payload: MoveIn):
    submission = submission_for_user(request.auth, submission_id)
    program_services.submission_move(
        actor=request.auth,
        submission=submission,
        to=payload.to,
        expected_state=payload.expected_state,
        version=payload.version,
        notes=payload.notes,
    )
    return submission_for_user(request.auth, submission_id)


@router.post(
    "/submissions/{submission_id}/decide",
    response=MOVE_RESPONSES,
    summary="BPJS: accept or reject people",
)
def submission_decide(request, submission_id: Id, payload: DecideIn):
    submission = submission_for_user(request.auth, submission_id)
    program_services.people_decide(
        actor=request.auth, submission=submission, person_ids=payload.person_ids,
        accept=payload.accept, reason=payload.reason,
        expected_state=payload.expected_state, version=payload.version,
    )  # fmt: skip
    return submission_for_user(request.auth, submission_id)


class RemoveIn(Schema):
    person_ids: list[Id] = Field(..., min_length=1, max_length=MAX_IDS)
    reason: Text(MAX_NOTE)
    expected_state: SubmissionState | None = None
    version: int | None = Field(None, ge=0, le=MAX_INT)


@router.post(
    "/submissions/{submission_id}/remove",
    response=MOVE_RESPONSES,
    summary="Village: take people off a draft or returned list, with a reason",
    description=(
        "The rows are kept with who removed them, when and why, and shown to the regency; "
        "adding the person again puts them back. A list that moved since `expected_state`/"
        "`version` answers 409."
    ),
)
def submission_remove(request, submission_id: Id, payload: RemoveIn):
    submission = submission_for_user(request.auth, submission_id)
    program_services.people_remove(
        actor=request.auth, submission=submission, person_ids=payload.person_ids,
        reason=payload.reason, expected_state=payload.expected_state, version=payload.version,
    )  # fmt: skip
    return submission_for_user(request.auth, submission_id)


@router.post(
    "/submissions/{submission_id}/check-identities",
    response=answers({200: dict}),
    summary="BPJS: check every pending person's NIK with the population registry",
    description=(
        "Answers the counts per outcome, the `source` and `checked_at`; `structure_only` is true "
        "when no Dukcapil service is configured, so only the NIK's structure was checked."
    ),
)
def submission_identities(request, submission_id: Id):
    submission = submission_for_user(request.auth, submission_id)
    result = program_services.identities_check(actor=request.auth, submission=submission)
    return {**result, "message": notices.identities(submission, result)}
