from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts import masking
from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import can, restrict
from lindung.audit import access
from lindung.audit.labels import in_words
from lindung.audit.selectors import history_of
from lindung.audit.services import diff, snapshot
from lindung.common.errors import ApplicationError
from lindung.regions.fields import village_choices
from lindung.regions.models import Level, Region

from . import notices, services
from .forms import MAX_VILLAGE_CHOICES, HeirFormSet, WorkerForm, heir_inputs, put_errors
from .models import LifeStatus, Occupation
from .selectors import worker_for_user
from .selectors import worker_list as select_workers
from .services import WORKER_AUDITED


@login_required
def worker_list(request):
    params = {k: request.GET.get(k, "") for k in ("q", "village", "occupation")}
    workers = select_workers(request.user, **params)
    page = Paginator(workers, settings.LINDUNG_PAGE_SIZE).get_page(request.GET.get("page"))
    access.nik_searched(request.user, params["q"], workers)
    context = {
        "page": page,
        "params": params,
        "occupations": Occupation.objects.filter(is_active=True),
    }
    if not request.htmx:
        villages = restrict(
            Region.objects.filter(level=Level.VILLAGE, is_active=True), request.user
        )
        # A drop-down while it stays usable; past that the code is typed.
        few = villages.count() <= MAX_VILLAGE_CHOICES
        context["villages"] = village_choices(villages, blank=None) if few else None
    # htmx live search swaps just the results.
    template = "registry/_worker_table.html" if request.htmx else "registry/worker_list.html"
    return render(request, template, context)


def _occupation_shown(occupations: dict):
    """Occupation ids in a worker's history read as the occupation's name."""

    def shown(key: str, value):
        if key == "occupation" and value not in (None, ""):
            return occupations.get(value) or occupations.get(str(value)) or str(value)
        return None

    return shown


def _history(user, worker) -> list:
    """The worker's audit events in words (the one label registry, `audit.labels`), each
    changed field as (label, before, after), the values masked for this reader by the one
    policy (`masking.event_for`)."""
    occupations = {o.pk: str(o) for o in Occupation.objects.all()}
    shown = _occupation_shown(occupations)
    return [in_words(masking.event_for(user, e), shown) for e in history_of(user, worker)]


def _origin(user, worker) -> dict | None:
    """Where an import registered the worker (their history's first entry): file, row, who
    uploaded it and when it was saved; the file name masked like any free text."""
    if worker.source_upload_id is None:
        return None
    from lindung.intake.models import Upload

    upload = Upload.objects.filter(pk=worker.source_upload_id).select_related("uploaded_by").first()
    by = upload.uploaded_by if upload is not None else None
    return {
        "file": masking.text_for(user, worker.village_id, upload.filename if upload else "—"),
        "row": worker.source_row,
        "by": by.get_username() if by is not None else "",
        "at": (upload.committed_at if upload is not None else None) or worker.created_at,
        "upload": upload.pk
        if upload is not None and can(user, Action.VIEW, upload.village_id)
        else None,
    }


@login_required
def worker_detail(request, pk: int):
    worker = worker_for_user(request.user, pk)
    user, region = request.user, worker.village_id
    access.full_nik_shown(user, [worker], what=f"worker page #{worker.pk}")
    return render(
        request,
        "registry/worker_detail.html",
        {
            "worker": worker,
            "nik_shown": masking.nik_for(user, region, worker.nik),
            "kk_shown": masking.kk_for(user, region, worker.kk_number),
            "phone_shown": masking.phone_for(user, region, worker.phone),
            "phone_is_masked": not masking.sees_pii(user, region),
            "heirs": [(h, masking.nik_for(user, region, h.nik)) for h in worker.heirs.all()],
            "origin": _origin(user, worker),
            "history": _history(user, worker),
            "can_change": can(request.user, Action.CHANGE, worker.village_id),
            "can_delete": can(request.user, Action.DELETE, worker.village_id),
            "life_statuses": LifeStatus.choices,
        },
    )


def _heir_initial(worker):
    return [
        {
            "id": h.pk,
            "name": h.name,
            "relationship": h.relationship,
            "nik": h.nik,
            "birth_date": h.birth_date,
            "phone": h.phone,
        }
        for h in worker.heirs.all()
    ]


def _save(request, form, formset, write):
    if form.is_valid() and formset.is_valid():
        try:
            return write(form.to_input(), heir_inputs(formset))
        except ApplicationError as exc:
            put_errors(form, formset, exc.fields)
            if not exc.fields:
                form.add_error(None, exc.message)
    return None


@login_required
def worker_create(request):
    if not role_allows(request.user.role, Action.CREATE):
        raise PermissionDenied
    form = WorkerForm(request.POST or None, user=request.user)
    formset = HeirFormSet(request.POST or None, prefix="heirs")
    if request.method == "POST":
        worker = _save(
            request,
            form,
            formset,
            lambda data, heirs: services.worker_create(actor=request.user, data=data, heirs=heirs),
        )
        if worker:
            messages.success(request, notices.created(worker))
            return redirect("registry:detail", pk=worker.pk)
    return render(request, "registry/worker_form.html", {"form": form, "formset": formset})


@login_required
def worker_edit(request, pk: int):
    worker = worker_for_user(request.user, pk, Action.CHANGE)
    initial = {
        "nik": worker.nik,
        "name": worker.name,
        "kk_number": worker.kk_number,
        "birth_place": worker.birth_place,
        "birth_date": worker.birth_date,
        "sex": worker.sex,
        "village": worker.village_id,
        "address": worker.address,
        "phone": worker.phone,
        "occupation": worker.occupation.code,
        "monthly_income": worker.monthly_income,
    }
    before = snapshot(worker, WORKER_AUDITED)
    form = WorkerForm(request.POST or None, initial=initial, user=request.user)
    formset = HeirFormSet(request.POST or None, initial=_heir_initial(worker), prefix="heirs")
    if request.method == "POST":
        saved = _save(
            request,
            form,
            formset,
            lambda data, heirs: services.worker_update(
                actor=request.user, worker=worker, data=data, heirs=heirs
            ),
        )
        if saved:
            changed = list(diff(before, snapshot(saved, WORKER_AUDITED)))
            messages.success(request, notices.updated(saved, changed, saved.heirs.count()))
            return redirect("registry:detail", pk=worker.pk)
    return render(
        request, "registry/worker_form.html", {"form": form, "formset": formset, "worker": worker}
    )


@login_required
@require_POST
def worker_delete(request, pk: int):
    worker = worker_for_user(request.user, pk, Action.DELETE)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Write why this worker is removed."))
        return redirect("registry:detail", pk=worker.pk)
    try:
        services.worker_delete(actor=request.user, worker=worker, reason=reason)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("registry:detail", pk=worker.pk)
    messages.success(request, notices.deleted(worker))
    return redirect("registry:list")


@login_required
@require_POST
def worker_mark(request, pk: int):
    """Moved away, deceased, or back in the village: a status with date and reason."""
    worker = worker_for_user(request.user, pk, Action.CHANGE)
    try:
        since = (
            dt.date.fromisoformat(request.POST.get("since", ""))
            if request.POST.get("since")
            else None
        )
        services.worker_mark(
            actor=request.user,
            worker=worker,
            status=request.POST.get("status", ""),
            since=since,
            reason=request.POST.get("reason", ""),
        )
    except ValueError:
        messages.error(request, _("Write the date as dd-mm-yyyy."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        worker.refresh_from_db()
        messages.success(request, notices.marked(worker))
    return redirect("registry:detail", pk=worker.pk)
