from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import can, scope_prefixes
from lindung.common.errors import ApplicationError
from lindung.regions.models import Region
from lindung.registry.nik import mask_nik

from .duplicates import candidate_for_user, candidates_for, duplicate_decide, duplicates_scan
from .models import CandidateStatus, DuplicateKind

COMPARED = (
    ("nik", "NIK"),
    ("name", _("Name")),
    ("birth_date", _("Date of birth")),
    ("sex", _("Sex")),
    ("village", _("Village")),
    ("kk_number", _("Family card (KK)")),
    ("phone", _("Phone")),
    ("occupation", _("Occupation")),
)


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
    prefixes = scope_prefixes(request.user)
    regions = Region.objects.filter(code__in=prefixes or [], level__lte=3) if prefixes else None
    return render(
        request,
        "programs/duplicate_list.html",
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
        messages.success(request, _("%(n)d pair(s) to review.") % {"n": len(found)})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("programs:duplicates")


def _side(worker, full: bool) -> dict:
    if worker is None:
        return {}
    return {
        "nik": worker.nik if full else mask_nik(worker.nik),
        "name": worker.name,
        "birth_date": worker.birth_date.strftime("%d-%m-%Y"),
        "sex": worker.sex,
        "village": f"{worker.village.name} ({worker.village.dotted_code})",
        "kk_number": (worker.kk_number if full else mask_nik(worker.kk_number)) or "—",
        "phone": worker.phone or "—",
        "occupation": str(worker.occupation),
    }


@login_required
def duplicate_detail(request, pk: int):
    _reviewer(request.user)
    candidate = candidate_for_user(request.user, pk)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            duplicate_decide(
                actor=request.user,
                candidate=candidate,
                same=decision in ("keep_a", "keep_b"),
                keep="a" if decision == "keep_a" else "b",
                reason=request.POST.get("reason", "").strip(),
            )
            messages.success(request, _("Decision saved."))
            return redirect("programs:duplicates")
        except ApplicationError as exc:
            messages.error(request, exc.message)
    a, b = candidate.worker_a, candidate.worker_b
    full = all(can(request.user, Action.VIEW_PII, w.village_id) for w in (a, b) if w)
    side_a, side_b = _side(a, full), _side(b, full)
    rows = [
        (label, side_a.get(key, ""), side_b.get(key, ""), key in candidate.details.get("agree", []))
        for key, label in COMPARED
    ]
    return render(
        request,
        "programs/duplicate_detail.html",
        {
            "candidate": candidate,
            "rows": rows,
            "heirs_a": a.heirs.all() if a else [],
            "heirs_b": b.heirs.all() if b else [],
        },
    )
