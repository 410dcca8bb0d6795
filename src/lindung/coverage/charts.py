"""Charts drawn on the server as SVG: no script, no CDN, nothing the strict CSP forbids.

Each chart is computed once as geometry (`bar_layout`, `line_layout`) in its own unit box, then
written as SVG for pages (`bars_svg`, `line_svg`, `progress_svg`) or drawn as vectors into a
PDF (`reports.py` reads the same geometry), so a page and its PDF show the same picture.

Readable on a 360 px phone: the SVG scales to its box (`viewBox`, no fixed pixel size) and is
drawn about as wide as a phone, so its 16-unit text stays near 13 px there; horizontal bars put
each region's name on its own line above its bar, so long names never overlap. Readable when
printed in black and white: every bar and point carries its figure as text, bars are hatched
(a pattern, not a colour, tells them apart) and the line has square markers. Accessible: each
SVG is `role="img"` (a `group` when its labels are links) with a `<title>` and `<desc>`, and
the page shows the same figures as a table next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 400  # units of the viewBox; the page scales it
FONT = 16
ROW = 44  # a name line and a bar per region
BAR = 16
LABEL_GAP = 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the figure as printed next to the bar
    href: str = ""
    highlight: bool = False


@dataclass(frozen=True)
class BarGeometry:
    label: str
    text: str
    href: str
    highlight: bool
    y: float  # top of the row
    width: float  # bar length in units of WIDTH


def _number(value) -> float:
    if value is None or value == "":
        return 0.0
    return float(Decimal(str(value)))


def bar_layout(bars: list[Bar], *, scale_max: float | None = None) -> list[BarGeometry]:
    """Bar lengths against the largest value (or `scale_max`, e.g. 100 for percentages, so a
    region at 40 % is drawn at 40 % of the width whatever its siblings do)."""
    top = scale_max or max((b.value for b in bars), default=0) or 1
    usable = WIDTH - 90  # room for the figure after the longest bar
    return [
        BarGeometry(
            label=b.label,
            text=b.text,
            href=b.href,
            highlight=b.highlight,
            y=i * ROW,
            width=max(0.0, min(1.0, b.value / top)) * usable if b.value > 0 else 0.0,
        )
        for i, b in enumerate(bars)
    ]


def _svg_open(chart_id: str, title: str, desc: str, height: float, role: str = "img") -> str:
    # A chart whose labels are links is a group (an image hides its links from screen readers).
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="{role}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" class="bar-fill"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" class="bar-hatch" stroke-width="2"/></pattern></defs>'
    )


def bars_svg(chart_id: str, title: str, bars: list[Bar], *, scale_max=None) -> SafeString:
    """Horizontal bars, one region per row: its name (a link to its dashboard when `href`),
    then its bar and its figure."""
    rows = bar_layout(bars, scale_max=scale_max)
    height = max(ROW, len(rows) * ROW) + 4
    desc = "; ".join(f"{r.label}: {r.text}" for r in rows)
    role = "group" if any(r.href for r in rows) else "img"
    out = [_svg_open(chart_id, title, desc, height, role)]
    for r in rows:
        label = f'<text x="0" y="{r.y + FONT:.0f}" class="bar-label">{escape(r.label)}</text>'
        if r.href:
            label = f'<a href="{escape(r.href)}">{label}</a>'
        out.append(label)
        bar_y = r.y + FONT + LABEL_GAP
        css = "bar bar-mine" if r.highlight else "bar"
        out.append(
            f'<rect x="0" y="{bar_y:.0f}" width="{r.width:.1f}" height="{BAR}" class="{css}" '
            f'fill="url(#{chart_id}-hatch)" stroke="currentColor" stroke-width="1"/>'
            f'<text x="{r.width + 6:.1f}" y="{bar_y + BAR - 2:.0f}" class="bar-value">'
            f"{escape(r.text)}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


@dataclass(frozen=True)
class Point:
    label: str  # the x label (a month)
    value: float
    text: str


LINE_HEIGHT = 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 10, 40, 24, 40


def line_layout(points: list[Point], *, width=WIDTH, height=LINE_HEIGHT) -> list[tuple]:
    """(x, y, point, show_label) in a `width` × `height` box, y downwards. Labels are thinned
    so x labels never overlap: at most 6 are printed, always the last one."""
    if not points:
        return []
    top = max(p.value for p in points) or 1
    inner_w = width - PAD_LEFT - PAD_RIGHT
    inner_h = height - PAD_TOP - PAD_BOTTOM
    n = len(points)
    step = max(1, -(-n // 6))  # ceil(n / 6)
    out = []
    for i, p in enumerate(points):
        x = PAD_LEFT + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
        y = PAD_TOP + inner_h * (1 - p.value / top)
        show = (n - 1 - i) % step == 0
        out.append((x, y, p, show))
    return out


def line_svg(chart_id: str, title: str, points: list[Point]) -> SafeString:
    """A line through the month ends with a square marker and its figure at each shown
    point, and the month under it."""
    laid = line_layout(points)
    desc = "; ".join(f"{p.label}: {p.text}" for p in points)
    out = [_svg_open(chart_id, title, desc, LINE_HEIGHT)]
    base = LINE_HEIGHT - PAD_BOTTOM
    out.append(
        f'<line x1="{PAD_LEFT}" y1="{base}" x2="{WIDTH - PAD_RIGHT + 10}" y2="{base}" '
        f'stroke="currentColor" stroke-width="1" class="axis"/>'
    )
    if laid:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _p, _s in laid)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="currentColor" stroke-width="2" '
            f'class="line"/>'
        )
    for x, y, p, show in laid:
        out.append(
            f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" class="marker" '
            f'fill="currentColor"/>'
        )
        if show:
            out.append(
                f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" class="point-value">'
                f"{escape(p.text)}</text>"
                f'<text x="{x:.1f}" y="{base + 18}" text-anchor="middle" class="point-label">'
                f"{escape(p.label)}</text>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def progress_svg(chart_id: str, title: str, percent: float, text: str) -> SafeString:
    """A bar from 0 to 100 % with the figure printed on it (no inline style: the width is an
    SVG attribute, allowed by the CSP)."""
    pct = max(0.0, min(100.0, percent))
    inner = (WIDTH - 2) * pct / 100
    out = [_svg_open(chart_id, title, text, 44)]
    out.append(
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="26" rx="4" fill="none" '
        f'stroke="currentColor" stroke-width="1.5"/>'
        f'<rect x="1" y="1" width="{inner:.1f}" height="26" rx="4" class="bar" '
        f'fill="url(#{chart_id}-hatch)" stroke="currentColor" stroke-width="1"/>'
        f'<text x="0" y="42" class="progress-label">0 %</text>'
        f'<text x="{WIDTH}" y="42" text-anchor="end" class="progress-label">100 %</text>'
        f'<text x="{WIDTH / 2:.0f}" y="19" text-anchor="middle" font-weight="bold" '
        f'class="progress-value">{escape(text)}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped
