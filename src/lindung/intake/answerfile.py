"""Small tables that other offices send back — BPJS's KPJ answer, BPS's working population —
read through the guarded reader: size, type and formula checks, the header row found among the
first rows by its column names (any order, header tolerance), CSV delimiter sniffed.

Each reader (`enrolment.kpjfile`, `coverage.denominators`) gives its column aliases, the columns
it needs and the message naming them; what the cells mean stays with it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext as _

from .columns import normalise_header
from .guard import FileRefused
from .reader import _OLE2, _ZIP, _sheet_xml_has_formulas, limits, open_workbook, sheet_rows

HEADER_SCAN_ROWS = 15


def is_workbook(data: bytes) -> bool:
    return data.startswith(_ZIP)


def refuse_unreadable(data: bytes) -> None:
    """Too large, empty, or an old/locked Excel file: refused before anything is parsed."""
    max_bytes, _rows, _unpacked = limits()
    if len(data) > max_bytes:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(len(data) / 1e6, 1), "limit": round(max_bytes / 1e6)},
            "too_large",
        )
    if not data.strip():
        raise FileRefused(_("The file is empty."), "empty")
    if data.startswith(_OLE2):
        raise FileRefused(
            _(
                "This is an old Excel file (.xls) or one locked with a password. Save it as "
                ".xlsx or CSV without a password."
            ),
            "xls_or_encrypted",
        )


def header_columns(row: Iterable, lookup: Mapping[str, str]) -> dict[str, int]:
    """{column key: index} for the cells of `row` whose normalised text is an alias."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = lookup.get(normalise_header(cell))
        if key and key not in found:
            found[key] = index
    return found


def find_header(
    rows: list[list], lookup: Mapping[str, str], required: tuple[str, ...], missing: str
) -> tuple[int, dict[str, int]]:
    """The first row (of the first HEADER_SCAN_ROWS) naming every `required` column, or
    `FileRefused(missing)`."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = header_columns(list(row), lookup)
        if all(key in found for key in required):
            return index, found
    raise FileRefused(missing, "no_header")


def workbook_rows(data: bytes, has_header: Callable[[list[list]], object]) -> list[list]:
    """The rows of the first sheet whose header `has_header` finds (it raises FileRefused
    otherwise); that sheet must hold values, not formulas. No such sheet: []."""
    workbook, archive = open_workbook(data)
    for index, name in enumerate(workbook.sheet_names):
        _sheet, rows = sheet_rows(workbook, index)
        try:
            has_header(rows)
        except FileRefused:
            continue
        if _sheet_xml_has_formulas(archive, index):
            raise FileRefused(
                _(
                    "Sheet '%(sheet)s' contains formulas. Paste the cells back as values only "
                    "(Paste Special → Values), then upload again."
                )
                % {"sheet": name},
                "formulas",
            )
        return rows
    return []


def csv_rows(text: str) -> list[list]:
    """Decoded CSV text as rows, its delimiter (; , tab |) guessed from the first lines."""
    first = text.splitlines()[:HEADER_SCAN_ROWS] or [""]
    delimiter = max((";", ",", "\t", "|"), key=lambda d: sum(line.count(d) for line in first))
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise FileRefused(
            _("The CSV file cannot be read (%(error)s). Save it again as CSV.") % {"error": exc},
            "corrupt",
        ) from exc
