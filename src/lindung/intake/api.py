import datetime as dt
import uuid

from django.http import HttpResponse
from django.utils.translation import get_language
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from lindung.accounts.roles import Action
from lindung.accounts.scoping import can
from lindung.registry.nik import mask_nik

from . import leases
from .selectors import rows_of, upload_for_user, uploads_for
from .services import upload_commit, upload_recheck, upload_stage
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
        user = context["request"].auth
        return obj.nik if can(user, Action.VIEW_PII, obj.village_code) else mask_nik(obj.nik)


@router.get("", response=list[UploadOut], summary="Uploads in your regions")
@paginate(LimitOffsetPagination)
def uploads(request):
    return uploads_for(request.auth)


@router.post(
    "", response={201: UploadOut}, summary="Upload a worker list (.xlsx/.csv) and check it"
)
def upload_create(
    request,
    file: File[UploadedFile],
    village_code: Form[str],
    program_code: Form[str] = "",
):
    upload = upload_stage(
        actor=request.auth,
        data=file.read(),
        filename=file.name or "upload",
        village_code=village_code,
        program_code=program_code,
    )
    return Status(201, upload)


@router.get("/{upload_id}", response=UploadOut, summary="One upload with its counts")
def upload_detail(request, upload_id: uuid.UUID):
    return upload_for_user(request.auth, upload_id)


@router.get("/{upload_id}/rows", response=list[RowOut], summary="Rows with outcome and reasons")
@paginate(LimitOffsetPagination)
def upload_rows(request, upload_id: uuid.UUID, status: str = "problems"):
    upload = upload_for_user(request.auth, upload_id)
    return rows_of(upload, status).order_by("row_number")


@router.post("/{upload_id}/commit", response=UploadOut, summary="Save the accepted rows")
def upload_commit_api(request, upload_id: uuid.UUID):
    upload = upload_for_user(request.auth, upload_id, Action.CREATE)
    return upload_commit(actor=request.auth, upload=upload)


@router.post("/{upload_id}/recheck", response=UploadOut, summary="Check the stored file again")
def upload_recheck_api(request, upload_id: uuid.UUID):
    upload = upload_for_user(request.auth, upload_id, Action.CREATE)
    return upload_recheck(actor=request.auth, upload=upload)


@router.get("/{upload_id}/annotated", summary="The uploaded file with status and reason columns")
def upload_annotated(request, upload_id: uuid.UUID):
    upload = upload_for_user(request.auth, upload_id)
    content, name, content_type = annotated_file(upload, get_language() or "id")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
