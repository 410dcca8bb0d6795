#!/usr/bin/env python3
"""Dashboard benchmark: coverage figures for 10,000,000 participants, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_dashboard \
        .venv/bin/python bench/dashboard.py [--participants N] [--reuse]

Data: N participants over every village of five provinces (Jambi, Sumatera Selatan, Bengkulu,
Lampung, Kepulauan Bangka Belitung: about 9,400 villages), plus one registered worker in ten
not enrolled, built set-based in the database (`INSERT … SELECT generate_series`, as
bench/billing.py does; the triggers that mark people dirty are off for the build, as for a
restore; so are the participants' GiST exclusion constraints, which guard writes only). On
D = 10-05-2026: 85 % of participants are in a program from April 2026 whose April
line is paid (protected), 10 % in it with April unpaid (protected with arrears), 5 % in a
program from December 2025 with nothing paid (five months: not protected). Officials (village
head, apparatus, BPD, RT/RW heads, linmas) are one in twenty; ages and sexes vary.
Measured in the same run:
  - full_refresh_seconds: `refresh.refresh_all(D)`, every village and region counted;
  - province / regency / village / ranking: `figures.figures` and `figures.ranking` called
    directly (server time, no HTTP), SAMPLES random regions each, p50 and p95 in ms;
  - refresh_seconds: 10,000 changes (5,000 participations ended, 5,000 April lines paid) in
    random villages (most villages are touched), then `refresh.refresh_dirty(D)` (the
    background worker's step: the people recounted, the difference applied to their
    villages); then one change (refresh_one_change_seconds: what a dashboard
    user waits for) and 10,000 changes in one regency (an enrolment batch, a payment);
  - baseline: the naive `COUNT` over the participant table for a province (covered on D),
    p95 over BASELINE_SAMPLES runs.
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
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lindung_bench_dashboard"
PROVINCES = ["15", "16", "17", "18", "19"]
DAY = dt.date(2026, 5, 10)
SAMPLES = 200
BASELINE_SAMPLES = 10
CHANGES = 10_000
OFFICIALS = ["kepala-desa", "perangkat-desa", "bpd", "ketua-rt-rw", "linmas"]


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[max(0, round(len(values) * q) - 1)], 2) if values else 0.0


def build(n: int, reuse: bool) -> dict:
    from django.db import connection

    from lindung.enrolment.models import Participant
    from lindung.programs.models import Funder, Program
    from lindung.regions.models import Region
    from lindung.registry.models import Occupation

    earlier = Program.objects.filter(code="bench-dash-a").first()
    if reuse and earlier and Participant.objects.count() == n:
        log("reusing the people of an earlier run")
        return {"programs": list(Program.objects.filter(code__startswith="bench-dash"))}
    log("clearing earlier bench data (TRUNCATE: this database is the bench's own)")
    with connection.cursor() as c:
        c.execute(
            "TRUNCATE billing_paymentallocation, billing_payment, billing_invoiceline, "
            "billing_invoice, enrolment_participant, registry_worker, coverage_cell, "
            "coverage_total, coverage_snapshot, coverage_dirtyvillage, coverage_dirtyworker, "
            "coverage_countedperson CASCADE"
        )
    Program.objects.filter(code__startswith="bench-dash").delete()
    villages = list(
        Region.objects.filter(level=4, code__regex=r"^(" + "|".join(PROVINCES) + ")")
        .order_by("code")
        .values_list("code", flat=True)
    )
    a = Program.objects.create(
        code="bench-dash-a", name="Bench A", owner_region_id="16",
        coverage_start=dt.date(2026, 4, 1), coverage_end=dt.date(2026, 12, 31),
    )  # fmt: skip
    b = Program.objects.create(
        code="bench-dash-b", name="Bench B", owner_region_id="16",
        coverage_start=dt.date(2025, 12, 1), coverage_end=dt.date(2026, 12, 31),
    )  # fmt: skip
    fa = [
        Funder.objects.create(program=a, kind=k, name=k.upper()) for k in ("apbd", "apbdes", "csr")
    ]
    fb = Funder.objects.create(program=b, kind="apbd", name="APBD")
    occ = dict(Occupation.objects.values_list("code", "id"))
    officials = [occ[c] for c in OFFICIALS]
    others = [occ["petani"], occ["nelayan"], occ["pedagang-kecil"], occ["ojek"], occ["tukang"]]
    workers = n + n // 10
    log(f"inserting {workers:,} workers and {n:,} participants in {len(villages):,} villages")
    t = time.perf_counter()
    from lindung.billing.invoicing import month_index

    with connection.cursor() as c:
        c.execute("SET session_replication_role = replica")  # no triggers during the build
        c.execute("SET work_mem = '256MB'")
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
            SELECT '99' || lpad(g::text, 14, '0'), '', 'Pekerja ' || g, '',
                   DATE '1962-01-01' + (g::bigint * 7919 %% 16000)::int,
                   CASE WHEN g %% 2 = 0 THEN 'L' ELSE 'P' END, '', v.code, '', now(), now(),
                   'active', '',
                   CASE WHEN g %% 20 = 0 THEN (%s::int[])[1 + (g / 20) %% 5]
                        ELSE (%s::int[])[1 + g %% 5] END
            FROM generate_series(1, %s) g
            JOIN bench_village v ON v.i = g %% %s
            """,
            [officials, others, workers, len(villages)],
        )
        log(f"workers in {time.perf_counter() - t:.0f}s")
        # The exclusion constraints (one program a day, one person per KPJ) are GiST indexes
        # that cost a lookup per inserted row, and adding them back to a million rows took
        # more than three minutes on this machine: the bench's tables go without them. They
        # guard writes; the figures measured here never read them.
        c.execute(
            "ALTER TABLE enrolment_participant DROP CONSTRAINT IF EXISTS participant_no_overlap, "
            "DROP CONSTRAINT IF EXISTS participant_kpj_one_person"
        )
        # Every eleventh worker is not enrolled; of the rest, 5 % are in program B.
        c.execute(
            """
            INSERT INTO enrolment_participant (program_id, worker_id, village_id, funder_id,
                declared_wage, jkk, jkm, jht, kpj, state, registered_at, start_date, end_date,
                end_reason, end_note, enrol_batch, kpj_assigned_at)
            SELECT CASE WHEN w.id %% 20 = 1 THEN %s ELSE %s END, w.id, w.village_id,
                   CASE WHEN w.id %% 20 = 1 THEN %s
                        ELSE (ARRAY[%s, %s, %s]::int[])[1 + (v.i %% 3)] END,
                   1000000, true, true, false, lpad(w.id::text, 11, '0'), 'active', now(),
                   CASE WHEN w.id %% 20 = 1 THEN DATE '2025-12-01' ELSE DATE '2026-04-01' END,
                   DATE '2026-12-31', '', '', gen_random_uuid(), now()
            FROM registry_worker w JOIN bench_village v ON v.code = w.village_id
            WHERE w.id %% 11 <> 0
            """,
            [b.pk, a.pk, fb.pk, *(f.pk for f in fa)],
        )
        c.execute("SELECT count(*) FROM enrolment_participant")
        made = c.fetchone()[0]
        log(f"participants ({made:,}) in {time.perf_counter() - t:.0f}s")
        april = month_index(dt.date(2026, 4, 1))
        invoice_ids = []
        for f in fa:
            c.execute(
                """INSERT INTO billing_invoice (program_id, funder_id, region_id, month,
                       month_index, due_date, holidays_known, holiday_source, participants,
                       jkk, jkm, jht, discount, total, rules, refused, issued_at)
                   VALUES (%s, %s, '16', DATE '2026-04-01', %s, DATE '2026-04-15', true, '',
                           0, 0, 0, 0, 0, 0, '[]', '[]', now()) RETURNING id""",
                [a.pk, f.pk, april],
            )
            invoice_ids.append((f.pk, c.fetchone()[0]))
        c.execute("CREATE TEMP TABLE bench_invoice (funder int, invoice int)")
        c.executemany("INSERT INTO bench_invoice VALUES (%s, %s)", invoice_ids)
        # April lines for program A: paid on 10-04 except one participant in nine (arrears).
        c.execute(
            """
            INSERT INTO billing_invoiceline (invoice_id, participant_id, village_id,
                month_index, jkk, jkm, jht, discount, amount, settled_on)
            SELECT i.invoice, p.id, p.village_id, %s, 10000, 6800, 0, 0, 16800,
                   CASE WHEN p.id %% 9 = 0 THEN NULL ELSE DATE '2026-04-10' END
            FROM enrolment_participant p JOIN bench_invoice i ON i.funder = p.funder_id
            WHERE p.program_id = %s
            """,
            [april, a.pk],
        )
        c.execute("SET session_replication_role = DEFAULT")
        for table in ("registry_worker", "enrolment_participant", "billing_invoiceline"):
            c.execute(f"VACUUM ANALYZE {table}")
    log(f"built in {time.perf_counter() - t:.0f}s")
    return {"programs": [a, b]}


def changes_in_one_village_and_one_regency(day: dt.date) -> tuple[float, float]:
    """One participation ended (what a dashboard user waits for), then 10,000 in one regency
    (an enrolment batch or a funder's payment is one regency's): the dirty refresh of each."""
    from django.db import connection

    from lindung.coverage import refresh

    out = []
    for limit, where in ((1, "village_id LIKE '1612%%'"), (CHANGES, "village_id LIKE '1603%%'")):
        with connection.cursor() as c:
            c.execute(
                f"""UPDATE enrolment_participant SET end_date = DATE '2026-05-01',
                           state = 'ended', end_reason = 'moved_away'
                    WHERE id IN (SELECT id FROM enrolment_participant
                                 WHERE {where} AND end_date > DATE '2026-05-01' LIMIT %s)""",
                [limit],
            )
        t = time.perf_counter()
        refresh.refresh_dirty(day)
        out.append(time.perf_counter() - t)
    return out[0], out[1]


def timed(fn, samples) -> list[float]:
    out = []
    for s in samples:
        t = time.perf_counter()
        fn(s)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep an earlier run's people")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not url.startswith("postgres"):
        raise SystemExit("the dashboard benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    ensure_database(url)
    setup_django(url)
    from django.db import connection

    from lindung.accounts.models import User
    from lindung.coverage import figures, refresh
    from lindung.coverage.models import DirtyWorker
    from lindung.regions.models import Region

    root = User.objects.filter(username="bench-dashboard").first() or User.objects.create(
        username="bench-dashboard", role="superadmin"
    )
    started = time.perf_counter()
    build(args.participants, args.reuse)
    build_seconds = time.perf_counter() - started

    log(f"full refresh for {DAY}")
    t = time.perf_counter()
    refresh.refresh_all(DAY)
    full_refresh = time.perf_counter() - t
    DirtyWorker.objects.all().delete()
    with connection.cursor() as c:
        c.execute("ANALYZE coverage_cell")
        c.execute("ANALYZE coverage_total")
        c.execute("SELECT count(*) FROM coverage_cell")
        cells = c.fetchone()[0]

    rnd = random.Random(11)
    where = {"code__regex": r"^(" + "|".join(PROVINCES) + ")"}
    regencies = list(Region.objects.filter(level=2, **where).values_list("code", flat=True))
    districts = list(Region.objects.filter(level=3, **where).values_list("code", flat=True))
    villages = list(Region.objects.filter(level=4, **where).values_list("code", flat=True))
    levels = {
        "province": [rnd.choice(PROVINCES) for _ in range(SAMPLES)],
        "regency": [rnd.choice(regencies) for _ in range(SAMPLES)],
        "village": [rnd.choice(villages) for _ in range(SAMPLES)],
    }
    out: dict = {}
    for name, codes in levels.items():
        log(f"{name} figures × {len(codes)}")
        times = timed(lambda code: figures.figures(root, code, DAY), codes)
        out[name] = {"p50_ms": p(times, 0.5), "p95_ms": p(times, 0.95)}
    ranks = [rnd.choice(PROVINCES + regencies + districts) for _ in range(SAMPLES)]
    log(f"ranking × {len(ranks)}")
    times = timed(lambda code: figures.ranking(root, code, DAY), ranks)
    out["ranking"] = {"p50_ms": p(times, 0.5), "p95_ms": p(times, 0.95)}
    sample = figures.figures(root, "16", DAY)

    log(f"{CHANGES:,} changes, then the dirty refresh")
    with connection.cursor() as c:
        c.execute(
            """UPDATE enrolment_participant SET end_date = DATE '2026-05-01', state = 'ended',
                      end_reason = 'moved_away'
               WHERE id IN (SELECT id FROM enrolment_participant
                            WHERE end_date > DATE '2026-05-01'
                            ORDER BY md5(id::text) LIMIT %s)""",
            [CHANGES // 2],
        )
        c.execute(
            """UPDATE billing_invoiceline SET settled_on = DATE '2026-05-05'
               WHERE id IN (SELECT id FROM billing_invoiceline WHERE settled_on IS NULL
                            ORDER BY md5(id::text) LIMIT %s)""",
            [CHANGES // 2],
        )
    dirty = DirtyWorker.objects.count()
    t = time.perf_counter()
    recounted = refresh.refresh_dirty(DAY)
    refresh_seconds = time.perf_counter() - t
    after = figures.figures(root, "16", DAY)
    one, clustered = changes_in_one_village_and_one_regency(DAY)

    log(f"baseline: naive COUNT over the participant table × {BASELINE_SAMPLES}")
    base = []
    with connection.cursor() as c:
        for code in [rnd.choice(PROVINCES) for _ in range(BASELINE_SAMPLES)]:
            t = time.perf_counter()
            c.execute(
                """SELECT count(*) FROM enrolment_participant
                   WHERE village_id LIKE %s AND kpj IS NOT NULL
                     AND start_date <= %s AND end_date >= %s""",
                [code + "%", DAY, DAY],
            )
            c.fetchone()
            base.append((time.perf_counter() - t) * 1000)

    print(
        json.dumps(
            {
                "participants": args.participants,
                "villages": len(villages),
                "cells": cells,
                "build_seconds": round(build_seconds, 1),
                "full_refresh_seconds": round(full_refresh, 1),
                **{f"{k}_p50_ms": v["p50_ms"] for k, v in out.items()},
                **{f"{k}_p95_ms": v["p95_ms"] for k, v in out.items()},
                "changes": CHANGES,
                "dirty_people": dirty,
                "changed_villages": recounted,
                "refresh_seconds": round(refresh_seconds, 2),
                "refresh_one_change_seconds": round(one, 3),
                "refresh_10000_in_one_regency_seconds": round(clustered, 2),
                "baseline_p50_ms": p(base, 0.5),
                "baseline_p95_ms": p(base, 0.95),
                "south_sumatra": {
                    "protected": sample["protected"],
                    "with_arrears": sample["protected_with_arrears"],
                    "not_protected": sample["not_protected"],
                    "protected_after_changes": after["protected"],
                },
                "load_average": round(os.getloadavg()[0], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
