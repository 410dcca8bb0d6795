"""`lindung poverty import FILE --year 2025 [--source DTSEN] [--json] [--lang en]`: a
socio-economic list (CSV with NIK and decile columns, e.g. an extract of DTSEN) for programs
that require one. The report names every skipped row and why, in Bahasa Indonesia by default."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.system import SYSTEM
from lindung.audit.commands import AuditedCommand
from lindung.common.text import number
from lindung.intake.columns import normalise_header
from lindung.intake.reader import decode_text
from lindung.programs.services import poverty_import

DECILE_HEADERS = ("desil", "decile", "desilkesejahteraan")
SHOWN_SKIPPED = 50


class Command(AuditedCommand):
    help = "Import a poverty list (NIK, decile) such as DTSEN."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="load a CSV with NIK and Desil columns")
        load.add_argument("file")
        load.add_argument("--year", type=int, required=True)
        load.add_argument("--source", default="DTSEN")
        load.add_argument("--json", action="store_true", help="print one JSON report")
        load.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
            good, skipped = read_poverty_list(path.read_bytes())
            stored = poverty_import(
                actor=SYSTEM, rows=good.iter_rows(), source=options["source"], year=options["year"]
            )
            if options["json"]:
                report = {"stored": stored, "skipped": skipped}
                self.stdout.write(json.dumps(report, ensure_ascii=False))
                return
            self.stdout.write(
                _("%(stored)s rows stored; %(skipped)s rows skipped.")
                % {"stored": number(stored), "skipped": number(len(skipped))}
            )
            for s in skipped[:SHOWN_SKIPPED]:
                self.stdout.write("  " + _("row %(row)s: %(reason)s") % s)
            if len(skipped) > SHOWN_SKIPPED:
                self.stdout.write(
                    "  "
                    + _("… and %(count)s more (use --json for all)")
                    % {"count": len(skipped) - SHOWN_SKIPPED}
                )


def read_poverty_list(data: bytes) -> tuple[pl.DataFrame, list[dict]]:
    """The rows to store (nik, decile; one per NIK, the last wins) and the skipped rows, each
    `{"row": line number in the file, "reason": why}` in the active language."""
    text = decode_text(data)
    first = text.splitlines()[0] if text else ""
    separator = ";" if first.count(";") >= first.count(",") else ","
    try:
        frame = pl.read_csv(text.encode(), separator=separator, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        reason = _("The file is not a readable CSV: %(reason)s") % {"reason": exc}
        raise CommandError(reason) from exc
    names = {normalise_header(c): c for c in frame.columns}
    nik = names.get("nik")
    decile = next((names[k] for k in DECILE_HEADERS if k in names), None)
    if not nik or not decile:
        raise CommandError(_("The file needs a NIK column and a Desil (decile) column."))
    clean = frame.select(
        # Line numbers as the operator sees them in a spreadsheet: the header is line 1.
        (pl.int_range(pl.len()) + 2).alias("row"),
        pl.col(nik).fill_null("").str.replace_all(r"[\s.\-]", "").alias("nik"),
        pl.col(nik).fill_null("").alias("nik_written"),
        pl.col(decile).fill_null("").str.strip_chars().alias("decile_written"),
        pl.col(decile).str.strip_chars().cast(pl.Int64, strict=False).alias("decile"),
    )
    nik_ok = pl.col("nik").str.contains(r"^[0-9]{16}$")
    decile_ok = pl.col("decile").is_between(1, 10)
    # A NIK listed again further down: the later row is kept, the earlier one is skipped.
    later = nik_ok & (pl.col("row").max().over("nik") != pl.col("row"))
    judged = clean.with_columns(
        pl.when(~nik_ok)
        .then(pl.lit("nik"))
        .when(~decile_ok.fill_null(False))
        .then(pl.lit("decile"))
        .when(later)
        .then(pl.lit("repeated"))
        .otherwise(None)
        .alias("problem"),
        pl.col("row").max().over("nik").alias("last_row"),
    )
    good = judged.filter(pl.col("problem").is_null()).select("nik", "decile")
    skipped = [
        {"row": r["row"], "reason": _reason(r)}
        for r in judged.filter(pl.col("problem").is_not_null()).iter_rows(named=True)
    ]
    return good, skipped


def _reason(row: dict) -> str:
    if row["problem"] == "nik":
        return _("the NIK must be 16 digits (written: %(value)s)") % {
            "value": repr(row["nik_written"])
        }
    if row["problem"] == "decile":
        return _("the decile must be a whole number from 1 to 10 (written: %(value)s)") % {
            "value": repr(row["decile_written"])
        }
    return _("the same NIK appears again on row %(row)s, which is used instead") % {
        "row": row["last_row"]
    }
