"""Invoices and payments (issue 9 §4): set-based, audited, region-scoped.

Rules stated once:
- **Covered in a month**: a participation whose coverage [start_date, end_date] (with
  end ≥ start) holds any day of the month is billed the whole month (the contribution is flat,
  no proration). Registered rows still waiting for their KPJ are billed too: the funder pays
  for the people it enrolled for the period, and cover starts when BPJS issues the KPJ.
- **Amounts**: the rule in force for the month and the funder's kind (PP 50/2025 discount per
  funder), priced once per (sector, declared income, components) by `rates.rate_rows` and joined
  in SQL; copied onto the lines, so a later rule never changes an issued invoice.
- **Partial payments** pay the oldest month first, then by village code, then participant id;
  each paid participant-month is an allocation row. Money beyond what the months need stays
  on the payment as credit (e.g. a month paid at the full tariff that PP 50/2025 halved) and is
  spent first by the funder's next payment (PP 50/2025 Art. 6: credited forward).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.roles import Action
from lindung.accounts.scoping import require
from lindung.audit.services import record
from lindung.common.errors import ApplicationError
from lindung.enrolment.models import Participant
from lindung.programs.models import Funder

from .models import Invoice, InvoiceLine, Payment
from .rates import COMPONENTS, Payer, add_months, due_date_info, month_start, rate_rows
from .selectors import ruleset

ADVANCE_MONTHS = (1, 2, 3, 6, 12)  # Permenaker 5/2021 Art. 41–44: monthly or 2, 3, 6, 12 ahead
MAX_PAYMENT = 10**13  # Rp10 trillion: far above any regency's yearly budget for this
# The regency (the payer's side) issues invoices and records payments; each is its own action
# so that an office can give one without the other (or without enrolment).
ISSUE_ACTION = Action.ISSUE_INVOICE
PAY_ACTION = Action.RECORD_PAYMENT


def month_index(month: dt.date) -> int:
    return month.year * 12 + month.month - 1


def month_of_index(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def covered_in_month(qs, month: dt.date):
    """Participations billed for `month` (see the module's rule)."""
    return qs.filter(start_date__lte=month_end(month), end_date__gte=month).filter(
        end_date__gte=F("start_date")
    )


def _lock_funder(funder_id: int) -> Funder:
    funder = (
        Funder.objects.select_for_update().select_related("program").filter(pk=funder_id).first()
    )
    if funder is None:
        raise ApplicationError(_("Funder not found."), code="not_found", status=404)
    return funder


def _rates_cte(funder: Funder, month: dt.date) -> tuple[str, list, list[dict], list[dict], bool]:
    """The priced combinations as a VALUES list for the join, and the combinations refused."""
    covered = covered_in_month(Participant.objects.filter(funder=funder), month)
    # One pass over the funder's people for the few (income, components) combinations; the
    # order_by() drops the model's default ordering, which would make DISTINCT see every row.
    combos = list(covered.order_by().values_list("declared_wage", "jkk", "jkm", "jht").distinct())
    incomes = sorted({c[0] for c in combos})
    sets = {tuple(c for c, on in zip(COMPONENTS, flags[1:], strict=True) if on) for flags in combos}
    rows, refused = rate_rows(
        ruleset(),
        months=[month],
        incomes=incomes,
        payers=[Payer(kind=funder.kind, discounts_apply=funder.discounts_apply)],
        components_sets=[s for s in sets if s],
    )
    # The sector matters only when it changes an amount (a PP 50/2025 month for one sector
    # only): otherwise the lines need no join to the workers' occupations at all.
    amounts = ("jkk", "jkm", "jht", "discount", "total")
    by_key: dict[tuple, set] = {}
    for r in rows:
        by_key.setdefault((r["income"], r["components"]), set()).add(tuple(r[k] for k in amounts))
    by_sector = any(len(v) > 1 for v in by_key.values())
    if not by_sector:
        rows = [r | {"sector": "any"} for r in rows if r["sector"] == rows[0]["sector"]]
    values, params = [], []
    for r in rows:
        parts = set(r["components"].split(","))
        values.append("(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
        params += [r["sector"], r["income"], "jkk" in parts, "jkm" in parts, "jht" in parts,
                   r["jkk"], r["jkm"], r["jht"], r["discount"], r["total"]]  # fmt: skip
    if not values:  # nothing priced: a row that matches nobody keeps the SQL valid
        values.append("(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
        params += ["none", -1, False, False, False, 0, 0, 0, 0, 0]
    return ", ".join(values), params, refused, rows, by_sector


def _insert_lines(invoice: Invoice, funder: Funder, month: dt.date) -> tuple[list, list]:
    """ONE `INSERT … SELECT` of the invoice's lines with the rates joined in SQL."""
    values, params, refused, priced, by_sector = _rates_cte(funder, month)
    sector_join = (
        """JOIN registry_worker w ON w.id = p.worker_id
        LEFT JOIN registry_occupation o ON o.id = w.occupation_id
        LEFT JOIN billing_sectoroccupation so ON so.occupation_code = o.code"""
        if by_sector
        else ""
    )
    sector_match = "COALESCE(so.sector, 'other')" if by_sector else "'any'"
    sql = f"""
        WITH r (sector, income, cjkk, cjkm, cjht, jkk, jkm, jht, discount, total) AS (
            VALUES {values}
        )
        INSERT INTO billing_invoiceline
            (invoice_id, participant_id, village_id, month_index, jkk, jkm, jht, discount, amount)
        SELECT %s, p.id, p.village_id, %s, r.jkk, r.jkm, r.jht, r.discount, r.total
        FROM enrolment_participant p
        {sector_join}
        JOIN r ON r.income = p.declared_wage
              AND r.cjkk = p.jkk AND r.cjkm = p.jkm AND r.cjht = p.jht
              AND r.sector = {sector_match}
        WHERE p.funder_id = %s AND p.start_date <= %s AND p.end_date >= %s
          AND p.end_date >= p.start_date
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [*params, invoice.pk, invoice.month_index, funder.pk, month_end(month), month],
        )
    return refused, priced


def _refused_people(funder: Funder, month: dt.date, refused: list[dict]) -> list[dict]:
    """Who the rules could not price (a declared income with no JKK step), to put on the
    invoice instead of billing them a guess."""
    out = []
    for r in refused:
        flags = {c: c in r["components"].split(",") for c in COMPONENTS}
        ids = covered_in_month(
            Participant.objects.filter(funder=funder, declared_wage=r["income"], **flags), month
        ).values_list("id", flat=True)
        out.append({**{k: r[k] for k in ("income", "components", "code", "message")},
                    "participants": list(ids[:1000]), "month": f"{month:%Y-%m}"})  # fmt: skip
    return out


def _totals(invoice: Invoice) -> None:
    t = InvoiceLine.objects.filter(invoice=invoice).aggregate(
        n=Count("id"),
        jkk=Sum("jkk"),
        jkm=Sum("jkm"),
        jht=Sum("jht"),
        discount=Sum("discount"),
        total=Sum("amount"),
    )
    invoice.participants = t["n"] or 0
    for k in ("jkk", "jkm", "jht", "discount", "total"):
        setattr(invoice, k, t[k] or 0)


def _issue(*, actor, funder: Funder, month: dt.date) -> Invoice:
    program = funder.program
    if not (month_start(program.coverage_start) <= month <= month_start(program.coverage_end)):
        raise ApplicationError(
            _("%(month)s is outside the program's period (%(start)s – %(end)s).")
            % {
                "month": f"{month:%m-%Y}",
                "start": f"{program.coverage_start:%m-%Y}",
                "end": f"{program.coverage_end:%m-%Y}",
            },
            code="outside_period",
            fields={"month": [_("Choose a month inside the program's period.")]},
        )
    due, source, known = due_date_info(month)
    invoice = Invoice.objects.create(
        program=program,
        funder=funder,
        region_id=program.owner_region_id,
        month=month,
        month_index=month_index(month),
        due_date=due,
        holidays_known=known,
        holiday_source=source[:200],
        issued_at=timezone.now(),
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    refused, priced = _insert_lines(invoice, funder, month)
    _totals(invoice)
    codes = list(dict.fromkeys(code for row in priced for code in row["rules"]))
    from .models import ContributionRule, DiscountRule

    cites = {r.code: r.citation for r in ContributionRule.objects.filter(code__in=codes)}
    cites |= {d.code: d.citation for d in DiscountRule.objects.filter(code__in=codes)}
    invoice.rules = [{"code": c, "citation": cites.get(c, "")} for c in codes]
    invoice.refused = _refused_people(funder, month, refused)
    invoice.save()
    record(
        actor=actor,
        action="billing.invoice_issue",
        obj=invoice,
        region_code=program.owner_region_id,
        after={
            "month": f"{month:%Y-%m}",
            "funder": funder.name,
            "participants": invoice.participants,
            "total": invoice.total,
            "due_date": due.isoformat(),
        },
        row_count=invoice.participants,
    )
    return invoice


@transaction.atomic
def invoice_issue(*, actor, funder_id: int, month: dt.date) -> Invoice:
    """Issue one funder's invoice for one contribution month; a second time is refused (409)."""
    funder = _lock_funder(funder_id)
    require(actor, ISSUE_ACTION, funder.program.owner_region_id)
    month = month_start(month)
    existing = Invoice.objects.filter(funder=funder, month=month).first()
    if existing is not None:
        raise ApplicationError(
            _("The invoice of %(funder)s for %(month)s was already issued.")
            % {"funder": funder.name, "month": f"{month:%m-%Y}"},
            code="invoice_exists",
            status=409,
            extra={"invoice": existing.pk},
        )
    return _issue(actor=actor, funder=funder, month=month)


def _allocate(payment: Payment, budget: int, invoice_ids: list[int]) -> int:
    """ONE set-based statement: pay the still-open participant-months of the invoices, oldest
    month first, then village, then participant, until `budget` runs out (the last one paid
    in part). Returns the amount allocated."""
    if budget <= 0 or not invoice_ids:
        return 0
    marks = ", ".join(["%s"] * len(invoice_ids))
    sql = f"""
        INSERT INTO billing_paymentallocation (payment_id, line_id, amount)
        SELECT %s, id, CASE WHEN upto <= %s THEN rest ELSE %s - (upto - rest) END
        FROM (
            SELECT id, rest, SUM(rest) OVER (
                ORDER BY month_index, village_id, participant_id, id ROWS UNBOUNDED PRECEDING
            ) AS upto
            FROM (
                SELECT l.id, l.month_index, l.village_id, l.participant_id,
                       l.amount - COALESCE(SUM(a.amount), 0) AS rest
                FROM billing_invoiceline l
                LEFT JOIN billing_paymentallocation a ON a.line_id = l.id
                WHERE l.invoice_id IN ({marks})
                GROUP BY l.id, l.month_index, l.village_id, l.participant_id, l.amount
            ) open_lines
            WHERE rest > 0
        ) running
        WHERE upto - rest < %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [payment.pk, budget, budget, *invoice_ids, budget])
    got = payment.allocations.aggregate(s=Sum("amount"))["s"] or 0
    payment.allocated = got
    payment.save(update_fields=["allocated"])
    return got


SETTLE_SQL = """
    UPDATE billing_invoiceline SET settled_on = settled.day
    FROM (
        SELECT line_id, MIN(paid_on) AS day
        FROM (
            SELECT a.line_id, y.paid_on, l.amount,
                   SUM(a.amount) OVER (
                       PARTITION BY a.line_id ORDER BY y.paid_on, a.id ROWS UNBOUNDED PRECEDING
                   ) AS upto
            FROM billing_paymentallocation a
            JOIN billing_payment y ON y.id = a.payment_id
            JOIN billing_invoiceline l ON l.id = a.line_id
            WHERE l.settled_on IS NULL {only}
        ) running
        WHERE upto >= amount
        GROUP BY line_id
    ) settled
    WHERE billing_invoiceline.id = settled.line_id
"""


def settle_lines(invoice_ids: list[int] | None = None) -> int:
    """Keep `InvoiceLine.settled_on` true to the allocations: ONE statement for the lines of
    these invoices (all lines when None) that are not settled yet. A line once settled stays
    settled: allocations are only ever added to lines that still owe."""
    only, params = "", []
    if invoice_ids is not None:
        if not invoice_ids:
            return 0
        only = f"AND l.invoice_id IN ({', '.join(['%s'] * len(invoice_ids))})"
        params = list(invoice_ids)
    with connection.cursor() as cursor:
        cursor.execute(SETTLE_SQL.format(only=only), params)
        return cursor.rowcount


def _open_amount(invoice_ids: list[int]) -> int:
    lines = InvoiceLine.objects.filter(invoice_id__in=invoice_ids)
    due = lines.aggregate(s=Sum("amount"))["s"] or 0
    from .models import PaymentAllocation

    paid = (
        PaymentAllocation.objects.filter(line__invoice_id__in=invoice_ids).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    return due - paid


@transaction.atomic
def payment_record(
    *,
    actor,
    funder_id: int,
    reference: str,
    amount: int,
    paid_on: dt.date,
    first_month: dt.date,
    months: int = 1,
) -> Payment:
    """Record a funder's payment for `months` contribution months from `first_month` (1, or
    2, 3, 6 or 12 in advance: their invoices are issued now if they were not yet), and allocate
    it to participant-months. The same reference twice is refused (409), as is paying months
    that owe nothing (409: someone already paid them)."""
    reference = (reference or "").strip()
    if not reference or len(reference) > 60 or not reference.isprintable():
        raise ApplicationError(
            _("Give the payment's transfer reference (1–60 characters)."),
            code="invalid_reference",
            fields={"reference": [_("Required, at most 60 characters.")]},
        )
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_PAYMENT:
        raise ApplicationError(
            _("The amount must be a whole rupiah amount from Rp1 to Rp10.000.000.000.000."),
            code="invalid_amount",
            fields={"amount": [_("A whole, positive rupiah amount.")]},
        )
    if months not in ADVANCE_MONTHS:
        raise ApplicationError(
            _("Contributions are paid for 1 month or in advance for 2, 3, 6 or 12 months."),
            code="invalid_months",
            fields={"months": [_("1, 2, 3, 6 or 12.")]},
        )
    if paid_on > timezone.localdate() or paid_on.year < 2000:
        raise ApplicationError(
            _("The payment date cannot be in the future."),
            code="invalid_date",
            fields={"paid_on": [_("A date up to today.")]},
        )
    funder = _lock_funder(funder_id)
    require(actor, PAY_ACTION, funder.program.owner_region_id)
    if Payment.objects.filter(funder=funder, reference=reference).exists():
        raise ApplicationError(
            _("A payment with reference %(ref)s is already recorded for %(funder)s.")
            % {"ref": reference, "funder": funder.name},
            code="duplicate_reference",
            status=409,
        )
    first_month = month_start(first_month)
    invoices = []
    for i in range(months):
        month = add_months(first_month, i)
        invoice = Invoice.objects.filter(funder=funder, month=month).first()
        invoices.append(invoice or _issue(actor=actor, funder=funder, month=month))
    ids = [inv.pk for inv in invoices]
    if _open_amount(ids) <= 0:
        raise ApplicationError(
            _("Nothing is owed for these months any more: they were already paid."),
            code="already_paid",
            status=409,
        )
    payment = Payment.objects.create(
        program=funder.program,
        funder=funder,
        region_id=funder.program.owner_region_id,
        reference=reference,
        amount=amount,
        paid_on=paid_on,
        first_month=first_month,
        months=months,
        recorded_at=timezone.now(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    # Credit forward first: earlier payments' money beyond the months they paid.
    credits = []
    holding = Payment.objects.filter(funder=funder, amount__gt=F("allocated"))
    for older in holding.exclude(pk=payment.pk).order_by("id"):
        before = older.allocated
        used = _allocate(older, older.credit, ids) - before
        if used:
            credits.append({"reference": older.reference, "used": used})
    _allocate(payment, amount, ids)
    settle_lines(ids)
    record(
        actor=actor,
        action="billing.payment_record",
        obj=payment,
        region_code=funder.program.owner_region_id,
        after={
            "reference": reference,
            "amount": amount,
            "paid_on": paid_on.isoformat(),
            "months": [f"{inv.month:%Y-%m}" for inv in invoices],
            "allocated": payment.allocated,
            "credit": payment.credit,
            "credits_used": credits,
        },
        row_count=payment.allocations.count(),
    )
    return payment
