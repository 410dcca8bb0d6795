"""Files we hand to village operators: the blank template and their own file back, annotated."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _

from lindung.common.cells import csv_writer
from lindung.common.errors import ApplicationError
from lindung.regions.models import Region
from lindung.registry.models import Occupation

from .columns import COLUMNS
from .models import RowStatus, StagedRow, Upload, UploadStatus
from .reader import (
    HEADER_SCAN_ROWS,
    FileRefused,
    _find_header,
    decode_text,
    open_workbook,
    read_stored,
    sheet_rows,
)

TEMPLATE_ROWS = 1000
TEXT_COLUMNS = {"nik", "kk_number", "phone", "heir_nik", "village_code"}
STATUS_LABELS = {
    RowStatus.NEW: ("DITERIMA", "ACCEPTED"),
    RowStatus.UPDATE: ("DITERIMA (perbarui data)", "ACCEPTED (update)"),
    RowStatus.UNCHANGED: ("SUDAH TERDAFTAR", "ALREADY REGISTERED"),
    RowStatus.DUPLICATE: ("GANDA", "DUPLICATE"),
    RowStatus.REJECTED: ("DITOLAK", "REJECTED"),
}

INSTRUCTIONS_ID = [
    "Petunjuk pengisian daftar pekerja rentan",
    "",
    "1. Isi satu orang per baris pada lembar 'Data', mulai baris di bawah judul kolom.",
    "2. Kolom wajib: NIK, Nama Lengkap, Pekerjaan. Kolom lain boleh kosong.",
    "3. NIK dan No. KK: 16 digit, ketik sebagai teks (kolom sudah berformat Teks). Jangan ubah",
    "   format kolom menjadi Angka: Excel akan menghapus digit terakhir NIK.",
    "4. Tanggal Lahir: DD-MM-YYYY, misalnya 17-08-1980. Harus sama dengan tanggal di NIK.",
    "5. Jenis Kelamin: L atau P. Harus sama dengan NIK (perempuan: tanggal di NIK ditambah 40).",
    "6. Pekerjaan: pilih dari daftar pilihan pada sel.",
    "7. Penghasilan per bulan: angka rupiah saja, misalnya 1500000.",
    "8. Ahli waris: nama dan hubungan (suami/istri, anak, orang tua, cucu, kakek/nenek, saudara,",
    "   mertua). NIK ahli waris boleh kosong.",
    "9. Jangan menggabungkan sel (merge) dan jangan memakai rumus.",
    "10. Setelah diunggah, Anda bisa mengunduh kembali berkas ini dengan kolom Status dan",
    "    Keterangan di setiap baris. Perbaiki baris yang DITOLAK lalu unggah lagi: baris yang",
    "    sudah diterima tidak akan tercatat dua kali.",
]


def template_xlsx(village: Region) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "dd-mm-yyyy"})

    data = book.add_worksheet("Data")
    district = village.parent.name if village.parent else ""
    # write_string everywhere: a region name is data, never a formula.
    data.write_string(0, 0, f"Daftar pekerja rentan — Desa {village.name}, Kec. {district}", title)
    data.write_string(1, 0, f"Kode desa: {village.dotted_code}")
    header_row = 2
    for col, column in enumerate(COLUMNS):
        data.write_string(header_row, col, column.title_id, head)
        width = 22 if column.key in TEXT_COLUMNS or column.key == "name" else 16
        fmt = text if column.key in TEXT_COLUMNS else date if column.key == "birth_date" else None
        data.set_column(col, col, width, fmt)
    data.freeze_panes(header_row + 1, 0)
    last = header_row + TEMPLATE_ROWS

    lists = book.add_worksheet("Pilihan")
    occupations = list(Occupation.objects.filter(is_active=True).values_list("name_id", flat=True))
    relationships = ["Suami/Istri", "Anak", "Orang tua", "Cucu", "Kakek/Nenek", "Saudara", "Mertua"]
    for row, name in enumerate(occupations):
        lists.write_string(row, 0, name)
    for row, name in enumerate(relationships):
        lists.write_string(row, 1, name)
    lists.hide()
    keys = [c.key for c in COLUMNS]
    validations = {
        "sex": {"validate": "list", "source": ["L", "P"]},
        # The same list intake matches on; a warning, not a stop, because short forms (IRT, BHL)
        # and e-KTP codes typed by hand are accepted too.
        "occupation": {
            "validate": "list",
            "source": f"=Pilihan!$A$1:$A${len(occupations)}",
            "error_type": "warning",
        },
        "heir_relationship": {
            "validate": "list",
            "source": f"=Pilihan!$B$1:$B${len(relationships)}",
        },
        "nik": {
            "validate": "length",
            "criteria": "==",
            "value": 16,
            "error_message": "NIK harus 16 digit.",
        },
    }
    for key, rule in validations.items():
        col = keys.index(key)
        data.data_validation(header_row + 1, col, last, col, rule)

    guide = book.add_worksheet("Petunjuk")
    guide.set_column(0, 0, 100)
    for row, line in enumerate(INSTRUCTIONS_ID):
        guide.write_string(row, 0, line, title if row == 0 else None)
    guide.write_string(len(INSTRUCTIONS_ID) + 1, 0, f"Desa: {village.name} ({village.dotted_code})")
    book.close()
    return buffer.getvalue()


def _status_cells(upload: Upload, lang: str) -> dict[int, tuple[str, str, bool]]:
    """row number → (status label, reasons, rejected?)"""
    index = 1 if lang.startswith("en") else 0
    out = {}
    rows = StagedRow.objects.filter(upload=upload).values_list("row_number", "status", "errors")
    for number, status, errors in rows.iterator(chunk_size=5000):
        reasons = " | ".join(e["message"] for e in errors)
        out[number] = (
            STATUS_LABELS[status][index],
            reasons,
            status in (RowStatus.REJECTED, RowStatus.DUPLICATE),
        )
    return out


def annotated_file(upload: Upload, lang: str = "id", mask=None) -> tuple[bytes, str, str]:
    """The operator's own file with a status and a reason column on every row.

    Returns (content, filename, content type). The status columns are ignored when the file
    is uploaded again, so it can be fixed in place and re-sent. `mask` (from
    `accounts.masking.cell_masker`) masks every cell for readers who may not see NIKs.
    """
    data = _stored_for_annotation(upload)
    statuses = _status_cells(upload, lang)
    labels = (
        ("Status Lindung", "Keterangan Lindung")
        if lang == "id"
        else ("Lindung status", "Lindung reason")
    )
    stem = Path(upload.filename).stem
    if data.startswith(b"PK"):
        return (
            _annotated_xlsx(data, statuses, labels, mask),
            f"{stem}-hasil.xlsx",
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    try:
        content = _annotated_csv(data, statuses, labels, mask)
    except csv.Error as exc:  # e.g. a field over the csv module's size limit: no 500
        raise ApplicationError(
            _("The CSV file cannot be read (%(error)s). Save it again from Excel as CSV.")
            % {"error": str(exc)[:120]},
            code="corrupt",
        ) from exc
    return content, f"{stem}-hasil.csv", "text/csv; charset=utf-8"


def _stored_for_annotation(upload: Upload) -> bytes:
    """The stored file, only when its check produced rows to annotate.

    A refused file is never read again (the refusal is the whole answer: a zip bomb refused at
    upload must not be inflated by every download), nor is one still being checked or whose
    check failed. Every other re-read goes through the guarded reader with the upload limits.
    """
    if upload.status not in (UploadStatus.STAGED, UploadStatus.COMMITTED) or not upload.counts:
        raise ApplicationError(
            _(
                "This file was not checked row by row, so there is no annotated file to "
                "download. %(reason)s"
            )
            % {"reason": upload.message or upload.get_status_display()},
            code="no_annotated_file",
        )
    try:
        return read_stored(upload.stored_path)
    except FileRefused as refused:
        raise ApplicationError(refused.message, code=refused.code) from refused


def _masked(values, mask) -> list:
    return list(values) if mask is None else [mask(v) for v in values]


def _annotated_xlsx(data: bytes, statuses, labels, mask=None) -> bytes:
    try:
        workbook, _archive = open_workbook(data)
        rows, header_at = [], 0
        for index in range(len(workbook.sheet_names)):
            _sheet, rows = sheet_rows(workbook, index)
            found = _find_header(rows[:HEADER_SCAN_ROWS])
            if found is not None:
                header_at = found
                break
    except FileRefused as refused:
        raise ApplicationError(refused.message, code=refused.code) from refused
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    red = book.add_format({"bg_color": "#F8CBAD"})
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    width = max((len(r) for r in rows), default=0)
    sheet.set_column(0, width - 1, 18, book.add_format({"num_format": "@"}))
    sheet.set_column(width, width + 1, 40)
    for r, row in enumerate(rows):
        number = r + 1
        status = statuses.get(number)
        fmt = red if status and status[2] else None
        for c, value in enumerate(_masked(row, mask)):
            if isinstance(value, dt.date | dt.datetime):
                sheet.write_datetime(
                    r,
                    c,
                    dt.datetime.combine(value, dt.time())
                    if not isinstance(value, dt.datetime)
                    else value,
                    date,
                )
            elif isinstance(value, float):
                sheet.write_number(r, c, value, fmt)  # kept a number: the operator must fix it
            elif value not in (None, ""):
                sheet.write_string(r, c, str(value), fmt)
            elif fmt:
                sheet.write_blank(r, c, None, fmt)
        if r == header_at:
            sheet.write_string(r, width, labels[0], bold)
            sheet.write_string(r, width + 1, labels[1], bold)
        elif status:
            sheet.write_string(r, width, status[0], fmt)
            sheet.write_string(r, width + 1, _masked([status[1]], mask)[0], fmt)
    book.close()
    return buffer.getvalue()


def _annotated_csv(data: bytes, statuses, labels, mask=None) -> bytes:
    text = decode_text(data)
    lines = text.splitlines()
    delimiter = max((";", ",", "\t", "|"), key=lambda d: sum(line.count(d) for line in lines[:15]))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out = io.StringIO()
    writer = csv_writer(out, delimiter=delimiter, lineterminator="\r\n")
    rows = list(reader)
    header_at = _find_header(rows[:HEADER_SCAN_ROWS]) or 0
    for r, row in enumerate(rows):
        number = r + 1
        if r == header_at:
            writer.writerow([*row, *labels])
        elif number in statuses:
            reasons = statuses[number][1]
            writer.writerow(_masked([*row, statuses[number][0], reasons], mask))
        else:
            writer.writerow(_masked(row, mask))
    # UTF-8 with BOM so Excel on Windows shows Indonesian names correctly.
    return out.getvalue().encode("utf-8-sig")
