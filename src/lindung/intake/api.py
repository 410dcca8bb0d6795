import datetime as dt
import uuid

from django.db.models import CharField, Value
from django.http import HttpResponse
from django.utils.translation import get_language
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.audit import access
from lindung.common.api import Paging, answers
from lindung.common.inputs import Text

from . import leases
from .selectors import rows_of, upload_for_user, uploads_for
from .services import upload_cancel, upload_commit, upload_recheck, upload_stage, uploads_expire
from .spreadsheets import annotated_file

router = Router(tags=["intake"])


class UploadOut(Schema):
    id: uuid.UUID
    village_code: str
    program_code: str
    filename: str
    status: str
    message: str
    counts: dict
    created_at: dt.datetime
    committed_at: dt.datetime | None
    progress: str = Field(description="background work now running: reading, committing, …")
    stalled: bool = Field(description="the background work died; see next_step")
    next_step: str = Field(description="after a stall: 'recheck' or 'commit' (POST that route)")

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village_id

    @staticmethod
    def resolve_stalled(obj) -> bool:
        return leases.is_stalled(obj)

    @staticmethod
    def resolve_next_step(obj) -> str:
        return leases.next_step(obj)


class RowError(Schema):
    column: str
    code: str
    message: str


class RowOut(Schema):
    row_number: int
    status: str
    nik: str
    name: str
    errors: list[RowError]

    @staticmethod
    def resolve_nik(obj, context) -> str:
        # The file belongs to the upload's village: its rows follow that village's policy
        # (a rejected row's own village code may be empty or wrong).
        return masking.nik_for(context["request"].auth, obj.upload_village, obj.nik)

    @staticmethod
    def resolve_errors(obj, context) -> list[dict]:
        # Reasons may quote a number from the file ("same NIK as row 5: …").
        user = context["request"].auth
        return [
            {**e, "message": masking.text_for(user, obj.upload_village, e["message"])}
            for e in obj.errors
        ]


@router.get("", response=answers({200: list[UploadOut]}), summary="Uploads in your regions")
@paginate(Paging)
def uploads(request):
    uploads_expire()
    return uploads_for(request.auth)


@router.post(
    "", response=answers({201: UploadOut}), summary="Upload a worker list (.xlsx/.csv) and check it"
)
def upload_create(
    request,
    file: File[UploadedFile],
    village_code: str = Form(..., max_length=20),
    program_code: str = Form("", max_length=40),
):
    upload = upload_stage(
        actor=request.auth,
        data=file.read(),
        filename=file.name or "upload",
        village_code=village_code,
        program_code=program_code,
    )
    return Status(201, upload)


@router.get(
    "/{upload_id}", response=answers({200: UploadOut}), summary="One upload with its counts"
)
def upload_detail(request, upload_id: uuid.UUID):
    uploads_expire()
    return upload_for_user(request.auth, upload_id)


@router.get(
    "/{upload_id}/rows",
    response=answers({200: list[RowOut]}),
    summary="Rows with outcome and reasons",
)
@paginate(Paging)
def upload_rows(request, upload_id: uuid.UUID, status: Text(20) = "problems"):
    upload = upload_for_user(request.auth, upload_id)
    return (
        rows_of(upload, status)
        .annotate(upload_village=Value(upload.village_id, output_field=CharField()))
        .order_by("row_number")
    )


@router.post(
    "/{upload_id}/commit", response=answers({200: UploadOut}), summary="Save the accepted rows"
)
def upload_commit_api(request, upload_id: uuid.UUID):
    upload = upload_for_user(request.auth, upload_id, Action.CREATE)
    return upload_commit(actor=request.auth, upload=upload)


@router.post(
    "/{upload_id}/cancel",
    response=answers({200: UploadOut}, 409),
    summary="Cancel a checked upload instead of saving it",
    description=(
        "Its staged rows are removed and nothing reaches the registry; the upload stays listed "
        "as cancelled. A saved upload, or one being checked or saved right now, answers 409."
    ),
)
def upload_cancel_api(request, upload_id: uuid.UUID):
    upload = upload_for_user(request.auth, upload_id, Action.CREATE)
    return upload_cancel(actor=request.auth, upload=upload)


@router.post(
    "/{upload_id}/recheck",
    response=answers({200: UploadOut}),
    summary="Check the stored file again",
)
def upload_recheck_api(request, upload_id: uuid.UUID):
    upload = upload_for_user(request.auth, upload_id, Action.CREATE)
    return upload_recheck(actor=request.auth, upload=upload)


@router.get(
    "/{upload_id}/annotated",
    response=answers({200: None}),
    summary="The uploaded file with status and reason columns (.xlsx or .csv)",
)
def upload_annotated(request, upload_id: uuid.UUID):
    upload = upload_for_user(request.auth, upload_id)
    content, name, content_type = annotated_file(
        upload, get_language() or "id", mask=masking.cell_masker(request.auth, upload.village_id)
    )
    access.upload_rows_shown(request.auth, upload, upload.rows.all(), what="annotated file (API)")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
