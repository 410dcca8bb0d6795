"""Reading BPJS's answer to a registration file: NIK, KPJ and (optionally) the start date.

The file goes through the intake's guarded machinery: the same size and row limits
(`intake.reader.limits`), and every .xlsx through `open_workbook` (the guard inspects zip
members, declared dimensions and the area the cells span before calamine sees a byte).
Headers are found in any order, case and spacing, under the names BPJS branch offices use.

KPJ rule, kept explicit: a KPJ is 11 digits kept as text. A cell Excel stored as a *number*
has lost its leading zeros (11 digits fit in Excel's 15 significant digits, so nothing else is
lost): such a cell is padded back to 11 digits with zeros. A *text* cell must hold exactly 11
digits (spaces, dots and dashes between them are allowed): a shorter one may be a typo, so it
is refused rather than padded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lindung.intake.answerfile import (
    csv_rows,
    find_header,
    is_workbook,
    refuse_unreadable,
    workbook_rows,
)
from lindung.intake.guard import FileRefused
from lindung.intake.reader import _cell_text, check_row_count, decode_text

KPJ_LENGTH = 11
ALIASES = {
    "nik": ("nik", "nonik", "nomornik", "noktp", "nomorktp", "nomorindukkependudukan"),
    "kpj": (
        "kpj",
        "nokpj",
        "nomorkpj",
        "nomorpeserta",
        "nopeserta",
        "nokartu",
        "nomorkartu",
        "nokartupeserta",
        "nomorkartupeserta",
        "kpjpeserta",
    ),
    "start": (
        "tmt",
        "tglkepesertaan",
        "tanggalkepesertaan",
        "tmtkepesertaan",
        "tglmulai",
        "tanggalmulai",
        "mulai",
        "tglefektif",
        "tanggalefektif",
        "startdate",
    ),
}
_LOOKUP = {alias: key for key, names in ALIASES.items() for alias in names}
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass
class KpjRow:
    row: int  # the file's row number (header = its own row)
    nik: str
    kpj: str
    kpj_numeric: bool  # Excel stored the KPJ as a number
    start: str


def _find_header(rows: list[list]) -> tuple[int, dict[str, int]]:
    return find_header(
        rows,
        _LOOKUP,
        ("nik", "kpj"),
        _(
            "No header row with NIK and KPJ columns found. The first rows must name them, e.g. "
            "'NIK', 'No KPJ' (or 'Nomor Peserta') and optionally 'TMT' (or 'Tgl Kepesertaan')."
        ),
    )


def read_kpj_file(data: bytes) -> list[KpjRow]:
    """The data rows of BPJS's answer, or `FileRefused` saying what to fix."""
    refuse_unreadable(data)
    if is_workbook(data):
        rows, numeric = workbook_rows(data, _find_header), True
    else:
        if b"\x00" in data:
            raise FileRefused(
                _("This file is neither an Excel workbook (.xlsx) nor a CSV text file."),
                "wrong_type",
            )
        rows, numeric = csv_rows(decode_text(data)), None
    header_at, found = _find_header(rows)
    out: list[KpjRow] = []
    for offset, row in enumerate(rows[header_at + 1 :]):
        cells = list(row)
        if not any(_cell_text(v) for v in cells):
            continue  # blank lines between blocks
        cells += [None] * (max(found.values()) + 1 - len(cells))
        kpj_cell = cells[found["kpj"]]
        out.append(
            KpjRow(
                row=header_at + offset + 2,
                nik=_cell_text(cells[found["nik"]]),
                kpj=_cell_text(kpj_cell),
                kpj_numeric=numeric is not None and isinstance(kpj_cell, int | float),
                start=_cell_text(cells[found["start"]]) if "start" in found else "",
            )
        )
    check_row_count(len(out))
    return out


def clean_kpj(raw: str, *, numeric: bool = False) -> str | None:
    """The KPJ as 11 digits, or None when the cell cannot be one (see the module's rule)."""
    value = _SEPARATORS.sub("", raw or "")
    if not value.isascii() or not value.isdigit():
        return None
    if numeric and len(value) < KPJ_LENGTH:
        value = value.zfill(KPJ_LENGTH)
    return value if len(value) == KPJ_LENGTH else None


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(raw: str) -> dt.date | None:
    """ISO (Excel date cells), DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY or YYYY/MM/DD."""
    value = (raw or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
