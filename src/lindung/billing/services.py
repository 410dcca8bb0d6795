"""Writes to the rule tables and to funders' billing settings, each audited in its transaction."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from lindung.accounts.roles import Action
from lindung.accounts.scoping import require
from lindung.audit.services import record
from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_BIGINT
from lindung.programs.models import Funder

from .models import ContributionRule
from .rates import COMPONENTS, MANDIRI

# Funder kinds PP 50/2025 Art. 3(5) excludes from the discount (APBN/APBD in all its forms).
PUBLIC_BUDGET_KINDS = ("apbd", "apbd_perubahan", "apbd_provinsi")
RATE_COLUMNS = (
    "code",
    "component",
    "income_from",
    "income_to",
    "amount",
    "rate_bp",
    "valid_from",
    "valid_to",
    "citation",
    "note",
)


def _number(value: str, column: str, errors: list[str]) -> int | None:
    text = (value or "").strip().replace(".", "").replace("_", "")
    if not text:
        return None
    if not text.isdecimal() or int(text) > MAX_BIGINT:
        errors.append(
            _("%(column)s is not a whole rupiah amount: %(value)s")
            % {"column": column, "value": value}
        )
        return None
    return int(text)


def _date(value: str, column: str, errors: list[str], *, month_end: bool) -> dt.date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors.append(
            _("%(column)s is not a date (YYYY-MM-DD): %(value)s")
            % {"column": column, "value": value}
        )
        return None
    last = calendar.monthrange(day.year, day.month)[1]
    if (month_end and day.day != last) or (not month_end and day.day != 1):
        errors.append(
            _("%(column)s must be the first day of a month") % {"column": column}
            if not month_end
            else _("%(column)s must be the last day of a month") % {"column": column}
        )
    return day


def _overlap(a_from, a_to, b_from, b_to) -> bool:
    """Inclusive ranges where None is unbounded on that side."""
    return (a_to is None or b_from is None or b_from <= a_to) and (
        b_to is None or a_from is None or a_from <= b_to
    )


def parse_rate_rows(rows: list[dict]) -> tuple[list[ContributionRule], list[dict]]:
    """Rows of a rates file (dicts keyed by RATE_COLUMNS) → unsaved rules and per-row errors
    `{"row": line number, "errors": [...]}` (the header is line 1)."""
    rules, problems = [], []
    for line, row in enumerate(rows, start=2):
        errors: list[str] = []
        get = {k: str(row.get(k) or "").strip() for k in RATE_COLUMNS}
        if get["component"] not in COMPONENTS:
            errors.append(_("component must be jkk, jkm or jht"))
        if not get["code"]:
            errors.append(_("code is empty"))
        if not get["citation"]:
            errors.append(_("citation is empty: every rate needs its legal source"))
        income_from = _number(get["income_from"], "income_from", errors)
        income_to = _number(get["income_to"], "income_to", errors)
        if income_from is not None and income_to is None:
            income_to = income_from  # a single declared-income step
        amount = _number(get["amount"], "amount", errors)
        rate_bp = _number(get["rate_bp"], "rate_bp", errors)
        if (amount is None) == (rate_bp is None):
            errors.append(_("give either amount (rupiah) or rate_bp (basis points), not both"))
        if rate_bp is not None and rate_bp > 10_000:
            errors.append(_("rate_bp above 10000 (100 %)"))
        if get["component"] == "jkk" and income_from is None:
            errors.append(_("a JKK row needs its declared-income step (income_from)"))
        if income_from is not None and income_to is not None and income_to < income_from:
            errors.append(_("income_to is below income_from"))
        if not get["valid_from"]:
            errors.append(_("valid_from is empty"))
        valid_from = _date(get["valid_from"], "valid_from", errors, month_end=False)
        valid_to = _date(get["valid_to"], "valid_to", errors, month_end=True)
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(_("valid_to is before valid_from"))
        if errors:
            problems.append({"row": line, "errors": errors})
            continue
        rules.append(
            ContributionRule(
                code=get["code"][:60],
                component=get["component"],
                income_from=income_from,
                income_to=income_to,
                amount=amount,
                rate_bp=rate_bp,
                valid_from=valid_from,
                valid_to=valid_to,
                citation=get["citation"],
                note=get["note"],
            )
        )
        rules[-1].line = line
    return rules, problems


@transaction.atomic
def rates_load(*, actor, rows: list[dict]) -> dict:
    """Add contribution rules from a file, all or nothing.

    Refused (nothing stored) when a row lacks its citation or dates, or overlaps another rule
    of the same component and income band, in the file or in the table. The one overlap that is
    a rate change, not a mistake: a rule still open-ended (no valid_to) for the same component
    and band, starting earlier. It is closed the day before the new rule starts, so the new
    rate changes only the months from its date."""
    new, problems = parse_rate_rows(rows)
    existing = list(ContributionRule.objects.select_for_update().order_by("id"))
    to_close: dict[int, dt.date] = {}
    for i, rule in enumerate(new):
        for other in new[:i]:
            if _clash(rule, other):
                problems.append(
                    {
                        "row": rule.line,
                        "errors": [_("overlaps row %(row)s of the file") % {"row": other.line}],
                    }
                )
        for old in existing:
            if not _clash(rule, old, old_to=to_close.get(old.pk, old.valid_to)):
                continue
            superseded = (
                old.valid_to is None
                and old.valid_from < rule.valid_from
                and (old.income_from, old.income_to) == (rule.income_from, rule.income_to)
            )
            if superseded:
                to_close[old.pk] = rule.valid_from - dt.timedelta(days=1)
            else:
                problems.append(
                    {
                        "row": rule.line,
                        "errors": [
                            _("overlaps the rule %(code)s in force %(start)s–%(end)s")
                            % {
                                "code": old.code,
                                "start": old.valid_from,
                                "end": old.valid_to or "…",
                            }
                        ],
                    }
                )
    if not rows:
        problems.append({"row": 1, "errors": [_("the file holds no rates")]})
    if problems:
        problems.sort(key=lambda p: p["row"])
        raise ApplicationError(
            _("No rate was stored: %(count)s row(s) need fixing.") % {"count": len(problems)},
            code="rates_refused",
            extra={"problems": problems},
        )
    closed = []
    for old in existing:
        if old.pk in to_close:
            before = {"valid_to": None}
            old.valid_to = to_close[old.pk]
            old.save(update_fields=["valid_to"])
            record(
                actor=actor,
                action="billing.rate_close",
                obj=old,
                before=before,
                after={"valid_to": old.valid_to.isoformat()},
            )
            closed.append(old.code)
    ContributionRule.objects.bulk_create(new)
    record(
        actor=actor,
        action="billing.rates_load",
        object_type="billing.contributionrule",
        object_repr=", ".join(r.code for r in new)[:200],
        after={"codes": [r.code for r in new], "closed": closed},
        row_count=len(new),
    )
    return {"stored": len(new), "closed": closed}


def _clash(a: ContributionRule, b: ContributionRule, *, old_to="same") -> bool:
    b_to = b.valid_to if old_to == "same" else old_to
    return (
        a.component == b.component
        and _overlap(a.valid_from, a.valid_to, b.valid_from, b_to)
        and _overlap(a.income_from, a.income_to, b.income_from, b.income_to)
    )


@transaction.atomic
def funder_discounts_set(*, actor, funder: Funder, on: bool) -> Funder:
    """Switch self-payer discounts (PP 50/2025) on or off for an APBDes or CSR funder."""
    funder = Funder.objects.select_for_update().select_related("program").get(pk=funder.pk)
    require(actor, Action.CHANGE, funder.program.owner_region_id)
    if on and funder.kind in (*PUBLIC_BUDGET_KINDS, MANDIRI):
        raise ApplicationError(
            _(
                "Contributions paid from the APBD never get the PP 50/2025 discount "
                "(PP 50/2025 Art. 3(5))."
            ),
            code="discount_excluded",
        )
    before = {"discounts_apply": funder.discounts_apply}
    funder.discounts_apply = on
    funder.save(update_fields=["discounts_apply"])
    record(
        actor=actor,
        action="billing.funder_discounts",
        obj=funder,
        region_code=funder.program.owner_region_id,
        before=before,
        after={"discounts_apply": on},
    )
    return funder
