from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.audit import access
from lindung.common.api import Paging, answers
from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_NOTE, Id, Text
from lindung.regions.selectors import region_names

from . import services
from .models import Worker
from .nik import inspect_nik
from .schemas import NikInspectIn, NikOut, WorkerIn, WorkerListOut, WorkerMarkIn, WorkerOut
from .selectors import worker_for_user, worker_list
from .validation import HeirInput, WorkerInput

router = Router(tags=["workers"])

MAX_NIKS_PER_CALL = 1000


class WorkerFilter(Schema):
    q: Text(200) = ""
    village: Text(20) = ""
    region: Text(20) = ""
    occupation: Text(40) = ""


def _detail(user, w: Worker, warnings: list[str] | None = None) -> dict:
    region = w.village_id
    return {
        "id": w.pk,
        "nik": masking.nik_for(user, region, w.nik),
        "nik_is_masked": not masking.sees_pii(user, region),
        "kk_number": masking.kk_for(user, region, w.kk_number),
        "name": w.name,
        "birth_place": w.birth_place,
        "birth_date": w.birth_date,
        "sex": w.sex,
        "address": w.address,
        "village_code": w.village_id,
        "village_name": w.village.name,
        "phone": masking.phone_for(user, region, w.phone),
        "occupation_code": w.occupation.code,
        "monthly_income": w.monthly_income,
        "heirs": [
            {
                "id": h.pk,
                "name": h.name,
                "relationship": h.relationship,
                "nik": masking.nik_for(user, region, h.nik),
                "birth_date": h.birth_date,
                "phone": masking.phone_for(user, region, h.phone),
            }
            for h in w.heirs.all()
        ],
        "life_status": w.life_status,
        "life_status_date": w.life_status_date,
        "warnings": warnings or [],
    }


def _inputs(payload: WorkerIn) -> tuple[WorkerInput, list[HeirInput] | None]:
    data = WorkerInput(**payload.dict(exclude={"heirs"}))
    heirs = None if payload.heirs is None else [HeirInput(**h.dict()) for h in payload.heirs]
    return data, heirs


@router.get(
    "/workers",
    response=answers({200: list[WorkerListOut]}),
    summary="Workers in your regions (NIK masked)",
)
@paginate(Paging)
def workers(request, filters: Query[WorkerFilter]):
    found = worker_list(request.auth, **filters.dict())
    access.nik_searched(request.auth, filters.q, found)
    return found


@router.post("/workers", response=answers({201: WorkerOut}), summary="Register a worker")
def worker_create(request, payload: WorkerIn):
    data, heirs = _inputs(payload)
    worker = services.worker_create(actor=request.auth, data=data, heirs=heirs)
    return Status(201, _detail(request.auth, worker_for_user(request.auth, worker.pk)))


@router.get(
    "/workers/{worker_id}", response=answers({200: WorkerOut}), summary="One worker with heirs"
)
def worker_detail(request, worker_id: Id):
    worker = worker_for_user(request.auth, worker_id)
    access.full_nik_shown(request.auth, [worker], what=f"API worker #{worker.pk}")
    return _detail(request.auth, worker)


@router.put(
    "/workers/{worker_id}",
    response=answers({200: WorkerOut}),
    summary="Replace a worker's data (heirs too, when given)",
)
def worker_update(request, worker_id: Id, payload: WorkerIn):
    worker = worker_for_user(request.auth, worker_id, Action.CHANGE)
    data, heirs = _inputs(payload)
    services.worker_update(actor=request.auth, worker=worker, data=data, heirs=heirs)
    return _detail(request.auth, worker_for_user(request.auth, worker_id))


@router.delete(
    "/workers/{worker_id}",
    response=answers({204: None}),
    summary="Remove a worker (reason required)",
)
def worker_delete(request, worker_id: Id, reason: Text(MAX_NOTE) = ""):
    worker = worker_for_user(request.auth, worker_id, Action.DELETE)
    if not reason.strip():
        raise ApplicationError(_("Write why this worker is removed."), code="reason_required")
    services.worker_delete(actor=request.auth, worker=worker, reason=reason)
    return Status(204, None)


@router.post(
    "/workers/{worker_id}/status",
    response=answers({200: WorkerOut}, 409),
    summary="Mark a worker as moved away or deceased (or back in the village), with a reason",
)
def worker_mark(request, worker_id: Id, payload: WorkerMarkIn):
    worker = worker_for_user(request.auth, worker_id, Action.CHANGE)
    services.worker_mark(
        actor=request.auth,
        worker=worker,
        status=payload.status,
        since=payload.since,
        reason=payload.reason,
    )
    return _detail(request.auth, worker_for_user(request.auth, worker_id))


@router.post(
    "/nik/inspect",
    response=answers({200: list[NikOut]}),
    summary="Check NIKs and explain every problem",
)
def nik_inspect(request, payload: NikInspectIn):
    if len(payload.niks) > MAX_NIKS_PER_CALL:
        raise ApplicationError(
            _("At most %(n)d NIKs per call.") % {"n": MAX_NIKS_PER_CALL}, code="too_many"
        )
    names = region_names()
    lang = get_language() or "id"
    return [
        inspect_nik(n, regions=names, reference_date=payload.reference_date, lang=lang).to_dict()
        for n in payload.niks
    ]
