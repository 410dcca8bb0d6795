"""The contribution of one worker for one month: a pure function over the rule rows.

Nothing here reads the database: `selectors.ruleset()` loads the rows once, and the planner, the
pages, the command and (later) the invoice run call `contribution` with them. Money is integer
rupiah throughout; the two roundings are stated where they happen:

- JHT = declared income × `rate_bp` / 10,000, rounded half up to a whole rupiah
  (`(income × bp + 5,000) // 10,000`, the same expression in SQL for a set-based invoice run);
- a discount is rounded down to a whole rupiah, so the payer never pays less than the
  regulation's share (50 % of an odd amount leaves the odd rupiah with the payer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lindung.common.errors import ApplicationError

COMPONENTS = ("jkk", "jkm", "jht")
MANDIRI = "mandiri"  # self-paid: no funder
SECTORS = ("transport", "other")


@dataclass(frozen=True)
class Rule:
    code: str
    component: str
    income_from: int | None
    income_to: int | None
    amount: int | None
    rate_bp: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str

    def in_force(self, month: dt.date) -> bool:
        return self.valid_from <= month and (self.valid_to is None or month <= self.valid_to)

    def covers_income(self, income: int) -> bool:
        return (self.income_from is None or self.income_from <= income) and (
            self.income_to is None or income <= self.income_to
        )


@dataclass(frozen=True)
class Discount:
    code: str
    components: frozenset[str]
    percent: int
    sector: str
    month_from: dt.date
    month_to: dt.date
    excluded_funder_kinds: frozenset[str]
    citation: str

    def in_force(self, month: dt.date) -> bool:
        return self.month_from <= month <= self.month_to


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...] = ()
    discounts: tuple[Discount, ...] = ()


@dataclass(frozen=True)
class Payer:
    """Who pays: `kind` is a funder kind (apbd, apbd_perubahan, apbd_provinsi, apbdes, csr) or
    `mandiri`; `discounts_apply` is the funder's own setting (ignored for self-payers, who
    always get a discount meant for them, and for excluded kinds, who never do)."""

    kind: str = MANDIRI
    discounts_apply: bool = False

    def gets(self, discount: Discount) -> bool:
        if self.kind in discount.excluded_funder_kinds:
            return False
        return self.kind == MANDIRI or self.discounts_apply


SELF_PAID = Payer()


@dataclass(frozen=True)
class Contribution:
    """What one worker owes for one contribution month. `jkk`, `jkm` and `jht` are the amounts
    due (after any discount), so `total` is their sum; `discount` says how much was taken off."""

    month: dt.date
    jkk: int
    jkm: int
    jht: int
    discount: int
    rules: tuple[tuple[str, str], ...] = field(default=())

    @property
    def total(self) -> int:
        return self.jkk + self.jkm + self.jht

    def as_dict(self) -> dict:
        return {
            "month": f"{self.month:%Y-%m}",
            "jkk": self.jkk,
            "jkm": self.jkm,
            "jht": self.jht,
            "discount": self.discount,
            "total": self.total,
            "rules": [{"code": c, "citation": t} for c, t in self.rules],
        }


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def rupiah(amount: int) -> str:
    """Rp1.349.460.000 (Indonesian grouping), through lokal-id like every Rupiah shown."""
    from lokal.rupiah import format_rupiah

    return format_rupiah(int(amount))


def jht_amount(income: int, rate_bp: int) -> int:
    """Half up to a whole rupiah; integer arithmetic only."""
    return (income * rate_bp + 5_000) // 10_000


def _one(rules: list[Rule], component: str, month: dt.date, income: int) -> Rule:
    found = [r for r in rules if r.component == component and r.in_force(month)]
    if component == "jkk" and found:
        in_band = [r for r in found if r.covers_income(income)]
        if not in_band:
            steps = sorted(
                {
                    r.income_from
                    for r in found
                    if r.income_from is not None and r.income_to == r.income_from
                }
            )
            raise ApplicationError(
                _(
                    "No JKK row for a declared income of %(income)s in %(month)s (PP 44/2015 "
                    "Annex II steps on file: %(steps)s). Declare an income that is a step, or "
                    "load the step's row with its citation (`lindung rates load`)."
                )
                % {
                    "income": rupiah(income),
                    "month": f"{month:%Y-%m}",
                    "steps": ", ".join(rupiah(s) for s in steps) or "-",
                },
                code="no_jkk_step",
                fields={"wage": [_("No JKK step for this declared income.")]},
            )
        found = in_band
    if not found:
        raise ApplicationError(
            _("No %(component)s rule is in force for %(month)s.")
            % {"component": component.upper(), "month": f"{month:%Y-%m}"},
            code="no_rule",
        )
    if len(found) > 1:
        # The loader refuses overlaps; two rows here mean the table was edited around it.
        raise ApplicationError(
            _("Two %(component)s rules overlap in %(month)s: %(codes)s. Fix the rule table.")
            % {
                "component": component.upper(),
                "month": f"{month:%Y-%m}",
                "codes": ", ".join(r.code for r in found),
            },
            code="rules_overlap",
        )
    return found[0]


def contribution(
    ruleset: RuleSet,
    *,
    month: dt.date,
    income: int,
    components: Iterable[str],
    payer: Payer = SELF_PAID,
    sector: str = "other",
) -> Contribution:
    """The contribution for one worker-month, with the rules applied and their citations."""
    month = month_start(month)
    wanted = [c for c in COMPONENTS if c in set(components)]
    amounts = dict.fromkeys(COMPONENTS, 0)
    applied: list[tuple[str, str]] = []
    rules = list(ruleset.rules)
    for component in wanted:
        rule = _one(rules, component, month, income)
        amounts[component] = (
            rule.amount if rule.amount is not None else jht_amount(income, rule.rate_bp or 0)
        )
        applied.append((rule.code, rule.citation))
    discount_total = 0
    for discount in ruleset.discounts:
        if not (discount.in_force(month) and discount.sector == sector and payer.gets(discount)):
            continue
        cut = {c: amounts[c] * discount.percent // 100 for c in wanted if c in discount.components}
        if not any(cut.values()):
            continue
        for c, off in cut.items():
            amounts[c] -= off
        discount_total += sum(cut.values())
        applied.append((discount.code, discount.citation))
    return Contribution(
        month=month,
        jkk=amounts["jkk"],
        jkm=amounts["jkm"],
        jht=amounts["jht"],
        discount=discount_total,
        rules=tuple(applied),
    )


def due_date_info(month: dt.date) -> tuple[dt.date, str, bool]:
    """The 15th of the contribution month itself, moved to the next working day when it falls
    on a weekend, a national holiday or a cuti bersama day (PP 44/2015 Art. 24(3–4);
    Permenaker 5/2021 Art. 41–44): (due date, calendar used, holidays known).

    lokal-id's calendar of the SKB 3 Menteri first, then billing's own dated data
    (`holidays.py`, 2025); for a year neither has, weekends only, and `holidays known` is
    False so the invoice can say so. Never refused: a bill must still have a due date."""
    from .holidays import working_day

    day = month_start(month).replace(day=15)
    known = True
    while True:
        works, source, year_known = working_day(day)
        known = known and year_known
        if works:
            return day, source, known
        day += dt.timedelta(days=1)


def due_date(month: dt.date) -> dt.date:
    """The due date of a contribution month (see `due_date_info`)."""
    return due_date_info(month)[0]


def rate_rows(
    ruleset: RuleSet,
    *,
    months: Iterable[dt.date],
    incomes: Iterable[int],
    payers: Iterable[Payer],
    components_sets: Iterable[Iterable[str]],
    sectors: Iterable[str] = SECTORS,
) -> tuple[list[dict], list[dict]]:
    """The same amounts as `contribution`, as a table an invoice run can join on.

    One row per (month, payer kind, payer's discount setting, sector, declared income,
    components) with jkk, jkm, jht, discount, total and the rule codes: a few hundred rows
    priced here, loaded into a temporary table (or a VALUES list), and a million
    participant-months priced by one join in SQL instead of a million calls. Combinations the
    rules refuse (a declared income with no JKK step) come back in the second list with why,
    so the run can report those participants instead of billing them a guess."""
    rows, refused = [], []
    payers, sectors = list(payers), list(sectors)
    sets = sorted({",".join(c for c in COMPONENTS if c in set(s)) for s in components_sets})
    for month in months:
        for income in sorted(set(incomes)):
            for key in sets:
                try:
                    priced = [
                        (payer, sector, contribution(
                            ruleset, month=month, income=income, components=key.split(","),
                            payer=payer, sector=sector,
                        ))
                        for payer in payers
                        for sector in sectors
                    ]  # fmt: skip
                except ApplicationError as exc:
                    # A missing rule or JKK step refuses the income, whoever pays.
                    refused.append(
                        {"month": month_start(month), "income": income, "components": key,
                         "code": exc.code, "message": exc.message}
                    )  # fmt: skip
                    continue
                rows += [
                    {
                        "month": c.month,
                        "payer_kind": payer.kind,
                        "discounts_apply": payer.discounts_apply,
                        "sector": sector,
                        "income": income,
                        "components": key,
                        "jkk": c.jkk,
                        "jkm": c.jkm,
                        "jht": c.jht,
                        "discount": c.discount,
                        "total": c.total,
                        "rules": [code for code, _citation in c.rules],
                    }
                    for payer, sector, c in priced
                ]
    return rows, refused
