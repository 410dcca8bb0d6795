"""Reading the rule tables and the lists a budget is planned from, region-scoped."""

from __future__ import annotations

from django.db.models import Count, Q

from lindung.accounts.scoping import region_q
from lindung.programs.models import Funder, Outcome, Program, SubmissionPerson

from .models import ContributionRule, DiscountRule, SectorOccupation
from .rates import MANDIRI, Discount, Payer, Rule, RuleSet


def ruleset() -> RuleSet:
    """Every contribution and discount rule (a few dozen rows), for `rates.contribution`."""
    rules = tuple(
        Rule(
            code=r.code,
            component=r.component,
            income_from=r.income_from,
            income_to=r.income_to,
            amount=r.amount,
            rate_bp=r.rate_bp,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            citation=r.citation,
        )
        for r in ContributionRule.objects.all()
    )
    discounts = tuple(
        Discount(
            code=d.code,
            components=frozenset(
                c
                for c, on in (
                    ("jkk", d.applies_jkk),
                    ("jkm", d.applies_jkm),
                    ("jht", d.applies_jht),
                )
                if on
            ),
            percent=d.percent,
            sector=d.sector,
            month_from=d.month_from,
            month_to=d.month_to,
            excluded_funder_kinds=frozenset(
                k.strip() for k in d.excluded_funder_kinds.split(",") if k.strip()
            ),
            citation=d.citation,
        )
        for d in DiscountRule.objects.all()
    )
    return RuleSet(rules=rules, discounts=discounts)


def transport_occupations() -> set[str]:
    return set(
        SectorOccupation.objects.filter(sector="transport").values_list(
            "occupation_code", flat=True
        )
    )


def sector_of(occupation_code: str | None, transport: set[str] | None = None) -> str:
    transport = transport_occupations() if transport is None else transport
    return "transport" if occupation_code in transport else "other"


def payer_of(funder: Funder | None) -> Payer:
    if funder is None:
        return Payer(kind=MANDIRI)
    return Payer(kind=funder.kind, discounts_apply=funder.discounts_apply)


# On a current list: not taken off by the village, eligible, and not rejected by BPJS or
# excluded by the regency.
COUNTED = (
    Q(removed_at__isnull=True)
    & Q(eligible=True)
    & ~Q(outcome__in=[Outcome.REJECTED, Outcome.EXCLUDED])
)


def list_sizes(user, program: Program) -> list[dict]:
    """People on the program's current village lists, grouped by village and occupation, only
    in the user's regions. One grouped query: a regency's lists are counted in the database."""
    return list(
        SubmissionPerson.objects.filter(COUNTED, submission__program=program)
        .filter(region_q(user, "submission__village__code"))
        .values(
            "submission__village_id",
            "submission__village__name",
            "worker__occupation__code",
        )
        .annotate(n=Count("id"))
        .order_by("submission__village_id")
    )


def funder_for(
    funders: list[Funder], village_code: str, occupation_code: str | None
) -> Funder | None:
    """The funder who pays for a person: the most specific one that covers them (a village's
    own APBDes before a company paying for an occupation before the regency's APBD)."""

    def fits(f: Funder) -> bool:
        region_ok = f.covers_region_id is None or village_code.startswith(f.covers_region_id)
        occupations = f.occupation_codes
        return region_ok and (not occupations or occupation_code in occupations)

    def specificity(f: Funder) -> tuple[int, int]:
        return (len(f.covers_region_id or ""), 1 if f.occupation_codes else 0)

    fitting = [f for f in funders if fits(f)]
    return max(fitting, key=specificity) if fitting else None


def program_funders(program: Program) -> list[Funder]:
    funders = list(program.funders.prefetch_related("covers_occupations").order_by("id"))
    for f in funders:
        f.occupation_codes = {o.code for o in f.covers_occupations.all()}
    return funders


def program_defaults(program: Program, user=None) -> dict:
    """The planner's inputs as the program states them: its target (or, without one, the people
    on its lists the user can see), its coverage period in whole months, declared wage,
    components and first funder."""
    from .planner import months_between

    funder = program.funders.order_by("id").first()
    workers = program.target_workers
    if workers is None:
        workers = sum(g["n"] for g in list_sizes(user, program)) if user is not None else 0
    return {
        "workers": workers,
        "months": months_between(program.coverage_start, program.coverage_end),
        "start": program.coverage_start.replace(day=1),
        "wage": program.wage_basis,
        "components": tuple(c for c in ("jkk", "jkm", "jht") if getattr(program, c)),
        "funder": funder.kind if funder else MANDIRI,
        "sector": "other",
    }


def program_budget(
    user,
    program: Program,
    *,
    workers: int,
    months: int,
    start,
    wage: int,
    components: tuple[str, ...],
    funder: str,
    sector: str,
    budget: int | None = None,
    funder_discounts: bool | None = None,
) -> dict:
    """The planner's answer for a program, plus what its current village lists cost, by
    village and by funder (each person priced by the funder who pays for them and the sector
    of their occupation)."""
    from .planner import per_worker_months, plan

    rules = ruleset()
    funders = program_funders(program)
    chosen = next((f for f in funders if f.kind == funder), None)
    discounts = (
        chosen.discounts_apply if chosen and funder_discounts is None else bool(funder_discounts)
    )
    result = plan(
        rules,
        workers=workers,
        months=months,
        start=start,
        wage=wage,
        components=components,
        payer=Payer(kind=funder, discounts_apply=discounts),
        sector=sector,
        budget=budget,
    )
    transport = transport_occupations()
    costs: dict[tuple, int] = {}

    def cost(f: Funder | None, s: str) -> int:
        key = (f.pk if f else None, s)
        if key not in costs:
            per = per_worker_months(
                rules, months=months, start=start, wage=wage, components=components,
                payer=payer_of(f), sector=s,
            )  # fmt: skip
            costs[key] = sum(c.total for c in per)
        return costs[key]

    villages: dict[str, dict] = {}
    by_funder: dict[int | None, dict] = {
        f.pk: {"funder": f.name, "kind": f.kind, "workers": 0, "total": 0, "budget": f.budget}
        for f in funders
    }
    for group in list_sizes(user, program):
        code = group["submission__village_id"]
        occupation = group["worker__occupation__code"]
        f = funder_for(funders, code, occupation)
        amount = cost(f, sector_of(occupation, transport)) * group["n"]
        v = villages.setdefault(
            code,
            {"village": code, "name": group["submission__village__name"], "workers": 0, "total": 0},
        )
        v["workers"] += group["n"]
        v["total"] += amount
        row = by_funder.setdefault(
            f.pk if f else None,
            {"funder": "-", "kind": MANDIRI, "workers": 0, "total": 0, "budget": None},
        )
        row["workers"] += group["n"]
        row["total"] += amount
    for pk, row in by_funder.items():
        f = next((x for x in funders if x.pk == pk), None)
        if row["budget"] is not None and f is not None:
            per = cost(f, "other")
            row["workers_covered"] = row["budget"] // per if per else None
    result["program"] = program.code
    result["lists"] = {
        "workers": sum(v["workers"] for v in villages.values()),
        "total": sum(v["total"] for v in villages.values()),
        "by_village": list(villages.values()),
        "by_funder": list(by_funder.values()),
    }
    return result


# Budgets are the regency's decision: its admins plan them, its head reads them. Village
# operators see their own lists elsewhere, not the regency's money or other villages' sizes
# (403); BPJS officers and auditors have no budget to plan.
PLANNERS = frozenset({"regency_admin", "regional_head", "superadmin"})


def program_for_planner(user, code: str) -> Program:
    """The program for its budget page: 404 outside the user's regions, 403 for other roles."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from lindung.programs.selectors import program_for_user

    program = program_for_user(user, code)
    if getattr(user, "role", "") not in PLANNERS:
        raise PermissionDenied(_("Only the regency's staff plan a program's budget."))
    return program


def can_plan(user) -> bool:
    return getattr(user, "role", "") in PLANNERS


def funder_for_planner(user, pk: int, action: str = "view") -> Funder:
    """A program's funder, reached through its program: 404 out of scope, 403 for other roles
    or (for `change`) a role that may not change the regency's settings."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from lindung.accounts.scoping import can

    funder = Funder.objects.select_related("program").filter(pk=pk).first()
    if funder is None:
        raise Http404
    program_for_planner(user, funder.program.code)
    if action != "view" and not can(user, action, funder.program.owner_region_id):
        raise PermissionDenied
    return funder


def invoice_totals(invoice) -> dict:
    """Totals of an invoice per village and component (one grouped query)."""
    from django.db.models import Count, Sum

    from .models import InvoiceLine

    villages = list(
        InvoiceLine.objects.filter(invoice=invoice)
        .values("village_id", "village__name")
        .annotate(
            participants=Count("id"),
            jkk=Sum("jkk"),
            jkm=Sum("jkm"),
            jht=Sum("jht"),
            discount=Sum("discount"),
            total=Sum("amount"),
        )
        .order_by("village_id")
    )
    for v in villages:
        v["village"] = v.pop("village_id")
        v["name"] = v.pop("village__name")
    return {
        "villages": villages,
        "jkk": invoice.jkk,
        "jkm": invoice.jkm,
        "jht": invoice.jht,
        "discount": invoice.discount,
        "total": invoice.total,
    }


def arrears_by_participant(funder, on) -> list[dict]:
    """Participant-months of a funder whose due date is before `on` and that are not fully
    paid (by payments made up to `on`): {participant, village, month, owed}."""
    from django.db.models import F, Q, Sum, Value
    from django.db.models.functions import Coalesce

    from .models import InvoiceLine

    rows = (
        InvoiceLine.objects.filter(invoice__funder=funder, invoice__due_date__lt=on)
        .annotate(
            paid=Coalesce(
                Sum("allocations__amount", filter=Q(allocations__payment__paid_on__lte=on)),
                Value(0),
            )
        )
        .annotate(owed=F("amount") - F("paid"))
        .filter(owed__gt=0)
        .values("participant_id", "village_id", "invoice__month", "owed")
        .order_by("village_id", "participant_id", "invoice__month")
    )
    return [
        {"participant": r["participant_id"], "village": r["village_id"],
         "month": f"{r['invoice__month']:%Y-%m}", "owed": r["owed"]}
        for r in rows
    ]  # fmt: skip


def arrears_by_funder(funder, on) -> dict:
    rows = arrears_by_participant(funder, on)
    return {
        "funder": funder.name,
        "participants": len({r["participant"] for r in rows}),
        "months": len(rows),
        "owed": sum(r["owed"] for r in rows),
    }


def invoices_with_paid(user):
    """The invoices in the user's regions, each annotated with `paid` (what its payments
    allocated to it): the one place the amount paid per invoice is summed."""
    from django.db.models import OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from lindung.accounts.scoping import restrict

    from .models import Invoice, PaymentAllocation

    paid = (
        PaymentAllocation.objects.filter(line__invoice=OuterRef("pk"))
        .order_by()
        .values("line__invoice")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return restrict(Invoice.objects.all(), user).annotate(paid=Coalesce(Subquery(paid), Value(0)))


def invoices_for(user, program: Program):
    from .arrears import PAY_STATE_WORDS, pay_state

    invoices = list(
        invoices_with_paid(user)
        .filter(program=program)
        .select_related("program", "funder")
        .order_by("-month", "funder_id")
    )
    for invoice in invoices:
        invoice.pay_state = pay_state(invoice.total, invoice.paid)
        invoice.pay_state_words = PAY_STATE_WORDS[invoice.pay_state]
    return invoices


def invoice_for_user(user, pk: int):
    """An invoice: 404 outside the user's regions, 403 for roles that do not plan budgets."""
    from django.core.exceptions import PermissionDenied

    from lindung.accounts.scoping import get_for_user

    from .models import Invoice

    invoice = get_for_user(Invoice.objects.select_related("program", "funder"), user, pk=pk)
    if not can_plan(user):
        raise PermissionDenied
    return invoice


def invoice_paid(invoice) -> int:
    from django.db.models import Sum

    from .models import PaymentAllocation

    return (
        PaymentAllocation.objects.filter(line__invoice=invoice).aggregate(s=Sum("amount"))["s"] or 0
    )


# For the benefit calculator (claims): what a worker had paid, and owed, on the day of an event.


def months_paid(worker_id: int, day) -> int:
    """Contribution months of this worker (every participation, so every KPJ period of the
    person) up to the month of `day` that were fully paid by payments made on or before `day`:
    the "months of contributions paid" the sudden-death and scholarship rules count."""
    from django.db.models import F, Q, Sum, Value
    from django.db.models.functions import Coalesce

    from .invoicing import month_index
    from .models import InvoiceLine

    return (
        InvoiceLine.objects.filter(participant__worker_id=worker_id)
        .filter(month_index__lte=month_index(day))
        .annotate(
            paid=Coalesce(
                Sum("allocations__amount", filter=Q(allocations__payment__paid_on__lte=day)),
                Value(0),
            )
        )
        .filter(paid__gte=F("amount"))
        .count()
    )


def arrears_by_month(participant_id: int, months: list[str], day) -> list[tuple[str, int | None]]:
    """What each unpaid month (YYYY-MM, as `protection_on` names them) still owed on `day`:
    the invoiced amount less what payments made by `day` allocated to it, or for a month never
    invoiced the contribution the rules set for it (None when no rule prices it)."""
    import datetime as dt

    from django.db.models import Q, Sum, Value
    from django.db.models.functions import Coalesce

    from lindung.enrolment.models import Participant

    from .invoicing import month_index
    from .models import InvoiceLine
    from .protection import _priced

    wanted = {month_index(dt.date(int(m[:4]), int(m[5:7]), 1)): m for m in months}
    owed = {
        index: amount - paid
        for index, amount, paid in InvoiceLine.objects.filter(
            participant_id=participant_id, month_index__in=list(wanted)
        )
        .annotate(
            paid=Coalesce(
                Sum("allocations__amount", filter=Q(allocations__payment__paid_on__lte=day)),
                Value(0),
            )
        )
        .values_list("month_index", "amount", "paid")
    }
    out: list[tuple[str, int | None]] = []
    participant = None
    for index in sorted(wanted):
        if index in owed:
            out.append((wanted[index], owed[index]))
            continue
        if participant is None:
            participant = Participant.objects.select_related("funder", "worker__occupation").get(
                pk=participant_id
            )
        month = dt.date(index // 12, index % 12 + 1, 1)
        out.append((wanted[index], _priced(participant, month, 0)))
    return out
