"""The claim register as XLSX (xlsxwriter): one row per claim, totals by type and state. NIKs
are masked for readers who may not see them; cells are strings or numbers, never formulas."""

from __future__ import annotations

import io

from lindung.accounts import masking

HEADERS = (
    "No. Klaim",
    "Program",
    "Kode Desa",
    "Desa",
    "Nama",
    "NIK",
    "KPJ",
    "Jenis",
    "Tanggal Kejadian",
    "Status",
    "Dibayarkan (Rp)",
    "Diajukan",
)


def register_xlsx(user, claims, totals: dict) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Register klaim")
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    sheet.write_string(0, 0, "Register Klaim", bold)
    for c, h in enumerate(HEADERS):
        sheet.write_string(2, c, h, bold)
    r = 3
    for claim in claims.iterator(chunk_size=2000):
        region = claim.participant.village_id
        cells = (
            str(claim.pk),
            claim.program.code,
            region,
            claim.participant.village.name,
            claim.worker.name,
            masking.nik_for(user, region, claim.worker.nik),
            masking.kpj_for(user, region, claim.participant.kpj),
            str(claim.get_claim_type_display()),
            claim.event_date.strftime("%d-%m-%Y"),
            str(claim.get_state_display()),
        )
        for c, value in enumerate(cells):
            sheet.write_string(r, c, value)
        sheet.write_number(r, 10, int(claim.payable), money)
        sheet.write_string(r, 11, claim.filed_at.strftime("%d-%m-%Y"))
        r += 1
    r += 1
    sheet.write_string(r, 0, "Jumlah per jenis", bold)
    for label, n, amount in totals["by_type"]:
        r += 1
        sheet.write_string(r, 0, str(label))
        sheet.write_number(r, 1, n)
        sheet.write_number(r, 2, int(amount), money)
    r += 1
    sheet.write_string(r, 0, "Jumlah per status", bold)
    for label, n, amount in totals["by_state"]:
        r += 1
        sheet.write_string(r, 0, str(label))
        sheet.write_number(r, 1, n)
        sheet.write_number(r, 2, int(amount), money)
    book.close()
    return out.getvalue()
