"""The scholarship page of a deceased participant (/klaim/beasiswa/<participant>/): the (at most
two) children's places, each child's level per school year, one claim per school year and what
was paid per child per year. Thin: every rule is in `services` (places, years, claims) and the
calculator (amounts); the claim itself is decided and paid on its own page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.accounts.scoping import can, get_for_user
from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_BIGINT
from lindung.enrolment.models import Participant
from lindung.registry.models import Heir, Relationship

from . import selectors, services
from .choices import MAX_SCHOLARSHIP_CHILDREN, ClaimState, SchoolLevel
from .models import ScholarshipYear


def _number(text: str | None, field: str, maximum: int = MAX_BIGINT) -> int:
    """A whole number typed in a form, or a 400 that names the field."""
    text = (text or "").strip()
    if not text.isdecimal() or not text.isascii() or len(text) > 18 or int(text) > maximum:
        raise ApplicationError(
            _("Give a whole number."), code="number", fields={field: [_("Give a whole number.")]}
        )
    return int(text)


def _participant(user, pk: int) -> Participant:
    participant = get_for_user(
        Participant.objects.select_related("worker", "program", "village"), user, pk=pk
    )
    if not selectors.may_see_claims(user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Claims are handled by the regency and BPJS."))
    return participant


def _child(participant: Participant, text: str | None, field: str = "child") -> Heir:
    child = Heir.objects.filter(pk=_number(text, field), worker_id=participant.worker_id).first()
    if child is None:
        raise Http404
    return child


def _context(user, participant: Participant) -> dict:
    died = services.death_date_of(participant)
    death_claim = services.death_claim_of(participant)
    places = list(selectors.places_for(participant.pk))
    years = list(
        ScholarshipYear.objects.filter(place__participant=participant)
        .select_related("child", "claim")
        .annotate(paid=Sum("claim__payments__amount"))
        .order_by("place_id", "school_year")
    )
    holding = {p.child_id for p in places}
    children = list(
        Heir.objects.filter(
            worker_id=participant.worker_id, relationship=Relationship.CHILD
        ).order_by("birth_date", "pk")
    )
    today = timezone.localdate()
    for child in children:
        child.before_death = bool(
            died and child.created_at and timezone.localtime(child.created_at).date() < died
        )
    candidates = [c for c in children if c.before_death and c.pk not in holding]
    for place in places:
        place.rows = [y for y in years if y.place_id == place.pk]
        for y in place.rows:
            y.claimable = y.claim_id is None or y.claim.state == ClaimState.REJECTED
        place.paid_total = sum(y.paid or 0 for y in place.rows)
    region = participant.village_id
    may_file = can(user, Action.FILE_CLAIM, region)
    return {
        "participant": participant,
        "nik": masking.nik_for(user, region, participant.worker.nik),
        "kpj": masking.kpj_for(user, region, participant.kpj),
        "died": died,
        "death_claim": death_claim,
        "places": places,
        "children": children,
        "candidates": candidates,
        "full": len(places) >= MAX_SCHOLARSHIP_CHILDREN,
        "max_children": MAX_SCHOLARSHIP_CHILDREN,
        "levels": SchoolLevel.choices,
        "may_file": may_file and died is not None,
        "school_year": services.current_school_year(today),
        "paid_total": sum(p.paid_total for p in places),
    }


def _answer(request, participant: Participant, exc: ApplicationError):
    """The page again with the refusal and its status (400, 409)."""
    context = _context(request.user, participant)
    context["error"] = exc.message
    return render(request, "claims/scholarships.html", context, status=exc.status)


@login_required
def page(request, participant: int):
    found = _participant(request.user, participant)
    return render(request, "claims/scholarships.html", _context(request.user, found))


def _back(participant: Participant):
    return redirect("claims:scholarships", participant=participant.pk)


@login_required
@require_POST
def place_add(request, participant: int):
    found = selectors.participant_to_claim(request.user, participant)
    try:
        place = services.scholarship_place_add(
            actor=request.user,
            participant=found,
            child=_child(found, request.POST.get("child")),
        )
    except ApplicationError as exc:
        return _answer(request, found, exc)
    messages.success(request, _("%(name)s holds a scholarship place.") % {"name": place.child.name})
    return _back(found)


@login_required
@require_POST
def place_move(request, place: int):
    found = selectors.place_for_user(request.user, place, Action.FILE_CLAIM)
    participant = found.participant
    try:
        expected = _number(request.POST.get("expected_child"), "expected_child")
        moved = services.scholarship_place_move(
            actor=request.user,
            place=found,
            substitute=_child(participant, request.POST.get("child")),
            expected_child_id=expected,
        )
    except ApplicationError as exc:
        return _answer(request, participant, exc)
    messages.success(
        request,
        _("The place moved from %(old)s to %(new)s.")
        % {"old": moved.moved_from.name, "new": moved.child.name},
    )
    return _back(participant)


@login_required
@require_POST
def year_record(request, place: int):
    found = selectors.place_for_user(request.user, place, Action.FILE_CLAIM)
    participant = found.participant
    try:
        year = services.scholarship_year_record(
            actor=request.user,
            place=found,
            school_year=_number(request.POST.get("school_year"), "school_year", 9999),
            level=request.POST.get("level", "")[:20],
            grade=_number(request.POST.get("grade") or "1", "grade", 99),
        )
    except ApplicationError as exc:
        return _answer(request, participant, exc)
    messages.success(
        request,
        _("School year %(year)s recorded: %(level)s, grade %(grade)s.")
        % {
            "year": f"{year.school_year}/{year.school_year + 1}",
            "level": year.get_level_display(),
            "grade": year.grade,
        },
    )
    return _back(participant)


@login_required
@require_POST
def year_claim(request, place: int):
    found = selectors.place_for_user(request.user, place, Action.FILE_CLAIM)
    participant = found.participant
    try:
        claim = services.scholarship_year_claim(
            actor=request.user,
            place=found,
            school_year=_number(request.POST.get("school_year"), "school_year", 9999),
        )
    except ApplicationError as exc:
        return _answer(request, participant, exc)
    messages.success(
        request,
        _(
            "Scholarship claim #%(id)s filed: upload its documents and record the heirs on the "
            "claim's page."
        )
        % {"id": claim.pk},
    )
    return redirect("claims:detail", pk=claim.pk)
