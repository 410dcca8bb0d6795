"""What a coverage dashboard shows, read once for the page, its XLSX and its PDFs.

Everything comes from the figures selectors (`figures.py`: pre-aggregated rows, scoped, 404 out
of scope), so the number of queries does not grow with the number of child regions. Filters
from the address are checked here: a program the user cannot see, an unknown funder kind or
occupation class is ignored (the page shows the unfiltered figures and says no filter is on),
never an error that would tell a hidden program exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from lindung.accounts.scoping import covers, scope_prefixes
from lindung.common.text import number
from lindung.programs.models import FunderKind, Program
from lindung.programs.selectors import programs_for
from lindung.regions.models import Region, dotted
from lindung.registry.models import OccupationGroup

from . import charts, figures
from .models import Snapshot
from .refresh import CODE_LENGTH, is_month_end, today

MAX_PERIODS = 24
SEX_LABELS = {"L": "Male", "P": "Female"}
AGE_LABELS = {"u25": "< 25"}


def url_code(code: str) -> str:
    """The code as written in a dashboard address: dotted, `ID` for Indonesia."""
    return dotted(code) if code else figures.INDONESIA_CODE


def dashboard_url(code: str, suffix: str = "") -> str:
    url = reverse("coverage:dashboard", args=[url_code(code)])
    return url + suffix


def parse_day(text: str | None) -> dt.date:
    """The period asked for (YYYY-MM-DD); anything else, or a date out of range, is today."""
    try:
        day = dt.date.fromisoformat(str(text or "")[:10])
    except ValueError:
        return today()
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        return today()
    return day


def parse_filters(user, params) -> dict:
    """Filters from the query string, each checked against what the user may choose."""
    out: dict = {}
    raw = str(params.get("program", "") or "")[:12]
    if raw.isdigit() and 0 < int(raw) < 2**31 and programs_for(user).filter(pk=int(raw)).exists():
        out["program_id"] = int(raw)
    funder = str(params.get("funder_kind", "") or "")[:30]
    if funder in FunderKind.values:
        out["funder_kind"] = funder
    group = str(params.get("occupation_group", "") or "")[:30]
    if group in OccupationGroup.values:
        out["occupation_group"] = group
    return out


def periods() -> list[dt.date]:
    """The days with counts a user can pick (latest first): every kept month end and today."""
    return list(Snapshot.objects.order_by("-day").values_list("day", flat=True)[:MAX_PERIODS])


def breadcrumbs(user, code: str) -> list[dict]:
    """Indonesia down to the parent of `code`, as far up as the user's scope reaches."""
    ancestors = [code[:n] for n in (2, 4, 6) if n < len(code)]
    names = dict(Region.objects.filter(code__in=ancestors).values_list("code", "name"))
    crumbs = []
    if code and scope_prefixes(user) is None:
        crumbs.append({"code": "", "name": _("Indonesia"), "url": dashboard_url("")})
    for a in ancestors:
        if covers(user, a):
            crumbs.append({"code": a, "name": names.get(a, a), "url": dashboard_url(a)})
    return crumbs


def decimal_comma(pct: str) -> str:
    """`"48.26"` → `"48,26"`: the decimal comma of every Lindung page and file."""
    return pct.replace(".", ",")


def pct_text(pct: str | None) -> str:
    """`"48.26"` → `"48,26 %"`; "—" without a figure."""
    return f"{decimal_comma(pct)} %" if pct else "—"


def _pct_value(pct: str | None) -> float:
    return float(Decimal(pct)) if pct else 0.0


def _label(dimension: str, value, programs: dict) -> str:
    if dimension == "program_id":
        return programs.get(value, _("Not in a program")) if value else _("Not in a program")
    if dimension == "funder_kind":
        return str(FunderKind(value).label) if value in FunderKind.values else _("No funder")
    if dimension == "occupation_group":
        if value in OccupationGroup.values:
            return str(OccupationGroup(value).label)
        return _("Unknown")
    if dimension == "sex":
        return _(SEX_LABELS[value]) if value in SEX_LABELS else _("Unknown")
    if dimension == "age_band":
        return AGE_LABELS.get(value, str(value or _("Unknown")))
    return str(value)


BREAKDOWNS = (
    ("program_id", "By program"),
    ("funder_kind", "By funder"),
    ("occupation_group", "By occupation class"),
    ("sex", "By sex"),
    ("age_band", "By age band"),
)


def _breakdowns(by: dict) -> list[dict]:
    ids = [r["value"] for r in by.get("program_id", []) if r["value"]]
    programs = dict(Program.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    out = []
    for dim, title in BREAKDOWNS:
        rows = [
            {
                "label": _label(dim, r["value"], programs),
                "protected": r["protected_total"],
                "with_arrears": r["with_arrears"],
                "not_protected": r["not_protected"],
            }
            for r in by.get(dim, [])
        ]
        out.append({"key": dim, "title": _(title), "rows": rows})
    return out


def filter_labels(filters: dict) -> list[tuple[str, str]]:
    """The filters in force in words, for the page and the files ("Program: …")."""
    out = []
    if "program_id" in filters:
        name = Program.objects.filter(pk=filters["program_id"]).values_list("name", flat=True)
        out.append((_("Program"), name.first() or ""))
    if "funder_kind" in filters:
        out.append((_("Funder"), str(FunderKind(filters["funder_kind"]).label)))
    if "occupation_group" in filters:
        out.append((_("Occupation class"), str(OccupationGroup(filters["occupation_group"]).label)))
    return out


def dashboard(user, code: str, day: dt.date, filters: dict | None = None) -> dict:
    """Every figure of one region's dashboard on `day` (404 out of scope)."""
    filters = filters or {}
    head = figures.figures(user, code, day, **filters)
    code = "" if head["region"] == figures.INDONESIA_CODE else head["region"]
    level = head["level"]
    as_of = dt.date.fromisoformat(head["as_of"]) if head["as_of"] else None
    days = periods()
    previous_day = next((d for d in days if as_of and d < as_of and is_month_end(d)), None)
    previous = None
    if previous_day:
        before = figures.figures(user, code or figures.INDONESIA_CODE, previous_day, **filters)
        previous = {
            "day": previous_day,
            "protected": before["protected"],
            "change": head["protected"] - before["protected"],
        }
        change = previous["change"]
        previous["change_text"] = f"+{number(change)}" if change >= 0 else f"−{number(-change)}"
    children = []
    if level < 4:
        for r in figures.ranking(user, code or figures.INDONESIA_CODE, day)["regions"]:
            r["url"] = dashboard_url(r["region"])
            children.append(r)
    by_pct = bool(children) and all(r["coverage_pct"] is not None for r in children)
    parent = code[: CODE_LENGTH[level - 1]] if level > 0 else None
    siblings = None
    if parent is not None:
        try:
            siblings = figures.ranking(user, parent or figures.INDONESIA_CODE, day)["regions"]
        except Http404:
            siblings = None  # the rank is shown, the other regions' figures are not
        for r in siblings or []:
            r["url"] = dashboard_url(r["region"]) if covers(user, r["region"]) else ""
            r["mine"] = r["region"] == code
    parent_name = None
    if parent is not None:
        parent_name = figures.region_name(parent)
    trend = figures.trend(user, code or figures.INDONESIA_CODE, months=12, until=as_of or day)
    for p in trend:
        p["day"] = dt.date.fromisoformat(p["date"])
    trend_by_pct = bool(trend) and all(p["coverage_pct"] is not None for p in trend)
    # Nobody protected on the day but some at an earlier month end: the programs ended or went
    # unpaid. Said in words with the last month end that had protection, so a leader sees the
    # lapse (and a visitor of an old program's figures finds them).
    lapsed = None
    if not head["protected"] and not filters:
        lapsed = next((p for p in reversed(trend) if p["protected"] and p["day"] != as_of), None)
    ecosystem = None
    if level >= 2:
        ecosystem = figures.ecosystem(user, code, day)
    ctx = {
        "code": code,
        "url_code": url_code(code),
        "dotted": dotted(code) if code else "",
        "name": head["name"],
        "level": level,
        "day": day,
        "as_of": as_of,
        "head": head,
        "filters": filters,
        "filter_labels": filter_labels(filters),
        "previous": previous,
        "children": children,
        "children_by_pct": by_pct,
        "siblings": siblings,
        "parent_name": parent_name,
        "rank": head["rank"],
        "trend": trend,
        "trend_by_pct": trend_by_pct,
        "lapsed": lapsed,
        "breakdowns": _breakdowns(head["by"]),
        "ecosystem": ecosystem,
        "periods": days,
        "crumbs": breadcrumbs(user, code),
    }
    return ctx


def charts_for(ctx: dict) -> dict:
    """The SVG charts of a dashboard (pages only; the PDF draws the same geometry)."""
    head = ctx["head"]
    out = {}
    if head["coverage_pct"] is not None:
        pct = _pct_value(head["coverage_pct"])
        out["progress"] = charts.progress_svg(
            "progress", _("Coverage towards 100 %"), pct, pct_text(head["coverage_pct"])
        )
    if ctx["children"]:
        out["children"] = charts.bars_svg(
            "children", children_title(ctx), children_bars(ctx), scale_max=100 if ctx[
                "children_by_pct"] else None,
        )  # fmt: skip
    if ctx["trend"]:
        out["trend"] = charts.line_svg("trend", trend_title(ctx), trend_points(ctx))
    return out


def children_title(ctx: dict) -> str:
    if ctx["children_by_pct"]:
        return _("Coverage %% of the regions in %(name)s") % {"name": ctx["name"]}
    return _("Protected workers in the regions of %(name)s") % {"name": ctx["name"]}


def children_bars(ctx: dict, *, links: bool = True) -> list[charts.Bar]:
    bars = []
    for r in ctx["children"]:
        if ctx["children_by_pct"]:
            value, text = _pct_value(r["coverage_pct"]), pct_text(r["coverage_pct"])
        else:
            value, text = float(r["protected"]), number(r["protected"])
        label = f"{r['rank']}. {r['name']}"
        bars.append(charts.Bar(label, value, text, r["url"] if links else ""))
    return bars


def trend_title(ctx: dict) -> str:
    if ctx["trend_by_pct"]:
        return _("Coverage %% at each month end, %(name)s") % {"name": ctx["name"]}
    return _("Protected workers at each month end, %(name)s") % {"name": ctx["name"]}


def trend_points(ctx: dict) -> list[charts.Point]:
    points = []
    for p in ctx["trend"]:
        d = dt.date.fromisoformat(p["date"])
        label = d.strftime("%m/%y")
        if ctx["trend_by_pct"]:
            value = _pct_value(p["coverage_pct"])
            points.append(charts.Point(label, value, p["coverage_pct"].replace(".", ",")))
        else:
            points.append(charts.Point(label, float(p["protected"]), number(p["protected"])))
    return points


def default_code(user) -> str:
    """Where `/cakupan/` starts: Indonesia for a nationwide scope, else the user's first
    region (an unassigned user has no dashboard)."""
    prefixes = scope_prefixes(user)
    if prefixes is None:
        return ""
    if not prefixes:
        raise Http404
    return prefixes[0]
