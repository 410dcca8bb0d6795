"""Benefit calculator: what a claim pays, component by component, each with its rule and citation.

The contract the claim workflow relies on (filled in by the benefit-rules work):

- `BenefitType`: "jkm", "jkk-death", "jkk-disability", "jkk-stmb", "jkk-medical", "scholarship".
- `Facts`: everything the rules look at, already derived (membership start, months paid,
  unpaid months at the event, wage, children with level and year, disability percent, months off
  work, costs claimed, reporting dates, whether a sudden death happened at work).
- `what_if_facts(...)` builds Facts from typed-in figures (the `--what-if` calculator);
  `facts_for_worker(worker, benefit_type, event_date, **details)` builds them from the database
  through the one "protected on date D" function (`lindung.billing.protection.protection_on`).
- `compute(facts, heirs=None) -> Result` with `payable` (integer rupiah), `components`
  `[Component(code, amount, rule, citation)]`, `not_payable` `[NotPayable(code, reason,
  citation)]`, `heirs` (who is entitled, see `claims/heirs.py`) and `as_dict()` giving the JSON of
  `lindung benefit --json`.

Every figure comes from a `rulebook.BenefitRule` row in force on the event date (the death or
the accident), so a later rule changes later events only. Money is integer rupiah; the one
rounding (a percent of a wage) is down to a whole rupiah, stated where it happens.

Arrears (PP 44/2015 Art. 39, 42; Permenaker 5/2021 Art. 92, 98): 1–3 consecutive unpaid months
→ the benefit is paid after deducting them, one negative component per month (`arrears-YYYY-MM`)
so the months and amounts are named; more → nothing (the participant was not protected). The
JKM funeral cost is paid whatever the arrears (they come off the lump sum, the periodic benefit
or the scholarship), and JKK medical care is given in kind, so nothing is deducted from either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.common.errors import ApplicationError

from .heirs import Entitlement, entitlement


class BenefitType(models.TextChoices):
    JKM = "jkm", gettext_lazy("Death (JKM)")
    JKK_DEATH = "jkk-death", gettext_lazy("Death from a work accident (JKK)")
    JKK_DISABILITY = "jkk-disability", gettext_lazy("Disability from a work accident (JKK)")
    JKK_STMB = "jkk-stmb", gettext_lazy("Temporary incapacity to work (JKK STMB)")
    JKK_MEDICAL = "jkk-medical", gettext_lazy("Care and transport after a work accident (JKK)")
    SCHOLARSHIP = "scholarship", gettext_lazy("Scholarship for children")


DEATH_TYPES = (BenefitType.JKM, BenefitType.JKK_DEATH)
JKK_TYPES = (
    BenefitType.JKK_DEATH,
    BenefitType.JKK_DISABILITY,
    BenefitType.JKK_STMB,
    BenefitType.JKK_MEDICAL,
)
LEVELS = ("tk", "sd", "smp", "sma", "pt")
LEVEL_WORDS = {
    "tk": gettext_lazy("kindergarten (TK)"),
    "sd": gettext_lazy("primary school (SD)"),
    "smp": gettext_lazy("junior high school (SMP)"),
    "sma": gettext_lazy("senior high school (SMA)"),
    "pt": gettext_lazy("university or training (PT)"),
}
# What caused the death or disability a scholarship follows from.
CAUSES = ("jkm", "jkk-death", "jkk-disability")

# The protection answers (the same words as billing.protection).
PROTECTED = "protected"
WITH_ARREARS = "protected_with_arrears"
NOT_PROTECTED = "not_protected"

MAX_RUPIAH = 10**15  # a claim above a thousand trillion rupiah is a typing error
MAX_WAGE = 10**12
MAX_CHILDREN = 20
MAX_MONTHS_OFF = 1200


# --- the rule book --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str
    unit: str
    value: int
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...] = ()

    def find(self, code: str, day: dt.date) -> Rule | None:
        """The row of `code` in force on `day` (the latest start wins if two overlap)."""
        found = [r for r in self.rules if r.code == code and r.in_force(day)]
        return max(found, key=lambda r: r.valid_from) if found else None

    def need(self, code: str, day: dt.date) -> Rule:
        rule = self.find(code, day)
        if rule is None:
            raise ApplicationError(
                _("No benefit rule %(code)s is in force on %(date)s.")
                % {"code": code, "date": day.strftime("%d-%m-%Y")},
                code="no_rule",
            )
        return rule


def load_rulebook() -> RuleBook:
    """Every benefit rule row (a few dozen), once per calculation."""
    from .rulebook import BenefitRule

    return RuleBook(
        tuple(
            Rule(r.code, r.unit, r.value, r.valid_from, r.valid_to, r.citation)
            for r in BenefitRule.objects.all()
        )
    )


# --- facts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Child:
    """A child a scholarship is claimed for: the level, how many school years are claimed now
    (late years included) and how many of this level were paid before."""

    level: str
    name: str = ""
    years: int = 1
    years_paid: int = 0
    registered_heir: bool = True
    registered_on: dt.date | None = None
    birth_date: dt.date | None = None
    married: bool = False
    heir_id: int | None = None


@dataclass(frozen=True)
class Facts:
    benefit_type: str
    event_date: dt.date
    claim_date: dt.date
    protection: str = PROTECTED
    protection_reason: str = ""
    protection_citation: str = ""
    membership_start: dt.date | None = None
    membership_months: int = 0
    months_paid: int = 0
    # Unpaid months at the event, oldest first, with what each still owes (None: unpriced).
    arrears: tuple[tuple[str, int | None], ...] = ()
    wage: int = 0
    children: tuple[Child, ...] = ()
    scholarship_cause: str = "jkm"
    disability_percent: int = 0
    total_disability: bool = False
    months_off: int = 0
    medical_cost: int = 0
    home_care_cost: int = 0
    home_care_months: int = 0
    transport_land: int = 0
    transport_sea: int = 0
    transport_air: int = 0
    sudden_death_at_work: bool = False
    reported_stage1: dt.date | None = None
    reported_stage2: dt.date | None = None

    @property
    def arrears_months(self) -> list[str]:
        return [m for m, _amount in self.arrears]


# --- the result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    code: str
    amount: int
    rule: str
    citation: str

    def as_dict(self) -> dict:
        return {"code": self.code, "amount": self.amount, "rule": self.rule,
                "citation": self.citation}  # fmt: skip


@dataclass(frozen=True)
class NotPayable:
    code: str
    reason: str
    citation: str

    def as_dict(self) -> dict:
        return {"code": self.code, "reason": self.reason, "citation": self.citation}


@dataclass
class Result:
    benefit_type: str
    event_date: dt.date
    components: list[Component] = field(default_factory=list)
    not_payable: list[NotPayable] = field(default_factory=list)
    entitlement: Entitlement | None = None

    @property
    def payable(self) -> int:
        return sum(c.amount for c in self.components)

    @property
    def heirs(self) -> list[dict]:
        if self.entitlement is None:
            return []
        funeral = sum(c.amount for c in self.components if c.code.endswith("-funeral"))
        return self.entitlement.as_list(funeral=funeral, payable=self.payable)

    def as_dict(self) -> dict:
        return {
            "type": str(self.benefit_type),
            "event_date": self.event_date.isoformat(),
            "payable": self.payable,
            "components": [c.as_dict() for c in self.components],
            "not_payable": [n.as_dict() for n in self.not_payable],
            "heirs": self.heirs,
        }


def component_label(code: str) -> str:
    """A component in words, for the command's text and the calculator page."""
    if code.startswith("arrears-"):
        month = code[len("arrears-") :]
        return _("Unpaid contribution %(month)s deducted") % {"month": f"{month[5:]}-{month[:4]}"}
    if code.startswith("scholarship-child-"):
        number, _sep, level = code[len("scholarship-child-") :].partition("-")
        return _("Scholarship, child %(n)s, %(level)s") % {
            "n": number,
            "level": LEVEL_WORDS.get(level, level),
        }
    return str(COMPONENT_WORDS.get(code, code))


COMPONENT_WORDS = {
    "jkm-lump-sum": gettext_lazy("JKM lump sum"),
    "jkm-periodic": gettext_lazy("JKM periodic benefit, paid at once"),
    "jkm-funeral": gettext_lazy("Funeral cost (JKM)"),
    "jkk-death": gettext_lazy("JKK death benefit"),
    "jkk-funeral": gettext_lazy("Funeral cost (JKK)"),
    "jkk-periodic": gettext_lazy("JKK periodic benefit, paid at once"),
    "jkk-disability-total": gettext_lazy("Total permanent disability"),
    "jkk-disability-partial": gettext_lazy("Partial disability"),
    "jkk-stmb-full": gettext_lazy("Temporary incapacity, first months (100 %)"),
    "jkk-stmb-after": gettext_lazy("Temporary incapacity, later months (50 %)"),
    "jkk-medical": gettext_lazy("Medical care (no ceiling)"),
    "jkk-home-care": gettext_lazy("Home care"),
    "jkk-transport-land": gettext_lazy("Transport by land"),
    "jkk-transport-sea": gettext_lazy("Transport by sea"),
    "jkk-transport-air": gettext_lazy("Transport by air"),
}


# --- helpers --------------------------------------------------------------------------------


def whole_months(start: dt.date, day: dt.date) -> int:
    """Whole months from `start` to `day`: 1 Jul → 1 Sep is 2, → 31 Aug is 1."""
    months = (day.year - start.year) * 12 + day.month - start.month
    if day.day < start.day:
        months -= 1
    return max(months, 0)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def rupiah(amount: int) -> str:
    from lindung.billing.rates import rupiah as format_rupiah

    return format_rupiah(int(amount)) if amount >= 0 else "−" + format_rupiah(-int(amount))


# --- compute --------------------------------------------------------------------------------


class _Calc:
    def __init__(self, facts: Facts, book: RuleBook):
        self.facts = facts
        self.book = book
        self.day = facts.event_date
        self.result = Result(benefit_type=facts.benefit_type, event_date=facts.event_date)

    def rule(self, code: str) -> Rule:
        return self.book.need(code, self.day)

    def pay(self, code: str, amount: int, rule: Rule, citation: str | None = None) -> None:
        self.result.components.append(
            Component(code, int(amount), rule.code, citation or rule.citation)
        )

    def refuse(self, code: str, reason: str, citation: str) -> None:
        self.result.not_payable.append(NotPayable(code, reason, citation))

    # JKM -------------------------------------------------------------------------------------
    def jkm(self) -> None:
        f = self.facts
        funeral = self.rule("jkm-funeral")
        new_member = self.book.find("jkm-new-member-months", self.day)
        if new_member is not None and f.membership_months < new_member.value:
            self.pay("jkm-funeral", funeral.value, funeral)
            reason = _(
                "Died after %(m)s whole month(s) of membership, before %(need)s consecutive "
                "months: the funeral cost only."
            ) % {"m": f.membership_months, "need": new_member.value}
            for code in ("jkm-lump-sum", "jkm-periodic"):
                self.refuse(code, reason, new_member.citation)
            return
        for code in ("jkm-lump-sum", "jkm-periodic"):
            rule = self.rule(code)
            self.pay(code, rule.value, rule)
        self.pay("jkm-funeral", funeral.value, funeral)

    # JKK -------------------------------------------------------------------------------------
    def lapsed(self) -> bool:
        lapse = self.rule("jkk-lapse-years")
        until = add_years(self.day, lapse.value)
        if self.facts.claim_date > until:
            self.refuse(
                "jkk-lapsed",
                _(
                    "Claimed on %(claim)s, more than %(years)s years after the accident of "
                    "%(event)s (the right lapsed after %(until)s)."
                )
                % {
                    "claim": self.facts.claim_date.strftime("%d-%m-%Y"),
                    "years": lapse.value,
                    "event": self.day.strftime("%d-%m-%Y"),
                    "until": until.strftime("%d-%m-%Y"),
                },
                lapse.citation,
            )
            return True
        return False

    def jkk_death(self) -> None:
        f = self.facts
        if f.sudden_death_at_work:
            need = self.rule("jkk-sudden-death-months-paid")
            if f.months_paid < need.value:
                self.refuse(
                    "jkk-death",
                    _(
                        "A sudden death at work counts as a work accident only with at least "
                        "%(need)s months of contributions paid; %(paid)s were paid, so it is a "
                        "JKM death."
                    )
                    % {"need": need.value, "paid": f.months_paid},
                    need.citation,
                )
                self.jkm()
                return
        if self.lapsed():
            return
        death = self.rule("jkk-death")
        floor = self.rule("jkm-lump-sum")
        amount = f.wage * death.value
        if amount < floor.value:
            # Never less than the JKM lump sum: the floor's row decides the amount.
            self.pay("jkk-death", floor.value, floor, f"{death.citation}; {floor.citation}")
        else:
            self.pay("jkk-death", amount, death)
        for code in ("jkk-funeral", "jkk-periodic"):
            rule = self.rule(code)
            self.pay(code, rule.value, rule)

    def jkk_disability(self) -> None:
        f = self.facts
        if self.lapsed():
            return
        if f.total_disability:
            rule = self.rule("jkk-disability-total")
            self.pay("jkk-disability-total", f.wage * rule.value, rule)
            return
        base = self.rule("jkk-disability-partial-base")
        cap = self.rule("jkk-disability-partial-cap")
        if f.disability_percent <= 0:
            self.refuse(
                "jkk-disability-partial",
                _("No disability percent was given (PP 82/2019 Annex III table)."),
                base.citation,
            )
            return
        percent = min(f.disability_percent, cap.value)
        if f.disability_percent > cap.value:
            self.refuse(
                "jkk-disability-over-cap",
                _(
                    "%(asked)s %% of partial disability claimed; all partial disability together "
                    "is paid up to %(cap)s %%."
                )
                % {"asked": f.disability_percent, "cap": cap.value},
                cap.citation,
            )
        # percent × 80 × wage, rounded down to a whole rupiah.
        self.pay("jkk-disability-partial", f.wage * base.value * percent // 100, base)

    def jkk_stmb(self) -> None:
        f = self.facts
        if self.lapsed():
            return
        months = self.rule("jkk-stmb-full-months")
        full = self.rule("jkk-stmb-full-percent")
        after = self.rule("jkk-stmb-after-percent")
        if f.months_off <= 0:
            self.refuse("jkk-stmb", _("No months off work were given."), months.citation)
            return
        first = min(f.months_off, months.value)
        rest = f.months_off - first
        self.pay("jkk-stmb-full", f.wage * first * full.value // 100, full)
        if rest:
            self.pay("jkk-stmb-after", f.wage * rest * after.value // 100, after)

    def jkk_medical(self) -> None:
        f = self.facts
        if self.lapsed():
            return
        if f.medical_cost:
            rule = self.rule("jkk-medical")
            self.pay("jkk-medical", f.medical_cost, rule)
        if f.home_care_cost:
            cap = self.rule("jkk-home-care-cap")
            months = self.rule("jkk-home-care-months")
            self.pay("jkk-home-care", min(f.home_care_cost, cap.value), cap)
            if f.home_care_cost > cap.value:
                self.over_cap("jkk-home-care", f.home_care_cost, cap)
            if f.home_care_months > months.value:
                self.refuse(
                    "jkk-home-care-months",
                    _("Home care is paid for at most %(n)s months; %(m)s were claimed.")
                    % {"n": months.value, "m": f.home_care_months},
                    months.citation,
                )
        for code, claimed in (
            ("jkk-transport-land", f.transport_land),
            ("jkk-transport-sea", f.transport_sea),
            ("jkk-transport-air", f.transport_air),
        ):
            if claimed:
                cap = self.rule(code)
                self.pay(code, min(claimed, cap.value), cap)
                if claimed > cap.value:
                    self.over_cap(code, claimed, cap)
        if not self.result.components and not self.result.not_payable:
            self.refuse(
                "jkk-medical",
                _("No cost was given (medical care, home care or transport)."),
                self.rule("jkk-medical").citation,
            )

    def over_cap(self, code: str, claimed: int, cap: Rule) -> None:
        self.refuse(
            f"{code}-over-cap",
            _("%(claimed)s claimed; paid up to %(cap)s, %(rest)s is not paid.")
            % {
                "claimed": rupiah(claimed),
                "cap": rupiah(cap.value),
                "rest": rupiah(claimed - cap.value),
            },
            cap.citation,
        )

    # Scholarship -----------------------------------------------------------------------------
    def scholarship(self) -> None:
        f = self.facts
        if f.scholarship_cause == "jkm":
            need = self.rule("scholarship-jkm-min-years")
            if f.months_paid < need.value * 12:
                self.refuse(
                    "scholarship",
                    _(
                        "After a death that was not a work accident, a scholarship needs at least "
                        "%(years)s years of contributions; %(paid)s months were paid."
                    )
                    % {"years": need.value, "paid": f.months_paid},
                    need.citation,
                )
                return
        if not f.children:
            self.refuse(
                "scholarship",
                _("No child was named for the scholarship."),
                self.rule("scholarship-max-children").citation,
            )
            return
        most = self.rule("scholarship-max-children")
        back = self.rule("scholarship-back-pay-years")
        max_age = self.rule("scholarship-max-age")
        granted = 0
        for number, child in enumerate(f.children, start=1):
            code = f"scholarship-child-{number}"
            who = child.name or _("child %(n)s") % {"n": number}
            if not child.registered_heir or (
                child.registered_on is not None and child.registered_on > self.day
            ):
                self.refuse(
                    code,
                    _("%(who)s was not a registered heir before the death.") % {"who": who},
                    most.citation,
                )
                continue
            too_old = child.birth_date is not None and (
                age_on(child.birth_date, f.claim_date) >= max_age.value
            )
            if child.married or too_old:
                self.refuse(
                    code,
                    _("%(who)s is %(age)s or older, or married.")
                    % {"who": who, "age": max_age.value},
                    max_age.citation,
                )
                continue
            if granted >= most.value:
                self.refuse(
                    code,
                    _("%(who)s: a scholarship is paid for at most %(n)s children.")
                    % {"who": who, "n": most.value},
                    most.citation,
                )
                continue
            per_year = self.rule(f"scholarship-{child.level}")
            level_years = self.rule(f"scholarship-{child.level}-years")
            left = level_years.value - child.years_paid
            if left <= 0 or child.years <= 0:
                self.refuse(
                    code,
                    _("%(who)s: no school year of this level is left to pay (at most %(n)s).")
                    % {"who": who, "n": level_years.value},
                    level_years.citation,
                )
                continue
            granted += 1
            years = min(child.years, back.value, left)
            self.pay(f"{code}-{child.level}", per_year.value * years, per_year)
            if child.years > years:
                cut_by = back if years == back.value and back.value < left else level_years
                self.refuse(
                    f"{code}-years",
                    _(
                        "%(who)s: %(claimed)s school years claimed, %(paid)s paid (at most "
                        "%(back)s years paid back, %(level)s years for this level)."
                    )
                    % {
                        "who": who,
                        "claimed": child.years,
                        "paid": years,
                        "back": back.value,
                        "level": level_years.value,
                    },
                    cut_by.citation,
                )

    # Arrears ---------------------------------------------------------------------------------
    def deduct_arrears(self) -> None:
        f = self.facts
        if not f.arrears or f.benefit_type == BenefitType.JKK_MEDICAL:
            return
        rule = self.rule("arrears-max-months")
        # The JKM funeral cost is paid whatever the arrears; they come off the rest.
        left = self.result.payable - sum(
            c.amount for c in self.result.components if c.code == "jkm-funeral"
        )
        for month, owed in f.arrears:
            if owed is None:
                self.refuse(
                    f"arrears-{month}",
                    _(
                        "The unpaid contribution of %(month)s could not be priced: deduct it "
                        "before paying."
                    )
                    % {"month": month},
                    rule.citation,
                )
                continue
            take = min(owed, left)
            if take > 0:
                self.pay(f"arrears-{month}", -take, rule)
                left -= take


def compute(facts: Facts, heirs: Iterable | None = None, book: RuleBook | None = None) -> Result:
    """What `facts` entitle to: payable components and refusals, each with rule and citation;
    for a death, who is entitled among `heirs` (None: not asked; an empty list: nobody)."""
    kind = check_type(facts.benefit_type)
    calc = _Calc(facts, book or load_rulebook())
    if kind in DEATH_TYPES and heirs is not None:
        calc.result.entitlement = entitlement(heirs)
    if facts.protection == NOT_PROTECTED:
        calc.refuse(
            "not-protected",
            facts.protection_reason or _("Not protected on the date of the event."),
            facts.protection_citation or calc.rule("arrears-max-months").citation,
        )
        return calc.result
    {
        BenefitType.JKM: calc.jkm,
        BenefitType.JKK_DEATH: calc.jkk_death,
        BenefitType.JKK_DISABILITY: calc.jkk_disability,
        BenefitType.JKK_STMB: calc.jkk_stmb,
        BenefitType.JKK_MEDICAL: calc.jkk_medical,
        BenefitType.SCHOLARSHIP: calc.scholarship,
    }[BenefitType(kind)]()
    calc.deduct_arrears()
    return calc.result


# --- building facts -------------------------------------------------------------------------


def _invalid(message: str, field_name: str) -> ApplicationError:
    return ApplicationError(message, code="invalid", fields={field_name: [message]})


FIRST_DAY = dt.date(1950, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)


def check_date(day: dt.date | None, name: str) -> dt.date | None:
    """Dates of events, claims and cover between 1950 and 2200: anything else is a typing
    error (and year 9999 plus a 5-year lapse would not be a date at all)."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise _invalid(
            _("%(name)s must be a date from %(first)s to %(last)s.")
            % {"name": name, "first": FIRST_DAY.strftime("%d-%m-%Y"),
               "last": LAST_DAY.strftime("%d-%m-%Y")},
            name,
        )  # fmt: skip
    return day


def check_type(benefit_type: str) -> str:
    if benefit_type not in BenefitType.values:
        raise _invalid(
            _("The benefit type must be one of %(types)s.")
            % {"types": ", ".join(BenefitType.values)},
            "type",
        )
    return benefit_type


def _amount(value, name: str, maximum: int = MAX_RUPIAH) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise _invalid(
            _("%(name)s must be a whole number from 0 to %(max)s.")
            % {"name": name, "max": f"{maximum:,}".replace(",", ".")},
            name,
        )
    return value


def parse_levels(levels: str | Sequence[str] | None) -> list[str]:
    items = levels.split(",") if isinstance(levels, str) else list(levels or [])
    out = [str(i).strip().lower() for i in items if str(i).strip()]
    wrong = [i for i in out if i not in LEVELS]
    if wrong:
        raise _invalid(
            _("Unknown school level %(level)s: use tk, sd, smp, sma or pt.")
            % {"level": ", ".join(wrong)[:60]},
            "levels",
        )
    return out


def _children(children: int, levels: list[str], years: Sequence[int]) -> tuple[Child, ...]:
    _amount(children, "children", MAX_CHILDREN)
    count = children or len(levels)
    if count > MAX_CHILDREN or len(levels) > MAX_CHILDREN:
        raise _invalid(_("At most %(n)s children.") % {"n": MAX_CHILDREN}, "children")
    if len(levels) != count:
        raise _invalid(
            _("Give one school level per child (%(n)s children, %(m)s levels).")
            % {"n": count, "m": len(levels)},
            "levels",
        )
    years = list(years or [])
    if years and len(years) != count:
        raise _invalid(_("Give one number of school years per child."), "years")
    return tuple(
        Child(level=level, years=_amount(years[i] if years else 1, "years", 100))
        for i, level in enumerate(levels)
    )


def _cover_reason(start: dt.date) -> str:
    return _("Cover starts on %(date)s.") % {"date": start.strftime("%d-%m-%Y")}


def what_if_facts(
    benefit_type: str,
    *,
    event_date: dt.date,
    coverage_start: dt.date,
    paid_through: dt.date | None = None,
    wage: int = 1_000_000,
    children: int = 0,
    levels: str | Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    disability_percent: int = 0,
    total_disability: bool = False,
    months_off: int = 0,
    at_work: bool = False,
    claim_date: dt.date | None = None,
    scholarship_cause: str = "jkm",
    medical_cost: int = 0,
    home_care_cost: int = 0,
    home_care_months: int = 0,
    transport_land: int = 0,
    transport_sea: int = 0,
    transport_air: int = 0,
    monthly_contribution: int | None = None,
    book: RuleBook | None = None,
) -> Facts:
    """Facts from typed-in figures: cover from `coverage_start`, contributions paid up to the
    month `paid_through` (None: none paid), the rest as given. Unpaid months are the months due
    before the event (the 15th, next working day) after `paid_through`; each is priced at
    `monthly_contribution`, or at the contribution rules for `wage` (JKK + JKM)."""
    from lindung.billing.invoicing import month_index, month_of_index
    from lindung.billing.protection import COVER_CITATION, last_due_index

    check_type(benefit_type)
    check_date(event_date, "event_date")
    check_date(coverage_start, "coverage_start")
    check_date(paid_through, "paid_through")
    check_date(claim_date, "claim_date")
    _amount(wage, "wage", MAX_WAGE)
    for name, value in (
        ("disability_percent", disability_percent), ("months_off", months_off),
        ("home_care_months", home_care_months),
    ):  # fmt: skip
        _amount(value, name, 100 if name == "disability_percent" else MAX_MONTHS_OFF)
    for name, value in (
        ("medical_cost", medical_cost), ("home_care_cost", home_care_cost),
        ("transport_land", transport_land), ("transport_sea", transport_sea),
        ("transport_air", transport_air),
    ):  # fmt: skip
        _amount(value, name)
    if scholarship_cause not in CAUSES:
        raise _invalid(
            _("The cause must be one of %(causes)s.") % {"causes": ", ".join(CAUSES)}, "cause"
        )
    kids = _children(children, parse_levels(levels), years or ())
    book = book or load_rulebook()
    claim_date = claim_date or dt.date.today()
    base = {
        "benefit_type": benefit_type,
        "event_date": event_date,
        "claim_date": claim_date,
        "wage": wage,
        "children": kids,
        "scholarship_cause": scholarship_cause,
        "disability_percent": disability_percent,
        "total_disability": total_disability,
        "months_off": months_off,
        "medical_cost": medical_cost,
        "home_care_cost": home_care_cost,
        "home_care_months": home_care_months,
        "transport_land": transport_land,
        "transport_sea": transport_sea,
        "transport_air": transport_air,
        "sudden_death_at_work": at_work,
        "membership_start": coverage_start,
    }
    if coverage_start > event_date:
        return Facts(
            **base, protection=NOT_PROTECTED, protection_reason=_cover_reason(coverage_start),
            protection_citation=COVER_CITATION,
        )  # fmt: skip
    first = month_index(coverage_start)
    last_due = last_due_index(event_date)
    paid_last = month_index(paid_through) if paid_through else first - 1
    months_paid = max(min(paid_last, month_index(event_date)) - first + 1, 0)
    unpaid = list(range(max(first, paid_last + 1), last_due + 1))
    arrears_rule = book.need("arrears-max-months", event_date)
    facts = Facts(
        **base,
        membership_months=whole_months(coverage_start, event_date),
        months_paid=months_paid,
        protection_citation=arrears_rule.citation,
    )
    if len(unpaid) > arrears_rule.value:
        return replace(
            facts,
            protection=NOT_PROTECTED,
            arrears=tuple((f"{month_of_index(m):%Y-%m}", None) for m in unpaid),
            protection_reason=_(
                "%(n)s consecutive months unpaid (more than %(max)s): no JKK/JKM benefit, "
                "membership ended."
            )
            % {"n": len(unpaid), "max": arrears_rule.value},
        )
    if not unpaid:
        return facts
    arrears = tuple(
        (f"{month_of_index(m):%Y-%m}", _contribution(month_of_index(m), wage, monthly_contribution))
        for m in unpaid
    )
    return replace(facts, protection=WITH_ARREARS, arrears=arrears)


def _contribution(month: dt.date, wage: int, given: int | None) -> int:
    if given is not None:
        return _amount(given, "contribution", MAX_WAGE)
    from lindung.billing.rates import contribution
    from lindung.billing.selectors import ruleset

    try:
        return contribution(ruleset(), month=month, income=wage, components=("jkk", "jkm")).total
    except ApplicationError as exc:
        raise ApplicationError(
            _(
                "The unpaid months cannot be priced for this wage (%(why)s). Give the monthly "
                "contribution."
            )
            % {"why": exc.message},
            code="contribution_unknown",
            fields={"contribution": [_("Give the monthly contribution.")]},
        ) from exc


def facts_for_worker(worker, benefit_type: str, event_date: dt.date, **details) -> Facts:
    """Facts of a registered worker on `event_date`, from the database: protection, arrears
    and their amounts (billing's one answer), membership start and months paid (enrolment's and
    billing's selectors), the declared wage of the participation. `details` carries what the
    claim knows: claim_date, wage (overrides), children (Child or dicts; a child with `heir_id`
    must be one of the worker's registered child heirs), disability_percent, total_disability,
    months_off, at_work, scholarship_cause, the costs, reported_stage1/2."""
    from lindung.billing.protection import protection_on
    from lindung.billing.selectors import arrears_by_month, months_paid
    from lindung.enrolment.models import Participant
    from lindung.enrolment.selectors import membership_start

    check_type(benefit_type)
    check_date(event_date, "event_date")
    check_date(details.get("claim_date"), "claim_date")
    known = {
        "claim_date", "wage", "children", "disability_percent", "total_disability",
        "months_off", "at_work", "scholarship_cause", "medical_cost", "home_care_cost",
        "home_care_months", "transport_land", "transport_sea", "transport_air",
        "reported_stage1", "reported_stage2",
    }  # fmt: skip
    unknown = set(details) - known
    if unknown:
        raise TypeError(f"facts_for_worker: unknown details {sorted(unknown)}")
    answer = protection_on(worker.pk, event_date)
    start = membership_start(worker.pk, event_date)
    wage = details.get("wage")
    if wage is None and answer.participant_id:
        wage = (
            Participant.objects.filter(pk=answer.participant_id)
            .values_list("declared_wage", flat=True)
            .first()
        )
    wage = wage if wage is not None else (worker.monthly_income or 0)
    arrears: tuple = ()
    if answer.arrears_months and answer.participant_id:
        arrears = tuple(arrears_by_month(answer.participant_id, answer.arrears_months, event_date))
    return Facts(
        benefit_type=benefit_type,
        event_date=event_date,
        claim_date=details.get("claim_date") or dt.date.today(),
        protection=answer.status,
        protection_reason=answer.reason,
        protection_citation=answer.citation,
        membership_start=start,
        membership_months=whole_months(start, event_date) if start else 0,
        months_paid=months_paid(worker.pk, event_date),
        arrears=arrears,
        wage=_amount(wage, "wage", MAX_WAGE),
        children=_worker_children(worker, details.get("children") or ()),
        scholarship_cause=details.get("scholarship_cause", "jkm"),
        disability_percent=details.get("disability_percent", 0),
        total_disability=details.get("total_disability", False),
        months_off=details.get("months_off", 0),
        medical_cost=details.get("medical_cost", 0),
        home_care_cost=details.get("home_care_cost", 0),
        home_care_months=details.get("home_care_months", 0),
        transport_land=details.get("transport_land", 0),
        transport_sea=details.get("transport_sea", 0),
        transport_air=details.get("transport_air", 0),
        sudden_death_at_work=details.get("at_work", False),
        reported_stage1=details.get("reported_stage1"),
        reported_stage2=details.get("reported_stage2"),
    )


def _worker_children(worker, children: Iterable) -> tuple[Child, ...]:
    """Children as Child; one that names an heir is checked against the worker's registered
    child heirs (name and birth date taken from the registry)."""
    out = []
    heirs = {h.pk: h for h in worker.heirs.filter(relationship="child")}
    for child in children:
        child = child if isinstance(child, Child) else Child(**child)
        parse_levels([child.level])
        if child.heir_id is not None:
            heir = heirs.get(child.heir_id)
            if heir is None:
                child = replace(child, registered_heir=False)
            else:
                child = replace(
                    child,
                    name=child.name or heir.name,
                    birth_date=child.birth_date or heir.birth_date,
                    registered_heir=True,
                )
        out.append(child)
    return tuple(out)


def children_of(worker, levels: Sequence[str]) -> list[Child]:
    """The worker's registered child heirs, oldest record first, with a level each; levels
    beyond the registered children stand for children who are not registered heirs."""
    heirs = list(worker.heirs.filter(relationship="child").order_by("id"))
    out = []
    for i, level in enumerate(levels):
        if i < len(heirs):
            out.append(Child(level=level, heir_id=heirs[i].pk))
        else:
            out.append(Child(level=level, registered_heir=False))
    return out
