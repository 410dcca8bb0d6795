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
