"""Coverage dashboards and their reports (thin: `dashboard.py` reads, `reports.py` draws).

Every page and file is reached through a region code and answers 404 for a region outside the
user's scope, exactly as for one that does not exist (`figures.region_code`). Filters and the
period are checked in `dashboard.parse_filters` / `parse_day`: hostile values are ignored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from lindung.common.errors import ApplicationError
from lindung.programs.models import FunderKind
from lindung.programs.selectors import programs_for
from lindung.regions.models import canonical
from lindung.registry.models import OccupationGroup

from . import dashboard, reports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRAM_CHOICES = 200  # the filter lists at most this many programs (a national scope)


def _context(request, code: str) -> dict:
    user = request.user
    day = dashboard.parse_day(request.GET.get("date"))
    filters = dashboard.parse_filters(user, request.GET)
    return dashboard.dashboard(user, code, day, filters)


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def dashboard_home(request):
    return redirect(dashboard.dashboard_url(dashboard.default_code(request.user)))


@login_required
@require_GET
def dashboard_page(request, code: str):
    ctx = _context(request, code)
    ctx["charts"] = dashboard.charts_for(ctx)
    ctx["programs"] = list(
        programs_for(request.user).order_by("name").values_list("pk", "name")[:PROGRAM_CHOICES]
    )
    ctx["funder_kinds"] = FunderKind.choices
    ctx["occupation_groups"] = OccupationGroup.choices
    ctx["query"] = request.GET.urlencode()
    return render(request, "coverage/dashboard.html", ctx)


@login_required
@require_GET
def report_xlsx(request, code: str):
    ctx = _context(request, code)
    return _file(reports.dashboard_xlsx(ctx), XLSX, f"cakupan-{ctx['url_code']}.xlsx")


@login_required
@require_GET
def report_pdf(request, code: str):
    ctx = _context(request, code)
    return _file(reports.dashboard_pdf(ctx), "application/pdf", f"cakupan-{ctx['url_code']}.pdf")


@login_required
@require_GET
def summary_pdf(request, code: str):
    """The one-page summary is a regency's (a Bupati's): other levels have none."""
    ctx = _context(request, code)
    if ctx["level"] != 2:
        raise Http404
    ctx["arrears"] = reports.arrears_total(request.user, ctx["code"], ctx["day"])
    ctx["under_minimum"] = reports.villages_under_minimum(request.user, ctx)
    return _file(reports.summary_pdf(ctx), "application/pdf", f"ringkasan-{ctx['url_code']}.pdf")


@login_required
@require_GET
def participants_file(request, code: str, fmt: str):
    """Who is protected in one village, as XLSX or PDF (personal data: masked per role,
    and every export audited)."""
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    user = request.user
    day = dashboard.parse_day(request.GET.get("date"))
    try:
        listing = reports.participant_list(user, code, day)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(dashboard.dashboard_url(canonical(code)))
    content = reports.participants_export(actor=user, listing=listing, fmt=fmt)
    name = f"peserta-{listing['code']}.{fmt}"
    return _file(content, XLSX if fmt == "xlsx" else "application/pdf", name)
