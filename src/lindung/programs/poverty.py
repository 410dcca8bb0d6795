"""Reading a poverty list (NIK and decile, e.g. an extract of DTSEN) from a CSV or XLSX file.

One reader for the command line and the web page: the same columns, the same reasons for
every skipped row (in the active language), and the same guarded way into a workbook as worker
lists (`intake.reader.open_workbook`: size, zip members, sheet area checked before reading).
"""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from lindung.intake.columns import normalise_header
from lindung.intake.guard import FileRefused
from lindung.intake.reader import decode_text, limits, open_workbook, sheet_rows

DECILE_HEADERS = ("desil", "decile", "desilkesejahteraan")
HEADER_SCAN_ROWS = 15
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel keeps 15 significant digits: a NIK typed as a number has already lost its last digit.
_NUMBER_MARK = "\x00number:"


def read_poverty_list(data: bytes) -> tuple[pl.DataFrame, list[dict]]:
    """The rows to store (`nik`, `decile`, `row`; one per NIK, the last wins) and the skipped
    rows, each `{"row": line number in the file, "reason": why}`. Raises `FileRefused` with
    what to fix when the file as a whole cannot be used."""
    max_bytes, _rows, _unpacked = limits()
    if len(data) > max_bytes:
        too_large = _(
            "The file is %(size)s MB; the limit is %(limit)s MB. Split the list into smaller files."
        )
        figures = {"size": round(len(data) / 1e6, 1), "limit": round(max_bytes / 1e6)}
        raise FileRefused(too_large % figures, "too_large")
    if not data.strip():
        raise FileRefused(_("The file is empty."), "empty")
    if data.startswith(_OLE2) or (not data.startswith(_ZIP) and b"\x00" in data[:4096]):
        raise FileRefused(
            _("Upload the poverty list as .xlsx (Excel Workbook) or .csv."), "wrong_type"
        )
    frame, header_row = _read_xlsx(data) if data.startswith(_ZIP) else _read_csv(data)
    return _judge(frame, header_row)


def _read_csv(data: bytes) -> tuple[pl.DataFrame, int]:
    text = decode_text(data)
    first = text.splitlines()[0] if text else ""
    separator = ";" if first.count(";") >= first.count(",") else ","
    try:
        frame = pl.read_csv(text.encode(), separator=separator, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise FileRefused(
            _("The file is not a readable CSV: %(reason)s") % {"reason": exc}, "unreadable"
        ) from exc
    return frame, 1


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    return str(value).strip()


def _read_xlsx(data: bytes) -> tuple[pl.DataFrame, int]:
    workbook, _archive = open_workbook(data)
    _sheet, rows = sheet_rows(workbook, 0)
    index, row, names = next(
        (
            (i, r, names)
            for i, r in enumerate(rows[:HEADER_SCAN_ROWS])
            if "nik" in (names := [normalise_header(_cell(c)) for c in r])
        ),
        (None, [], []),
    )
    if index is None:
        raise FileRefused(_("The file needs a NIK column and a Desil (decile) column."), "headers")
    headers = [_cell(c) or f"column {i + 1}" for i, c in enumerate(row)]
    nik_at = names.index("nik")
    body = []
    for values in rows[index + 1 :]:
        cells = [_cell(c) for c in values]
        nik = values[nik_at] if nik_at < len(values) else None
        if isinstance(nik, int | float) and not isinstance(nik, bool):
            cells[nik_at] = _NUMBER_MARK + cells[nik_at]
        body.append(cells + [""] * (len(headers) - len(cells)))
    unique = [f"{h}#{i}" if headers.index(h) != i else h for i, h in enumerate(headers)]
    frame = pl.DataFrame(
        {name: [r[i] for r in body] for i, name in enumerate(unique)},
        schema={name: pl.String for name in unique},
    )
    return frame, index + 1


def _judge(frame: pl.DataFrame, header_row: int) -> tuple[pl.DataFrame, list[dict]]:
    names = {normalise_header(c): c for c in frame.columns}
    nik = names.get("nik")
    decile = next((names[k] for k in DECILE_HEADERS if k in names), None)
    if not nik or not decile:
        raise FileRefused(_("The file needs a NIK column and a Desil (decile) column."), "headers")
    written = pl.col(nik).fill_null("")
    clean = frame.select(
        # Line numbers as the operator sees them in a spreadsheet.
        (pl.int_range(pl.len()) + header_row + 1).alias("row"),
        written.str.replace_all(r"[\s.\-]", "").alias("nik"),
        written.str.replace(_NUMBER_MARK, "", literal=True).alias("nik_written"),
        written.str.starts_with(_NUMBER_MARK).alias("nik_number"),
        pl.col(decile).fill_null("").str.strip_chars().alias("decile_written"),
        pl.col(decile).str.strip_chars().cast(pl.Int64, strict=False).alias("decile"),
    )
    nik_ok = pl.col("nik").str.contains(r"^[0-9]{16}$")
    decile_ok = pl.col("decile").is_between(1, 10)
    # A NIK listed again further down: the later row is kept, the earlier one is skipped.
    later = nik_ok & (pl.col("row").max().over("nik") != pl.col("row"))
    judged = clean.with_columns(
        pl.when(pl.col("nik_number"))
        .then(pl.lit("nik_number"))
        .when(~nik_ok)
        .then(pl.lit("nik"))
        .when(~decile_ok.fill_null(False))
        .then(pl.lit("decile"))
        .when(later)
        .then(pl.lit("repeated"))
        .otherwise(None)
        .alias("problem"),
        pl.col("row").max().over("nik").alias("last_row"),
    )
    good = judged.filter(pl.col("problem").is_null()).select("nik", "decile", "row")
    skipped = [
        {"row": r["row"], "reason": _reason(r)}
        for r in judged.filter(pl.col("problem").is_not_null()).iter_rows(named=True)
    ]
    return good, skipped


def _shown(value: str) -> str:
    # A hostile cell (a megabyte, control characters) must not flood the report.
    cut = "".join(ch if ch.isprintable() else "?" for ch in value[:40])
    return repr(cut + ("…" if len(value) > 40 else ""))


def _reason(row: dict) -> str:
    if row["problem"] == "nik_number":
        return _(
            "the NIK was typed as a number, and Excel keeps only 15 digits (written: "
            "%(value)s); format the column as Text and type it again"
        ) % {"value": _shown(row["nik_written"])}
    if row["problem"] == "nik":
        return _("the NIK must be 16 digits (written: %(value)s)") % {
            "value": _shown(row["nik_written"])
        }
    if row["problem"] == "decile":
        return _("the decile must be a whole number from 1 to 10 (written: %(value)s)") % {
            "value": _shown(row["decile_written"])
        }
    return _("the same NIK appears again on row %(row)s, which is used instead") % {
        "row": row["last_row"]
    }


def out_of_scope_reason() -> str:
    return _("the NIK is of a person outside your regions")
