"""Printable membership cards: 10 credit-card-sized cards (85.6 × 54 mm) per A4 page, with cut
marks, for the participants of a program or of one of its villages.

Each card shows the name, the NIK masked as the one masking policy says for anything that leaves
the office (`masking.mask_number`: the regency digits only), the program, the village, the
period, and a QR code holding only a verification address: the public check page with an opaque
token (160 random bits, stored hashed, revocable). Never the KPJ, the full NIK or a name in the
QR. Printing issues a fresh token per card; `card_tokens_revoke` ends every token of a person.

Drawn with ReportLab in DejaVu Sans Condensed, shipped in `coverage/fonts/` (Bitstream Vera
licence), so every Indonesian letter renders the same on any machine.
"""

from __future__ import annotations

import io
import math
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lindung.accounts.masking import mask_number
from lindung.audit.services import record
from lindung.common.text import date_text

from .models import CardToken
from .publiccheck import token_hash

PRINT = "coverage.cards_print"
REVOKE = "coverage.card_revoke"

COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
# One PDF holds at most this many cards (200 pages, about 10 seconds to draw): more are printed
# village by village.
MAX_CARDS = 2000
TOKEN_BYTES = 20  # 160 bits

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "LindungCard", "LindungCard-Bold"


@dataclass(frozen=True)
class Card:
    name: str
    nik: str
    program: str
    village: str
    period: str
    url: str


def card_path(token: str) -> str:
    return reverse("public:card", args=[token])


@transaction.atomic
def cards_issue(*, actor, program, participants: list, region_code: str, base_url: str) -> list:
    """A fresh token for each participant's card, stored hashed, and the cards to print
    (one audit event for the whole print run, naming who got a card)."""
    now = timezone.now()
    cards, tokens = [], []
    for p in participants:
        raw = secrets.token_urlsafe(TOKEN_BYTES)
        tokens.append(
            CardToken(token_hash=token_hash(raw), participant=p, created_at=now, created_by=actor)
        )
        cards.append(
            Card(
                name=p.worker.name,
                nik=mask_number(p.worker.nik),
                program=program.name,
                village=p.village.name,
                period=f"{date_text(p.start_date)} – {date_text(p.end_date)}",
                url=base_url.rstrip("/") + card_path(raw),
            )
        )
    CardToken.objects.bulk_create(tokens, batch_size=1000)
    record(
        actor=actor,
        action=PRINT,
        obj=program,
        region_code=region_code,
        after={"participants": [p.pk for p in participants[:200]]},
        row_count=len(participants),
    )
    return cards


@transaction.atomic
def card_tokens_revoke(*, actor, participant, reason: str = "") -> int:
    """End every card token of this participation (a lost card, a card printed in error)."""
    n = CardToken.objects.filter(participant=participant, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    record(
        actor=actor,
        action=REVOKE,
        obj=participant,
        region_code=participant.village_id,
        reason=reason,
        row_count=n,
    )
    return n


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSansCondensed.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSansCondensed-Bold.ttf")))


def _fit(canvas, text: str, font: str, size: float, width: float) -> str:
    """Shorten `text` with an ellipsis until it fits `width` (long names, long villages)."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _qr(canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code drawn as vector squares (sharp on any printer, nothing rasterised): one
    rectangle per run of dark modules in a row, in module units scaled to `size`.

    The mask pattern is fixed instead of searched: any of the eight gives a valid code that
    every reader decodes, and searching them cost most of a card's time (a village prints
    thousands)."""
    import segno

    matrix = segno.make_qr(url, error="m", mask=0).matrix
    border = 2
    n = len(matrix) + 2 * border
    canvas.saveState()
    canvas.translate(x, y + size)
    canvas.scale(size / n, -size / n)  # rows downwards from the top-left corner
    path = canvas.beginPath()
    # Whole-number rectangles written as PDF operators directly: `path.rect` formats each
    # number through ReportLab's general float formatter, which took most of the time.
    ops = path._code
    for r, row in enumerate(matrix):
        c = 0
        width = len(row)
        while c < width:
            if row[c]:
                start = c
                while c < width and row[c]:
                    c += 1
                ops.append(f"{start + border} {r + border} {c - start} 1 re")
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def cards_pdf(cards: list[Card], *, title: str) -> bytes:
    from reportlab.lib.colors import Color, black
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    _fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Lindung")
    page_w, page_h = A4
    w, h = 85.6 * mm, 54 * mm
    left = (page_w - COLUMNS * w) / 2
    bottom = (page_h - ROWS * h) / 2
    pages = max(1, math.ceil(len(cards) / PER_PAGE))
    accent = Color(0.05, 0.35, 0.55)
    for page in range(pages):
        chunk = cards[page * PER_PAGE : (page + 1) * PER_PAGE]
        _cut_marks(canvas, left, bottom, w, h, mm)
        for i, card in enumerate(chunk):
            col, row = i % COLUMNS, i // COLUMNS
            x = left + col * w
            y = bottom + (ROWS - 1 - row) * h
            _card(canvas, card, x, y, w, h, mm, accent, black)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _cut_marks(canvas, left, bottom, w, h, mm) -> None:
    """Short lines outside the grid at every card edge, so the sheet is cut without guides
    printed on the cards themselves."""
    canvas.setLineWidth(0.3)
    mark, gap = 5 * mm, 1.5 * mm
    right, top = left + COLUMNS * w, bottom + ROWS * h
    for c in range(COLUMNS + 1):
        x = left + c * w
        canvas.line(x, top + gap, x, top + gap + mark)
        canvas.line(x, bottom - gap, x, bottom - gap - mark)
    for r in range(ROWS + 1):
        y = bottom + r * h
        canvas.line(left - gap, y, left - gap - mark, y)
        canvas.line(right + gap, y, right + gap + mark, y)


def _card(canvas, card: Card, x, y, w, h, mm, accent, black) -> None:
    pad = 4 * mm
    qr = 24 * mm
    canvas.setFillColor(accent)
    canvas.rect(x, y + h - 9 * mm, w, 9 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(FONT_BOLD, 9)
    canvas.drawString(x + pad, y + h - 5.2 * mm, "KARTU PESERTA")
    canvas.setFont(FONT, 6.5)
    canvas.drawString(
        x + pad, y + h - 7.8 * mm, "Perlindungan Pekerja Rentan · BPJS Ketenagakerjaan"
    )
    canvas.setFillColor(black)
    text_w = w - 2 * pad - qr - 2 * mm
    lines = [
        (FONT_BOLD, 10, card.name),
        (FONT, 7.5, f"NIK {card.nik}"),
        (FONT, 7.5, card.program),
        (FONT, 7.5, f"Desa {card.village}"),
        (FONT, 7.5, f"Masa {card.period}"),
    ]
    top = y + h - 14 * mm
    for font, size, text in lines:
        canvas.setFont(font, size)
        canvas.drawString(x + pad, top, _fit(canvas, text, font, size, text_w))
        top -= size + 3.2
    canvas.setFont(FONT, 5.5)
    canvas.drawString(x + pad, y + 3 * mm, "Pindai kode QR untuk memeriksa status perlindungan.")
    _qr(canvas, card.url, x + w - pad - qr, y + 5 * mm, qr)
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.setLineWidth(0.2)
    canvas.rect(x, y, w, h, stroke=1, fill=0)
    canvas.setStrokeColor(black)
