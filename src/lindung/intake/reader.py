"""Reading an uploaded worker list (XLSX or CSV) into a table of text cells.

Every cell becomes text exactly as the operator would read it, except that we remember which NIK
and KK cells Excel stored as numbers: a 16-digit number does not fit in Excel's 15 significant
digits, so such a cell has already lost its last digit and must be rejected, never repaired.

A file that cannot be read at all raises `FileRefused` with a message saying what to fix; nothing
is staged then.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from lindung.common.text import number

from .columns import COLUMNS, match_headers, missing_required
from .guard import FileRefused, inspect_xlsx

HEADER_SCAN_ROWS = 15
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and every password-protected .xlsx
_ZIP = b"PK\x03\x04"
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


@dataclass
class Table:
    """Data rows as text, one column per known key, plus where each row was in the file."""

    frame: pl.DataFrame  # columns: row_number, every matched key, nik_numeric, kk_numeric
    header_row: int  # 1-based row number of the header
    header_map: dict[str, str]  # key → header text as written
    unknown_headers: list[str] = field(default_factory=list)
    kind: str = "csv"
    sheet: str = ""


def limits() -> tuple[int, int, int]:
    return (
        settings.LINDUNG_UPLOAD_MAX_BYTES,
        settings.LINDUNG_UPLOAD_MAX_ROWS,
        settings.LINDUNG_UPLOAD_MAX_UNCOMPRESSED_BYTES,
    )


def read_table(data: bytes, filename: str = "") -> Table:
    max_bytes, _rows, _unzipped = limits()
    if len(data) > max_bytes:
        raise FileRefused(
            _(
                "The file is %(size)s MB; the limit is %(limit)s MB. Split the list into smaller files."  # noqa: E501
            )
            % {"size": round(len(data) / 1e6, 1), "limit": round(max_bytes / 1e6)},
            "too_large",
        )
    if not data.strip():
        raise FileRefused(_("The file is empty."), "empty")
    if data.startswith(_OLE2):
        raise FileRefused(
            _(
                "This is an old Excel file (.xls) or an Excel file locked with a password. Open "
                "it in Excel, remove the password if there is one, and save it as .xlsx "
                "(Excel Workbook) or CSV."
            ),
            "xls_or_encrypted",
        )
    if data.startswith(_ZIP):
        return _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise FileRefused(
            _(
                "This file is neither an Excel workbook (.xlsx) nor a CSV text file. Upload the "
                "list as .xlsx or .csv."
            ),
            "wrong_type",
        )
    return _read_csv(data)


# --- XLSX ----------------------------------------------------------------------------------------


def open_workbook(data: bytes) -> tuple[CalamineWorkbook, zipfile.ZipFile]:
    """The only way into calamine: the guard first, then the workbook (damage → `FileRefused`)."""
    archive = inspect_xlsx(data)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data)), archive
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise FileRefused(
            _("The Excel file is damaged and cannot be opened. Save it again from Excel."),
            "corrupt",
        ) from exc


def sheet_rows(workbook: CalamineWorkbook, index: int):
    """One sheet and its Python rows; calamine parses sheets lazily, so damage surfaces here."""
    try:
        sheet = workbook.get_sheet_by_index(index)
        return sheet, sheet.to_python(skip_empty_area=False)
    except Exception as exc:
        raise FileRefused(
            _("The Excel file is damaged and cannot be opened. Save it again from Excel."),
            "corrupt",
        ) from exc


def read_stored(path: str) -> bytes:
    """A stored upload's bytes, refused (not read) when over the upload size limit: every
    re-read of a stored file (re-check, annotated download) goes through here and then through
    `read_table` / `open_workbook`, with the same limits as the upload itself."""
    max_bytes, _rows, _unzipped = limits()
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise FileRefused(
            _("The stored file of this upload is missing. Upload the list again."), "missing"
        ) from exc
    if size > max_bytes:
        raise FileRefused(
            _(
                "The file is %(size)s MB; the limit is %(limit)s MB. Split the list into smaller files."  # noqa: E501
            )
            % {"size": round(size / 1e6, 1), "limit": round(max_bytes / 1e6)},
            "too_large",
        )
    return Path(path).read_bytes()


def _sheet_xml_has_formulas(archive: zipfile.ZipFile, sheet_index: int) -> bool:
    name = f"xl/worksheets/sheet{sheet_index + 1}.xml"
    try:
        with archive.open(name) as fh:
            while chunk := fh.read(1 << 20):
                if _FORMULA.search(chunk):
                    return True
    except KeyError:
        return False
    return False


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    workbook, archive = open_workbook(data)
    for index, sheet_name in enumerate(workbook.sheet_names):
        sheet, rows = sheet_rows(workbook, index)
        header_at = _find_header(rows)
        if header_at is None:
            continue
        if _sheet_xml_has_formulas(archive, index):
            raise FileRefused(
                _(
                    "Sheet '%(sheet)s' contains formulas. Select all cells, copy, and paste them "
                    "back as values only (Paste Special → Values), then upload again."
                )
                % {"sheet": sheet_name},
                "formulas",
            )
        merged = [
            r
            for r in (sheet.merged_cell_ranges or [])
            if r[1][0] > header_at or r[0][0] >= header_at
        ]
        if merged:
            (r1, c1), (r2, c2) = merged[0]
            raise FileRefused(
                _(
                    "Sheet '%(sheet)s' has merged cells (first at %(cell)s). Unmerge all cells "
                    "(Merge & Center → Unmerge) so that every row is one person, then upload again."
                )
                % {
                    "sheet": sheet_name,
                    "cell": f"{_col_letter(c1)}{r1 + 1}:{_col_letter(c2)}{r2 + 1}",
                },
                "merged_cells",
            )
        return _build(rows, header_at, kind="xlsx", sheet=sheet_name)
    raise _no_header()


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- CSV -----------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Indonesian Excel saves CSV."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(
        _("The file's text encoding is not readable. Save it as CSV UTF-8."), "encoding"
    )


def _read_csv(data: bytes) -> Table:
    try:
        # Already UTF-8 (most files): hand polars the bytes as they are, no second copy.
        head = data[:20000].decode("utf-8-sig", errors="ignore")
        data.decode("utf-8-sig")
        payload = data
    except UnicodeDecodeError:
        text = decode_text(data)
        head, payload = text[:20000], text.encode("utf-8")
    first_lines = head.splitlines()[:HEADER_SCAN_ROWS] or [""]
    delimiter = max((";", ",", "\t", "|"), key=lambda d: sum(line.count(d) for line in first_lines))
    # Find the header among the first lines before handing the file to polars: a title line
    # above it ("Daftar pekerja Desa …") has fewer fields and would set the column count.
    header_at = _find_header([list(r) for r in csv.reader(first_lines, delimiter=delimiter)])
    if header_at is None:
        raise _no_header()
    try:
        frame = pl.read_csv(
            io.BytesIO(payload),
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=True,
            quote_char='"',
            skip_rows=header_at,
        )
    except pl.exceptions.PolarsError as exc:
        raise FileRefused(
            _("The CSV file cannot be read (%(error)s). Save it again from Excel as CSV.")
            % {"error": str(exc).splitlines()[0][:120]},
            "corrupt",
        ) from exc
    table = _build_from_frame(frame, 0, kind="csv", first_row=header_at + 1)
    return table


# --- shared --------------------------------------------------------------------------------------


def _no_header() -> FileRefused:
    titles = ", ".join(c.title_id for c in COLUMNS if c.required)
    return FileRefused(
        _(
            "No header row found. The first rows must hold column titles such as %(titles)s. "
            "Download the template to see them."
        )
        % {"titles": titles},
        "no_header",
    )


def _find_header(rows: list[list]) -> int | None:
    """The first of the top rows that names the NIK column and at least one other known one."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found, _unknown = match_headers(list(row))
        if "nik" in found and len(found) >= 2:
            return index
    return None


def _check_required(found: dict[str, int]) -> None:
    missing = missing_required(found)
    if missing:
        raise FileRefused(
            _(
                "Required column(s) missing: %(columns)s. Add them with these titles and upload again."  # noqa: E501
            )
            % {"columns": ", ".join(c.title_id for c in missing)},
            "missing_columns",
        )


def check_row_count(count: int) -> None:
    """Refuse an empty list or one over the row limit; shared by every list reader."""
    _max, max_rows, _unzipped = limits()
    if count == 0:
        raise FileRefused(_("The list has a header but no data rows."), "no_rows")
    if count > max_rows:
        raise FileRefused(
            _("The list has %(count)s rows; the limit is %(limit)s. Split it into smaller files.")
            % {"count": number(count), "limit": number(max_rows)},
            "too_many_rows",
        )


def _build(rows: list[list], header_at: int, *, kind: str, sheet: str) -> Table:
    headers = list(rows[header_at])
    found, unknown = match_headers(headers)
    _check_required(found)
    data_rows = rows[header_at + 1 :]
    check_row_count(len(data_rows))
    columns: dict[str, list] = {"row_number": []}
    for key in found:
        columns[key] = []
    nik_numeric, kk_numeric = [], []
    width = len(headers)
    for offset, row in enumerate(data_rows):
        if not any(_cell_text(v) for v in row):
            continue  # a blank line between blocks is not a person
        row = list(row) + [None] * (width - len(row))
        columns["row_number"].append(header_at + offset + 2)
        for key, index in found.items():
            columns[key].append(_cell_text(row[index]))
        nik_numeric.append(isinstance(row[found["nik"]], float))
        kk_index = found.get("kk_number")
        kk_numeric.append(kk_index is not None and isinstance(row[kk_index], float))
    check_row_count(len(columns["row_number"]))
    frame = pl.DataFrame(
        {
            **{k: pl.Series(k, v, dtype=pl.Utf8) for k, v in columns.items() if k != "row_number"},
            "row_number": pl.Series("row_number", columns["row_number"], dtype=pl.Int64),
            "nik_numeric": pl.Series("nik_numeric", nik_numeric, dtype=pl.Boolean),
            "kk_numeric": pl.Series("kk_numeric", kk_numeric, dtype=pl.Boolean),
        }
    )
    return Table(
        frame=frame,
        header_row=header_at + 1,
        header_map={k: str(headers[i]) for k, i in found.items()},
        unknown_headers=unknown,
        kind=kind,
        sheet=sheet,
    )


def _build_from_frame(
    frame: pl.DataFrame, header_at: int, *, kind: str, first_row: int = 1
) -> Table:
    """`first_row`: the file's row number of the frame's first row (after skipped title lines)."""
    headers = [frame[c][header_at] for c in frame.columns]
    found, unknown = match_headers(headers)
    _check_required(found)
    body = frame.slice(header_at + 1).with_row_index("offset")
    names = frame.columns
    selected = body.select(
        (pl.col("offset").cast(pl.Int64) + header_at + first_row + 1).alias("row_number"),
        *[pl.col(names[i]).fill_null("").str.strip_chars().alias(k) for k, i in found.items()],
    )
    value_columns = [k for k in found]
    selected = selected.filter(pl.any_horizontal([pl.col(k) != "" for k in value_columns]))
    check_row_count(selected.height)
    selected = selected.with_columns(
        pl.lit(False).alias("nik_numeric"), pl.lit(False).alias("kk_numeric")
    )
    return Table(
        frame=selected,
        header_row=header_at + first_row,
        header_map={k: str(headers[i]) for k, i in found.items()},
        unknown_headers=unknown,
        kind=kind,
    )
