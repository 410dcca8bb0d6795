"""Budget planner over the API: the same JSON as `lindung budget --json`."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from lindung.common.api import answers
from lindung.common.inputs import MAX_BIGINT, Id, Text

from .planner import (
    MAX_MONTHS,
    MAX_WAGE,
    MAX_WORKERS,
    parse_components,
    parse_funder,
    parse_month,
    plan,
)
from .rates import Payer
from .selectors import program_budget, program_defaults, program_for_planner, ruleset

router = Router(tags=["billing"])
FunderName = Literal["apbd", "apbd-perubahan", "apbd-provinsi", "apbdes", "csr", "mandiri"]


class BudgetIn(Schema):
    workers: int = Field(..., ge=0, le=MAX_WORKERS)
    months: int = Field(..., ge=1, le=MAX_MONTHS)
    start: str = Field(..., pattern=r"^\d{4}-\d{2}$", description="first contribution month")
    wage: int = Field(1_000_000, ge=1, le=MAX_WAGE, description="declared income (Rp)")
    components: Text(20) = "jkk,jkm"
    funder: FunderName = "mandiri"
    sector: Literal["transport", "other"] = "other"
    funder_discounts: bool = False
    budget: int | None = Field(None, ge=0, le=MAX_BIGINT)


class ProgramBudgetIn(Schema):
    """Every input defaults to what the program states (target, period, wage, components,
    first funder)."""

    workers: int | None = Field(None, ge=0, le=MAX_WORKERS)
    months: int | None = Field(None, ge=1, le=MAX_MONTHS)
    start: str | None = Field(None, pattern=r"^\d{4}-\d{2}$")
    wage: int | None = Field(None, ge=1, le=MAX_WAGE)
    components: Text(20) | None = None
    funder: FunderName | None = None
    sector: Literal["transport", "other"] = "other"
    budget: int | None = Field(None, ge=0, le=MAX_BIGINT)


class MonthOut(Schema):
    month: str
    per_worker: int
    total: int
    jkk: int
    jkm: int
    jht: int
    discount: int
    due_date: str | None


class RuleOut(Schema):
    code: str
    citation: str


class BudgetOut(Schema):
    workers: int
    months: int
    start: str
    wage: int
    components: list[str]
    funder: str
    sector: str
    per_worker_month: int
    per_worker_period: int
    total: int
    by_component: dict[str, int]
    discount: int
    by_month: list[MonthOut]
    rules: list[RuleOut]
    budget: int | None = None
    workers_covered: int | None = None


class ProgramBudgetOut(BudgetOut):
    program: str
    # {"workers", "total", "by_village": [{village, name, workers, total}],
    #  "by_funder": [{funder, kind, workers, total, budget, workers_covered?}]}
    lists: dict


@router.get("/budget", response=answers({200: BudgetOut}), summary="Plan a contribution budget")
def budget(request, q: Query[BudgetIn]):
    return plan(
        ruleset(),
        workers=q.workers,
        months=q.months,
        start=parse_month(q.start),
        wage=q.wage,
        components=parse_components(q.components),
        payer=Payer(kind=parse_funder(q.funder), discounts_apply=q.funder_discounts),
        sector=q.sector,
        budget=q.budget,
    )


@router.get(
    "/programs/{code}/budget",
    response=answers({200: ProgramBudgetOut}),
    summary="A program's budget, by component, month, funder and village",
)
def program_budget_view(request, code: Text(40), q: Query[ProgramBudgetIn]):
    program = program_for_planner(request.auth, code)
    d = program_defaults(program, request.auth)
    return program_budget(
        request.auth,
        program,
        workers=d["workers"] if q.workers is None else q.workers,
        months=q.months or d["months"],
        start=parse_month(q.start) if q.start else d["start"],
        wage=q.wage or d["wage"],
        components=parse_components(q.components) if q.components else d["components"],
        funder=parse_funder(q.funder) if q.funder else d["funder"],
        sector=q.sector,
        budget=q.budget,
    )


class DiscountsIn(Schema):
    on: bool


class FunderOut(Schema):
    id: int
    kind: str
    name: str
    discounts_apply: bool


@router.post(
    "/funders/{funder_id}/discounts",
    response=answers({200: FunderOut}),
    summary="Switch a village-fund or CSR funder's self-payer discount (PP 50/2025)",
)
def funder_discounts(request, funder_id: Id, payload: DiscountsIn):
    from lindung.accounts.roles import Action

    from .selectors import funder_for_planner
    from .services import funder_discounts_set

    funder = funder_for_planner(request.auth, funder_id, Action.CHANGE)
    return funder_discounts_set(actor=request.auth, funder=funder, on=payload.on)


# Invoices, payments, arrears and the one "protected on date D?" answer (issue 9 §4).


class InvoiceIn(Schema):
    funder_id: Id
    month: str = Field(..., pattern=r"^\d{4}-\d{2}$", description="contribution month")


class InvoiceOut(Schema):
    id: int
    program: str
    funder_id: int
    funder: str
    month: str
    due_date: str
    holidays_known: bool
    participants: int
    jkk: int
    jkm: int
    jht: int
    discount: int
    total: int
    paid: int
    pay_state: str = Field(description="paid | partly_paid | unpaid")
    rules: list[RuleOut]
    refused: list[dict]


class InvoiceDetailOut(InvoiceOut):
    total_words: str
    villages: list[dict]


class PaymentIn(Schema):
    funder_id: Id
    reference: Text(60, min_length=1)
    amount: int = Field(..., ge=1, le=10**13, description="whole rupiah")
    paid_on: str = Field(..., pattern=r"^\d{4}-\d{2}-\d{2}$")
    first_month: str = Field(..., pattern=r"^\d{4}-\d{2}$")
    months: Literal[1, 2, 3, 6, 12] = 1


class PaymentOut(Schema):
    id: int
    reference: str
    amount: int
    paid_on: str
    months: list[str]
    allocated: int
    credit: int
    participant_months: int


class ProtectionOut(Schema):
    nik: str
    date: str
    status: str
    program: str | None
    kpj_masked: str | None
    reason: str
    citation: str
    arrears_months: list[str]
    arrears_amount: int | None


def _day(text: str, field: str):
    import datetime as dt

    from lindung.common.errors import ApplicationError

    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ApplicationError(
            f"{field}: YYYY-MM-DD", code="invalid_date", fields={field: ["YYYY-MM-DD"]}
        ) from exc


def _invoice_out(invoice) -> dict:
    from .arrears import pay_state
    from .selectors import invoice_paid

    paid = invoice_paid(invoice)
    return {
        "id": invoice.pk,
        "program": invoice.program.code,
        "funder_id": invoice.funder_id,
        "funder": invoice.funder.name,
        "month": f"{invoice.month:%Y-%m}",
        "due_date": invoice.due_date.isoformat(),
        "holidays_known": invoice.holidays_known,
        "participants": invoice.participants,
        "jkk": invoice.jkk,
        "jkm": invoice.jkm,
        "jht": invoice.jht,
        "discount": invoice.discount,
        "total": invoice.total,
        "paid": paid,
        "pay_state": pay_state(invoice.total, paid),
        "rules": invoice.rules,
        "refused": invoice.refused,
    }


@router.get(
    "/programs/{code}/invoices",
    response=answers({200: list[InvoiceOut]}),
    summary="A program's invoices, newest month first",
)
def program_invoices(request, code: Text(40)):
    from .selectors import invoices_for

    program = program_for_planner(request.auth, code)
    return [_invoice_out(i) for i in invoices_for(request.auth, program)]


@router.get(
    "/invoices/{invoice_id}",
    response=answers({200: InvoiceDetailOut}),
    summary="One invoice with its totals per village and component",
)
def invoice_detail(request, invoice_id: Id):
    from .planner import terbilang_rupiah
    from .selectors import invoice_for_user, invoice_totals

    invoice = invoice_for_user(request.auth, invoice_id)
    return {
        **_invoice_out(invoice),
        "total_words": terbilang_rupiah(invoice.total),
        "villages": invoice_totals(invoice)["villages"],
    }


@router.post(
    "/invoices",
    response=answers({201: InvoiceDetailOut}, 409),
    summary="Issue a funder's invoice for a contribution month (once)",
)
def invoice_create(request, payload: InvoiceIn):
    from .invoicing import invoice_issue
    from .selectors import funder_for_planner

    # 404 out of scope, 403 for other roles; the service checks the right to bill itself.
    funder = funder_for_planner(request.auth, payload.funder_id)
    invoice = invoice_issue(
        actor=request.auth, funder_id=funder.pk, month=parse_month(payload.month)
    )
    return 201, invoice_detail(request, invoice.pk)


@router.post(
    "/payments",
    response=answers({201: PaymentOut}, 409),
    summary="Record a funder's payment (1 month, or 2/3/6/12 in advance)",
)
def payment_create(request, payload: PaymentIn):
    from .invoicing import payment_record
    from .selectors import funder_for_planner

    funder = funder_for_planner(request.auth, payload.funder_id)
    payment = payment_record(
        actor=request.auth,
        funder_id=funder.pk,
        reference=payload.reference,
        amount=payload.amount,
        paid_on=_day(payload.paid_on, "paid_on"),
        first_month=parse_month(payload.first_month),
        months=payload.months,
    )
    from .rates import add_months

    return 201, {
        "id": payment.pk,
        "reference": payment.reference,
        "amount": payment.amount,
        "paid_on": payment.paid_on.isoformat(),
        "months": [f"{add_months(payment.first_month, i):%Y-%m}" for i in range(payment.months)],
        "allocated": payment.allocated,
        "credit": payment.credit,
        "participant_months": payment.allocations.count(),
    }


@router.get(
    "/funders/{funder_id}/arrears",
    response=answers({200: dict}),
    summary="A funder's arrears on a date: totals and per participant-month",
)
def funder_arrears(request, funder_id: Id, date: Text(10)):
    from .selectors import arrears_by_funder, arrears_by_participant, funder_for_planner

    funder = funder_for_planner(request.auth, funder_id)
    day = _day(date, "date")
    return {
        **arrears_by_funder(funder, day),
        "date": day.isoformat(),
        "participant_months": arrears_by_participant(funder, day)[:1000],
    }


@router.get(
    "/protection/{nik}",
    response=answers({200: ProtectionOut}),
    summary="Was this person protected on a date, under which program, and how?",
)
def protection(request, nik: Text(16), date: Text(10)):
    from .protection import protection_for

    return protection_for(request.auth, nik, _day(date, "date"))
