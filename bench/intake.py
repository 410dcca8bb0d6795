#!/usr/bin/env python3
"""Intake benchmark: a 1,000,000-row village list into the PostgreSQL registry, end to end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench .venv/bin/python bench/intake.py

Measured in the same run, on the same machine and table (registry_worker with its indexes):
  - bare COPY of the clean rows (the ceiling),
  - Django ORM bulk_create,
  - a row-by-row ORM import as typical Django import tools do it (on 20,000 rows),
  - `lindung import FILE --commit` (read + validate + stage + commit) in its own process, with its
    peak memory, then the same file again (must change nothing, no slower),
  - the cost of the per-person audit rows (issue 7 §1): the first import and an import that
    changes every registered person's phone and address, each with and without those rows
    (without = the same command with the per-person audit writers stubbed out),
  - parse + validate of a 100,000-row XLSX.
The file has ~3% bad rows and ~3% people already registered. The last line is one JSON object.
Options: --rows N (default 1,000,000), --keep (keep the generated files in var/bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from _shared import ensure_database, log, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lindung_bench"
REGENCY = "1603"  # Muara Enim: 22 districts, 256 villages
ROW_BY_ROW_ROWS = 20_000
BULK_CREATE_ROWS = 200_000
XLSX_ROWS = 100_000


# --- data ----------------------------------------------------------------------------------------


def generate(rows: int, seed: int = 2025):
    """The file as a polars frame of text cells, plus which rows are clean and pre-registered."""
    import polars as pl

    from lindung.regions.models import Region

    rng = random.Random(seed)
    villages = list(
        Region.objects.filter(level=4, code__startswith=REGENCY, is_active=True).values_list(
            "code", flat=True
        )
    )
    n = rows
    index = pl.int_range(0, n, eager=True)
    # Unique NIKs: (village, birth day, serial) walk through distinct combinations.
    village = index % len(villages)
    day_offset = (index // len(villages)) % 16000
    # The serial is the village's slot, so villages sharing a district never collide.
    serial = village + 1 + len(villages) * (index // (len(villages) * 16000))
    female = (index % 2) == 1
    village_codes = pl.Series([villages[i] for i in village.to_list()])
    frame = pl.DataFrame(
        {"village": village_codes, "day": day_offset, "female": female, "serial": serial}
    ).with_columns((pl.lit(dt.date(1962, 1, 1)) + pl.duration(days=pl.col("day"))).alias("born"))
    frame = frame.with_columns(
        pl.concat_str(
            pl.col("village").str.slice(0, 6),
            (pl.col("born").dt.day() + pl.when(pl.col("female")).then(40).otherwise(0))
            .cast(pl.Utf8)
            .str.zfill(2),
            pl.col("born").dt.strftime("%m%y"),
            pl.col("serial").cast(pl.Utf8).str.zfill(4),
        ).alias("nik")
    )
    first = ["Muhammad", "Ahmad", "Siti", "Nur", "Rahmat", "Sri", "Dedi", "Yusuf", "Aminah", "Rina"]
    last = ["Saputra", "Hidayat", "Lestari", "Wahyuni", "Pratama", "Susanto", "Handayani", "Rahman"]
    occupations = [
        "Petani",
        "Petani Sawit",
        "Nelayan",
        "Buruh Harian Lepas",
        "Ojek",
        "Pedagang Kecil",
    ]
    names = [f"{rng.choice(first)} {rng.choice(last)}" for _ in range(1000)]
    frame = frame.with_columns(
        pl.Series([names[i % 1000] for i in range(n)]).alias("name"),
        pl.col("born").dt.strftime("%d-%m-%Y").alias("birth_date"),
        pl.when(pl.col("female")).then(pl.lit("P")).otherwise(pl.lit("L")).alias("sex"),
        pl.Series([occupations[i % len(occupations)] for i in range(n)]).alias("occupation"),
        pl.concat_str(
            pl.lit("0812"), (index * 7919 % 100_000_000).cast(pl.Utf8).str.zfill(8)
        ).alias("phone"),
        ((index % 50) * 50_000 + 1_000_000).cast(pl.Utf8).alias("income"),
        pl.concat_str(
            pl.lit("Dusun "),
            (index % 5 + 1).cast(pl.Utf8),
            pl.lit(" RT 00"),
            (index % 9 + 1).cast(pl.Utf8),
        ).alias("address"),
    )
    # ~3% bad rows of several kinds; ~3% (other rows) already registered.
    bad_kind = (
        pl.when(index % 100 == 1)
        .then(pl.lit("excel"))
        .when(index % 100 == 2)
        .then(pl.lit("short"))
        .when(index % 100 == 3)
        .then(pl.lit("occupation"))
        .otherwise(pl.lit(""))
    )
    registered = (index % 100 == 50) | (index % 100 == 60) | (index % 100 == 70)
    frame = frame.with_columns(bad_kind.alias("bad"), registered.alias("registered"))
    frame = frame.with_columns(
        pl.when(pl.col("bad") == "excel")
        .then(pl.lit("1.60301E+15"))
        .when(pl.col("bad") == "short")
        .then(pl.col("nik").str.slice(0, 15))
        .otherwise(pl.col("nik"))
        .alias("nik_cell"),
        pl.when(pl.col("bad") == "occupation")
        .then(pl.lit("Tukang Sihir"))
        .otherwise(pl.col("occupation"))
        .alias("occupation_cell"),
    )
    return frame


def write_csv(frame, path: Path) -> None:
    import polars as pl

    out = frame.select(
        pl.col("nik_cell").alias("NIK"),
        pl.col("name").alias("Nama Lengkap"),
        pl.col("birth_date").alias("Tanggal Lahir"),
        pl.col("sex").alias("Jenis Kelamin (L/P)"),
        pl.col("village").alias("Kode Desa"),
        pl.col("phone").alias("No. HP"),
        pl.col("occupation_cell").alias("Pekerjaan"),
        pl.col("income").alias("Penghasilan per Bulan (Rp)"),
        pl.col("address").alias("Alamat"),
    )
    out.write_csv(path, separator=";")


def clean_worker_rows(frame, occupation_ids: dict[str, int]):
    """(nik, name, birth_date, sex, village, phone, occupation_id, income, address), clean rows."""
    import polars as pl

    return frame.filter(pl.col("bad") == "").select(
        "nik",
        "name",
        "born",
        "sex",
        "village",
        pl.concat_str(pl.lit("+62"), pl.col("phone").str.slice(1)).alias("phone"),
        pl.col("occupation")
        .replace_strict(occupation_ids, return_dtype=pl.Int64)
        .alias("occupation_id"),
        pl.col("income").cast(pl.Int64),
        "address",
    )


WORKER_COPY_COLUMNS = (
    "nik, name, birth_date, sex, village_id, phone, occupation_id, monthly_income, address, "
    "kk_number, birth_place, created_at, updated_at"
)


def copy_workers(rows) -> float:
    """Bare COPY of clean rows into registry_worker (with all its indexes); returns seconds."""
    import polars as pl
    from django.db import connection, transaction

    now = dt.datetime.now(dt.UTC).isoformat()
    data = rows.with_columns(
        pl.lit("").alias("kk"),
        pl.lit("").alias("place"),
        pl.lit(now).alias("c"),
        pl.lit(now).alias("u"),
    )
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY registry_worker ({WORKER_COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv)"
        ) as copy,
    ):
        for start in range(0, data.height, 200_000):
            buffer = io.BytesIO()
            data.slice(start, 200_000).write_csv(buffer, include_header=False)
            copy.write(buffer.getvalue())
    return time.perf_counter() - started


def reset_registry(pre_registered) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # CASCADE: lists and duplicate pairs of earlier runs point at these workers.
        cursor.execute(
            "TRUNCATE registry_heir, registry_worker, intake_stagedrow RESTART IDENTITY CASCADE"
        )
    copy_workers(pre_registered)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_worker")


def bulk_create_seconds(rows) -> float:
    from django.db import transaction

    from lindung.registry.models import Worker

    now = dt.datetime.now(dt.UTC)
    objects = [
        Worker(
            nik=r[0], name=r[1], birth_date=r[2], sex=r[3], village_id=r[4], phone=r[5],
            occupation_id=r[6], monthly_income=r[7], address=r[8], created_at=now, updated_at=now,
        )
        for r in rows.iter_rows()
    ]  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic():
        Worker.objects.bulk_create(objects, batch_size=5000)
    return time.perf_counter() - started


def row_by_row_seconds(rows) -> float:
    """What django-import-export and hand-written importers do: per row, look the person up,
    fill the model, validate it, save it."""
    from django.db import transaction

    from lindung.registry.models import Worker

    started = time.perf_counter()
    with transaction.atomic():
        for r in rows.iter_rows():
            worker = Worker.objects.filter(nik=r[0]).first() or Worker(nik=r[0])
            worker.name, worker.birth_date, worker.sex, worker.village_id = r[1], r[2], r[3], r[4]
            worker.phone, worker.occupation_id, worker.monthly_income, worker.address = r[5:9]
            worker.full_clean(validate_unique=False)
            worker.save()
    return time.perf_counter() - started


# Runs `lindung` with the per-person audit writers of the commit replaced by no-ops: the
# "without" side of the audit cost. Only the benchmark does this; the product has no switch.
NO_PERSON_AUDIT = (
    "import sys; from lindung.intake import changes; "
    "changes.record_updates = changes.record_heirs = "
    "lambda **kw: 0; from lindung.cli import main; sys.argv[0] = 'lindung'; main()"
)


def run_import(path: Path, url: str, *, person_audit: bool = True) -> tuple[float, float, dict]:
    """`lindung import` in its own process: seconds, peak RSS (MB), JSON report."""
    env = {**os.environ, "DATABASE_URL": url}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    launcher = ["-m", "lindung.cli"] if person_audit else ["-c", NO_PERSON_AUDIT]
    result = subprocess.run(
        [sys.executable, *launcher, "import", str(path), "--village", FIRST_VILLAGE[0],
         "--commit", "--json"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"import failed: {result.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report.pop("errors", None)
    return seconds, max(peak, before) / 1024, report


FIRST_VILLAGE: list[str] = []


def xlsx_seconds(frame, folder: Path) -> float:
    import polars as pl
    import xlsxwriter

    from lindung.accounts.system import SYSTEM
    from lindung.intake.reader import read_table
    from lindung.intake.services import build_lookups
    from lindung.intake.validate import validate
    from lindung.regions.models import Region

    path = folder / "daftar-100k.xlsx"
    sample = frame.head(XLSX_ROWS)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Data")
    headers = [
        "NIK",
        "Nama Lengkap",
        "Tanggal Lahir",
        "Jenis Kelamin (L/P)",
        "Kode Desa",
        "No. HP",
        "Pekerjaan",
        "Penghasilan per Bulan (Rp)",
    ]
    sheet.write_row(0, 0, headers)
    date_format = book.add_format({"num_format": "dd-mm-yyyy"})
    for r, row in enumerate(
        sample.select(
            "nik_cell",
            "name",
            "born",
            "sex",
            "village",
            "phone",
            "occupation_cell",
            pl.col("income").cast(pl.Int64),
        ).iter_rows(),
        start=1,
    ):
        sheet.write_string(r, 0, row[0])
        sheet.write_string(r, 1, row[1])
        sheet.write_datetime(r, 2, dt.datetime.combine(row[2], dt.time()), date_format)
        for c in (3, 4, 5, 6):
            sheet.write_string(r, c, row[c])
        sheet.write_number(r, 7, row[7])
    book.close()
    village = Region.objects.get(code=FIRST_VILLAGE[0])
    lookups = build_lookups(SYSTEM, village)
    data = path.read_bytes()
    from lindung.intake.guard import inspect_xlsx

    guard_started = time.perf_counter()
    inspect_xlsx(data)  # part of read_table below; timed alone to show its share
    log(f"  guard (zip and sheet scan first): {time.perf_counter() - guard_started:.2f} s")
    started = time.perf_counter()
    table = read_table(data, path.name)
    result = validate(table.frame, lookups)
    seconds = time.perf_counter() - started
    assert result.rows.height == XLSX_ROWS
    return seconds


def person_events() -> int:
    from lindung.audit.models import AuditEvent

    return AuditEvent.objects.filter(object_type="registry.worker").count()


def audit_cost(frame, folder: Path, url: str, pre_registered, first_seconds: float) -> dict:
    """Per-person audit rows: the first import again without them, then two imports that change
    every person's phone and address (one with, one without). Same rows, same table."""
    import polars as pl

    log("lindung import --commit (first time) without per-person audit rows")
    reset_registry(pre_registered)
    csv_path = folder / f"daftar-{frame.height}.csv"
    bare_s, _peak, _report = run_import(csv_path, url, person_audit=False)
    results = {}
    for label, person_audit, digit in (("without", False, "7"), ("with", True, "9")):
        changed = frame.with_columns(
            pl.concat_str(pl.lit("081"), pl.lit(digit), pl.col("phone").str.slice(4)).alias(
                "phone"
            ),
            pl.concat_str(pl.col("address"), pl.lit(f" blok {digit}")).alias("address"),
        )
        path = folder / f"daftar-changed-{digit}.csv"
        write_csv(changed, path)
        events = person_events()
        log(f"lindung import --commit (every person changed, {label} per-person audit)")
        secs, _peak, report = run_import(path, url, person_audit=person_audit)
        results[label] = (secs, report["updated"], person_events() - events)
        log(f"  {secs:.1f} s: {report['updated']:,} updated, {results[label][2]:,} audit rows")
    with_s, updated, audit_rows = results["with"]
    without_s = results["without"][0]
    return {
        "first_import_without_person_audit_seconds": round(bare_s, 2),
        "first_import_person_audit_overhead": round(first_seconds / bare_s - 1, 3),
        "update_rows": updated,
        "update_audit_rows": audit_rows,
        "update_seconds_with_audit": round(with_s, 2),
        "update_seconds_without_audit": round(without_s, 2),
        "update_rows_per_s_with_audit": round(updated / with_s),
        "update_rows_per_s_without_audit": round(updated / without_s),
        "update_audit_overhead": round(with_s / without_s - 1, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not url.startswith("postgres"):
        raise SystemExit("the intake benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    ensure_database(url)
    setup_django(url)
    import polars as pl

    from lindung.regions.models import Region
    from lindung.registry.models import Occupation

    FIRST_VILLAGE.append(
        Region.objects.filter(level=4, code__startswith=REGENCY)
        .order_by("code")
        .values_list("code", flat=True)[0]
    )
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    log(f"generating {args.rows:,} rows")
    frame = generate(args.rows)
    csv_path = folder / f"daftar-{args.rows}.csv"
    write_csv(frame, csv_path)
    occupation_ids = {o.name_id: o.pk for o in Occupation.objects.all()}
    pre_registered = clean_worker_rows(frame.filter(pl.col("registered")), occupation_ids)
    new_rows = clean_worker_rows(frame.filter(~pl.col("registered")), occupation_ids)

    log("baseline: bare COPY of the clean rows")
    reset_registry(pre_registered)
    copy_s = copy_workers(new_rows)
    copy_rps = new_rows.height / copy_s

    log(f"baseline: bulk_create ({BULK_CREATE_ROWS:,} rows)")
    reset_registry(pre_registered)
    bulk_rows = new_rows.head(BULK_CREATE_ROWS)
    bulk_rps = bulk_rows.height / bulk_create_seconds(bulk_rows)

    log(f"baseline: row by row ({ROW_BY_ROW_ROWS:,} rows)")
    reset_registry(pre_registered)
    rbr_rows = new_rows.head(ROW_BY_ROW_ROWS)
    rbr_rps = rbr_rows.height / row_by_row_seconds(rbr_rows)

    log("lindung import --commit (first time)")
    reset_registry(pre_registered)
    seconds, peak_mb, report = run_import(csv_path, url)
    from lindung.registry.models import Worker

    workers_after_first = Worker.objects.count()
    log(f"  {seconds:.1f} s, peak {peak_mb:.0f} MB: {report}")
    log("lindung import --commit (same file again)")
    again_s, again_peak, again = run_import(csv_path, url)
    workers_after_second = Worker.objects.count()
    log(f"  {again_s:.1f} s: {again}")

    audit = audit_cost(frame, folder, url, pre_registered, seconds)

    log(f"parse + validate {XLSX_ROWS:,}-row XLSX")
    xlsx_s = xlsx_seconds(frame, folder)
    if not args.keep:
        for path in folder.glob("daftar-*"):
            path.unlink()
    rows_per_s = args.rows / seconds
    figures = {
        "rows": args.rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows_per_s),
        "copy_rows_per_s": round(copy_rps),
        "bulk_create_rows_per_s": round(bulk_rps),
        "row_by_row_rows_per_s": round(rbr_rps),
        "ratio_vs_copy": round(rows_per_s / copy_rps, 3),
        "ratio_vs_bulk_create": round(rows_per_s / bulk_rps, 2),
        "ratio_vs_row_by_row": round(rows_per_s / rbr_rps, 1),
        "peak_rss_mb": round(max(peak_mb, again_peak)),
        "accepted": report["accepted"],
        "rejected": report["rejected"],
        "unchanged": report["unchanged"],
        "reimport_seconds": round(again_s, 2),
        "reimport_new": again["accepted"],
        "reimport_updated": again["updated"],
        "reimport_registry_unchanged": workers_after_first == workers_after_second,
        "xlsx_100k_seconds": round(xlsx_s, 2),
        **audit,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
