"""The duplicate review pages: the queue of candidate pairs, a scan, and one pair side by side."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import scope_prefixes
from lindung.audit import access
from lindung.common.errors import ApplicationError
from lindung.regions.models import Region

from . import notices
from .explain import explanation, field_label
from .models import CandidateStatus, DuplicateKind
from .selectors import (
    can_decide,
    candidate_details,
    candidate_for_user,
    candidates_for,
    decide_refusal,
    pair_sides,
)
from .services import duplicate_decide, duplicates_scan

# The fields set side by side on a pair's page, named for the reviewer by `explain.field_label`.
COMPARED = ("nik", "name", "birth_date", "sex", "village", "kk_number", "phone", "occupation")


DECISIONS = ("keep_a", "keep_b", "different")


def _reviewer(user) -> None:
    if not role_allows(getattr(user, "role", ""), Action.REVIEW):
        raise PermissionDenied


@login_required
def duplicate_list(request):
    _reviewer(request.user)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", CandidateStatus.OPEN)
    qs = candidates_for(request.user, status)
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for c in page.object_list:
        c.side_a, c.side_b = pair_sides(request.user, c, heirs=False)
        c.findings = candidate_details(request.user, c)
        c.why = explanation(c, c.findings)
    prefixes = scope_prefixes(request.user)
    regions = Region.objects.filter(code__in=prefixes or [], level__lte=3) if prefixes else None
    return render(
        request,
        "duplicates/duplicate_list.html",
        {
            "page": page,
            "kind": kind,
            "status": status,
            "kinds": DuplicateKind.choices,
            "statuses": CandidateStatus.choices,
            "scan_regions": regions,
        },
    )


@login_required
@require_POST
def duplicate_scan_view(request):
    _reviewer(request.user)
    region = request.POST.get("region", "")
    try:
        found = duplicates_scan(actor=request.user, region_code=region)
        messages.success(request, notices.scanned(region, len(found)))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("duplicates:list")


@login_required
def duplicate_detail(request, pk: int):
    _reviewer(request.user)
    candidate = candidate_for_user(request.user, pk)
    decidable = can_decide(request.user, candidate)
    if request.method == "POST":
        if not decidable:
            raise PermissionDenied(decide_refusal())
        decision = request.POST.get("decision", "")
        if decision not in DECISIONS:
            # A forged or stale button must never count as "different people".
            messages.error(request, _("Choose one of the decision buttons."))
            return redirect("duplicates:detail", pk=candidate.pk)
        try:
            same = decision in ("keep_a", "keep_b")
            keep = "a" if decision == "keep_a" else "b"
            duplicate_decide(
                actor=request.user,
                candidate=candidate,
                same=same,
                keep=keep,
                reason=request.POST.get("reason", "").strip(),
            )
            messages.success(request, notices.decided(candidate, same=same, keep=keep))
            return redirect("duplicates:list")
        except ApplicationError as exc:
            messages.error(request, exc.message)
    access.full_nik_shown(
        request.user,
        [w for w in (candidate.worker_a, candidate.worker_b) if w],
        what=f"duplicate pair #{candidate.pk}",
    )
    side_a, side_b = pair_sides(request.user, candidate)
    findings = candidate_details(request.user, candidate)
    agree = set(findings.get("agree", []))
    rows = [
        # Fields the matcher judged equal (a name in capitals, say) or that read the same.
        (
            field_label(key),
            side_a.get(key, ""),
            side_b.get(key, ""),
            key in agree or side_a.get(key) == side_b.get(key),
        )
        for key in COMPARED
    ]
    return render(
        request,
        "duplicates/duplicate_detail.html",
        {
            "candidate": candidate,
            "rows": rows,
            "why": explanation(candidate, findings),
            "side_a": side_a,
            "side_b": side_b,
            "decidable": decidable,
            "refusal": "" if decidable else decide_refusal(),
        },
    )
