""" "Rekap iuran per desa": an invoice's totals per village and component, as XLSX (xlsxwriter)
and PDF (reportlab, its built-in Helvetica), with the total in words (terbilang).

Only village totals: no personal data leaves in these files. Cells are written as strings or
numbers, never formulas.
"""

from __future__ import annotations

import io

from lindung.common.text import number

from .planner import terbilang_rupiah
from .rates import rupiah

HEADERS = ("Kode Desa", "Desa", "Peserta", "JKK", "JKM", "JHT", "Potongan", "Jumlah")


def _rows(totals: dict) -> list[list]:
    return [
        [v["village"], v["name"], v["participants"], v["jkk"], v["jkm"], v["jht"],
         v["discount"], v["total"]]
        for v in totals["villages"]
    ]  # fmt: skip


def _title(invoice) -> list[str]:
    return [
        f"Rekap Iuran per Desa — {invoice.program.name}",
        f"Sumber dana: {invoice.funder.name} · Bulan iuran: {invoice.month:%m-%Y} · "
        f"Jatuh tempo: {invoice.due_date:%d-%m-%Y}",
    ]


def invoice_xlsx(invoice, totals: dict) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Rekap per desa")
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    for r, line in enumerate(_title(invoice)):
        sheet.write_string(r, 0, line, bold if r == 0 else None)
    start = 3
    for c, h in enumerate(HEADERS):
        sheet.write_string(start, c, h, bold)
    rows = _rows(totals)
    for r, row in enumerate(rows, start=start + 1):
        sheet.write_string(r, 0, str(row[0]))
        sheet.write_string(r, 1, str(row[1]))
        for c in range(2, len(HEADERS)):
            sheet.write_number(r, c, int(row[c]), money if c > 2 else None)
    end = start + 1 + len(rows)
    sheet.write_string(end, 1, "Jumlah", bold)
    sheet.write_number(end, 2, invoice.participants, bold)
    for c, key in enumerate(("jkk", "jkm", "jht", "discount", "total"), start=3):
        sheet.write_number(end, c, int(totals[key]), money)
    sheet.write_string(end + 1, 1, "Terbilang: " + terbilang_rupiah(invoice.total))
    if not invoice.holidays_known:
        sheet.write_string(end + 2, 1, "Catatan: hari libur tahun ini tidak diketahui; jatuh "
                                       "tempo hanya memperhitungkan akhir pekan.")  # fmt: skip
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 7, 14)
    book.close()
    return out.getvalue()


def invoice_pdf(invoice, totals: dict) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title="Rekap iuran per desa")
    styles = getSampleStyleSheet()
    story = [Paragraph(escape(_title(invoice)[0]), styles["Title"]),
             Paragraph(escape(_title(invoice)[1]), styles["Normal"]), Spacer(1, 12)]  # fmt: skip
    data = [list(HEADERS)]
    for row in _rows(totals):
        data.append([row[0], row[1][:40], number(row[2]),
                     *(rupiah(x) for x in row[3:])])  # fmt: skip
    sums = [rupiah(totals[k]) for k in ("jkk", "jkm", "jht", "discount", "total")]
    data.append(["", "Jumlah", number(invoice.participants), *sums])
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ]
        )
    )
    words = "Terbilang: " + terbilang_rupiah(invoice.total)
    story += [table, Spacer(1, 12), Paragraph(escape(words), styles["Normal"])]
    if not invoice.holidays_known:
        story.append(Paragraph("Catatan: hari libur tahun ini tidak diketahui; jatuh tempo hanya "
                               "memperhitungkan akhir pekan.", styles["Normal"]))  # fmt: skip
    story.append(Paragraph(escape("Aturan: " + "; ".join(
        f"{r['code']} ({r['citation']})" for r in invoice.rules)), styles["Normal"]))  # fmt: skip
    doc.build(story)
    return out.getvalue()


def arrears_xlsx(context: dict) -> bytes:
    """ "Tunggakan iuran": per funder, per village and (for one village) per person. Names and
    NIKs arrive already masked for the user who asked (billing.views._arrears_context)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    program, on = context["program"], context["on"]
    sheet = book.add_worksheet("Per desa")
    sheet.write_string(0, 0, f"Tunggakan Iuran — {program.name}", bold)
    note = (
        f"Per tanggal {on:%d-%m-%Y}; lebih dari {context['limit']} bulan berturut-turut: "
        f"tidak terlindungi ({context['citation']})"
    )
    sheet.write_string(1, 0, note)
    headers = ("Sumber dana", "Kode Desa", "Desa", "Kecamatan", "Peserta", "Bulan",
               "Tunggakan", "Bulan tertua", f"> {context['limit']} bulan")  # fmt: skip
    for c, h in enumerate(headers):
        sheet.write_string(3, c, h, bold)
    r = 4
    for f in context["funders"]:
        for v in f.villages:
            for c, value in enumerate((f.funder, v.code, v.name, v.district)):
                sheet.write_string(r, c, str(value))
            sheet.write_number(r, 4, v.participants)
            sheet.write_number(r, 5, v.months)
            sheet.write_number(r, 6, v.owed, money)
            sheet.write_string(r, 7, v.oldest)
            sheet.write_number(r, 8, v.beyond_limit)
            r += 1
        sheet.write_string(r, 0, f"Jumlah {f.funder}", bold)
        sheet.write_number(r, 4, f.participants, bold)
        sheet.write_number(r, 5, f.months, bold)
        sheet.write_number(r, 6, f.owed, money)
        r += 2
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 3, 18)
    sheet.set_column(4, 8, 13)
    if context["village"]:
        people = book.add_worksheet("Per orang")
        people.write_string(0, 0, f"Desa {context['village_name']} ({context['village']})", bold)
        for c, h in enumerate(("Sumber dana", "NIK", "Nama", "Bulan belum dibayar",
                               "Tunggakan", "Berturut-turut")):  # fmt: skip
            people.write_string(2, c, h, bold)
        for r, p in enumerate(context["people"], start=3):
            people.write_string(r, 0, p["funder"])
            people.write_string(r, 1, p["nik"])
            people.write_string(r, 2, p["name"])
            people.write_string(r, 3, ", ".join(p["months"]))
            people.write_number(r, 4, p["owed"], money)
            people.write_number(r, 5, p["run"])
        people.set_column(0, 3, 22)
    book.close()
    return out.getvalue()
