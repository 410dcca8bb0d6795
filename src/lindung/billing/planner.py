"""Budget planner (issue 9 §2): what N workers cost for M months from a start month.

Pure arithmetic over `rates.contribution`: the cost of N workers is N times one worker's, so the
planner prices one worker per month and multiplies (exact in integers), and the number of
workers a budget covers is `budget // cost of one worker over the period`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_BIGINT
from lindung.common.text import number

from .rates import (
    COMPONENTS,
    MANDIRI,
    SECTORS,
    SELF_PAID,
    Payer,
    RuleSet,
    add_months,
    contribution,
    due_date,
)

# Bounds that keep every figure far inside a 64-bit integer (100 million workers × 120 months ×
# Rp200 million a month JHT at the largest declared income is 2.4e18 < 9.2e18): larger inputs
# are mistakes, answered with a message, never an overflow in a database or a spreadsheet.
MAX_WORKERS = 100_000_000
MAX_MONTHS = 120
MAX_WAGE = 10_000_000_000
# The funder kinds the command and the API name, hyphenated as users type them.
FUNDERS = {
    "apbd": "apbd",
    "apbd-perubahan": "apbd_perubahan",
    "apbd-provinsi": "apbd_provinsi",
    "apbdes": "apbdes",
    "csr": "csr",
    "mandiri": MANDIRI,
}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> dt.date:
    match = _MONTH.fullmatch((text or "").strip())
    year, month = (int(match[1]), int(match[2])) if match else (0, 0)
    if not match or not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ApplicationError(
            _("The start month must be written YYYY-MM, e.g. 2025-10 (got %(value)s).")
            % {"value": text},
            code="invalid_month",
            fields={"start": [_("Write the month as YYYY-MM.")]},
        )
    return dt.date(year, month, 1)


def parse_components(value: str | Iterable[str]) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = {str(i).strip().lower() for i in items if str(i).strip()}
    unknown = wanted - set(COMPONENTS)
    if unknown or not wanted:
        raise ApplicationError(
            _("Components must be one or more of jkk, jkm, jht (got %(value)s).")
            % {"value": ",".join(sorted(unknown)) or "-"},
            code="invalid_components",
            fields={"components": [_("Choose jkk, jkm and/or jht.")]},
        )
    return tuple(c for c in COMPONENTS if c in wanted)


def parse_funder(value: str) -> str:
    kind = FUNDERS.get((value or "").strip().lower())
    if kind is None:
        raise ApplicationError(
            _("Unknown funder %(value)s: use one of %(known)s.")
            % {"value": value, "known": ", ".join(FUNDERS)},
            code="invalid_funder",
            fields={"funder": [_("Unknown funder.")]},
        )
    return kind


def _bounded(name: str, value: int | None, low: int, high: int, label: str) -> int:
    if (
        value is None
        or isinstance(value, bool)
        or not isinstance(value, int)
        or not (low <= value <= high)
    ):
        raise ApplicationError(
            _("%(label)s must be a whole number from %(low)s to %(high)s (got %(value)s).")
            % {"label": label, "low": number(low), "high": number(high), "value": value},
            code="out_of_range",
            fields={name: [_("From %(low)s to %(high)s.") % {"low": low, "high": high}]},
        )
    return value


def check_inputs(
    *, workers: int, months: int, wage: int, sector: str, budget: int | None = None
) -> None:
    _bounded("workers", workers, 0, MAX_WORKERS, _("The number of workers"))
    _bounded("months", months, 1, MAX_MONTHS, _("The number of months"))
    _bounded("wage", wage, 1, MAX_WAGE, _("The declared income"))
    if budget is not None:
        _bounded("budget", budget, 0, MAX_BIGINT, _("The budget"))
    if sector not in SECTORS:
        raise ApplicationError(
            _("The sector must be transport or other."),
            code="invalid_sector",
            fields={"sector": [_("transport or other")]},
        )


def per_worker_months(
    ruleset: RuleSet,
    *,
    months: int,
    start: dt.date,
    wage: int,
    components: tuple[str, ...],
    payer: Payer,
    sector: str,
):
    return [
        contribution(
            ruleset,
            month=add_months(start, i),
            income=wage,
            components=components,
            payer=payer,
            sector=sector,
        )
        for i in range(months)
    ]


def _due(month: dt.date) -> str | None:
    try:
        return due_date(month).isoformat()
    except ApplicationError:
        return None  # no official holiday calendar for that year yet


def plan(
    ruleset: RuleSet,
    *,
    workers: int,
    months: int,
    start: dt.date,
    wage: int = 1_000_000,
    components: tuple[str, ...] = ("jkk", "jkm"),
    payer: Payer = SELF_PAID,
    sector: str = "other",
    budget: int | None = None,
) -> dict:
    """The cost of `workers` workers for `months` contribution months from `start`, per
    component and month, with the rules applied; with `budget`, how many workers it covers."""
    check_inputs(workers=workers, months=months, wage=wage, sector=sector, budget=budget)
    per_month = per_worker_months(
        ruleset,
        months=months,
        start=start,
        wage=wage,
        components=components,
        payer=payer,
        sector=sector,
    )
    rules: dict[str, str] = {}
    for c in per_month:
        rules.update(dict(c.rules))
    per_worker_period = sum(c.total for c in per_month)
    result = {
        "workers": workers,
        "months": months,
        "start": f"{start:%Y-%m}",
        "wage": wage,
        "components": list(components),
        "funder": payer.kind,
        "funder_discounts_apply": payer.discounts_apply,
        "sector": sector,
        "per_worker_month": per_month[0].total,
        "per_worker_period": per_worker_period,
        "total": per_worker_period * workers,
        "by_component": {k: sum(getattr(c, k) for c in per_month) * workers for k in COMPONENTS},
        "discount": sum(c.discount for c in per_month) * workers,
        "by_month": [
            {
                "month": f"{c.month:%Y-%m}",
                "per_worker": c.total,
                "total": c.total * workers,
                "jkk": c.jkk * workers,
                "jkm": c.jkm * workers,
                "jht": c.jht * workers,
                "discount": c.discount * workers,
                "due_date": _due(c.month),
            }
            for c in per_month
        ],
        "rules": [{"code": code, "citation": citation} for code, citation in rules.items()],
    }
    if budget is not None:
        result["budget"] = budget
        result["workers_covered"] = (
            min(budget // per_worker_period, MAX_WORKERS) if per_worker_period else MAX_WORKERS
        )
    return result


def terbilang_rupiah(amount: int) -> str:
    """The total in words for invoices and budgets ("satu miliar … rupiah")."""
    from lokal.terbilang import terbilang

    return terbilang(int(amount), currency=True, case="sentence")


def months_between(first: dt.date, last: dt.date) -> int:
    """Whole contribution months in a coverage period, first and last day included: 1 Oct –
    31 Dec is 3, 16 Jul 2025 – 15 Jul 2026 is 12. A month of cover runs from the start day,
    each is paid as the contribution month it starts in, and a part month is paid in full (the
    contribution is flat, there is no proration)."""
    end = last + dt.timedelta(days=1)
    months = (end.year - first.year) * 12 + end.month - first.month
    if end.day > first.day:
        months += 1
    return max(months, 1)
