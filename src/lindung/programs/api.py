import datetime as dt

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from lindung.accounts.roles import Action
from lindung.accounts.scoping import can
from lindung.registry.nik import mask_nik

from .duplicates import candidate_for_user, candidates_for, duplicate_decide, duplicates_scan

router = Router(tags=["verification"])


class CandidateOut(Schema):
    id: int
    kind: str
    score: float
    status: str
    nik_a: str
    nik_b: str
    name_a: str | None
    name_b: str | None
    worker_a_id: int | None
    worker_b_id: int | None
    details: dict
    found_at: dt.datetime

    @staticmethod
    def resolve_nik_a(obj, context) -> str:
        return _nik(obj.nik_a, obj.worker_a, context)

    @staticmethod
    def resolve_nik_b(obj, context) -> str:
        return _nik(obj.nik_b, obj.worker_b, context)

    @staticmethod
    def resolve_name_a(obj) -> str | None:
        return obj.worker_a.name if obj.worker_a else None

    @staticmethod
    def resolve_name_b(obj) -> str | None:
        return obj.worker_b.name if obj.worker_b else None


def _nik(nik, worker, context) -> str:
    user = context["request"].auth
    full = worker is not None and can(user, Action.VIEW_PII, worker.village_id)
    return nik if full else mask_nik(nik)


class ScanIn(Schema):
    region_code: str


class DecisionIn(Schema):
    same: bool
    keep: str = "a"
    reason: str = ""


@router.get("/duplicates", response=list[CandidateOut], summary="Duplicate candidates to review")
@paginate(LimitOffsetPagination)
def candidates(request, status: str = "open", kind: str = ""):
    qs = candidates_for(request.auth, status)
    return qs.filter(kind=kind) if kind else qs


@router.post("/duplicates/scan", response=list[CandidateOut], summary="Scan a region now")
def scan(request, payload: ScanIn):
    return duplicates_scan(actor=request.auth, region_code=payload.region_code)


@router.get("/duplicates/{candidate_id}", response=CandidateOut, summary="One candidate pair")
def candidate(request, candidate_id: int):
    return candidate_for_user(request.auth, candidate_id)


@router.post(
    "/duplicates/{candidate_id}/decide",
    response=CandidateOut,
    summary="Same person (merge, keep a or b) or different people (never proposed again)",
)
def decide(request, candidate_id: int, payload: DecisionIn):
    found = candidate_for_user(request.auth, candidate_id)
    return duplicate_decide(
        actor=request.auth,
        candidate=found,
        same=payload.same,
        keep=payload.keep,
        reason=payload.reason,
    )
