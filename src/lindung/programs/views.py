from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts import masking
from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import can
from lindung.audit import access
from lindung.common.errors import ApplicationError
from lindung.common.inputs import parse_ids
from lindung.intake.models import Upload
from lindung.regions.fields import village_choices
from lindung.regions.models import Region
from lindung.registry import dukcapil
from lindung.registry.models import Worker

from . import notices
from . import services as program_services
from .models import Outcome, SubmissionState
from .progress import program_progress
from .selectors import (
    people_of,
    program_for_user,
    programs_for,
    submission_for_user,
    submissions_for,
)


def _reviewer(user) -> None:
    if not role_allows(getattr(user, "role", ""), Action.REVIEW):
        raise PermissionDenied


@login_required
def program_list(request):
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": programs_for(request.user),
            "can_create_program": role_allows(request.user.role, Action.REVIEW),
            "can_load_poverty": role_allows(request.user.role, Action.LOAD_POVERTY),
        },
    )


class PovertyUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Poverty list (.xlsx or .csv)"))
    year = forms.IntegerField(
        label=gettext_lazy("Year of the list"),
        min_value=program_services.POVERTY_YEARS[0],
        max_value=program_services.POVERTY_YEARS[1],
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        choices=[(s, s) for s in program_services.POVERTY_SOURCES],
        initial="DTSEN",
    )


SHOWN_SKIPPED = 500


@login_required
def poverty_upload_view(request):
    """A regency loads its poverty list (DTSEN) from the web: the same reader and service as
    `lindung poverty import`, limited to people of its own regions, with the report on the
    page (how many stored, every skipped row and why)."""
    if not role_allows(request.user.role, Action.LOAD_POVERTY):
        raise PermissionDenied
    report = None
    form = PovertyUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": timezone.localdate().year, "source": "DTSEN"},
    )
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > settings.LINDUNG_UPLOAD_MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            try:
                report = program_services.poverty_upload(
                    actor=request.user,
                    data=file.read(),
                    source=form.cleaned_data["source"],
                    year=form.cleaned_data["year"],
                )
            except ApplicationError as exc:
                form.add_error("file", exc.message)
    return render(
        request,
        "programs/poverty_upload.html",
        {
            "form": form,
            "report": report,
            "skipped": (report or {}).get("skipped", [])[:SHOWN_SKIPPED],
            "more_skipped": max(0, len((report or {}).get("skipped", [])) - SHOWN_SKIPPED),
        },
    )


@login_required
def program_create_view(request):
    from .forms import ProgramForm

    _reviewer(request.user)
    form = ProgramForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            program = program_services.program_create(
                actor=request.user,
                code=d["code"],
                name=d["name"],
                owner_region_code=d["owner_region"],
                coverage_start=d["coverage_start"],
                coverage_end=d["coverage_end"],
                occupation_codes=d["occupations"],
                rules={
                    "age_min": d["age_min"],
                    "age_max_exclusive": d["age_max_exclusive"],
                    "require_poverty_list": d["require_poverty_list"],
                    "poverty_max_decile": d["poverty_max_decile"],
                    "admit_formal_and_not_working": d["admit_formal_and_not_working"],
                },
                funders=[{"kind": d["funder_kind"], "name": d["funder_name"]}],
                legal_basis=d["legal_basis"],
                data_deadline=d["data_deadline"],
                registration_start=d["registration_start"],
                target_workers=d["target_workers"],
                min_per_village=d["min_per_village"],
                wage_basis=d["wage_basis"],
                jht=d["jht"],
            )
            messages.success(request, notices.program_created(program))
            return redirect("programs:program", code=program.code)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return render(request, "programs/program_form.html", {"form": form})


@login_required
def program_detail(request, code: str):
    program = program_for_user(request.user, code)
    if request.method == "POST":
        try:
            submission = program_services.submission_for(
                actor=request.user, program=program, village_code=request.POST.get("village", "")
            )
            messages.success(request, notices.list_opened(submission))
            return redirect("programs:submission", pk=submission.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
    submissions = submissions_for(request.user, program)
    villages = village_choices(
        Region.objects.filter(
            level=4, code__startswith=program.owner_region_id, is_active=True
        ).filter(code__in=_creatable_villages(request.user)),
        blank=None,
    )
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "submissions": submissions,
            "rules": program.rules.order_by("-valid_from").first(),
            "villages": villages,
            "occupations": program.eligible_occupations.all(),
            "funders": program.funders.all(),
            "can_load_poverty": role_allows(request.user.role, Action.LOAD_POVERTY),
            "progress": program_progress(request.user, program),
        },
    )


def _creatable_villages(user):
    from lindung.accounts.scoping import restrict

    return restrict(Region.objects.filter(level=4), user, Action.CREATE).values("code")


# The page's buttons and the state each moves the list to; who may press which comes from the
# one transition table (`services.moves_for`), never from this page.
SUBMISSION_ACTIONS = {
    "submit": "submitted",
    "approve": "approved",
    "return": "returned",
    "verify": "verified",
    "ready": "ready",
}


def _seen_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _submission_action(request, submission, action: str) -> str:
    """Do one button's action on the list; the sentence saying what was done (`notices`)."""
    user = request.user
    on_list = program_services.on_list
    if action in SUBMISSION_ACTIONS:
        moved = program_services.submission_move(
            actor=user,
            submission=submission,
            to=SUBMISSION_ACTIONS[action],
            expected_state=request.POST.get("expected_state", ""),
            version=_seen_version(request),
            notes=request.POST.get("notes", ""),
        )
        people = on_list(moved)
        excluded = people.filter(outcome=Outcome.EXCLUDED).count()
        return notices.moved(moved, people.count() - excluded, excluded)
    if action == "add_upload":
        upload = Upload.objects.get(pk=request.POST.get("upload"), village=submission.village)
        n = program_services.submission_add_upload(actor=user, submission=submission, upload=upload)
        return notices.added(submission, n, on_list(submission).count(), upload.filename)
    if action == "add_all":
        ids = Worker.objects.filter(village_id=submission.village_id).values_list("pk", flat=True)
        n = program_services.submission_add_workers(
            actor=user, submission=submission, worker_ids=list(ids)
        )
        return notices.added(submission, n, on_list(submission).count())
    if action == "identities":
        result = program_services.identities_check(actor=user, submission=submission)
        return notices.identities(submission, result)
    if action == "recheck":
        program_services.submission_recheck(actor=user, submission=submission)
        people = on_list(submission)
        return notices.rechecked(submission, people.filter(eligible=True).count(), people.count())
    if action == "remove":
        n = program_services.people_remove(
            actor=user,
            submission=submission,
            person_ids=parse_ids(request.POST.getlist("person")),
            reason=request.POST.get("remove_reason", ""),
            expected_state=request.POST.get("expected_state", ""),
            version=_seen_version(request),
        )
        return notices.removed(submission, n)
    if action in ("accept", "reject"):
        chosen = parse_ids(request.POST.getlist("person"))
        n = program_services.people_decide(
            actor=user,
            submission=submission,
            person_ids=chosen or None,
            accept=action == "accept",
            reason=request.POST.get("reason", ""),
            expected_state=request.POST.get("expected_state", ""),
            version=_seen_version(request),
        )
        return notices.decided(submission, n, action == "accept")
    raise ApplicationError(_("Unknown action: choose one of the page's buttons."), code="action")


@login_required
def submission_detail(request, pk: int):
    submission = submission_for_user(request.user, pk)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            messages.success(request, _submission_action(request, submission, action))
        except (ApplicationError, Upload.DoesNotExist, ValueError, ValidationError) as exc:
            # ValidationError: an upload id that is not a UUID, sent by hand.
            messages.error(request, getattr(exc, "message", _("Choose a saved upload.")))
        return redirect("programs:submission", pk=submission.pk)
    outcome = request.GET.get("outcome", "")
    eligible = request.GET.get("eligible", "")
    removed = request.GET.get("removed", "") == "yes"
    people = people_of(submission, outcome=outcome, eligible=eligible, removed=removed)
    page = Paginator(people, 100).get_page(request.GET.get("page"))
    access.full_nik_shown(user, page.object_list, what=f"submission #{submission.pk}")
    for person in page.object_list:
        person.nik_shown = masking.nik_for(user, person.worker.village_id, person.worker.nik)
    state = submission.state
    village_can = can(user, Action.CREATE, submission.village_id)
    moves = program_services.moves_for(user, submission)
    return render(
        request,
        "programs/submission_detail.html",
        {
            "submission": submission,
            "counts": submission,
            "page": page,
            "outcome": outcome,
            "eligible": eligible,
            "outcomes": Outcome.choices,
            "states": SubmissionState.choices,
            "can_edit": village_can and state in program_services.EDITABLE,
            "removed": removed,
            "can_remove": can(user, Action.SUBMIT, submission.village_id)
            and state in program_services.EDITABLE,
            "can_submit": SubmissionState.SUBMITTED in moves,
            "can_approve": SubmissionState.APPROVED in moves,
            "can_return": SubmissionState.RETURNED in moves,
            "can_decide": program_services.may_decide_people(user, submission),
            "can_verify": SubmissionState.VERIFIED in moves,
            "can_ready": SubmissionState.READY in moves,
            # A step the role may take but the four-eyes rule forbids: say why, not a button.
            "own_list": program_services.blocked_as_submitter(user, submission),
            "identities_note": notices.identities_last(
                program_services.identities_last(submission)
            ),
            "dukcapil_configured": dukcapil.configured(),
            "uploads": Upload.objects.filter(village=submission.village, status="committed")[:20]
            if village_can
            else [],
        },
    )
