"""Participant pages: a program's participants (enrol, export, import KPJs, renew) and one
participant with their history. Thin: every rule is in `services`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.accounts.scoping import can
from lindung.audit import access
from lindung.audit.selectors import history_of
from lindung.common.errors import ApplicationError
from lindung.programs.selectors import program_for_user, programs_for, submission_for_user
from lindung.regions.models import Region

from . import services
from .choices import EndReason, ParticipantState
from .selectors import counts_by_state, participant_for_user, participants_for, ready_lists


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date_or_none(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
def participant_list(request, code: str):
    user = request.user
    program = program_for_user(user, code)
    import_report = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "enrol":
                submission = None
                if request.POST.get("submission"):
                    pk = _int_or_none(request.POST.get("submission"))
                    if pk is None:
                        raise ApplicationError(_("Choose a list."), code="submission")
                    submission = submission_for_user(user, pk)
                result = services.participants_enrol(
                    actor=user,
                    program=program,
                    submission=submission,
                    expected_state=request.POST.get("expected_state", "ready"),
                    version=_int_or_none(request.POST.get("version")),
                )
                messages.success(
                    request,
                    _("%(n)d person(s) enrolled; %(a)d were already.")
                    % {"n": result.enrolled, "a": result.already},
                )
            elif action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ApplicationError(_("Choose BPJS's file (.xlsx or .csv)."), code="file")
                if upload.size > settings.LINDUNG_UPLOAD_MAX_BYTES:
                    raise ApplicationError(_("The file is too large; split it."), code="too_large")
                import_report = services.kpj_import(actor=user, program=program, data=upload.read())
                if import_report.applied:
                    messages.success(
                        request,
                        _("%(n)d KPJ number(s) assigned; %(u)d unchanged.")
                        % {"n": import_report.assigned, "u": import_report.unchanged},
                    )
                    return redirect("enrolment:participants", code=program.code)
                messages.error(
                    request,
                    _("%(n)d row(s) have problems; nothing was applied. Fix them and import again.")
                    % {"n": len(import_report.errors)},
                )
            elif action == "renew":
                to_program = program_for_user(user, request.POST.get("to_program", ""))
                report = services.participants_renew(
                    actor=user, from_program=program, to_program=to_program
                )
                messages.success(
                    request,
                    _("%(n)d renewed into %(program)s; %(d)d dropped out.")
                    % {"n": report.renewed, "program": to_program.name, "d": len(report.dropped)},
                )
                for d in report.dropped[:50]:
                    reasons = "; ".join(r["message"] for r in d["reasons"])
                    messages.warning(request, f"{d['name']} ({d['nik']}): {reasons}")
                return redirect("enrolment:participants", code=to_program.code)
            if import_report is None:
                return redirect("enrolment:participants", code=program.code)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            if import_report is None:
                return redirect("enrolment:participants", code=program.code)
    village = request.GET.get("village", "")
    state = request.GET.get("state", "")
    if state not in ParticipantState.values:
        state = ""
    q = request.GET.get("q", "")[:100]
    people = participants_for(user, program, village=village[:20], state=state, q=q)
    page = Paginator(people, 100).get_page(request.GET.get("page"))
    access.full_nik_shown(user, page.object_list, what=f"participants of {program.code}")
    for p in page.object_list:
        p.nik_shown = masking.nik_for(user, p.village_id, p.worker.nik)
        p.kpj_shown = masking.kpj_for(user, p.village_id, p.kpj)
    counts = counts_by_state(user, program)
    region = program.owner_region_id
    may_enrol = can(user, Action.ENROL, region)
    villages = Region.objects.filter(
        code__in=participants_for(user, program).values("village_id").distinct()
    ).order_by("name")
    later = (
        programs_for(user)
        .filter(owner_region_id=region, coverage_start__gt=program.coverage_end)
        .order_by("coverage_start")
        if may_enrol
        else []
    )
    return render(
        request,
        "enrolment/participant_list.html",
        {
            "program": program,
            "page": page,
            "village": village,
            "state": state,
            "q": q,
            "states": ParticipantState.choices,
            "state_counts": [
                (label, counts.get(value, 0)) for value, label in ParticipantState.choices
            ],
            "villages": villages,
            "ready": ready_lists(user, program) if may_enrol else [],
            "may_enrol": may_enrol,
            "may_export": may_enrol or can(user, Action.SET_KPJ, region),
            "later": later,
            "import_report": import_report,
        },
    )


@login_required
def registration_file(request, code: str):
    program = program_for_user(request.user, code)
    fmt = request.GET.get("format", "xlsx")
    try:
        content, name, kind = services.registration_file(
            actor=request.user,
            program=program,
            village_code=request.GET.get("village", "")[:20],
            fmt=fmt,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("enrolment:participants", code=program.code)
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _history(user, participant) -> list:
    events = [masking.event_for(user, e) for e in history_of(user, participant)]
    labels = {
        "kpj": "KPJ",
        "state": _("Status"),
        "start_date": _("Coverage from"),
        "end_date": _("Coverage until"),
        "end_reason": _("Reason"),
        "end_note": _("Note"),
    }
    for event in events:
        event.fields = [
            (labels.get(key, key), *change)
            for key, change in (event.changes or {}).items()
            if isinstance(change, list) and len(change) == 2
        ]
    return events


@login_required
def participant_detail(request, pk: int):
    user = request.user
    participant = participant_for_user(user, pk)
    access.full_nik_shown(user, [participant], what=f"participant #{participant.pk}")
    region = participant.village_id
    others = participants_for(user).filter(worker_id=participant.worker_id).exclude(pk=pk)
    # The one answer to "protected today?" is billing's (imported here: billing builds on
    # enrolment, not the other way round), so the page never reasons on its own.
    from lindung.billing.protection import STATUS_WORDS, protection_on

    today = timezone.localdate()
    protection = protection_on(participant.worker_id, today)
    return render(
        request,
        "enrolment/participant_detail.html",
        {
            "p": participant,
            "nik": masking.nik_for(user, region, participant.worker.nik),
            "kpj": masking.kpj_for(user, region, participant.kpj),
            "history": _history(user, participant),
            "protection": protection,
            "protection_words": STATUS_WORDS[protection.status],
            "others": others,
            "may_set_kpj": can(user, Action.SET_KPJ, region)
            and participant.state != ParticipantState.ENDED,
            "may_end": can(user, Action.ENROL, region)
            and participant.state != ParticipantState.ENDED,
            "reasons": EndReason.choices,
        },
    )


@login_required
@require_POST
def participant_kpj(request, pk: int):
    participant = participant_for_user(request.user, pk, Action.SET_KPJ)
    try:
        services.participant_set_kpj(
            actor=request.user,
            participant=participant,
            kpj=request.POST.get("kpj", "")[:40],
            start_date=_date_or_none(request.POST.get("start_date")),
            reason=request.POST.get("reason", "")[:2000],
        )
        messages.success(request, _("KPJ saved."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("enrolment:participant", pk=participant.pk)


@login_required
@require_POST
def participant_end_view(request, pk: int):
    participant = participant_for_user(request.user, pk, Action.ENROL)
    on = _date_or_none(request.POST.get("on"))
    try:
        if on is None:
            raise ApplicationError(_("Give the last covered day."), code="on")
        services.participant_end(
            actor=request.user,
            participant=participant,
            on=on,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", "")[:2000],
            expected_state=request.POST.get("expected_state", ""),
        )
        messages.success(request, _("Participation ended."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("enrolment:participant", pk=participant.pk)
