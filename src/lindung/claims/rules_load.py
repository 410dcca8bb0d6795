"""Loading benefit rules and the partial-disability table from cited files, all or nothing.

Two tables, one way: `rules_load` adds `BenefitRule` rows (columns code, unit, value,
valid_from, valid_to, citation, note) and `disability_load` adds `DisabilityRate` rows (columns
code, description, percent, valid_from, valid_to, citation). Nothing is stored when any row
lacks its citation or dates, has a value that is not a whole number, or overlaps another row
of the same code (in the file or in the table). The one overlap that is a change of the law,
not a mistake: a row of the same code still in force (no valid_to) that started earlier. It is
closed the day before the new row starts, so the new figure applies to events from its date.
Each load is one audit event, plus one per row it closed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from lindung.audit.services import record
from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_BIGINT, has_nul

from .rulebook import BenefitRule, DisabilityRate, Unit

RULE_COLUMNS = ("code", "unit", "value", "valid_from", "valid_to", "citation", "note")
DISABILITY_COLUMNS = ("code", "description", "percent", "valid_from", "valid_to", "citation")
MAX_ROWS = 5_000


def _number(text: str, column: str, errors: list[str], maximum: int = MAX_BIGINT) -> int | None:
    text = text.replace(".", "").replace("_", "")
    if not text.isdecimal() or not text.isascii() or int(text) > maximum:
        errors.append(
            _("%(column)s is not a whole number from 0 to %(max)s")
            % {"column": column, "max": maximum}
        )
        return None
    return int(text)


def _date(text: str, column: str, errors: list[str]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append(
            _("%(column)s is not a date (YYYY-MM-DD): %(value)s")
            % {"column": column, "value": text[:40]}
        )
        return None


def _common(get: dict[str, str], errors: list[str]) -> tuple[dt.date | None, dt.date | None]:
    if any(has_nul(v) for v in get.values()):
        errors.append(_("a cell holds a NUL byte"))
    if not get["code"]:
        errors.append(_("code is empty"))
    elif len(get["code"]) > 60 or not all(c.isalnum() or c in "-_" for c in get["code"]):
        errors.append(_("code must be up to 60 letters, digits, - or _"))
    if not get["citation"]:
        errors.append(_("citation is empty: every rule needs its legal source"))
    if not get["valid_from"]:
        errors.append(_("valid_from is empty"))
    valid_from = _date(get["valid_from"], "valid_from", errors)
    valid_to = _date(get["valid_to"], "valid_to", errors)
    if valid_from and valid_to and valid_to < valid_from:
        errors.append(_("valid_to is before valid_from"))
    return valid_from, valid_to


def _parse(rows: list[dict], columns: tuple[str, ...], make) -> tuple[list, list[dict]]:
    found, problems = [], []
    for line, row in enumerate(rows, start=2):
        errors: list[str] = []
        get = {k: str(row.get(k) or "").strip() for k in columns}
        valid_from, valid_to = _common(get, errors)
        obj = make(get, errors, valid_from, valid_to)
        if errors:
            problems.append({"row": line, "errors": errors})
            continue
        obj.line = line
        found.append(obj)
    return found, problems


def _rule(get, errors, valid_from, valid_to) -> BenefitRule:
    if get["unit"] not in Unit.values:
        errors.append(_("unit must be one of %(units)s") % {"units": ", ".join(Unit.values)})
    value = _number(get["value"], "value", errors)
    return BenefitRule(
        code=get["code"][:60], unit=get["unit"], value=value or 0, valid_from=valid_from,
        valid_to=valid_to, citation=get["citation"], note=get["note"],
    )  # fmt: skip


def _rate(get, errors, valid_from, valid_to) -> DisabilityRate:
    percent = _number(get["percent"], "percent", errors, 100)
    if percent == 0:
        errors.append(_("percent must be from 1 to 100"))
    if not get["description"]:
        errors.append(_("description is empty"))
    return DisabilityRate(
        code=get["code"][:60], description=get["description"][:200], percent=percent or 1,
        valid_from=valid_from, valid_to=valid_to, citation=get["citation"],
    )  # fmt: skip


def _overlap(a_from, a_to, b_from, b_to) -> bool:
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


def _store(*, actor, model, rows: list[dict], parsed, action: str, what: str) -> dict:
    new, problems = parsed
    if not rows:
        problems.append({"row": 1, "errors": [_("the file holds no rows")]})
    if len(rows) > MAX_ROWS:
        problems.append({"row": 1, "errors": [_("more than %(n)s rows") % {"n": MAX_ROWS}]})
    existing = list(model.objects.select_for_update().order_by("id"))
    to_close: dict[int, dt.date] = {}
    for i, item in enumerate(new):
        for other in new[:i]:
            if other.code == item.code and _overlap(
                item.valid_from, item.valid_to, other.valid_from, other.valid_to
            ):
                problems.append(
                    {"row": item.line,
                     "errors": [_("overlaps row %(row)s of the file") % {"row": other.line}]}
                )  # fmt: skip
        for old in existing:
            old_to = to_close.get(old.pk, old.valid_to)
            if old.code != item.code or not _overlap(
                item.valid_from, item.valid_to, old.valid_from, old_to
            ):
                continue
            if old.valid_to is None and old.valid_from < item.valid_from:
                to_close[old.pk] = item.valid_from - dt.timedelta(days=1)
                continue
            problems.append(
                {
                    "row": item.line,
                    "errors": [
                        _("overlaps the rule %(code)s in force %(start)s–%(end)s")
                        % {"code": old.code, "start": old.valid_from, "end": old.valid_to or "…"}
                    ],
                }
            )
    if problems:
        problems.sort(key=lambda p: p["row"])
        raise ApplicationError(
            _("Nothing was stored: %(count)s row(s) need fixing.") % {"count": len(problems)},
            code="rules_refused",
            extra={"problems": problems},
        )
    closed = []
    for old in existing:
        if old.pk in to_close:
            old.valid_to = to_close[old.pk]
            old.save(update_fields=["valid_to"])
            record(
                actor=actor, action="claims.rule_close", obj=old, before={"valid_to": None},
                after={"valid_to": old.valid_to.isoformat()},
            )  # fmt: skip
            closed.append(old.code)
    model.objects.bulk_create(new)
    record(
        actor=actor,
        action=action,
        object_type=what,
        object_repr=", ".join(r.code for r in new)[:200],
        after={"codes": [r.code for r in new], "closed": closed},
        row_count=len(new),
    )
    return {"stored": len(new), "closed": closed}


@transaction.atomic
def rules_load(*, actor, rows: list[dict]) -> dict:
    """Add benefit rules from a file's rows (dicts keyed by RULE_COLUMNS), all or nothing."""
    return _store(
        actor=actor, model=BenefitRule, rows=rows, parsed=_parse(rows, RULE_COLUMNS, _rule),
        action="claims.rules_load", what="claims.benefitrule",
    )  # fmt: skip


@transaction.atomic
def disability_load(*, actor, rows: list[dict]) -> dict:
    """Add rows of the partial-disability table (PP 82/2019 Annex III), all or nothing."""
    return _store(
        actor=actor, model=DisabilityRate, rows=rows,
        parsed=_parse(rows, DISABILITY_COLUMNS, _rate), action="claims.disability_load",
        what="claims.disabilityrate",
    )  # fmt: skip


def disability_percent(code: str, day: dt.date) -> DisabilityRate | None:
    """The table row of `code` in force on `day`, if the table holds one."""
    return (
        DisabilityRate.objects.filter(code=code, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("-valid_from")
        .first()
    )
