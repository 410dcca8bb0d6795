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
from .rates import rupiah
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


# Invoices and payments (issue 9 §4): thin views over `invoicing` and the selectors.


def _month(text: str):
    from .planner import parse_month

    return parse_month((text or "").strip())


@login_required
def program_invoices_page(request, code: str):
    """A program's invoices; regency admins issue a funder's month here (POST)."""
    from .invoicing import ISSUE_ACTION, invoice_issue
    from .selectors import invoices_for

    program = program_for_planner(request.user, code)
    may_bill = can(request.user, ISSUE_ACTION, program.owner_region_id)
    status = 200
    if request.method == "POST":
        if not may_bill:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            funder = program.funders.filter(pk=int(request.POST.get("funder") or 0)).first()
            if funder is None:
                raise ApplicationError(_("Choose a funder of this program."), code="funder")
            invoice = invoice_issue(
                actor=request.user, funder_id=funder.pk, month=_month(request.POST.get("month"))
            )
            messages.success(
                request,
                _("Invoice for %(month)s issued: %(n)s participants, %(total)s.")
                % {
                    "month": f"{invoice.month:%m-%Y}",
                    "n": invoice.participants,
                    "total": rupiah(invoice.total),
                },
            )
            return redirect("billing:invoice", pk=invoice.pk)
        except (ApplicationError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
            status = getattr(exc, "status", 400)
    return render(
        request,
        "billing/invoices.html",
        {
            "program": program,
            "invoices": invoices_for(request.user, program),
            "funders": program.funders.all(),
            "may_bill": may_bill,
        },
        status=status,
    )


@login_required
def invoice_page(request, pk: int):
    """One invoice: totals per village and component, payments; regency admins record one."""
    import datetime as dt

    from .invoicing import PAY_ACTION, payment_record
    from .models import Payment
    from .selectors import invoice_for_user, invoice_paid, invoice_totals

    invoice = invoice_for_user(request.user, pk)
    may_bill = can(request.user, PAY_ACTION, invoice.region_id)
    status = 200
    if request.method == "POST":
        if not may_bill:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            amount_text = (request.POST.get("amount") or "").replace(".", "").strip()
            if not amount_text.isdecimal() or len(amount_text) > 15:
                raise ApplicationError(
                    _("The amount must be a whole rupiah amount from Rp1 to Rp10.000.000.000.000."),
                    code="invalid_amount",
                )
            try:
                paid_on = dt.date.fromisoformat(request.POST.get("paid_on") or "")
                months = int(request.POST.get("months") or 1)
            except ValueError as exc:
                raise ApplicationError(
                    _("Give the payment date and the number of months."), code="invalid"
                ) from exc
            payment = payment_record(
                actor=request.user,
                funder_id=invoice.funder_id,
                reference=request.POST.get("reference", ""),
                amount=int(amount_text),
                paid_on=paid_on,
                first_month=invoice.month,
                months=months,
            )
            messages.success(
                request,
                _("Payment %(ref)s recorded: %(alloc)s paid, %(credit)s credited forward.")
                % {
                    "ref": payment.reference,
                    "alloc": rupiah(payment.allocated),
                    "credit": rupiah(payment.credit),
                },
            )
            return redirect("billing:invoice", pk=invoice.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = exc.status
    return render(
        request,
        "billing/invoice.html",
        {
            "invoice": invoice,
            "program": invoice.program,
            "totals": invoice_totals(invoice),
            **_pay_state(invoice, invoice_paid(invoice)),
            "payments": Payment.objects.filter(funder=invoice.funder).order_by("-paid_on", "-id")[
                :50
            ],
            "may_bill": may_bill,
            "today": dt.date.today().isoformat(),
        },
        status=status,
    )


def _pay_state(invoice, paid: int) -> dict:
    from .arrears import PAY_STATE_WORDS, pay_state

    state = pay_state(invoice.total, paid)
    return {
        "paid": paid,
        "owed": max(invoice.total - paid, 0),
        "pay_state": state,
        "pay_state_words": PAY_STATE_WORDS[state],
    }


@login_required
def invoice_export(request, pk: int, kind: str):
    """ "Rekap iuran per desa" as XLSX or PDF (village totals only: no personal data)."""
    from django.http import HttpResponse

    from .exports import invoice_pdf, invoice_xlsx
    from .selectors import invoice_for_user, invoice_totals

    if kind not in ("xlsx", "pdf"):
        from django.http import Http404

        raise Http404
    invoice = invoice_for_user(request.user, pk)
    totals = invoice_totals(invoice)
    name = f"rekap-iuran-{invoice.program.code.replace('/', '-')}-{invoice.month:%Y-%m}"
    if kind == "pdf":
        response = HttpResponse(invoice_pdf(invoice, totals), content_type="application/pdf")
    else:
        response = HttpResponse(
            invoice_xlsx(invoice, totals),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


# Arrears (issue 9 §4): per funder and village on a date, one village's people, and XLSX.


def _arrears_context(request, code: str) -> dict:
    import datetime as dt

    from lindung.accounts.masking import name_for, nik_for
    from lindung.enrolment.models import Participant

    from .arrears import funder_arrears
    from .protection import ARREARS_CITATION, ARREARS_MAX_MONTHS

    program = program_for_planner(request.user, code)
    text = (request.GET.get("tanggal") or "").strip()
    try:
        on = dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        raise ApplicationError(
            _("Give the date as YYYY-MM-DD."), code="invalid_date", fields={"tanggal": []}
        ) from None
    village = (request.GET.get("desa") or "").strip()[:13]
    funders, people_rows = [], []
    for funder in program.funders.all().order_by("pk"):
        summary, people = funder_arrears(funder, on)
        funders.append(summary)
        if not village:
            continue
        in_village = {p.pk: p for p in Participant.objects.filter(
            pk__in=list(people), village_id=village).select_related("worker")}  # fmt: skip
        for pid, person in people.items():
            p = in_village.get(pid)
            if p is None:
                continue
            people_rows.append({
                "funder": funder.name,
                "name": name_for(request.user, village, p.worker.name),
                "nik": nik_for(request.user, village, p.worker.nik),
                "months": person.months,
                "owed": person.owed,
                "run": person.run,
                "beyond_limit": person.beyond_limit,
            })  # fmt: skip
    people_rows.sort(key=lambda r: (-r["run"], r["name"]))
    return {
        "program": program,
        "on": on,
        "funders": funders,
        "village": village,
        "village_name": next(
            (v.name for f in funders for v in f.villages if v.code == village), village
        ),
        "people": people_rows,
        # Funders owing nothing in one line: a village-fund program has a funder per village.
        "paid_up": [f.funder for f in funders if not f.months],
        "limit": ARREARS_MAX_MONTHS,
        "citation": ARREARS_CITATION,
    }


@login_required
def program_arrears_page(request, code: str):
    """A program's arrears on a date: per funder and village; `?desa=` lists that village's
    people with their unpaid months (four or more in a row: no longer protected)."""
    try:
        context = _arrears_context(request, code)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("billing:program_arrears", code=code)
    return render(request, "billing/arrears.html", context)


@login_required
def program_arrears_export(request, code: str):
    """The same as XLSX: funders, villages and (with `?desa=`) the village's people, masked
    as the page masks them."""
    from django.http import HttpResponse

    from .exports import arrears_xlsx

    try:
        context = _arrears_context(request, code)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("billing:program_arrears", code=code)
    name = f"tunggakan-{context['program'].code.replace('/', '-')}-{context['on']:%Y-%m-%d}"
    if context["village"]:
        name += f"-{context['village']}"
    response = HttpResponse(
        arrears_xlsx(context),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
