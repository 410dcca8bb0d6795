"""The demo's participants billed and (mostly) paid for, through the real billing services and
the regency admin's login (the payer's side issues invoices and records payments).

Run after `demo_enrolment`. For every funder with participants, the invoices of the program's
contribution months up to today (or the period's end) are issued; then each program pays its
own way, so every payment kind shows:

- Muara Enim: each month paid in full, on the 10th of the month;
- Musi Banyuasin: paid in advance, 6 months at a time, then the last month;
- Sarolangun: in advance (6 + 3 + 2 months), October paid in part on the 10th and the rest on
  20 November, so on 1 November part of its people are "protected with arrears";
- PALI: every village pays each month, except ONE village (the first one with KPJ numbers),
  whose APBDes paid July and August and nothing since: from 16 September it is in arrears,
  "protected with arrears" up to three unpaid months and "not protected" once September,
  October, November and December are all past due (PP 44/2015 Art. 39, 42).

Payments dated after today are not recorded (the services refuse a future payment date).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.billing.invoicing import ADVANCE_MONTHS, ISSUE_ACTION, invoice_issue, payment_record
from lindung.billing.models import Invoice
from lindung.billing.rates import add_months, month_start
from lindung.enrolment.models import Participant
from lindung.programs.models import Funder, Program

from .programs import PROGRAMS, login_for

PAY_DAY = 10  # funders pay before the 15th, the due date
# Sarolangun's partial month: half of October paid on the 10th, the rest on 20 November.
PARTIAL_REST_ON = dt.date(2025, 11, 20)
ARREARS_PAID_MONTHS = 2  # the village in arrears paid its first two months only


def demo_billing() -> dict[str, dict]:
    """Bill and pay the demo programs as described above, once per program (a program with an
    invoice already is left alone). Returns {program code: counts}."""
    admin = User.objects.filter(role=Role.SUPERADMIN).first()
    today = timezone.localdate()
    out = {}
    for spec in PROGRAMS:
        program = Program.objects.filter(code=spec["code"]).first()
        if program is None or Invoice.objects.filter(program=program).exists():
            continue
        if not Participant.objects.filter(program=program).exists():
            continue
        with transaction.atomic():  # a program's billing as a whole, or nothing
            out[program.code] = _bill_program(admin, program, today)
    return out


def months_of(program: Program, today: dt.date) -> list[dt.date]:
    """The program's contribution months from its first up to today's (or the period's last)."""
    last = month_start(min(program.coverage_end, today))
    month, months = month_start(program.coverage_start), []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def arrears_funder(program: Program) -> Funder | None:
    """PALI's village left in arrears: the funder of the first village with KPJ numbers."""
    first = (
        Participant.objects.filter(program=program, kpj__isnull=False)
        .order_by("village_id", "pk")
        .values_list("funder_id", flat=True)
        .first()
    )
    return Funder.objects.filter(pk=first).first() if first else None


def _bill_program(admin, program: Program, today: dt.date) -> dict:
    regency = login_for(ISSUE_ACTION, program.owner_region_id, admin)
    funder_ids = (
        Participant.objects.filter(program=program)
        .order_by("funder_id")
        .values_list("funder_id", flat=True)
        .distinct()
    )
    funders = list(Funder.objects.filter(pk__in=list(funder_ids)).order_by("pk"))
    months = months_of(program, today)
    counts = {"invoices": 0, "payments": 0, "billed": 0, "paid": 0, "in_arrears": 0}
    late = arrears_funder(program) if program.code == "pali-desa-2025" else None
    for funder in funders:
        totals = {}
        for month in months:
            invoice = invoice_issue(actor=regency, funder_id=funder.pk, month=month)
            totals[month] = invoice.total
            counts["invoices"] += 1
            counts["billed"] += invoice.total
        plan = _plan(program, funder, months, late)
        for number, (first, n, share, paid_on) in enumerate(plan, start=1):
            due = sum(totals[add_months(first, i)] for i in range(n))
            amount = {"all": due, "half": due // 2, "rest": due - due // 2}[share]
            if amount <= 0 or paid_on > today:
                continue
            payment = payment_record(
                actor=regency,
                funder_id=funder.pk,
                reference=f"DEMO-{funder.pk}-{first:%Y%m}-{number}",
                amount=amount,
                paid_on=paid_on,
                first_month=first,
                months=n,
            )
            counts["payments"] += 1
            counts["paid"] += payment.amount
        if funder == late:
            counts["in_arrears"] += 1
    return counts


def _plan(program: Program, funder: Funder, months: list[dt.date], late) -> list[tuple]:
    """(first month, months, share of the months' total paid — all, half or the rest —,
    paid on) of each payment the funder makes."""
    if not months:
        return []

    def on(month: dt.date) -> dt.date:
        return month.replace(day=PAY_DAY)

    whole = "all"
    if program.code == "muba-pake-kelambu":  # in advance, six months at a time
        plan, i = [], 0
        while i < len(months):
            n = max(k for k in ADVANCE_MONTHS if k <= min(6, len(months) - i))
            plan.append((months[i], n, whole, on(months[i])))
            i += n
        return plan
    if program.code == "sarolangun-2024":
        plan, i = [], 0
        for n in (6, 3, 2):  # in advance, then October in part
            if i + n <= len(months):
                plan.append((months[i], n, whole, on(months[i])))
                i += n
        rest = months[i:]
        if rest:
            october = rest[0]
            plan.append((october, 1, "half", on(october)))
            plan.append((october, 1, "rest", max(PARTIAL_REST_ON, on(october))))
            plan += [(m, 1, whole, on(m)) for m in rest[1:]]
        return plan
    if funder == late:
        months = months[:ARREARS_PAID_MONTHS]
    return [(m, 1, whole, on(m)) for m in months]
