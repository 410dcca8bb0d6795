"""The duplicate review over the API: candidate pairs, a scan, a decision."""

import datetime as dt
from typing import Literal

from ninja import Router, Schema
from ninja.pagination import paginate

from lindung.audit import access
from lindung.common.api import Paging, answers
from lindung.common.inputs import MAX_NOTE, Id, Text

from .explain import similarity
from .selectors import (
    can_decide,
    candidate_details,
    candidate_for_user,
    candidates_for,
    incoming_for,
    pair_sides,
)
from .services import duplicate_decide, duplicates_scan

router = Router(tags=["verification"])


class CandidateOut(Schema):
    id: int
    kind: str
    score: float
    # The score as reviewers read it, 0-100 (the pages' "similarity 90 out of 100"); null for a
    # NIK conflict from an upload, which is not scored.
    similarity: int | None = None
    status: str
    nik_a: str
    nik_b: str
    name_a: str | None
    name_b: str | None
    worker_a_id: int | None
    worker_b_id: int | None
    # Empty when the side is in the caller's scope; otherwise "a person registered in …".
    label_a: str = ""
    label_b: str = ""
    # Whether the caller's scope covers both people, so they may decide the pair.
    decidable: bool = False
    details: dict
    # A NIK conflict from an upload: the identity its row gave ({"upload", "row", "name",
    # "birth_date", "sex", "kk_number", "village", "file", "label"}), masked like side B (out of
    # the caller's scope: initials and `label` only); empty for a pair of registered workers.
    incoming: dict
    found_at: dt.datetime

    @staticmethod
    def resolve_similarity(obj) -> int | None:
        return similarity(obj)

    @staticmethod
    def resolve_nik_a(obj, context) -> str:
        return _side(obj, "a", context)["nik"]

    @staticmethod
    def resolve_nik_b(obj, context) -> str:
        return _side(obj, "b", context)["nik"]

    @staticmethod
    def resolve_name_a(obj, context) -> str | None:
        return _side(obj, "a", context).get("name") or None

    @staticmethod
    def resolve_name_b(obj, context) -> str | None:
        return _side(obj, "b", context).get("name") or None

    @staticmethod
    def resolve_worker_a_id(obj, context) -> int | None:
        return _side(obj, "a", context)["worker_id"]

    @staticmethod
    def resolve_worker_b_id(obj, context) -> int | None:
        return _side(obj, "b", context)["worker_id"]

    @staticmethod
    def resolve_label_a(obj, context) -> str:
        return _side(obj, "a", context)["label"]

    @staticmethod
    def resolve_label_b(obj, context) -> str:
        return _side(obj, "b", context)["label"]

    @staticmethod
    def resolve_decidable(obj, context) -> bool:
        return can_decide(context["request"].auth, obj)

    @staticmethod
    def resolve_details(obj, context) -> dict:
        return candidate_details(context["request"].auth, obj)

    @staticmethod
    def resolve_incoming(obj, context) -> dict:
        return incoming_for(context["request"].auth, obj)


def _side(candidate, which: str, context) -> dict:
    """One side as the caller may see it (the shared serialiser of the pages), kept on the
    object so the resolvers of one candidate work it out once."""
    cache = candidate.__dict__.get("_sides_seen")
    if cache is None:
        cache = dict(
            zip("ab", pair_sides(context["request"].auth, candidate, heirs=False), strict=True)
        )
        candidate.__dict__["_sides_seen"] = cache
    return cache[which]


class ScanIn(Schema):
    region_code: Text(20)


class DecisionIn(Schema):
    same: bool
    keep: Literal["a", "b"] = "a"
    reason: Text(MAX_NOTE) = ""


@router.get(
    "/duplicates",
    response=answers({200: list[CandidateOut]}),
    summary="Duplicate candidates to review",
)
@paginate(Paging)
def candidates(request, status: Text(20) = "open", kind: Text(20) = ""):
    qs = candidates_for(request.auth, status)
    return qs.filter(kind=kind) if kind else qs


@router.post(
    "/duplicates/scan", response=answers({200: list[CandidateOut]}), summary="Scan a region now"
)
def scan(request, payload: ScanIn):
    return duplicates_scan(actor=request.auth, region_code=payload.region_code)


@router.get(
    "/duplicates/{candidate_id}",
    response=answers({200: CandidateOut}),
    summary="One candidate pair",
)
def candidate(request, candidate_id: Id):
    found = candidate_for_user(request.auth, candidate_id)
    access.full_nik_shown(
        request.auth,
        [w for w in (found.worker_a, found.worker_b) if w],
        what=f"API duplicate pair #{found.pk}",
    )
    return found


@router.post(
    "/duplicates/{candidate_id}/decide",
    response=answers({200: CandidateOut}),
    summary="Same person (merge, keep a or b) or different people (never proposed again)",
)
def decide(request, candidate_id: Id, payload: DecisionIn):
    found = candidate_for_user(request.auth, candidate_id)
    return duplicate_decide(
        actor=request.auth,
        candidate=found,
        same=payload.same,
        keep=payload.keep,
        reason=payload.reason,
    )
