"""Printing membership cards for a program's participants, or one village's (POST: printing
issues card tokens), and withdrawing one person's printed cards (a lost card). Who may: the
regency (it enrols) and BPJS (it issues the KPJ) in the program's region or the village's; 404
out of scope, 403 for other roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.roles import Action
from lindung.accounts.scoping import can, covers
from lindung.common.errors import ApplicationError
from lindung.enrolment.choices import ParticipantState
from lindung.enrolment.selectors import participant_for_user, participants_for
from lindung.programs.selectors import program_for_user

from . import cards


def may_print(user, region_code: str) -> bool:
    return can(user, Action.ENROL, region_code) or can(user, Action.SET_KPJ, region_code)


@login_required
@require_POST
def cards_print(request, code: str):
    user = request.user
    program = program_for_user(user, code)
    village = request.POST.get("village", "")[:20]
    if village and not (village.isdigit() and len(village) == 10 and covers(user, village)):
        raise Http404
    region = village or program.owner_region_id
    if not may_print(user, region):
        raise PermissionDenied(_("Only the regency or BPJS prints membership cards."))
    people = list(
        participants_for(user, program, village=village, state=ParticipantState.ACTIVE).exclude(
            kpj__isnull=True
        )[: cards.MAX_CARDS + 1]
    )
    back = reverse("enrolment:participants", args=[program.code])
    if not people:
        messages.error(request, _("Nobody here has a KPJ yet: there is no card to print."))
        return redirect(back + (f"?village={village}" if village else ""))
    if len(people) > cards.MAX_CARDS:
        messages.error(
            request,
            _("More than %(n)s cards: print them village by village.") % {"n": cards.MAX_CARDS},
        )
        return redirect(back)
    base_url = settings.LINDUNG_PUBLIC_URL or request.build_absolute_uri("/")
    issued = cards.cards_issue(
        actor=user, program=program, participants=people, region_code=region, base_url=base_url
    )
    pdf = cards.cards_pdf(issued, title=f"Kartu peserta — {program.name}")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"kartu-{program.code}{'-' + village if village else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def card_revoke(request, pk: int):
    """Withdraw every card printed for one participation: their QR codes stop answering."""
    participant = participant_for_user(request.user, pk)
    if not may_print(request.user, participant.village_id):
        raise PermissionDenied(_("Only the regency or BPJS prints membership cards."))
    reason = request.POST.get("reason", "").strip()
    try:
        if not reason or len(reason) > 500:
            raise ApplicationError(_("Say why the cards are withdrawn (at most 500 characters)."))
        n = cards.card_tokens_revoke(actor=request.user, participant=participant, reason=reason)
        messages.success(request, _("%(n)s printed card(s) withdrawn.") % {"n": n})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("enrolment:participant", pk=participant.pk)
