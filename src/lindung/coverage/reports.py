"""Coverage reports as files: each dashboard as XLSX (xlsxwriter) and PDF (ReportLab, the
DejaVu fonts shipped for the cards, charts drawn as vectors from `charts.py`'s geometry), the
one-page regency summary a Bupati reads, and the participant list of one village.

Files are written in Indonesian, like the other exports (billing, claims, enrolment): they go
to regency offices and are printed. Cells are strings or numbers, never formulas.

The participant list holds personal data: names as the page shows them, NIK and KPJ through
the one masking policy (`accounts.masking`), and every export is audited
(`coverage.participants_export`) in the same transaction as it is built.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from lindung.accounts import masking
from lindung.audit.services import record
from lindung.common.text import date_text, number

from . import charts, dashboard, figures
from .cards import FONT, FONT_BOLD, _fit, _fonts

PARTICIPANTS_EXPORT = "coverage.participants_export"
MAX_PARTICIPANTS = 5000  # one village; a larger list is refused rather than cut silently
SOURCE = "Lindung — angka dihitung dari data kepesertaan dan pembayaran iuran"

SEX_WORDS = {"L": "Laki-laki", "P": "Perempuan"}
STATUS_WORDS = {
    "protected": "Terlindungi",
    "protected_with_arrears": "Terlindungi, ada tunggakan",
    "not_protected": "Tidak terlindungi",
}
LEVEL_WORDS = {0: "Indonesia", 1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Desa"}


_pct = dashboard.pct_text


def _headline_rows(ctx: dict) -> list[tuple[str, object]]:
    head = ctx["head"]
    rows: list[tuple[str, object]] = [
        ("Wilayah", f"{ctx['name']} ({ctx['dotted'] or 'ID'})"),
        ("Tingkat", LEVEL_WORDS[ctx["level"]]),
        ("Tanggal", date_text(ctx["day"])),
        ("Angka per", date_text(ctx["as_of"]) if ctx["as_of"] else "belum dihitung"),
        ("Terlindungi", head["protected"]),
        ("  di antaranya dengan tunggakan", head["protected_with_arrears"]),
        ("Tidak terlindungi (terdaftar)", head["not_protected"]),
        ("Penduduk bekerja (penyebut)", head["working_population"] or "—"),
        ("Sumber penyebut", _denominator_source(head)),
        ("Cakupan", _pct(head["coverage_pct"])),
    ]
    if ctx["previous"]:
        p = ctx["previous"]
        rows.append((f"Perubahan sejak {date_text(p['day'])}", p["change"]))
    if ctx["rank"]:
        rows.append(("Peringkat", rank_text(ctx)))
    if ctx["filters"]:
        rows.append(("Filter", "; ".join(f"{k}: {v}" for k, v in ctx["filter_labels"])))
    return rows


def _denominator_source(head: dict) -> str:
    if not head["working_population"]:
        return "—"
    return f"{head['denominator_source']} ({head['denominator_year']})"


def rank_text(ctx: dict) -> str:
    r = ctx["rank"]
    if not r:
        return ""
    where = ctx["parent_name"] or "Indonesia"
    basis = "cakupan" if r["basis"] == "coverage_pct" else "jumlah terlindungi"
    return f"ke-{r['rank']} dari {r['of']} di {where} (menurut {basis})"


# --- XLSX ---------------------------------------------------------------------------------------


def dashboard_xlsx(ctx: dict) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})

    def put(sheet, r, c, value):
        if isinstance(value, bool) or value is None:
            sheet.write_string(r, c, "" if value is None else ("ya" if value else "tidak"))
        elif isinstance(value, int):
            sheet.write_number(r, c, value)
        else:
            sheet.write_string(r, c, str(value))

    def table(name, title, headers, rows):
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, title, bold)
        for c, h in enumerate(headers):
            sheet.write_string(2, c, h, bold)
        for r, row in enumerate(rows, start=3):
            for c, value in enumerate(row):
                put(sheet, r, c, value)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, len(headers), 16)
        return sheet

    table(
        "Ringkasan",
        f"Cakupan perlindungan pekerja rentan — {ctx['name']}",
        ["Angka", "Nilai"],
        _headline_rows(ctx),
    )
    table(
        "Peringkat wilayah",
        f"Wilayah di bawah {ctx['name']}",
        ["Peringkat", "Kode", "Wilayah", "Terlindungi", "Tidak terlindungi",
         "Penduduk bekerja", "Cakupan %"],
        [
            (r["rank"], r["region"], r["name"], r["protected"], r["not_protected"],
             r["working_population"] or "", r["coverage_pct"] or "")
            for r in ctx["children"]
        ],
    )  # fmt: skip
    table(
        "Tren",
        "Akhir bulan",
        ["Tanggal", "Terlindungi", "Tidak terlindungi", "Cakupan %"],
        [
            (p["date"], p["protected"], p["not_protected"], p["coverage_pct"] or "")
            for p in ctx["trend"]
        ],
    )
    rows: list[tuple] = []
    for b in ctx["breakdowns"]:
        rows.append((b["title"], "", "", ""))
        rows.extend((f"  {r['label']}", r["protected"], r["with_arrears"], r["not_protected"])
                    for r in b["rows"])  # fmt: skip
    table(
        "Rincian",
        "Rincian",
        ["", "Terlindungi", "di antaranya dengan tunggakan", "Tidak terlindungi"],
        rows,
    )
    eco = ctx["head"]["ecosystem"]
    eco_rows: list[tuple] = [
        ("Jumlah aparat desa (kepala desa s.d. RT/RW, linmas)", eco["officials"], "", ""),
        ("Aparat terlindungi", eco["officials_protected"], "", ""),
        ("Persen", _pct(eco["officials_pct"]), "", ""),
        ("Desa dengan aparat tercatat", eco["villages_with_officials"], "", ""),
        ("Desa 100 %", eco["villages_all_officials"], "", ""),
        ("", "", "", ""),
    ]
    if ctx["ecosystem"]:
        eco_rows.append(("Desa", "Aparat", "Terlindungi", "Persen"))
        eco_rows.extend(
            (f"{v['name']} ({v['region']})", v["officials"], v["officials_protected"],
             _pct(v["officials_pct"]))
            for v in ctx["ecosystem"]["villages"]
        )  # fmt: skip
    table("Ekosistem desa", "Ekosistem desa", ["", "Nilai", "", ""], eco_rows)
    book.close()
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------


class _Page:
    """A top-down cursor over A4 pages: writes lines and tables, starting a new page when the
    next block does not fit."""

    def __init__(self, title: str):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.pdfgen.canvas import Canvas

        _fonts()
        self.out = io.BytesIO()
        self.c = Canvas(self.out, pagesize=A4, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor("Lindung")
        self.w, self.h = A4
        self.mm = mm
        self.left = 15 * mm
        self.right = self.w - 15 * mm
        self.bottom = 18 * mm
        self.footer = title
        self.page = 1
        self.y = self.h - 15 * mm

    def need(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.page += 1
        self.y = self.h - 15 * self.mm

    def _footer(self) -> None:
        self.c.setFont(FONT, 7)
        text = _fit(self.c, self.footer, FONT, 7, 150 * self.mm)
        self.c.drawString(self.left, 10 * self.mm, text)
        self.c.drawRightString(self.right, 10 * self.mm, f"hal. {self.page}")

    def text(self, text: str, size: float = 10, bold: bool = False, gap: float = 3) -> None:
        self.need(size + gap)
        font = FONT_BOLD if bold else FONT
        self.c.setFont(font, size)
        self.y -= size
        self.c.drawString(self.left, self.y, _fit(self.c, text, font, size, self.right - self.left))
        self.y -= gap

    def table(self, headers: list[str], rows: list[tuple], widths: list[float], size=8.5):
        """Columns of `widths` (mm); a column holding numbers is right-aligned (its header
        too) with a gap before the next one; the header repeats on each page."""
        line = size + 4
        xs = [self.left]
        for wd in widths[:-1]:
            xs.append(xs[-1] + wd * self.mm)
        right = {
            i
            for row in rows
            for i, v in enumerate(row)
            if (isinstance(v, int) and not isinstance(v, bool)) or str(v).endswith(" %")
        }

        def cell(i, text, font):
            x, wd = xs[i], widths[i] * self.mm
            text = _fit(self.c, text, font, size, wd - 4)
            if i in right:
                self.c.drawRightString(x + wd - 4, self.y, text)
            else:
                self.c.drawString(x, self.y, text)

        def header():
            self.need(line * 2)
            self.c.setFont(FONT_BOLD, size)
            self.y -= line
            for i, h in enumerate(headers):
                cell(i, h, FONT_BOLD)
            self.c.setLineWidth(0.4)
            self.c.line(self.left, self.y - 2.5, xs[-1] + widths[-1] * self.mm, self.y - 2.5)

        header()
        for row in rows:
            if self.y - line < self.bottom:
                self.new_page()
                header()
            self.y -= line
            self.c.setFont(FONT, size)
            for i, value in enumerate(row):
                if isinstance(value, int) and not isinstance(value, bool):
                    cell(i, number(value), FONT)
                else:
                    cell(i, str(value if value is not None else ""), FONT)
        self.y -= 4

    def finish(self) -> bytes:
        self._footer()
        self.c.showPage()
        self.c.save()
        return self.out.getvalue()


def draw_bars(c, bars: list[charts.Bar], x, y_top, width, *, row=12.0, size=7.5, scale_max=None):
    """Horizontal bars as vectors: the name left, the bar and its figure right; grey fill with
    a black outline, so it prints in black and white. Returns the height used."""
    laid = charts.bar_layout(bars, scale_max=scale_max)
    label_w = width * 0.38
    bar_w = width - label_w - 40
    c.setLineWidth(0.5)
    for i, g in enumerate(laid):
        y = y_top - (i + 1) * row
        c.setFillGray(0)
        c.setFont(FONT, size)
        c.drawString(x, y + 2, _fit(c, g.label, FONT, size, label_w - 4))
        length = g.width / (charts.WIDTH - 90) * bar_w
        c.setFillGray(0.75)
        c.rect(x + label_w, y + 1, length, row - 4, stroke=1, fill=1)
        c.setFillGray(0)
        c.drawString(x + label_w + length + 3, y + 2, g.text)
    return len(laid) * row


def draw_line(c, points: list[charts.Point], x, y_bottom, width, height, *, size=7.5):
    """The trend line as vectors in a `width` × `height` box whose bottom-left is (x, y)."""
    laid = charts.line_layout(points, width=width, height=height)
    c.setLineWidth(0.6)
    base = y_bottom + charts.PAD_BOTTOM * 0.6
    c.line(x, base, x + width, base)
    if not laid:
        return

    def at(px, py):
        # line_layout measures y downwards from the top of its box.
        return x + px, y_bottom + height - py

    c.setLineWidth(1.4)
    path = c.beginPath()
    for i, (px, py, _p, _s) in enumerate(laid):
        ax, ay = at(px, py)
        path.moveTo(ax, ay) if i == 0 else path.lineTo(ax, ay)
    c.drawPath(path, stroke=1, fill=0)
    c.setFont(FONT, size)
    for px, py, p, show in laid:
        ax, ay = at(px, py)
        c.rect(ax - 2, ay - 2, 4, 4, stroke=0, fill=1)
        if show:
            c.drawCentredString(ax, ay + 5, p.text)
            c.drawCentredString(ax, base - size - 2, p.label)


def _progress(c, x, y, width, height, pct: float, text: str, size=10):
    c.setLineWidth(1)
    c.setFillGray(0.75)
    c.rect(x, y, width * max(0.0, min(100.0, pct)) / 100, height, stroke=0, fill=1)
    c.setFillGray(0)
    c.rect(x, y, width, height, stroke=1, fill=0)
    c.setFont(FONT_BOLD, size)
    c.drawCentredString(x + width / 2, y + (height - size) / 2 + 2, text)


def dashboard_pdf(ctx: dict) -> bytes:
    head = ctx["head"]
    doc = _Page(f"Cakupan {ctx['name']} — {date_text(ctx['day'])} — {SOURCE}")
    c, mm = doc.c, doc.mm
    doc.text(f"Cakupan perlindungan pekerja rentan — {ctx['name']}", 15, bold=True, gap=5)
    for label, value in _headline_rows(ctx):
        shown = number(value) if isinstance(value, int) else str(value)
        doc.text(f"{label}: {shown}", 9.5, gap=2.5)
    if head["coverage_pct"] is not None:
        doc.need(14 * mm)
        doc.y -= 10 * mm
        _progress(c, doc.left, doc.y, doc.right - doc.left, 7 * mm,
                  float(Decimal(head["coverage_pct"])), _pct(head["coverage_pct"]))  # fmt: skip
        doc.y -= 4 * mm
    if ctx["children"]:
        bars = dashboard.children_bars(ctx, links=False)
        doc.need(20 * mm)
        doc.text(dashboard.children_title(ctx), 11, bold=True)
        # Many children: the chart goes page by page, 55 rows a page.
        for start in range(0, len(bars), 55):
            chunk = bars[start : start + 55]
            doc.need(len(chunk) * 12 + 4)
            used = draw_bars(c, chunk, doc.left, doc.y, doc.right - doc.left,
                             scale_max=100 if ctx["children_by_pct"] else None)  # fmt: skip
            doc.y -= used + 6
    if ctx["trend"]:
        doc.need(70 * mm)
        doc.text(dashboard.trend_title(ctx), 11, bold=True)
        draw_line(c, dashboard.trend_points(ctx), doc.left, doc.y - 55 * mm,
                  doc.right - doc.left, 55 * mm)  # fmt: skip
        doc.y -= 60 * mm
    if ctx["children"]:
        doc.text("Peringkat wilayah", 11, bold=True)
        doc.table(
            ["#", "Kode", "Wilayah", "Terlindungi", "Tidak terl.", "Penyebut", "Cakupan"],
            [(str(r["rank"]), r["region"], r["name"], r["protected"], r["not_protected"],
              r["working_population"] or "", _pct(r["coverage_pct"])) for r in ctx["children"]],
            [10, 24, 56, 24, 22, 24, 20],
        )  # fmt: skip
    for b in ctx["breakdowns"]:
        if not b["rows"]:
            continue
        doc.text(b["title"], 11, bold=True)
        doc.table(
            ["", "Terlindungi", "dg. tunggakan", "Tidak terl."],
            [(r["label"], r["protected"], r["with_arrears"], r["not_protected"])
             for r in b["rows"]],
            [90, 30, 30, 30],
        )  # fmt: skip
    if ctx["ecosystem"] and ctx["ecosystem"]["villages"]:
        doc.text("Ekosistem desa: aparat desa terlindungi", 11, bold=True)
        doc.table(
            ["Desa", "Kode", "Aparat", "Terlindungi", "Persen"],
            [(v["name"], v["region"], v["officials"], v["officials_protected"],
              _pct(v["officials_pct"])) for v in ctx["ecosystem"]["villages"]],
            [70, 30, 25, 25, 25],
        )  # fmt: skip
    doc.text(f"Sumber: {SOURCE}. Dicetak {date_text(dt.date.today())}.", 7.5)
    return doc.finish()


# --- the one-page regency summary -------------------------------------------------------------


def arrears_total(user, code: str, day: dt.date) -> dict | None:
    """Unpaid contributions of the regency's programs on `day`, read through billing's
    selectors (None when the regency has no invoices: billing has nothing to say)."""
    from lindung.billing.selectors import arrears_by_funder
    from lindung.programs.models import Funder
    from lindung.programs.selectors import programs_for

    programs = programs_for(user).filter(owner_region_id=code)
    funders = list(Funder.objects.filter(program__in=programs).order_by("pk"))
    if not funders:
        return None
    owed = participants = 0
    for funder in funders:  # a regency has a handful of funders
        a = arrears_by_funder(funder, day)
        owed += a["owed"]
        participants += a["participants"]
    return {"owed": owed, "participants": participants}


def villages_under_minimum(user, ctx: dict) -> dict | None:
    """Villages of the regency with fewer protected workers than its programs ask each village
    for (`Program.min_per_village`, the highest one; PALI: at least 100). None when no program
    sets a minimum."""
    from lindung.programs.models import Program

    minimum = (
        Program.objects.filter(owner_region_id=ctx["code"], min_per_village__isnull=False)
        .order_by("-min_per_village")
        .values_list("min_per_village", flat=True)
        .first()
    )
    if not minimum:
        return None
    counts = figures.village_counts(user, ctx["code"], ctx["day"])
    under = [v for v in counts if v["protected"] < minimum]
    return {"minimum": minimum, "villages": len(counts), "under": under}


def summary_pdf(ctx: dict) -> bytes:
    """ONE A4 page whatever the regency's size: the top and bottom three districts and the
    count (plus the first names) of villages under the minimum, never a full list."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    _fonts()
    head = ctx["head"]
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(f"Ringkasan cakupan {ctx['name']}")
    c.setAuthor("Lindung")
    w, h = A4
    left, right = 18 * mm, w - 18 * mm
    width = right - left
    y = h - 22 * mm

    def line(text, size, bold=False, gap=4.0):
        nonlocal y
        font = FONT_BOLD if bold else FONT
        c.setFont(font, size)
        y -= size
        c.drawString(left, y, _fit(c, text, font, size, width))
        y -= gap

    line("Ringkasan Cakupan Jamsostek Pekerja Rentan", 13, gap=3)
    line(ctx["name"], 24, bold=True, gap=7)
    as_of = date_text(ctx["as_of"]) if ctx["as_of"] else "belum dihitung"
    line(f"Keadaan per {as_of}", 12, gap=10)
    if head["coverage_pct"] is not None:
        line(f"Cakupan {_pct(head['coverage_pct'])}", 40, bold=True, gap=6)
        line(f"{number(head['protected'])} terlindungi dari {number(head['working_population'])}"
             f" penduduk bekerja", 15, gap=6)  # fmt: skip
        y -= 12 * mm
        _progress(c, left, y, width, 10 * mm, float(Decimal(head["coverage_pct"])),
                  _pct(head["coverage_pct"]), size=14)  # fmt: skip
        y -= 4 * mm
    else:
        line(f"{number(head['protected'])} pekerja terlindungi", 32, bold=True, gap=6)
        line("Penyebut (penduduk bekerja) belum diimpor: persen cakupan belum ada.", 12, gap=6)
    if ctx["rank"]:
        line(f"Peringkat {rank_text(ctx)}", 15, bold=True, gap=4)
    if ctx["previous"]:
        p = ctx["previous"]
        sign = "+" if p["change"] >= 0 else "−"
        line(f"Perubahan sejak {date_text(p['day'])}: {sign}{number(abs(p['change']))} orang",
             13, gap=4)  # fmt: skip
    if ctx["trend"] and len(ctx["trend"]) > 1:
        y -= 3 * mm
        line(dashboard.trend_title(ctx), 12, bold=True, gap=2)
        draw_line(c, dashboard.trend_points(ctx), left, y - 48 * mm, width, 48 * mm, size=9)
        y -= 52 * mm
    districts = [r for r in ctx["children"]]
    if districts:
        basis = "cakupan" if ctx["children_by_pct"] else "jumlah terlindungi"

        def shown(r):
            figure = _pct(r["coverage_pct"]) if ctx["children_by_pct"] else number(r["protected"])
            return f"{r['rank']}. {r['name']} — {figure}"

        line(f"Kecamatan tertinggi dan terendah (menurut {basis})", 12, bold=True, gap=3)
        top, bottom = districts[:3], districts[-3:] if len(districts) > 3 else []
        col = width / 2
        y0 = y
        c.setFont(FONT_BOLD, 11)
        c.drawString(left, y - 11, "Tertinggi")
        c.drawString(left + col, y - 11, "Terendah")
        c.setFont(FONT, 11)
        for i, r in enumerate(top):
            c.drawString(left, y - 11 - (i + 1) * 15, _fit(c, shown(r), FONT, 11, col - 6))
        for i, r in enumerate(bottom):
            c.drawString(left + col, y - 11 - (i + 1) * 15, _fit(c, shown(r), FONT, 11, col - 6))
        y = y0 - 11 - 4 * 15 - 4
    under = ctx.get("under_minimum")
    if under is not None:
        n = len(under["under"])
        line(f"Desa di bawah minimum ({number(under['minimum'])} pekerja per desa): "
             f"{n} dari {under['villages']}", 12, bold=True, gap=3)  # fmt: skip
        names = ", ".join(v["name"] for v in under["under"][:12])
        if n > 12:
            names += f", dan {n - 12} desa lain"
        if names:
            c.setFont(FONT, 10)
            # At most three lines of names: the page stays one page.
            words, lines, current = names.split(" "), [], ""
            for word in words:
                if c.stringWidth(current + " " + word, FONT, 10) > width and current:
                    lines.append(current)
                    current = word
                else:
                    current = f"{current} {word}".strip()
            lines.append(current)
            for text in lines[:3]:
                y -= 10
                c.drawString(left, y, _fit(c, text, FONT, 10, width))
                y -= 3
        y -= 4
    eco = head["ecosystem"]
    if eco["officials"]:
        line(f"Aparat desa terlindungi: {number(eco['officials_protected'])} dari "
             f"{number(eco['officials'])} ({_pct(eco['officials_pct'])}); desa 100 %: "
             f"{eco['villages_all_officials']} dari {eco['villages_with_officials']}", 11,
             gap=3)  # fmt: skip
    arrears = ctx.get("arrears")
    if arrears:
        line(f"Tunggakan iuran: Rp{number(arrears['owed'])} "
             f"({number(arrears['participants'])} peserta)", 12, bold=True, gap=3)  # fmt: skip
    c.setFont(FONT, 8)
    source = head["denominator_source"]
    first = f"Dicetak {date_text(dt.date.today())}; angka per {as_of}"
    if source:
        first += f"; penyebut: {source} {head['denominator_year']}"
    c.drawString(left, 15 * mm, _fit(c, first, FONT, 8, width))
    c.drawString(left, 11 * mm, _fit(c, f"Sumber: {SOURCE}", FONT, 8, width))
    c.showPage()
    c.save()
    return out.getvalue()


# --- the participant list of one village ------------------------------------------------------


def participant_list(user, code: str, day: dt.date) -> dict:
    """Who is covered in one village on `day`: the participation that counts for each person
    (the "protected on D?" answer picks it), its program, KPJ, status and end date; NIK and
    KPJ as the masking policy lets `user` see them. 404 out of scope or not a village."""
    from lindung.billing.protection import protection_all
    from lindung.enrolment.selectors import participants_for

    code = figures.region_code(user, code)
    if len(code) != 10:
        raise Http404
    people = list(
        participants_for(user, village=code)
        .filter(start_date__lte=day, end_date__gte=day, kpj__isnull=False)
        .order_by("worker__name", "pk")[: MAX_PARTICIPANTS + 1]
    )
    if len(people) > MAX_PARTICIPANTS:
        from lindung.common.errors import ApplicationError

        raise ApplicationError(
            _("More than %(n)s participants in one village: the list is not made.")
            % {"n": MAX_PARTICIPANTS},
            code="too_many",
        )
    answers = protection_all(day, [p.worker_id for p in people])
    rows = []
    for p in people:
        answer = answers.get(p.worker_id)
        if not answer or answer["participant_id"] != p.pk:
            continue  # another participation counts for this person today
        rows.append(
            {
                "participant": p.pk,
                "name": masking.name_for(user, code, p.worker.name),
                "nik": masking.nik_for(user, code, p.worker.nik),
                "kpj": masking.kpj_for(user, code, p.kpj),
                "sex": SEX_WORDS.get(p.worker.sex, p.worker.sex),
                "program": p.program.name,
                "funder": p.funder.name,
                "status": STATUS_WORDS[answer["status"]],
                "until": p.end_date,
            }
        )
    village = figures.region_name(code)
    return {"code": code, "name": village, "day": day, "rows": rows}


PARTICIPANT_HEADERS = ["No", "Nama", "NIK", "KPJ", "Kelamin", "Program", "Pendanaan",
                       "Status", "Sampai"]  # fmt: skip


def _participants_xlsx(listing: dict) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Peserta")
    bold = book.add_format({"bold": True})
    title = f"Peserta dan status perlindungan — Desa {listing['name']} ({listing['code']})"
    sheet.write_string(0, 0, title, bold)
    sheet.write_string(1, 0, f"Per {date_text(listing['day'])}")
    for c, head in enumerate(PARTICIPANT_HEADERS):
        sheet.write_string(3, c, head, bold)
    for r, row in enumerate(listing["rows"], start=4):
        sheet.write_number(r, 0, r - 3)
        for c, key in enumerate(("name", "nik", "kpj", "sex", "program", "funder", "status"), 1):
            sheet.write_string(r, c, str(row[key]))
        sheet.write_string(r, 8, date_text(row["until"]))
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 3, 19)
    sheet.set_column(5, 7, 24)
    book.close()
    return out.getvalue()


def _participants_pdf(listing: dict) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape

    doc = _Page(f"Peserta Desa {listing['name']} — per {date_text(listing['day'])}")
    doc.c.setPageSize(landscape(A4))
    doc.w, doc.h = landscape(A4)
    doc.right = doc.w - 15 * doc.mm
    doc.y = doc.h - 15 * doc.mm
    doc.text(f"Peserta dan status perlindungan — Desa {listing['name']} ({listing['code']})", 14,
             bold=True)  # fmt: skip
    doc.text(f"Per {date_text(listing['day'])}; {len(listing['rows'])} orang", 10, gap=5)
    doc.table(
        PARTICIPANT_HEADERS,
        [(str(i), r["name"], r["nik"], r["kpj"], r["sex"], r["program"], r["funder"],
          r["status"], date_text(r["until"])) for i, r in enumerate(listing["rows"], 1)],
        [10, 52, 36, 24, 20, 42, 32, 32, 20],
    )  # fmt: skip
    return doc.finish()


@transaction.atomic
def participants_export(*, actor, listing: dict, fmt: str) -> bytes:
    """The file, and the audit event saying who took whose data (ids, not names)."""
    content = _participants_xlsx(listing) if fmt == "xlsx" else _participants_pdf(listing)
    record(
        actor=actor,
        action=PARTICIPANTS_EXPORT,
        object_type="regions.region",
        object_id=listing["code"],
        object_repr=f"{listing['name']} ({fmt})",
        region_code=listing["code"],
        after={
            "format": fmt,
            "date": listing["day"].isoformat(),
            "participants": [r["participant"] for r in listing["rows"][:200]],
            "full_nik": bool(listing["rows"]) and masking.sees_pii(actor, listing["code"]),
        },
        row_count=len(listing["rows"]),
    )
    return content
