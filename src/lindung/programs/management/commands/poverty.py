"""`lindung poverty import FILE --year 2025 [--source DTSEN]`: a socio-economic list (CSV with
NIK and decile columns, e.g. an extract of DTSEN) for programs that require one."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.core.management.base import CommandError

from lindung.accounts.system import SYSTEM
from lindung.common.management.base import AuditedCommand
from lindung.intake.columns import normalise_header
from lindung.intake.reader import decode_text
from lindung.programs.services import poverty_import


class Command(AuditedCommand):
    help = "Import a poverty list (NIK, decile) such as DTSEN."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import")
        load.add_argument("file")
        load.add_argument("--year", type=int, required=True)
        load.add_argument("--source", default="DTSEN")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        text = decode_text(path.read_bytes())
        first = text.splitlines()[0] if text else ""
        separator = ";" if first.count(";") >= first.count(",") else ","
        frame = pl.read_csv(text.encode(), separator=separator, infer_schema=False)
        names = {normalise_header(c): c for c in frame.columns}
        nik = names.get("nik")
        decile = next(
            (names[k] for k in ("desil", "decile", "desilkesejahteraan") if k in names), None
        )
        if not nik or not decile:
            raise CommandError("the file needs a NIK column and a Desil (decile) column")
        clean = frame.select(
            pl.col(nik).str.replace_all(r"[\s.\-]", "").alias("nik"),
            pl.col(decile).str.strip_chars().cast(pl.Int64, strict=False).alias("decile"),
        )
        good = clean.filter(
            pl.col("nik").str.contains(r"^[0-9]{16}$") & pl.col("decile").is_between(1, 10)
        ).unique(subset=["nik"], keep="last")
        stored = poverty_import(
            actor=SYSTEM, rows=good.iter_rows(), source=options["source"], year=options["year"]
        )
        self.stdout.write(
            f"{stored} rows stored; {clean.height - good.height} rows skipped (bad NIK or decile)"
        )
