"""BPJS's registration file for a program or one village: XLSX (xlsxwriter) or CSV.

One row per participant who is not ended, with what BPJS needs to issue a KPJ. Personal numbers
(NIK, KK, phone) go through the one masking policy: a user who may not see them gets the same
masks as on the pages. The export is recorded as an access to personal data by the caller.
Cells are never formulas: CSV through `common.cells.csv_writer`, XLSX through `write_string`.
"""

from __future__ import annotations

import io

import xlsxwriter
from django.db.models import QuerySet

from lindung.accounts import masking
from lindung.common.cells import csv_writer

from .choices import ParticipantState

HEADERS = (
    "NIK",
    "Nama Lengkap",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "No KK",
    "Alamat",
    "Kode Desa",
    "Desa",
    "No HP",
    "Pekerjaan",
    "Upah Dilaporkan",
    "JKK",
    "JKM",
    "JHT",
    "Tanggal Mulai",
    "Sumber Dana",
    "KPJ",
)
FIELDS = (
    "worker__nik",
    "worker__name",
    "worker__birth_place",
    "worker__birth_date",
    "worker__sex",
    "worker__kk_number",
    "worker__address",
    "village_id",
    "village__name",
    "worker__phone",
    "worker__occupation__name_id",
    "declared_wage",
    "jkk",
    "jkm",
    "jht",
    "start_date",
    "funder__name",
    "kpj",
)
WAGE_AT = HEADERS.index("Upah Dilaporkan")


def rows_of(participants: QuerySet, user):
    """Plain rows for the file, masked for `user` village by village."""
    seen: dict[str, bool] = {}
    qs = (
        participants.exclude(state=ParticipantState.ENDED)
        .order_by("village_id", "worker__name", "id")
        .values_list(*FIELDS)
    )
    for row in qs.iterator(chunk_size=5000):
        (nik, name, place, birth, sex, kk, address, village, village_name, phone, occupation,
         wage, jkk, jkm, jht, start, funder, kpj) = row  # fmt: skip
        full = seen.get(village)
        if full is None:
            full = seen[village] = masking.sees_pii(user, village)
        yield [
            nik if full else masking.mask_number(nik),
            name,
            place,
            birth.strftime("%d-%m-%Y"),
            sex,
            kk if full else masking.mask_number(kk),
            address,
            village,
            village_name,
            phone if full else masking.mask_phone(phone),
            occupation,
            wage,
            "Ya" if jkk else "Tidak",
            "Ya" if jkm else "Tidak",
            "Ya" if jht else "Tidak",
            start.strftime("%d-%m-%Y"),
            funder,
            (kpj if full else masking.mask_number(kpj)) if kpj else "",
        ]


def registration_csv(participants: QuerySet, user) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for row in rows_of(participants, user):
        writer.writerow([str(v) for v in row])
    # BOM: Excel opens UTF-8 CSV with the right letters only when it starts with one.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def registration_xlsx(participants: QuerySet, user, title: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = book.add_worksheet("Pendaftaran")
    sheet.write_string(0, 0, title[:200])
    for col, header in enumerate(HEADERS):
        sheet.write_string(1, col, header, head)
        sheet.set_column(col, col, 18)
    for r, row in enumerate(rows_of(participants, user), start=2):
        for col, value in enumerate(row):
            if col == WAGE_AT:
                sheet.write_number(r, col, value)
            else:
                # Text, always: NIK, KK, KPJ keep their leading zeros and nothing is a formula.
                sheet.write_string(r, col, str(value))
    book.close()
    return buffer.getvalue()
