"""Reading claims, always through the one scoping helper (issue 10 §5)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from lindung.accounts.roles import Action, Role
from lindung.accounts.scoping import get_for_user, restrict
from lindung.enrolment.models import Participant
from lindung.regions.models import canonical

from .choices import ClaimState, ClaimType
from .models import Claim, ClaimDocument, ScholarshipPlace

# Claims hold heirs' names, shares and bank accounts: the regency's staff, BPJS and those who
# follow or audit them see them; a village operator does not (403).
VIEWERS = frozenset(
    {
        Role.REGENCY_ADMIN,
        Role.BPJS_OFFICER,
        Role.BPJS_REGIONAL,
        Role.REGIONAL_HEAD,
        Role.AUDITOR,
        Role.SUPERADMIN,
    }
)


def may_see_claims(user) -> bool:
    return getattr(user, "role", "") in VIEWERS


def _require_viewer(user) -> None:
    if not may_see_claims(user):
        raise PermissionDenied(_("Claims are handled by the regency and BPJS."))


def claims_for(
    user,
    *,
    program: str = "",
    village: str = "",
    claim_type: str = "",
    state: str = "",
    q: str = "",
) -> QuerySet[Claim]:
    """The claim register: the claims in the user's regions, filtered."""
    _require_viewer(user)
    qs = restrict(Claim.objects.all(), user, Action.VIEW).select_related(
        "participant__village", "program", "worker"
    )
    if program:
        qs = qs.filter(program__code=program)
    if village:
        qs = qs.filter(participant__village__code__startswith=canonical(village))
    if claim_type in ClaimType.values:
        qs = qs.filter(claim_type=claim_type)
    if state in ClaimState.values:
        qs = qs.filter(state=state)
    q = (q or "").strip()
    if q:
        if q.isdigit() and len(q) == 16:
            qs = qs.filter(worker__nik=q)
        elif q.isdigit() and len(q) == 11:
            qs = qs.filter(participant__kpj=q)
        else:
            qs = qs.filter(worker__name__icontains=q[:100])
    return qs.order_by("-filed_at", "-id")


def register_totals(claims: QuerySet[Claim]) -> dict:
    """Counts and amounts by type and by state (two grouped queries)."""
    by_type = {
        r["claim_type"]: r
        for r in claims.order_by()
        .values("claim_type")
        .annotate(n=Count("id"), payable=Sum("payable"))
    }
    by_state = {
        r["state"]: r
        for r in claims.order_by().values("state").annotate(n=Count("id"), payable=Sum("payable"))
    }
    return {
        "by_type": [
            (label, by_type.get(value, {}).get("n", 0), by_type.get(value, {}).get("payable") or 0)
            for value, label in ClaimType.choices
        ],
        "by_state": [
            (
                label,
                by_state.get(value, {}).get("n", 0),
                by_state.get(value, {}).get("payable") or 0,
            )
            for value, label in ClaimState.choices
        ],
        "count": sum(r["n"] for r in by_state.values()),
        "payable": sum(r["payable"] or 0 for r in by_state.values()),
    }


def claim_for_user(user, pk: int, action: str = Action.VIEW) -> Claim:
    """One claim: 404 out of scope (or missing), 403 for roles that do not handle claims or
    may not take `action`."""
    claim = get_for_user(
        Claim.objects.select_related(
            "participant__village",
            "program",
            "worker",
            "filed_by",
            "verified_by",
            "approved_by",
            "paid_by",
        ),
        user,
        action,
        pk=pk,
    )
    _require_viewer(user)
    return claim


def document_for_user(user, claim_pk: int, pk: int) -> ClaimDocument:
    claim = claim_for_user(user, claim_pk)
    document = ClaimDocument.objects.filter(claim=claim, pk=pk).first()
    if document is None:
        from django.http import Http404

        raise Http404
    return document


def participants_to_claim(user, q: str) -> QuerySet[Participant]:
    """Participants the user may file a claim for, found by full NIK (16 digits) or KPJ (11)."""
    q = "".join((q or "").split())
    qs = restrict(Participant.objects.all(), user, Action.FILE_CLAIM).select_related(
        "worker", "program", "village"
    )
    if q.isdigit() and len(q) == 16:
        return qs.filter(worker__nik=q).order_by("-start_date")
    if q.isdigit() and len(q) == 11:
        return qs.filter(kpj=q).order_by("-start_date")
    return qs.none()


def participant_to_claim(user, pk: int) -> Participant:
    return get_for_user(
        Participant.objects.select_related("worker", "program", "village"),
        user,
        Action.FILE_CLAIM,
        pk=pk,
    )


def places_for(participant_id: int) -> QuerySet[ScholarshipPlace]:
    return (
        ScholarshipPlace.objects.filter(participant_id=participant_id)
        .select_related("child", "moved_from")
        .prefetch_related("years")
    )


def place_for_user(user, pk: int, action: str = Action.VIEW) -> ScholarshipPlace:
    place = get_for_user(
        ScholarshipPlace.objects.select_related("participant", "child"), user, action, pk=pk
    )
    _require_viewer(user)
    return place
