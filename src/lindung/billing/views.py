from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.roles import Action
from lindung.accounts.scoping import can
from lindung.common.errors import ApplicationError

from .forms import BudgetForm
from .planner import FUNDERS, parse_funder, parse_month
from .selectors import funder_for_planner, program_budget, program_defaults, program_for_planner
from .services import PUBLIC_BUDGET_KINDS, funder_discounts_set

KIND_TO_FUNDER = {kind: name for name, kind in FUNDERS.items()}


@login_required
def program_budget_page(request, code: str):
    """The planner on a program: prefilled from the program, recomputed on every submit."""
    program = program_for_planner(request.user, code)
    d = program_defaults(program, request.user)
    initial = {
        "workers": d["workers"],
        "months": d["months"],
        "start": f"{d['start']:%Y-%m}",
        "wage": d["wage"],
        "components": list(d["components"]),
        "funder": KIND_TO_FUNDER.get(d["funder"], "mandiri"),
        "sector": d["sector"],
    }
    form = BudgetForm(request.GET if "workers" in request.GET else initial)
    result = None
    if form.is_valid():
        c = form.cleaned_data
        try:
            result = program_budget(
                request.user,
                program,
                workers=c["workers"],
                months=c["months"],
                start=parse_month(c["start"]),
                wage=c["wage"],
                components=tuple(c["components"]),
                funder=parse_funder(c["funder"]),
                sector=c["sector"],
                budget=c["budget"],
            )
        except ApplicationError as exc:
            field = next(iter(exc.fields), None)
            form.add_error(field if field in form.fields else None, exc.message)
    return render(
        request,
        "billing/program_budget.html",
        {
            "program": program,
            "form": form,
            "result": result,
            "funders": program.funders.all(),
            "public_budget_kinds": PUBLIC_BUDGET_KINDS,
            "can_change": can(request.user, Action.CHANGE, program.owner_region_id),
        },
        # A refused plan is the user's input to fix (400), shown on the same page.
        status=200 if result is not None else 400,
    )


@login_required
@require_POST
def funder_discounts_view(request, pk: int):
    """Switch a village-fund or CSR funder's PP 50/2025 setting (regency admins)."""
    funder = funder_for_planner(request.user, pk, Action.CHANGE)
    try:
        funder_discounts_set(actor=request.user, funder=funder, on=request.POST.get("on") == "1")
        messages.success(request, _("Saved."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("billing:program_budget", code=funder.program.code)
