"""Claim pages under /klaim/: the register, filing from a participant, one claim with its
documents, heirs, transitions and payments. Thin: every rule is in `services`."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.accounts.scoping import can
from lindung.audit.labels import action_label
from lindung.audit.selectors import history_of
from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_BIGINT
from lindung.programs.selectors import programs_for
from lindung.registry.models import Heir

from . import notices, reporting, selectors, services
from .choices import (
    CHECKLIST,
    DEATH_TYPES,
    HEIR_TYPES,
    SHARES_TOTAL,
    ClaimState,
    ClaimType,
    DocumentKind,
)
from .forms import ClaimForm

S = ClaimState


def _filters(request) -> dict:
    get = request.GET
    return {
        "program": get.get("program", "")[:40],
        "village": "".join(ch for ch in get.get("village", "") if ch.isdigit() or ch == ".")[:13],
        "claim_type": get.get("type", "")[:20],
        "state": get.get("state", "")[:20],
        "q": get.get("q", "")[:100],
    }


@login_required
def claim_list(request):
    """The claim register: claims in the user's regions with totals by type and state."""
    user = request.user
    f = _filters(request)
    claims = selectors.claims_for(user, **f)
    totals = selectors.register_totals(claims)
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    for c in page.object_list:
        c.nik_shown = masking.nik_for(user, c.participant.village_id, c.worker.nik)
    return render(
        request,
        "claims/claim_list.html",
        {
            "page": page,
            "totals": totals,
            "filters": f,
            "types": ClaimType.choices,
            "states": ClaimState.choices,
            "programs": programs_for(user).order_by("name"),
            "may_file": _may_file_somewhere(user),
            "query": request.GET.urlencode(),
        },
    )


def _may_file_somewhere(user) -> bool:
    from lindung.accounts.roles import role_allows

    return role_allows(getattr(user, "role", ""), Action.FILE_CLAIM)


@login_required
def register_export(request):
    from .exports import register_xlsx

    user = request.user
    claims = selectors.claims_for(user, **_filters(request))
    content = register_xlsx(user, claims, selectors.register_totals(claims))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"register-klaim-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def claim_new(request):
    """File a claim: find the participant by NIK or KPJ (in scope), then the event."""
    user = request.user
    if not _may_file_somewhere(user):
        raise PermissionDenied(_("Claims are filed by the regency or BPJS."))
    q = request.GET.get("q", "")[:40]
    participant = None
    pk = request.POST.get("participant") or request.GET.get("participant")
    if pk:
        if not str(pk).isdecimal() or not 1 <= int(pk) <= MAX_BIGINT:
            raise Http404
        participant = selectors.participant_to_claim(user, int(pk))
    form = ClaimForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if participant is None:
            raise Http404
        if form.is_valid():
            c = form.cleaned_data
            try:
                claim = services.claim_file(actor=user, participant=participant, **c)
                messages.success(request, notices.filed(claim))
                return redirect("claims:detail", pk=claim.pk)
            except ApplicationError as exc:
                field = next(iter(exc.fields), None)
                form.add_error(field if field in form.fields else None, exc.message)
                status = exc.status
        else:
            status = 400
    found = selectors.participants_to_claim(user, q) if q and participant is None else []
    for p in found:
        p.nik_shown = masking.nik_for(user, p.village_id, p.worker.nik)
        p.kpj_shown = masking.kpj_for(user, p.village_id, p.kpj)
    if participant is not None:
        participant.nik_shown = masking.nik_for(
            user, participant.village_id, participant.worker.nik
        )
        participant.kpj_shown = masking.kpj_for(user, participant.village_id, participant.kpj)
    return render(
        request,
        "claims/claim_new.html",
        {"q": q, "found": found, "participant": participant, "form": form},
        status=status,
    )


def _history(user, claim) -> list:
    events = [masking.event_for(user, e) for e in history_of(user, claim)]
    for e in events:
        e.label = action_label(e.action)
        e.fields = [
            (key, *change)
            for key, change in (e.changes or {}).items()
            if isinstance(change, list) and len(change) == 2 and key in ("state", "payable")
        ]
    return events


def _heir_rows(user, claim) -> list[dict]:
    """The worker's registered heirs, by class, with whether and why each is entitled."""
    registered = list(Heir.objects.filter(worker_id=claim.worker_id).order_by("id"))
    ranked = services.ranked_heirs(registered)
    chosen = {h.heir_id: h for h in claim.heirs.all() if h.heir_id}
    rows = []
    for h in registered:
        r = ranked[h.pk]
        c = chosen.get(h.pk)
        rows.append(
            {
                "heir": h,
                "heir_class": r["heir_class"],
                "entitled": r["entitled"],
                "why": r["why"],
                "chosen": c,
                "share": c.share_percent if c else "",
                "bank_name": c.bank_name if c else "",
                "account": masking.account_for(user, claim.participant.village_id, c.bank_account)
                if c
                else "",
            }
        )
    rows.sort(key=lambda r: (r["heir_class"], r["heir"].pk))
    return rows


@login_required
def claim_detail(request, pk: int):
    user = request.user
    claim = selectors.claim_for_user(user, pk)
    region = claim.participant.village_id
    documents = list(claim.documents.all())
    have = {d.kind for d in documents}
    checklist = [(DocumentKind(kind).label, kind in have) for kind in CHECKLIST[claim.claim_type]]
    claim_heirs = list(claim.heirs.all())
    dues = services.heir_dues(claim) if claim.payable else {}
    for h in claim_heirs:
        h.account_shown = masking.account_for(user, region, h.bank_account)
        h.due = dues.get(h.pk, 0)
    payments = list(claim.payments.select_related("claim_heir", "recorded_by"))
    for p in payments:
        p.account_shown = masking.account_for(user, region, p.bank_account)
    paid = sum(p.amount for p in payments)
    editable = claim.state in (S.FILED, S.DOCUMENTS_COMPLETE)
    may_file = can(user, Action.FILE_CLAIM, region)
    computed = claim.computed or {}
    places = selectors.places_for(claim.participant_id) if claim.claim_type in HEIR_TYPES else []
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "nik": masking.nik_for(user, region, claim.worker.nik),
            "kpj": masking.kpj_for(user, region, claim.participant.kpj),
            "checklist": checklist,
            "documents": documents,
            "kinds": [(k, DocumentKind(k).label) for k in (*CHECKLIST[claim.claim_type], "other")],
            "heir_types": claim.claim_type in HEIR_TYPES,
            "heir_rows": _heir_rows(user, claim) if claim.claim_type in HEIR_TYPES else [],
            "claim_heirs": claim_heirs,
            "no_heirs": not Heir.objects.filter(worker_id=claim.worker_id).exists(),
            "computed": computed,
            "payments": payments,
            "paid": paid,
            "left": max(claim.payable - paid, 0),
            "moves": [(to, S(to).label) for to in services.moves_for(user, claim)],
            "may_upload": may_file and editable,
            "may_set_heirs": may_file and editable and claim.claim_type in HEIR_TYPES,
            "may_pay": can(user, Action.PAY_CLAIM, region) and claim.state == S.APPROVED,
            "own_verification": claim.state == S.VERIFIED
            and claim.verified_by_id == user.pk
            and can(user, Action.DECIDE_CLAIM, region),
            "history": _history(user, claim),
            "places": places,
            "reporting": reporting.judge(claim),
            "scholarship_link": claim.claim_type == ClaimType.SCHOLARSHIP
            or (claim.claim_type in DEATH_TYPES and claim.state in (S.APPROVED, S.PAID)),
            "today": timezone.localdate().isoformat(),
        },
    )


def _back(claim):
    return redirect("claims:detail", pk=claim.pk)


@login_required
@require_POST
def document_upload(request, pk: int):
    claim = selectors.claim_for_user(request.user, pk, Action.FILE_CLAIM)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError(_("Choose a file."), code="file")
        if upload.size > services.MAX_DOCUMENT_BYTES:
            raise ApplicationError(
                _("The file is larger than %(mb)s MB; scan it at a lower resolution.")
                % {"mb": services.MAX_DOCUMENT_BYTES // (1024 * 1024)},
                code="too_large",
            )
        document = services.claim_document_add(
            actor=request.user,
            claim=claim,
            kind=request.POST.get("kind", "")[:40],
            data=upload.read(),
            filename=upload.name or "",
        )
        messages.success(request, notices.document_added(document))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(claim)


@login_required
def document_download(request, pk: int, doc: int):
    document = selectors.document_for_user(request.user, pk, doc)
    path = services.document_path(document)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=document.content_type)
    # Served as a download under a safe name: never rendered inline as the site's own page.
    response["Content-Disposition"] = (
        f'attachment; filename="dokumen-{document.claim_id}-{document.pk}.'
        f'{services.EXTENSIONS[document.content_type]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _basis_points(text: str) -> int | None:
    """A share typed as a percentage ("50", "33,33", "33.33") → basis points, or None."""
    text = (text or "").strip().replace(",", ".").rstrip("%").strip()
    if not text:
        return None
    whole, _dot, frac = text.partition(".")
    if not whole.isdecimal() or (frac and not frac.isdecimal()) or len(frac) > 2 or len(whole) > 3:
        raise ApplicationError(
            _("Write each share as a percentage with at most two decimals."), code="share"
        )
    return int(whole) * 100 + int((frac + "00")[:2])


@login_required
@require_POST
def heirs_view(request, pk: int):
    claim = selectors.claim_for_user(request.user, pk, Action.FILE_CLAIM)
    post = request.POST
    try:
        rows = []
        for heir_id in post.getlist("heir")[:50]:
            if not heir_id.isdecimal() or len(heir_id) > 18:
                raise ApplicationError(_("Choose heirs from the list."), code="heir")
            share = _basis_points(post.get(f"share_{heir_id}", ""))
            rows.append(
                {
                    "heir_id": int(heir_id),
                    "share_bp": share if share is not None else 0,
                    "bank_name": post.get(f"bank_{heir_id}", "")[:100],
                    "bank_account": post.get(f"account_{heir_id}", "")[:60],
                }
            )
        if post.get("organiser_name"):
            share = _basis_points(post.get("organiser_share", "")) or SHARES_TOTAL
            rows.append(
                {
                    "heir_id": None,
                    "name": post.get("organiser_name", "")[:200],
                    "share_bp": share,
                    "bank_name": post.get("organiser_bank", "")[:100],
                    "bank_account": post.get("organiser_account", "")[:60],
                }
            )
        heirs = services.claim_heirs_set(
            actor=request.user,
            claim=claim,
            heirs=rows,
            expected_state=post.get("expected_state", "")[:40],
        )
        messages.success(request, notices.heirs_set(len(heirs)))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(claim)


@login_required
@require_POST
def move_view(request, pk: int):
    claim = selectors.claim_for_user(request.user, pk)
    try:
        claim = services.claim_move(
            actor=request.user,
            claim=claim,
            to=request.POST.get("to", "")[:40],
            expected_state=request.POST.get("expected_state", "")[:40],
            reason=request.POST.get("reason", "")[:2000],
            acknowledge_reporting=request.POST.get("acknowledge_reporting") == "1",
        )
        messages.success(request, notices.moved(claim))
    except ApplicationError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)  # a stale step (409) too: back to the claim
    return _back(claim)


@login_required
@require_POST
def payment_view(request, pk: int):
    claim = selectors.claim_for_user(request.user, pk, Action.PAY_CLAIM)
    post = request.POST
    try:
        amount_text = (post.get("amount") or "").replace(".", "").strip()
        if not amount_text.isdecimal() or len(amount_text) > 15:
            raise ApplicationError(_("The amount is a whole rupiah amount."), code="amount")
        try:
            paid_on = dt.date.fromisoformat(post.get("paid_on") or "")
        except ValueError as exc:
            raise ApplicationError(_("Give the payment date."), code="paid_on") from exc
        heir = post.get("claim_heir") or ""
        payment = services.claim_payment_record(
            actor=request.user,
            claim=claim,
            claim_heir_id=int(heir) if heir.isdecimal() and len(heir) < 18 else None,
            amount=int(amount_text),
            paid_on=paid_on,
            reference=post.get("reference", "")[:100],
            bank_name=post.get("bank_name", "")[:100],
            bank_account=post.get("bank_account", "")[:60],
        )
        claim.refresh_from_db()
        messages.success(request, notices.paid(payment, claim))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(claim)
