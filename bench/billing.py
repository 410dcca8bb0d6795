#!/usr/bin/env python3
"""Billing benchmark: one month's invoices for 1,000,000 active participants, and the one
"protected on date D?" answer for all of them, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_billing \
        .venv/bin/python bench/billing.py [--participants N]

Data: N active participants (KPJ issued) of one program in 500 villages of Sumatera Selatan,
paid for by 3 funders (villages split between them), built set-based in the database
(`INSERT … SELECT generate_series`, faster than COPY from Python for synthetic rows).
Measured in the same run, on the same tables and indexes:
  - billing: `invoicing.invoice_issue` for each funder for one month (lines priced by the rules
    joined in SQL, totals, audit event) — the sum over the 3 funders;
  - baseline: a bare `INSERT … SELECT` of the same lines (flat amounts, no rules, no totals)
    into the same table, for another month, as the ceiling; measured first, then removed and
    the table vacuumed, so both runs start from a vacuumed participant table and an empty
    (vacuumed) line table;
  - payments: two funders pay their month in full (set-based allocation rows);
  - status_all: `protection.protection_all(D)` for everyone at once, D after the due date;
  - status_p95_ms: `protection.protection_on` for 200 random people, the 95th percentile.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

from _shared import ensure_database, log, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lindung_bench_billing"
MONTH = dt.date(2026, 5, 1)  # APBD/APBDes/CSR in May 2026: PP 50/2025 may apply to some
VILLAGES = 500


def build(n: int, reuse: bool = False):
    """A program, 3 funders, N workers and N active participants; returns (program, funders).
    With `reuse`, the people of an earlier run of the same size are kept (building a million
    takes minutes); only its invoices and payments are cleared."""
    from django.db import connection

    from lindung.enrolment.models import Participant
    from lindung.programs.models import Program as P

    earlier = P.objects.filter(code="bench-billing").first()
    if reuse and earlier and Participant.objects.filter(program=earlier).count() == n:
        log("reusing the participants of an earlier run; clearing its invoices and payments")
        with connection.cursor() as c:
            c.execute(
                "TRUNCATE billing_paymentallocation, billing_payment, billing_invoiceline, "
                "billing_invoice CASCADE"
            )
        return earlier, list(earlier.funders.order_by("id"))

    from lindung.programs.models import Funder, Program
    from lindung.regions.models import Region

    log("clearing earlier bench data (TRUNCATE: this database is the bench's own)")
    with connection.cursor() as c:
        c.execute(
            "TRUNCATE billing_paymentallocation, billing_payment, billing_invoiceline, "
            "billing_invoice, enrolment_participant, registry_worker CASCADE"
        )
    Program.objects.filter(code="bench-billing").delete()
    villages = list(
        Region.objects.filter(level=4, code__startswith="16")
        .order_by("code")
        .values_list("code", flat=True)[:VILLAGES]
    )
    program = Program.objects.create(
        code="bench-billing",
        name="Bench billing",
        owner_region_id="16",
        coverage_start=MONTH,
        coverage_end=dt.date(2026, 12, 31),
    )
    funders = [
        Funder.objects.create(program=program, kind="apbd", name="APBD"),
        Funder.objects.create(program=program, kind="apbdes", name="APBDes", discounts_apply=True),
        Funder.objects.create(program=program, kind="csr", name="CSR"),
    ]
    from lindung.billing.models import SectorOccupation
    from lindung.registry.models import Occupation

    # One in ten is an ojek driver (transport: PP 50/2025's other months), the rest farmers.
    transport_code = (
        SectorOccupation.objects.filter(sector="transport")
        .values_list("occupation_code", flat=True)
        .first()
    )
    occupations = dict(Occupation.objects.values_list("code", "id"))
    transport = occupations.get(transport_code) or min(occupations.values())
    other = occupations.get("petani") or max(occupations.values())
    log(f"inserting {n:,} workers and participants")
    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute("CREATE TEMP TABLE bench_village (i int PRIMARY KEY, code text)")
        c.execute(
            "INSERT INTO bench_village SELECT ordinality - 1, code "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS code",
            [villages],
        )
        c.execute(
            """
            INSERT INTO registry_worker (nik, kk_number, name, birth_place, birth_date, sex,
                address, village_id, phone, created_at, updated_at, life_status,
                life_status_reason, occupation_id)
            SELECT '99' || lpad(g::text, 14, '0'), '', 'Pekerja ' || g, '', DATE '1980-01-01',
                   'L', '', v.code, '', now(), now(), 'active', '',
                   CASE WHEN g %% 10 = 0 THEN %s ELSE %s END
            FROM generate_series(1, %s) g
            JOIN bench_village v ON v.i = g %% %s
            """,
            [transport, other, n, len(villages)],
        )
        c.execute(
            """
            INSERT INTO enrolment_participant (program_id, worker_id, village_id, funder_id,
                declared_wage, jkk, jkm, jht, kpj, state, registered_at, start_date, end_date,
                end_reason, end_note, enrol_batch, kpj_assigned_at)
            SELECT %s, w.id, w.village_id,
                   (ARRAY[%s, %s, %s]::int[])[1 + (v.i %% 3)],
                   1000000, true, true, false, lpad(w.id::text, 11, '0'), 'active', now(),
                   DATE '2026-05-01', DATE '2026-12-31', '', '', gen_random_uuid(), now()
            FROM registry_worker w JOIN bench_village v ON v.code = w.village_id
            WHERE w.nik LIKE '99%%'
            """,
            [program.pk, *(f.pk for f in funders)],
        )
        c.execute("ANALYZE registry_worker")
        c.execute("ANALYZE enrolment_participant")
    log(f"built in {time.perf_counter() - t:.1f}s")
    return program, funders


def baseline(funders, month: dt.date) -> float:
    """The ceiling: a bare INSERT … SELECT of the same lines (flat amounts) into the same
    table, under an invoice of another month, then removed."""
    from django.db import connection, transaction

    from lindung.billing.invoicing import month_end, month_index
    from lindung.billing.models import Invoice, InvoiceLine

    other = month.replace(month=month.month + 1)
    total = 0.0
    for f in funders:
        inv = Invoice.objects.create(
            program=f.program, funder=f, region_id=f.program.owner_region_id, month=other,
            month_index=month_index(other), due_date=other, issued_at=dt.datetime.now(dt.UTC),
        )  # fmt: skip
        # The clock runs to the end of the commit, as it does for the invoice run: whatever
        # the table checks at COMMIT (Django's foreign keys are DEFERRABLE INITIALLY DEFERRED
        # on PostgreSQL; the lines' keys have none, see InvoiceLine) counts for both.
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                """
                    INSERT INTO billing_invoiceline (invoice_id, participant_id, village_id,
                        month_index, jkk, jkm, jht, discount, amount)
                    SELECT %s, p.id, p.village_id, %s, 10000, 6800, 0, 0, 16800
                    FROM enrolment_participant p
                    WHERE p.funder_id = %s AND p.start_date <= %s AND p.end_date >= %s
                    """,
                [inv.pk, inv.month_index, f.pk, month_end(other), other],
            )
        total += time.perf_counter() - t
        InvoiceLine.objects.filter(invoice=inv)._raw_delete(InvoiceLine.objects.db)
        inv.delete()
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep an earlier run's people")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not url.startswith("postgres"):
        raise SystemExit("the billing benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    ensure_database(url)
    setup_django(url)
    from django.db import connection

    from lindung.accounts.models import User
    from lindung.billing.invoicing import invoice_issue, payment_record
    from lindung.billing.protection import protection_all, protection_on
    from lindung.billing.rates import due_date

    actor = User.objects.filter(username="bench-billing").first() or User.objects.create(
        username="bench-billing", role="superadmin"
    )
    _program, funders = build(args.participants, reuse=args.reuse)
    with connection.cursor() as c:
        # Hint bits and the visibility map of the freshly built tables set once, for both runs.
        c.execute("VACUUM ANALYZE enrolment_participant")
    log("baseline (bare INSERT … SELECT), then removed and vacuumed")
    base = baseline(funders, MONTH)
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE billing_invoiceline")

    log("invoice run (ours)")
    billing = 0.0
    invoices, per_funder = [], []
    for f in funders:
        t = time.perf_counter()
        invoices.append(invoice_issue(actor=actor, funder_id=f.pk, month=MONTH))
        per_funder.append(round(time.perf_counter() - t, 2))
        billing += per_funder[-1]
    lines = sum(i.participants for i in invoices)

    log("payments: two funders pay in full")
    t = time.perf_counter()
    for inv in invoices[:2]:
        payment_record(
            actor=actor, funder_id=inv.funder_id, reference=f"BENCH-{inv.pk}",
            amount=inv.total, paid_on=due_date(MONTH) - dt.timedelta(days=3), first_month=MONTH,
        )  # fmt: skip
    payment_seconds = time.perf_counter() - t

    with connection.cursor() as c:
        # What autovacuum does after a bulk write; done here so the run does not depend on
        # when it wakes up (without it the planner still believes the new tables are empty).
        c.execute("ANALYZE billing_invoiceline")
        c.execute("ANALYZE billing_paymentallocation")
        c.execute("ANALYZE billing_payment")
    day = due_date(MONTH) + dt.timedelta(days=5)
    log(f"status of everyone on {day}")
    t = time.perf_counter()
    everyone = protection_all(day)
    status_all = time.perf_counter() - t
    by_status: dict[str, int] = {}
    for row in everyone.values():
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1

    worker_ids = random.Random(9).sample(sorted(everyone), min(200, len(everyone)))
    times = []
    for w in worker_ids:
        t = time.perf_counter()
        protection_on(w, day)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1] if times else 0.0

    figures = {
        "participants": args.participants,
        "villages": VILLAGES,
        "funders": len(funders),
        "lines": lines,
        "billing_seconds": round(billing, 2),
        "billing_seconds_by_funder": per_funder,
        "baseline_seconds": round(base, 2),
        "ratio_vs_baseline": round(base / billing, 2) if billing else None,
        "payment_seconds": round(payment_seconds, 2),
        "status_all_seconds": round(status_all, 2),
        "status_counts": by_status,
        "status_p95_ms": round(p95, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "total": sum(i.total for i in invoices),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
