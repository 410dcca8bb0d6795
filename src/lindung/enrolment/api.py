"""Participants over the API: the same services and scoping as the pages.

No `from __future__ import annotations`: django-ninja reads the parameter types at import."""

import datetime as dt
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.audit import access
from lindung.common.api import Paging, answers
from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_INT, MAX_NOTE, Id, Text
from lindung.programs.selectors import program_for_user, submission_for_user

from . import services
from .choices import EndReason, ParticipantState
from .selectors import participant_for_user, participants_for

router = Router(tags=["enrolment"])


class ParticipantOut(Schema):
    id: int
    program_code: str
    worker_id: int
    name: str
    nik: str
    village_code: str
    village_name: str
    funder: str
    declared_wage: int
    jkk: bool
    jkm: bool
    jht: bool
    kpj: str | None
    state: str
    start_date: dt.date
    end_date: dt.date
    end_reason: str
    registered_at: dt.datetime

    @staticmethod
    def resolve_program_code(obj) -> str:
        return obj.program.code

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.worker.name

    @staticmethod
    def resolve_nik(obj, context) -> str:
        return masking.nik_for(context["request"].auth, obj.village_id, obj.worker.nik)

    @staticmethod
    def resolve_kpj(obj, context) -> str | None:
        return masking.kpj_for(context["request"].auth, obj.village_id, obj.kpj) or None

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj) -> str:
        return obj.village.name

    @staticmethod
    def resolve_funder(obj) -> str:
        return str(obj.funder)


class EnrolIn(Schema):
    # One list (with the state and version the caller saw), or every ready list when absent.
    submission_id: Id | None = None
    expected_state: Literal["ready"] = "ready"
    version: int | None = Field(None, ge=0, le=MAX_INT)


class EnrolOut(Schema):
    batch: str
    enrolled: int
    already: int
    lists: list[int]


class EndIn(Schema):
    on: dt.date
    reason: EndReason
    note: Text(MAX_NOTE) = ""
    expected_state: Literal["registered", "active"] | None = None


class KpjIn(Schema):
    kpj: Text(20, min_length=1)
    start_date: dt.date | None = None
    reason: Text(MAX_NOTE) = ""


class ImportRowOut(Schema):
    row: int
    nik: str
    code: str
    message: str


class ImportOut(Schema):
    applied: bool
    rows: int
    assigned: int
    unchanged: int
    batch: str
    errors: list[ImportRowOut]


class RenewIn(Schema):
    to_program: Text(40, min_length=1)


class DroppedOut(Schema):
    participant_id: int
    worker_id: int
    name: str
    nik: str
    reasons: list[dict]


class RenewOut(Schema):
    batch: str
    renewed: int
    already: int
    dropped: list[DroppedOut]


@router.get(
    "/programs/{code}/participants",
    response=answers({200: list[ParticipantOut]}),
    summary="Participants of a program (filters: village, state, q = name, NIK or KPJ)",
)
@paginate(Paging)
def participants(
    request,
    code: Text(40),
    village: Text(20) = "",
    state: ParticipantState | None = None,
    q: Text(100) = "",
):
    program = program_for_user(request.auth, code)
    qs = participants_for(request.auth, program, village=village, state=state or "", q=q)
    access.list_shown(
        request.auth,
        region_code=village or program.owner_region_id,
        worker_ids=qs.values_list("worker_id", flat=True),
        what=f"API participants {program.code}",
        object_type="programs.program",
        object_id=program.pk,
    )
    return qs


@router.post(
    "/programs/{code}/enrol",
    response=answers({200: EnrolOut}, 409),
    summary="Enrol a ready list (or every ready list of the program in your regions)",
)
def enrol(request, code: Text(40), payload: EnrolIn):
    program = program_for_user(request.auth, code)
    submission = None
    if payload.submission_id is not None:
        submission = submission_for_user(request.auth, payload.submission_id)
    return services.participants_enrol(
        actor=request.auth,
        program=program,
        submission=submission,
        expected_state=payload.expected_state,
        version=payload.version,
    )


@router.get(
    "/programs/{code}/registration-file",
    response=answers({200: None}),
    summary="BPJS registration file (.xlsx or .csv) for the program or one village",
)
def registration_file(
    request, code: Text(40), format: Literal["xlsx", "csv"] = "xlsx", village: Text(20) = ""
):
    program = program_for_user(request.auth, code)
    content, name, kind = services.registration_file(
        actor=request.auth, program=program, village_code=village, fmt=format
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/programs/{code}/kpj-import",
    response=answers({200: ImportOut}, 409),
    summary="Read BPJS's answer (NIK, KPJ, TMT): all rows or none",
)
def kpj_import(request, code: Text(40), file: File[UploadedFile]):
    program = program_for_user(request.auth, code)
    report = services.kpj_import(actor=request.auth, program=program, data=_bounded(file))
    if not report.applied:
        raise ApplicationError(
            _("%(count)d row(s) have problems; nothing was applied. Fix them and import again.")
            % {"count": len(report.errors)},
            code="kpj_rows",
            extra={"errors": report.errors, "rows": report.rows},
        )
    return report.as_dict()


def _bounded(file: UploadedFile) -> bytes:
    from django.conf import settings

    if (file.size or 0) > settings.LINDUNG_UPLOAD_MAX_BYTES:
        raise ApplicationError(
            _("The file is too large; split it into smaller files."), code="too_large"
        )
    return file.read()


@router.post(
    "/programs/{code}/renew",
    response=answers({200: RenewOut}, 409),
    summary="Renew everyone still covered at the end of this program into the next one",
)
def renew(request, code: Text(40), payload: RenewIn):
    program = program_for_user(request.auth, code)
    to_program = program_for_user(request.auth, payload.to_program)
    return services.participants_renew(
        actor=request.auth, from_program=program, to_program=to_program
    )


@router.get(
    "/participants/{participant_id}",
    response=answers({200: ParticipantOut}),
    summary="One participant",
)
def participant(request, participant_id: Id):
    found = participant_for_user(request.auth, participant_id)
    access.full_nik_shown(request.auth, [found], what=f"API participant #{found.pk}")
    return found


@router.post(
    "/participants/{participant_id}/kpj",
    response=answers({200: ParticipantOut}),
    summary="Enter or correct the KPJ (BPJS officer)",
)
def participant_kpj(request, participant_id: Id, payload: KpjIn):
    found = participant_for_user(request.auth, participant_id, Action.SET_KPJ)
    return services.participant_set_kpj(
        actor=request.auth,
        participant=found,
        kpj=payload.kpj,
        start_date=payload.start_date,
        reason=payload.reason,
    )


@router.post(
    "/participants/{participant_id}/end",
    response=answers({200: ParticipantOut}, 409),
    summary="End a participation on a date, for a reason (regency admin)",
)
def participant_end(request, participant_id: Id, payload: EndIn):
    found = participant_for_user(request.auth, participant_id, Action.ENROL)
    return services.participant_end(
        actor=request.auth,
        participant=found,
        on=payload.on,
        reason=payload.reason,
        note=payload.note,
        expected_state=payload.expected_state or "",
    )
