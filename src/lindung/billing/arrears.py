"""Arrears for the regency's staff: per funder, per village and per participant, on a date.

A participant-month is in arrears on day D when its invoice's due date is before D and the
payments made up to D did not cover it (`selectors.arrears_by_participant`, one query). This
module only groups those rows — there are as many as unpaid participant-months, so it stays a
few thousand rows for a regency — and names what they mean: four or more consecutive unpaid
months end protection (`protection.ARREARS_MAX_MONTHS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from .protection import ARREARS_MAX_MONTHS, longest_run

# How an invoice stands against what was paid for it: one list for pages, files and the API.
PAID = "paid"
PARTLY_PAID = "partly_paid"
UNPAID = "unpaid"
PAY_STATE_WORDS = {
    PAID: gettext_lazy("Paid in full"),
    PARTLY_PAID: gettext_lazy("Underpaid"),
    UNPAID: gettext_lazy("Unpaid"),
}


def pay_state(total: int, paid: int) -> str:
    if paid >= total:
        return PAID
    return PARTLY_PAID if paid > 0 else UNPAID


@dataclass
class VillageArrears:
    code: str
    name: str = ""
    district: str = ""
    participants: int = 0
    months: int = 0
    owed: int = 0
    oldest: str = ""
    beyond_limit: int = 0  # people with more than ARREARS_MAX_MONTHS consecutive unpaid months


@dataclass
class PersonArrears:
    participant: int
    months: list[str] = field(default_factory=list)
    owed: int = 0
    run: int = 0

    @property
    def beyond_limit(self) -> bool:
        return self.run > ARREARS_MAX_MONTHS


@dataclass
class FunderArrears:
    funder_id: int
    funder: str
    participants: int = 0
    months: int = 0
    owed: int = 0
    villages: list[VillageArrears] = field(default_factory=list)


def _index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def people_in_arrears(rows: list[dict]) -> dict[int, PersonArrears]:
    people: dict[int, PersonArrears] = {}
    for r in rows:
        person = people.setdefault(r["participant"], PersonArrears(r["participant"]))
        person.months.append(r["month"])
        person.owed += r["owed"]
    for person in people.values():
        unpaid = sorted({_index(m) for m in person.months})
        # Every month here is unpaid: the longest run over their span, with nothing paid
        # except the gaps between them.
        span = list(range(unpaid[0], unpaid[-1] + 1))
        person.run = longest_run(span, set(span) - set(unpaid))
    return people


def funder_arrears(funder, on: dt.date) -> tuple[FunderArrears, dict[int, PersonArrears]]:
    """One funder's arrears on `on`, grouped by village (largest debt first), and per person."""
    from lindung.regions.models import Region

    from .selectors import arrears_by_participant

    rows = arrears_by_participant(funder, on)
    people = people_in_arrears(rows)
    villages: dict[str, VillageArrears] = {}
    seen: set[tuple[str, int]] = set()
    for r in rows:
        v = villages.setdefault(r["village"], VillageArrears(r["village"]))
        v.months += 1
        v.owed += r["owed"]
        v.oldest = min(v.oldest or r["month"], r["month"])
        if (r["village"], r["participant"]) not in seen:
            seen.add((r["village"], r["participant"]))
            v.participants += 1
            v.beyond_limit += people[r["participant"]].beyond_limit
    names = Region.objects.filter(code__in=villages).select_related("parent")
    for region in names:
        villages[region.code].name = region.name
        villages[region.code].district = region.parent.name if region.parent else ""
    summary = FunderArrears(
        funder_id=funder.pk,
        funder=funder.name,
        participants=len(people),
        months=len(rows),
        owed=sum(r["owed"] for r in rows),
        villages=sorted(villages.values(), key=lambda v: (-v.owed, v.name)),
    )
    return summary, people
