# ruff: noqa: E501 - OOXML namespace and content-type strings are long by nature
"""Hand-written hostile workbooks (shared by the in-process tests and the real-server tests).

Each is a minimal but well-formed .xlsx zip written part by part, so that the exact bytes the
attack needs are under the test's control (xlsxwriter would refuse to write most of them).
"""

from __future__ import annotations

import io
import struct
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook(sheet_xml: str | bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sheet(cells: str, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_OPEN}{dim}<sheetData>{cells}</sheetData></worksheet>"


def two_cells() -> bytes:
    """Values in A1 and XFD1048576 (the last cell of a sheet): about 1.6 KB that calamine would
    turn into one dense range of 17 billion cells (512 GB), aborting the process."""
    return workbook(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            dimension="A1:XFD1048576",
        )
    )


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        + SHEET_OPEN[SHEET_OPEN.index("<worksheet") :]
        + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return workbook(xml)


def xxe() -> bytes:
    xml = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&x;</t></si></sst>'
    )
    cells = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return workbook(sheet(cells), extra={"xl/sharedStrings.xml": xml.encode()})


def forged_size(inflated: int = 8 * 1024 * 1024) -> bytes:
    """A sheet that inflates to `inflated` bytes while its headers declare 100 bytes, so that a
    check of the declared sizes alone lets it through."""
    padding = b"<!-- " + b" " * inflated + b" -->"
    xml = sheet('<row r="1"><c r="A1"><v>1</v></c></row>').encode()
    data = workbook(xml.replace(b"<sheetData>", padding + b"<sheetData>"))
    return _declare_size(data, "xl/worksheets/sheet1.xml", 100)


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size of `member` in its local and central directory headers."""
    out = bytearray(data)
    name = member.encode()
    local = out.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", out, local + 26)[0]
        if out[local + 30 : local + 30 + name_len] == name:
            struct.pack_into("<I", out, local + 22, size)
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46 : central + 46 + name_len] == name:
            struct.pack_into("<I", out, central + 24, size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def cells_without_position(count: int = 20_000) -> bytes:
    """A row far down whose cells give no reference: a reader places them one after another."""
    cells = "<c><v>1</v></c>" * count
    return workbook(sheet(f'<row r="1048000">{cells}</row>'))


def utf16() -> bytes:
    xml = sheet('<row r="1"><c r="A1"><v>1</v></c></row>').replace(
        'encoding="UTF-8"', 'encoding="UTF-16"'
    )
    return workbook(xml.encode("utf-16"))


def many_members(count: int = 5000) -> bytes:
    return workbook(
        sheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
        extra={f"xl/media/x{i}.bin": b"" for i in range(count)},
    )


def with_xlsb_part() -> bytes:
    """An .xlsx carrying an .xlsb workbook part the reader would fall back to."""
    return workbook(
        sheet('<row r="1"><c r="A1"><v>1</v></c></row>'), extra={"xl/workbook.bin": b"\x00" * 64}
    )


def sheet_under_another_name() -> bytes:
    """The two-cells sheet stored as a picture: the relationships tell the reader where it is."""
    data = two_cells()
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            name = info.filename
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/media/image1.png"
            elif name == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"worksheets/sheet1.xml", b"media/image1.png")
            archive.writestr(name, content)
    return buffer.getvalue()


def utf16_under_another_name() -> bytes:
    xml = sheet('<row r="1"><c r="XFD1048576"><v>1</v></c></row>')
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")
    data = workbook(xml)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            name = info.filename.replace("worksheets/sheet1.xml", "media/image1.png")
            if name == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"worksheets/sheet1.xml", b"media/image1.png")
            archive.writestr(name, content)
    return buffer.getvalue()


def two_archives() -> bytes:
    """A harmless workbook followed by a second end-of-archive record, so that readers that look
    for it differently may see different archives."""
    harmless = workbook(sheet('<row r="1"><c r="A1"><v>1</v></c></row>'))
    end = harmless.rindex(b"PK\x05\x06")
    return harmless + harmless[end:]


def far_apart_within_limits() -> bytes:
    """Two cells within every column and row limit, still spanning 25 million empty cells."""
    return workbook(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c></row>'
            '<row r="100000"><c r="IV100000"><v>1</v></c></row>'
        )
    )


def far_row_hidden_among_ordinary_rows() -> bytes:
    """Ordinary rows, one of them with a cell a million rows down, then ordinary rows again:
    the last cell alone does not tell where the sheet ends."""
    rows = []
    for number in range(1, 11):
        cells = "".join(f'<c r="{col}{number}"><v>{number}</v></c>' for col in "ABC")
        if number == 5:
            cells += '<c r="Z1400000"><v>1</v></c>'
        rows.append(f'<row r="{number}">{cells}</row>')
    return workbook(sheet("".join(rows)))
