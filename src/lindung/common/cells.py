"""Cells we write into files people open in a spreadsheet program: never a formula.

A name like `=HYPERLINK("http://…")` or `+cmd|' /C calc'!A0` in a CSV runs as a formula when
the operator opens the file in Excel or LibreOffice (OWASP "CSV injection"). Every CSV writer
goes through `csv_writer`, which puts an apostrophe before a cell starting with `= + - @`, a tab
or a carriage return, as OWASP recommends; XLSX files are written with `write_string`, which
never makes a formula. The intake reads such a cell back without the apostrophe
(`unneutralise`), so an annotated file can be fixed and uploaded again.
"""

from __future__ import annotations

import csv
from typing import Any

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = r"^'([=+\-@\t\r])"


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet must show it: text starting like a formula gets a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **options) -> _SafeWriter:
    """`csv.writer` whose every cell is neutralised."""
    return _SafeWriter(csv.writer(stream, **options))


def unneutralise(cell: pl.Expr) -> pl.Expr:
    """`'+6281…` → `+6281…`: undo `neutralise` on a cell read back from one of our files."""
    return cell.str.replace(_NEUTRALISED, "$1")
