from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts import masking
from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import can, restrict
from lindung.audit import access
from lindung.common.errors import ApplicationError
from lindung.regions.fields import village_choices
from lindung.regions.models import Level, Region, canonical

from . import leases, notices
from .selectors import rows_of, upload_for_user, uploads_for
from .services import (
    upload_cancel,
    upload_commit,
    upload_receive,
    upload_recheck,
    upload_stage,
    uploads_expire,
)
from .spreadsheets import annotated_file, template_xlsx
from .tasks import queue_check, queue_commit

# Above this many rows a commit runs in the background worker.
BACKGROUND_COMMIT_ROWS = 20_000


def _villages(user):
    return restrict(Region.objects.filter(level=Level.VILLAGE, is_active=True), user, Action.CREATE)


class UploadForm(forms.Form):
    village = forms.CharField(label=gettext_lazy("Village"))
    file = forms.FileField(label=gettext_lazy("Worker list (.xlsx or .csv)"))


@login_required
def upload_list(request):
    villages = _villages(request.user)
    few = villages.count() <= 1500
    if request.method == "POST":
        if not role_allows(request.user.role, Action.CREATE):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            file = form.cleaned_data["file"]
            if file.size > settings.LINDUNG_UPLOAD_MAX_BYTES:
                form.add_error("file", _("The file is too large."))
            else:
                try:
                    upload = _receive_and_check(request, file, form.cleaned_data["village"])
                    if upload.status == "staged":
                        messages.success(request, notices.checked(upload))
                    elif upload.status == "received":
                        messages.info(request, notices.queued(upload))
                    return redirect("intake:detail", pk=upload.pk)
                except ApplicationError as exc:
                    form.add_error("file", exc.message)
    else:
        form = UploadForm()
    uploads_expire()
    page = Paginator(uploads_for(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/upload_list.html",
        {
            "form": form,
            "page": page,
            "villages": village_choices(villages, blank=None) if few else None,
            "can_upload": role_allows(request.user.role, Action.CREATE),
        },
        # A refused file is a client error: the form comes back with the reason, as a 400.
        status=400 if form.is_bound and form.errors else 200,
    )


def _receive_and_check(request, file, village_code: str):
    """Small files are checked right away; large ones by the background worker (the detail
    page then shows progress until the result is ready)."""
    data = file.read()
    if len(data) <= settings.LINDUNG_INLINE_CHECK_BYTES:
        return upload_stage(
            actor=request.user, data=data, filename=file.name, village_code=village_code
        )
    upload = upload_receive(
        actor=request.user, data=data, filename=file.name, village_code=village_code
    )
    queue_check(upload, request.user, get_language() or "id")
    return upload


@login_required
def template_download(request, code: str):
    village = (
        restrict(Region.objects.filter(level=Level.VILLAGE), request.user)
        .filter(code=canonical(code))
        .select_related("parent")
        .first()
    )
    if village is None:
        raise Http404
    response = HttpResponse(
        template_xlsx(village),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"templat-pekerja-{village.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def upload_detail(request, pk):
    uploads_expire()
    upload = upload_for_user(request.user, pk)
    can_write = can(request.user, Action.CREATE, upload.village_id)
    status = request.GET.get("status", "problems")
    rows = Paginator(rows_of(upload, status).order_by("row_number"), 100).get_page(
        request.GET.get("page")
    )
    for row in rows.object_list:
        # The file belongs to the upload's village: its rows follow that village's policy.
        row.nik_shown = masking.nik_for(request.user, upload.village_id, row.nik)
        # Name each problem's column as the operator's own header calls it ("Tgl Lahir").
        row.problems = [
            (
                upload.header_map.get(e["column"], e["column"]),
                masking.text_for(request.user, upload.village_id, e["message"]),
            )
            for e in row.errors
        ]
    access.upload_rows_shown(request.user, upload, rows.object_list, what="upload page")
    busy, step = leases.is_busy(upload), leases.next_step(upload)
    # The progress box polls this page; it always gets the box back. Once the work has ended
    # (or stalled) the box carries its outcome, and when the work is done htmx reloads the
    # whole page (HX-Refresh) so the counts and buttons appear without a manual reload.
    # Answering the poll with the full page instead would leave htmx nothing to select: the
    # box vanished and the page stayed on "Received".
    template = "intake/_progress.html" if request.htmx else "intake/upload_detail.html"
    response = render(
        request,
        template,
        {
            "upload": upload,
            "rows": rows,
            "status": status,
            "stalled": bool(step),
            "next_step": step,
            "can_commit": upload.status == "staged" and not busy and can_write,
            "can_cancel": upload.status == "staged" and not busy and can_write,
            # Nothing to save (every row refused, duplicate or already registered): a sentence
            # instead of a "Save 0 rows" button.
            "to_save": upload.counts.get("accepted", 0) + upload.counts.get("updated", 0),
            "staged_hours": settings.LINDUNG_UPLOAD_STAGED_HOURS,
            "can_recheck": can_write
            and not busy
            and upload.status != "committed"
            and (upload.status in ("staged", "failed") or bool(step)),
        },
    )
    if request.htmx and not upload.progress:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def upload_commit_view(request, pk):
    upload = upload_for_user(request.user, pk, Action.CREATE)
    if leases.is_busy(upload):
        messages.error(
            request, _("This upload is being checked or saved right now. Wait until it is done.")
        )
        return redirect("intake:detail", pk=upload.pk)
    if upload.counts.get("rows", 0) > BACKGROUND_COMMIT_ROWS:
        queue_commit(upload, request.user, get_language() or "id")
        messages.info(request, notices.queued(upload))
        return redirect("intake:detail", pk=upload.pk)
    try:
        upload = upload_commit(actor=request.user, upload=upload)
        messages.success(request, notices.committed(upload))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=upload.pk)


@login_required
@require_POST
def upload_cancel_view(request, pk):
    upload = upload_for_user(request.user, pk, Action.CREATE)
    try:
        upload_cancel(actor=request.user, upload=upload)
        messages.success(request, notices.cancelled(upload))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=upload.pk)


@login_required
@require_POST
def upload_recheck_view(request, pk):
    upload = upload_for_user(request.user, pk, Action.CREATE)
    try:
        if upload.size > settings.LINDUNG_INLINE_CHECK_BYTES:
            # Large files are checked by the background worker, as on upload.
            if leases.is_busy(upload):
                raise ApplicationError(
                    _("This upload is being checked or saved right now. Wait until it is done.")
                )
            queue_check(upload, request.user, get_language() or "id")
            messages.info(request, notices.queued(upload))
        else:
            upload = upload_recheck(actor=request.user, upload=upload)
            messages.success(request, notices.checked(upload))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=upload.pk)


@login_required
def annotated_download(request, pk):
    upload = upload_for_user(request.user, pk)
    if not upload.stored_path:
        raise Http404
    try:
        content, name, content_type = annotated_file(
            upload,
            get_language() or "id",
            mask=masking.cell_masker(request.user, upload.village_id),
        )
    except ApplicationError as exc:
        # No file to give (refused upload, not checked yet): the upload's page says why.
        messages.error(request, exc.message)
        response = upload_detail(request, pk)
        response.status_code = 409
        return response
    access.upload_rows_shown(request.user, upload, upload.rows.all(), what="annotated file")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
