"""The articles' coverage figures at demo scale: working-population denominators scaled so the
demo's own protected counts give the articles' percentages, and month-end snapshots before and
after each launch, so the trend shows the rise (issue 11 §7).

Run after billing (protection depends on payments). The denominators go through the same
import service as a BPS table, with the source named as synthetic. Each is the demo's protected
count on the month end after the launch divided by the article's percentage, rounded: at a few
hundred people the nearest whole denominator gives the article's figure to within a few
hundredths of a point (the command prints what it reached).

| regency (code)      | article                                       | month end used |
|---------------------|-----------------------------------------------|----------------|
| Sarolangun (15.03)  | 41.02 % → 66.08 %, highest in Jambi (seed 004) | 30-11-2024     |
| Musi Banyuasin      | 48.26 % = 103,079 / 213,582, Jul 2025 (002)    | 31-07-2025     |
| Muara Enim (16.03)  | about 44 % (seed 001)                          | 31-12-2025     |

Sarolangun's 41.02 % before its launch were people already covered outside the program: the
demo covers as many of its people for July–December 2024 (`demo.existing`, sized on the
program's protected people so that before ÷ after is 41.02 ÷ 66.08), so its month end before
the launch shows ≈41.02 % and the one after ≈66.08 %, over the same 2024 denominator. The other
regencies' month ends before their launches show their programs' start from zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.coverage.denominators import denominators_import
from lindung.coverage.models import Snapshot, Total
from lindung.coverage.refresh import refresh_all
from lindung.regions.models import Region, WorkforceDenominator

from .existing import demo_existing

SOURCE = "synthetic, scaled from the article"
TARGETS = [
    # (regency, article's coverage %, month end after the launch, month end before it)
    ("1503", Decimal("66.08"), dt.date(2024, 11, 30), dt.date(2024, 10, 31)),
    ("1606", Decimal("48.26"), dt.date(2025, 7, 31), dt.date(2025, 6, 30)),
    ("1603", Decimal("44.00"), dt.date(2025, 12, 31), dt.date(2025, 9, 30)),
]


def demo_coverage() -> dict[str, dict]:
    """Count the month ends and store the scaled denominators, once (a demo that already has
    its synthetic denominators is left alone). Returns {regency: {day, protected,
    working_population, coverage_pct}}."""
    if WorkforceDenominator.objects.filter(source=SOURCE).exists():
        return {}
    demo_existing()  # Sarolangun's coverage before its launch: counted in the month ends below
    admin = User.objects.filter(role=Role.SUPERADMIN).first()
    days = sorted({d for _c, _p, after, before in TARGETS for d in (after, before)})
    for day in days:
        if not Snapshot.objects.filter(day=day, complete=True).exists():
            refresh_all(day, keep_people=False)  # past month ends: cells only
    names = dict(
        Region.objects.filter(code__in=[t[0] for t in TARGETS]).values_list("code", "name")
    )
    lines, out = ["kode_kemendagri;nama;tahun;penduduk_bekerja;sumber"], {}
    for code, pct, after, _before in TARGETS:
        row = Total.objects.filter(day=after, level=2, region=code).first()
        protected = (row.protected + row.with_arrears) if row else 0
        if not protected:
            continue  # nothing protected at this scale: no figure to reproduce
        population = max(1, round(Decimal(protected * 100) / pct))
        lines.append(f"{code};{names.get(code, code)};{after.year};{population};{SOURCE}")
        out[code] = {
            "day": after,
            "protected": protected,
            "working_population": population,
            "coverage_pct": (Decimal(protected * 100) / population).quantize(Decimal("0.01")),
            "article_pct": pct,
        }
    if out:
        with transaction.atomic():
            denominators_import(actor=admin, data="\n".join(lines).encode(), source=SOURCE)
    return out
