"""Coverage figures: THE place dashboards, reports and the API read them from.

Every function here reads only the pre-aggregated rows `refresh.py` keeps (`Cell`, `Total`,
`Snapshot`) and the imported denominators, never the participant table, so a province answers
from a few hundred rows. Every function takes the user and answers 404 (`Http404`) for a
region outside their scope, exactly like a region that does not exist.

Regions are Kemendagri codes, dotted or not (`16.12`, `1612`); Indonesia is `INDONESIA_CODE`
(only users whose scope is the whole country may ask for it).

Definitions:
- protected = protected + protected with arrears (both are protected on the day,
  `billing.protection`); `not_protected` = registered workers of the region who are not;
- coverage % = protected ÷ working population of the region (`regions.WorkforceDenominator`)
  for the year of the day, or the latest earlier year on file (named in the answer); None when
  no denominator is on file; two decimals, rounded half up, as text (never a float);
- dates: figures exist for the days counted (today, every month end); another date answers
  with the latest snapshot on or before it, named `as_of` (None: nothing counted yet);
- rank among siblings (regencies of a province, districts of a regency, villages of a
  district, provinces of Indonesia): by coverage % where a denominator exists, then the rest
  by protected count; equal figures share a rank (1, 1, 3);
- village ecosystem: a village's roster of officials is the registered workers living in the
  village whose occupation is an official role (`refresh.OFFICIAL_ROLES`: village head,
  apparatus, BPD, non-apparatus staff, village operator, RT/RW heads, linmas), against those of
  them protected; a village (or regency) is at 100 % when it has officials and all of them are
  protected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Q, Sum
from django.http import Http404

from lindung.accounts.roles import Action
from lindung.accounts.scoping import can, scope_prefixes
from lindung.regions.models import Region, WorkforceDenominator, canonical

from .models import Cell, Snapshot, Total
from .refresh import CODE_LENGTH, DIMENSIONS

INDONESIA_CODE = "ID"
_CODE = re.compile(r"[0-9]{2}(\.?[0-9]{2}(\.?[0-9]{2}(\.?[0-9]{4})?)?)?")
LEVEL_OF_LENGTH = {v: k for k, v in CODE_LENGTH.items()}
FILTERS = ("program_id", "funder_kind", "occupation_group")


def region_code(user, code: str) -> str:
    """The canonical code of a region the user may view ('' for Indonesia), else 404."""
    raw = str(code or "").strip()
    if raw.upper() == INDONESIA_CODE:
        if scope_prefixes(user) is not None or not getattr(user, "is_authenticated", False):
            raise Http404
        return ""
    if len(raw) > 16 or not _CODE.fullmatch(raw):
        raise Http404
    c = canonical(raw)
    if len(c) not in (2, 4, 6, 10) or not can(user, Action.VIEW, c):
        raise Http404
    if not Region.objects.filter(code=c).exists():
        raise Http404
    return c


def snapshot_day(day: dt.date) -> dt.date | None:
    """The day whose counts answer for `day`: itself or the latest counted day before it."""
    return (
        Snapshot.objects.filter(day__lte=day).order_by("-day").values_list("day", flat=True)
    ).first()


def denominator(code: str, year: int) -> WorkforceDenominator | None:
    if not code:
        return None
    return (
        WorkforceDenominator.objects.filter(region_id=code, year__lte=year).order_by("-year")
    ).first()


def _denominators(codes: list[str], year: int) -> dict[str, WorkforceDenominator]:
    found: dict[str, WorkforceDenominator] = {}
    for d in WorkforceDenominator.objects.filter(region_id__in=codes, year__lte=year).order_by(
        "year"
    ):
        found[d.region_id] = d  # the latest year wins
    return found


def percent(part: int, whole: int | None) -> str | None:
    """`part` ÷ `whole` as a percentage with two decimals, rounded half up; None without a
    denominator."""
    if not whole:
        return None
    value = Decimal(part * 100) / Decimal(whole)
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _level(code: str) -> int:
    return LEVEL_OF_LENGTH[len(code)]


def _name(code: str) -> str:
    if not code:
        return "Indonesia"
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def region_name(code: str) -> str:
    """The decree name of a region ("Indonesia" for ''): names are public, not figures."""
    return _name(code)


def _total_row(day: dt.date | None, code: str) -> dict:
    zero = {
        "protected": 0,
        "with_arrears": 0,
        "not_protected": 0,
        "officials": 0,
        "officials_protected": 0,
        "villages_with_officials": 0,
        "villages_all_officials": 0,
    }
    if day is None:
        return zero
    row = (
        Total.objects.filter(day=day, level=_level(code), region=code).values(*zero.keys()).first()
    )
    return row or zero


def _breakdowns(day: dt.date | None, code: str, filters: dict) -> tuple[dict, dict]:
    """(sums over the filtered cells, {dimension: [{value, protected, ...}]})."""
    sums = {"protected": 0, "with_arrears": 0, "not_protected": 0}
    by: dict[str, dict] = {d: defaultdict(lambda: dict.fromkeys(sums, 0)) for d in DIMENSIONS}
    if day is None:
        return sums, {d: [] for d in DIMENSIONS}
    rows = (
        Cell.objects.filter(day=day, level=_level(code), region=code, **filters)
        .values(*DIMENSIONS)
        .annotate(p=Sum("protected"), a=Sum("with_arrears"), n=Sum("not_protected"))
    )
    for row in rows:
        counts = {"protected": row["p"], "with_arrears": row["a"], "not_protected": row["n"]}
        for k, v in counts.items():
            sums[k] += v
        for d in DIMENSIONS:
            slot = by[d][row[d]]
            for k, v in counts.items():
                slot[k] += v
    out = {}
    for d in DIMENSIONS:
        out[d] = [
            {
                "value": value,
                **counts,
                "protected_total": counts["protected"] + counts["with_arrears"],
            }
            for value, counts in sorted(by[d].items(), key=lambda kv: str(kv[0]))
        ]
    return sums, out


def figures(
    user,
    code: str,
    day: dt.date,
    *,
    program_id: int | None = None,
    funder_kind: str | None = None,
    occupation_group: str | None = None,
) -> dict:
    """The figures of one region on one day: headline counts, coverage %, breakdowns by
    program, funder kind, occupation group, official role, sex and age band, the village
    ecosystem and the rank among siblings. Filters narrow the counts (not the ecosystem or the
    rank, which are the region's own)."""
    code = region_code(user, code)
    as_of = snapshot_day(day)
    filters = {
        k: v
        for k, v in (
            ("program_id", program_id),
            ("funder_kind", funder_kind),
            ("occupation_group", occupation_group),
        )
        if v not in (None, "")
    }
    sums, by = _breakdowns(as_of, code, filters)
    total = _total_row(as_of, code)
    protected = sums["protected"] + sums["with_arrears"]
    denom = denominator(code, day.year)
    level = _level(code)
    answer = {
        "region": code or INDONESIA_CODE,
        "name": _name(code),
        "level": level,
        "date": day.isoformat(),
        "as_of": as_of.isoformat() if as_of else None,
        "filters": filters,
        "protected": protected,
        "protected_paid_up": sums["protected"],
        "protected_with_arrears": sums["with_arrears"],
        "not_protected": sums["not_protected"],
        "registered": protected + sums["not_protected"],
        "working_population": denom.working_population if denom else None,
        "denominator_year": denom.year if denom else None,
        "denominator_source": denom.source if denom else None,
        "coverage_pct": percent(protected, denom.working_population if denom else None),
        "by": by,
        "ecosystem": {
            "officials": total["officials"],
            "officials_protected": total["officials_protected"],
            "officials_pct": percent(total["officials_protected"], total["officials"]),
            "villages_with_officials": total["villages_with_officials"],
            "villages_all_officials": total["villages_all_officials"],
        },
        "rank": None,
    }
    if level > 0:
        parent = code[: CODE_LENGTH[level - 1]]
        siblings = _ranked(as_of, parent, level, day.year)
        mine = next((r for r in siblings if r["region"] == code), None)
        if mine:
            answer["rank"] = {"rank": mine["rank"], "of": len(siblings), "basis": mine["basis"]}
    return answer


def _ranked(as_of: dt.date | None, parent: str, level: int, year: int) -> list[dict]:
    """Every region at `level` under `parent` (those without counts as zero), ranked."""
    if level == 1:
        regions = Region.objects.filter(level=1)
    else:
        regions = Region.objects.filter(parent_id=parent, level=level)
    names = dict(regions.filter(is_active=True).values_list("code", "name"))
    totals = {}
    if as_of is not None:
        totals = {
            r["region"]: r
            for r in Total.objects.filter(day=as_of, level=level, parent=parent).values(
                "region", "protected", "with_arrears", "not_protected",
                "officials", "officials_protected",
            )
        }  # fmt: skip
    denoms = _denominators(list(names), year)
    rows = []
    for code, name in names.items():
        t = totals.get(code, {})
        protected = t.get("protected", 0) + t.get("with_arrears", 0)
        d = denoms.get(code)
        rows.append(
            {
                "region": code,
                "name": name,
                "protected": protected,
                "not_protected": t.get("not_protected", 0),
                "working_population": d.working_population if d else None,
                "coverage_pct": percent(protected, d.working_population if d else None),
                "officials": t.get("officials", 0),
                "officials_protected": t.get("officials_protected", 0),
                "basis": "coverage_pct" if d else "protected",
                "_key": (0, -Fraction(protected, d.working_population))
                if d and d.working_population
                else (1, -protected),
            }
        )
    rows.sort(key=lambda r: (r["_key"], r["name"], r["region"]))
    previous, rank = None, 0
    for i, row in enumerate(rows, start=1):
        if row["_key"] != previous:
            rank, previous = i, row["_key"]
        row["rank"] = rank
        del row["_key"]
    return rows


def ranking(user, code: str, day: dt.date) -> dict:
    """The regions directly below `code` (regencies of a province, districts of a regency,
    villages of a district; provinces of Indonesia) ranked by coverage %, then by count."""
    code = region_code(user, code)
    level = _level(code)
    if level >= 4:
        raise Http404  # a village has nothing below it to rank
    as_of = snapshot_day(day)
    return {
        "region": code or INDONESIA_CODE,
        "name": _name(code),
        "date": day.isoformat(),
        "as_of": as_of.isoformat() if as_of else None,
        "regions": _ranked(as_of, code, level + 1, day.year),
    }


def trend(user, code: str, *, months: int = 12, until: dt.date | None = None) -> list[dict]:
    """Protected and coverage % at each kept month end (and the latest day), oldest first:
    a line chart reads this, no recount."""
    code = region_code(user, code)
    days = list(
        Snapshot.objects.filter(**({"day__lte": until} if until else {}))
        .order_by("-day")
        .values_list("day", flat=True)[: months + 1]
    )
    rows = {
        t["day"]: t
        for t in Total.objects.filter(day__in=days, level=_level(code), region=code).values(
            "day", "protected", "with_arrears", "not_protected"
        )
    }
    out = []
    for d in sorted(days):
        t = rows.get(d, {"protected": 0, "with_arrears": 0, "not_protected": 0})
        protected = t["protected"] + t["with_arrears"]
        denom = denominator(code, d.year)
        out.append(
            {
                "date": d.isoformat(),
                "protected": protected,
                "not_protected": t["not_protected"],
                "coverage_pct": percent(protected, denom.working_population if denom else None),
            }
        )
    return out


def ecosystem(user, code: str, day: dt.date) -> dict:
    """The village ecosystem below `code`: per village its officials and those protected, and
    the villages (and, for a province or Indonesia, the regencies) at 100 %."""
    code = region_code(user, code)
    as_of = snapshot_day(day)
    villages: list[dict] = []
    regencies_full: list[str] = []
    if as_of is not None:
        where = Q(day=as_of, level=4, officials__gt=0)
        if code:
            where &= Q(region__startswith=code)
        rows = Total.objects.filter(where).values("region", "officials", "officials_protected")
        names = dict(
            Region.objects.filter(code__in=[r["region"] for r in rows]).values_list("code", "name")
        )
        villages = [
            {
                "region": r["region"],
                "name": names.get(r["region"], r["region"]),
                "officials": r["officials"],
                "officials_protected": r["officials_protected"],
                "officials_pct": percent(r["officials_protected"], r["officials"]),
                "complete": r["officials_protected"] == r["officials"],
            }
            for r in rows.order_by("region")
        ]
        if _level(code) < 2:
            full = Q(day=as_of, level=2, officials__gt=0)
            if code:
                full &= Q(region__startswith=code)
            regencies_full = [
                r
                for r, o, op in Total.objects.filter(full)
                .order_by("region")
                .values_list("region", "officials", "officials_protected")
                if o == op
            ]
    return {
        "region": code or INDONESIA_CODE,
        "name": _name(code),
        "date": day.isoformat(),
        "as_of": as_of.isoformat() if as_of else None,
        "villages": villages,
        "villages_at_100": [v["region"] for v in villages if v["complete"]],
        "regencies_at_100": regencies_full,
    }


def village_counts(user, code: str, day: dt.date) -> list[dict]:
    """Every current village below `code` with its protected count on `day` (zero where
    nobody is counted), by code: what "villages under the minimum" is read from."""
    code = region_code(user, code)
    as_of = snapshot_day(day)
    villages = Region.objects.filter(level=4, is_active=True)
    if code:
        villages = villages.filter(code__startswith=code)
    counts = {}
    if as_of is not None:
        where = Q(day=as_of, level=4)
        if code:
            where &= Q(region__startswith=code)
        counts = {
            r: p + a
            for r, p, a in Total.objects.filter(where).values_list(
                "region", "protected", "with_arrears"
            )
        }
    return [
        {"region": c, "name": n, "protected": counts.get(c, 0)}
        for c, n in villages.order_by("code").values_list("code", "name")
    ]
