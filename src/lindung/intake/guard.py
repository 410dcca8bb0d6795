"""The wall in front of the spreadsheet reader: an .xlsx is inspected before calamine sees it.

calamine trusts what a workbook declares. A 1.6 KB file with values in A1 and XFD1048576 makes it
allocate one dense range of 16,384 × 1,048,576 cells (512 GB) and abort the whole process; a zip
member whose declared size is forged inflates past every limit; an XML member with a DOCTYPE can
carry entity expansion (billion laughs) or external entities (XXE). So, before anything is
parsed, `inspect_xlsx` streams every member of the archive once, with caps:

- the number of members, the declared sizes and the bytes actually inflated (counted while
  streaming: Python's zipfile stops at the declared size and then fails the CRC check, so a
  forged size is refused as damaged instead of inflating without end);
- every member, whatever its name (the relationships may point the reader at a sheet called
  "image1.png"): no DOCTYPE or ENTITY declaration, no UTF-16 XML (it would hide both from a
  byte scan, and Excel never writes it);
- every cell reference (`r="XFD1048576"`) and `<dimension ref=…>`: the sheet area the reader
  would allocate stays within the column, row and cell limits, and within 20 times the cells it
  really holds (a few far-apart cells must not cost gigabytes); every cell states its position
  (a cell without one would be placed after its neighbours, out of reach of this scan);
- no .xlsb/.ods parts the reader could fall back to, no second end-of-archive record.

No second wall of a child process with memory limits: the reader was checked not to allocate
from declared counts (a `<dimension>` or shared-string count alone costs nothing; only cells
do), which this scan bounds, while a spawned reader would add an interpreter start and a copy
of every row back on every upload. On a 100,000-row workbook the scan costs 0.3-0.4 s of a
1.9 s read (test machine, shared); `bench/intake.py` logs its share.

The scan is regular expressions over 1 MB chunks, cut after a `>` so that no attribute is split
between two chunks (hand-written because no maintained library inspects OOXML for these limits
without parsing it, which is exactly what must not happen first).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from lindung.common.text import number

MAX_MEMBERS = 1000  # an Excel workbook has a few dozen parts
MAX_COLUMNS = 256  # a worker list has about 15; a few extra columns are fine
ROW_SLACK = 10_000  # title lines and blank lines above and between the data rows
AREA_FLOOR = 1_000_000  # any sheet may span this many cells (32 MB in the reader)
SPARSENESS = 20  # beyond the floor, the area may be at most this many times the cells present
_CHUNK = 1 << 20
_MAX_CARRY = 1 << 20  # sheet XML never holds 1 MB without a '>' (a cell holds 32,767 characters)

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s[^>]*?ref\s*=\s*["']([^"']*)["']""")
_RANGE_END = re.compile(rb"([A-Za-z]+)(\d+)\s*$")
# Exact scan, any spelling XML allows: every reference, every cell tag (with a prefix or not).
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]+)(\d+)["']""")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
# Fast scan, for sheets whose every cell is written `<c r="…"` as all spreadsheet programs do:
# only references beyond column Z and rows above a chunk's last one need looking at (an
# ordinary list has none), so the scan creates almost no Python objects.
# (Two patterns, not one alternation: a pattern that starts with a literal is scanned for in C.)
_ODD_CELL = re.compile(rb'<c(?=[\s/>])(?! r=")')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_WIDE_REF = re.compile(rb'<c r="([A-Za-z]{2,})(\d+)"')
_REF_AT = re.compile(rb'<c r="([A-Za-z]+)(\d+)"')
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_UTF16_HEAD = re.compile(rb"\xff\xfe|\xfe\xff|(?:\s\x00)*<\x00|(?:\x00\s)*\x00<")


class FileRefused(Exception):
    """The whole file cannot be used; `message` tells the operator what to do. The reader and
    the guard raise the same type (`reader` re-exports it)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class _Area:
    """The farthest cell position seen in one member, and how far unseen ones may reach."""

    max_row: int = 0
    max_column: int = 0
    refs: int = 0
    tags: int = 0
    # Set by the fast scan: the cells it did not look at lie within this many columns.
    column_bound: int = 0
    cells: int = 0  # cell elements present


def limits() -> dict[str, int]:
    max_rows = settings.LINDUNG_UPLOAD_MAX_ROWS
    return {
        "unpacked": settings.LINDUNG_UPLOAD_MAX_UNCOMPRESSED_BYTES,
        "rows": max_rows + ROW_SLACK,
        "columns": MAX_COLUMNS,
        "cells": settings.LINDUNG_UPLOAD_MAX_CELLS,
    }


def column_number(letters: bytes) -> int:
    """`A` → 1, `XFD` → 16384; longer than three letters counts as beyond any sheet."""
    if len(letters) > 3:
        return 1 << 20
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ch - 64)
    return number


def _damaged() -> FileRefused:
    return FileRefused(
        _("The Excel file is damaged and cannot be opened. Save it again from Excel."), "corrupt"
    )


def _too_large_unpacked(limit: int) -> FileRefused:
    return FileRefused(
        _("The workbook unpacks to more than %(limit)s MB. Split the list into smaller files.")
        % {"limit": round(limit / 1e6)},
        "too_large_unpacked",
    )


def inspect_xlsx(data: bytes) -> zipfile.ZipFile:
    """Refuse (`FileRefused`) a workbook that could exhaust the reader; return the archive."""
    caps = limits()
    if data[-(0xFFFF + 22) :].count(b"PK\x05\x06") > 1:
        # Two end-of-archive records: two readers could each pick another archive (one scanned
        # here, the other read), so no reader gets to choose.
        raise _damaged()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _damaged() from exc
    names = [i.filename for i in infos]
    # Only .xlsx: the reader falls back to .xlsb or .ods parts when the .xlsx part fails to open,
    # and those binary or other-format parts are beyond this scan.
    if "xl/workbook.xml" not in names or {"xl/workbook.bin", "content.xml"} & set(names):
        raise FileRefused(
            _(
                "This ZIP file is not an Excel workbook. Upload the list as .xlsx or .csv, not "
                "inside a ZIP."
            ),
            "wrong_type",
        )
    if len(infos) > MAX_MEMBERS or len(set(names)) != len(names):
        # Thousands of parts, or two parts of one name (readers disagree which one counts).
        raise _damaged()
    if sum(i.file_size for i in infos) > caps["unpacked"]:
        # A zip bomb, or a workbook far larger than any village list.
        raise _too_large_unpacked(caps["unpacked"])
    budget = [caps["unpacked"]]  # bytes that may still be inflated, over all members
    for info in infos:
        area = _scan_member(archive, info, budget)
        _check_area(area, caps)
        if _bounded_area(area) > _allowed_area(area, caps):
            # The fast scan's bounds do not settle it (a wide sheet, or a small or sparse one):
            # every reference must.
            exact = _scan_member(archive, info, [caps["unpacked"]], exact=True)
            _check_area(exact, caps)
            _check_density(exact, caps)
    return archive


def _bounded_area(area: _Area) -> int:
    return max(area.column_bound, area.max_column) * area.max_row


def _allowed_area(area: _Area, caps: dict[str, int]) -> int:
    """The reader allocates the whole area, filled or not: a few cells far apart must not make
    it allocate gigabytes. A list fills a fair share of its area (a blank optional column, a
    title line); a small one may be as sparse as it likes."""
    return min(caps["cells"], max(AREA_FLOOR, SPARSENESS * area.cells))


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]):
    """The member's inflated bytes, counted against the budget while they stream."""
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise _too_large_unpacked(limits()["unpacked"])
                yield chunk
    except FileRefused:
        raise
    except RuntimeError as exc:  # a member locked with a password
        raise _damaged() from exc
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        ValueError,
        OSError,
        EOFError,
    ) as exc:
        # Bad CRC (a forged size stops at the declared length and fails here), unknown method.
        raise _damaged() from exc


def _scan_member(archive, info, budget: list[int], *, exact: bool = False) -> _Area:
    # Every member is scanned, whatever its name: the workbook's relationships may point the
    # reader at a sheet stored as "image1.png". Binary parts (pictures) hold no cell tags.
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    area = _Area()
    fast = not exact
    carry = b""
    first = True
    for chunk in _chunks(archive, info, budget):
        if first:
            _check_encoding(chunk, is_xml)
            first = False
        text = carry + chunk
        cut = text.rfind(b">") + 1
        if cut == 0:
            if len(text) > _MAX_CARRY:
                raise _damaged()
            carry = text
            continue
        _scan_text(text[:cut], area, fast)
        carry = text[cut:]
    if carry:
        _scan_text(carry, area, fast)
    return area


def _check_encoding(head: bytes, is_xml: bool) -> None:
    """UTF-16 XML (by its byte-order mark or its zero bytes around '<') hides its tags from a
    byte scan; Excel never writes it. A part named .xml must have no zero byte at all."""
    if _UTF16_HEAD.match(head) or (is_xml and b"\x00" in head[:64]):
        raise FileRefused(
            _(
                "The workbook contains parts that Excel does not write (text encoded as "
                "UTF-16). Open the file in Excel, save it again as .xlsx, and upload it again."
            ),
            "xml_encoding",
        )


def _scan_text(text: bytes, area: _Area, fast: bool) -> None:
    if b"<!" in text and _DECLARATION.search(text):
        raise FileRefused(
            _(
                "The workbook contains XML declarations (DOCTYPE or ENTITY) that Excel never "
                "writes and that can be used to attack the server. Open the file in Excel, "
                "save it again as .xlsx, and upload it again."
            ),
            "xml_declaration",
        )
    if b"dimension" in text:
        for match in _DIMENSION.finditer(text):
            end = _RANGE_END.search(match.group(1))
            if end:
                _see(area, end.group(1), end.group(2))
    canonical = fast and not _ODD_CELL.search(text) and not _PREFIXED_CELL.search(text)
    if canonical and _scan_fast(text, area):
        return
    refs = _CELL_REF.findall(text)
    if refs:
        area.refs += len(refs)
        # Only the extremes matter: the column with the most letters, then the highest of those;
        # the row with the most digits, then the highest of those.
        widest = max(refs, key=lambda ref: (len(ref[0]), ref[0].upper()))[0]
        digits = max(len(ref[1]) for ref in refs)
        highest = max(ref[1] for ref in refs if len(ref[1]) == digits)
        _see(area, widest, highest)
    tags = len(_CELL_TAG.findall(text))
    area.tags += tags
    area.cells += tags


def _scan_fast(text: bytes, area: _Area) -> bool:
    """Every cell here is written `<c r="…"`: find the farthest ones without a Python object
    per cell. Columns: only references past Z are collected (an ordinary list has none), the
    rest lie within 26. Rows: the last cell's row, then one search for any row above it (none
    in an ordinary list, whose rows only grow). False when this chunk needs the exact scan."""
    cells = text.count(b'<c r="')
    if not cells:
        return True
    for letters, digits in _WIDE_REF.findall(text):
        _see(area, letters, digits)
    last = _REF_AT.match(text, text.rfind(b'<c r="'))
    if last is None:
        return False
    digits = last.group(2)
    if len(digits) <= 9:
        higher = _rows_above(int(digits)).findall(text)
        if higher:
            most = max(len(d) for d in higher)
            digits = max(d for d in higher if len(d) == most)
    _see(area, last.group(1), digits)
    area.cells += cells
    area.column_bound = 26
    return True


def _rows_above(row: int) -> re.Pattern:
    """A pattern for cell references on a row above `row` (digit by digit: a longer number, or
    the same length with the first differing digit higher)."""
    text = str(row)
    options = [rb"\d{%d,}" % (len(text) + 1)]
    for i, ch in enumerate(text):
        if ch != "9":
            rest = len(text) - i - 1
            options.append(
                text[:i].encode() + b"[%d-9]" % (int(ch) + 1) + (rb"\d{%d}" % rest if rest else b"")
            )
    return re.compile(rb'<c r="[A-Za-z]+(' + b"|".join(options) + rb')"')


def _see(area: _Area, letters: bytes, digits: bytes) -> None:
    area.max_column = max(area.max_column, column_number(letters))
    # More than nine digits is beyond any sheet (and int() of a huge digit string is slow).
    area.max_row = max(area.max_row, int(digits) if len(digits) <= 9 else 1 << 40)


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _check_density(area: _Area, caps: dict[str, int]) -> None:
    spanned = area.max_column * area.max_row
    if spanned > _allowed_area(area, caps):
        raise FileRefused(
            _(
                "The sheet spans cells up to %(cell)s (%(spanned)s cells) but holds only "
                "%(cells)s: the rest is empty. Delete the empty rows and columns after your list "
                "(or copy the list to a new workbook), save, and upload again."
            )
            % {
                "cell": f"{column_letters(area.max_column)}{area.max_row}",
                "spanned": number(spanned),
                "cells": number(area.cells),
            },
            "sheet_mostly_empty",
        )


def _check_area(area: _Area, caps: dict[str, int]) -> None:
    if area.tags > area.refs:
        raise FileRefused(
            _(
                "Some cells of the workbook do not state their position, which Excel always "
                "writes. Open the file in Excel, save it again as .xlsx, and upload it again."
            ),
            "cells_without_position",
        )
    if (
        area.max_column > caps["columns"]
        or area.max_row > caps["rows"]
        or area.max_row * area.max_column > caps["cells"]
    ):
        raise FileRefused(
            _(
                "The sheet uses cells up to %(cell)s (%(columns)s columns × %(rows)s rows), far "
                "beyond a worker list (at most %(max_columns)s columns, %(max_rows)s rows). "
                "Delete the rows and columns after your list (or copy the list to a new "
                "workbook), save, and upload again."
            )
            % {
                "cell": f"{column_letters(min(area.max_column, 1 << 20))}{area.max_row}",
                "columns": number(area.max_column),
                "rows": number(area.max_row),
                "max_columns": number(caps["columns"]),
                "max_rows": number(caps["rows"] - ROW_SLACK),
            },
            "sheet_too_large",
        )
