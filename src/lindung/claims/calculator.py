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
"""

# --- STAND-IN, replaced at merge ----------------------------------------------------------------
# A minimal stand-in of the contract above (the same names and signatures as the benefit-rules
# work) so the claim workflow can be built and tested before the rules exist. It knows only JKM
# at Rp42,000,000 (Rp20M lump sum + Rp12M periodic + Rp10M funeral) for a protected participant
# and refuses the rest. The real module replaces this whole file at merge.

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from .heirs import Entitlement, entitlement

DEATH_TYPES = ("jkm", "jkk-death")
PROTECTED = "protected"
WITH_ARREARS = "protected_with_arrears"
NOT_PROTECTED = "not_protected"
_CITATION = "PP 82/2019 Art. 34"
_KNOWN = {
    "claim_date", "wage", "children", "disability_percent", "total_disability", "months_off",
    "at_work", "scholarship_cause", "medical_cost", "home_care_cost", "home_care_months",
    "transport_land", "transport_sea", "transport_air", "reported_stage1", "reported_stage2",
}  # fmt: skip


@dataclass(frozen=True)
class Facts:
    benefit_type: str
    event_date: dt.date
    claim_date: dt.date
    protection: str = PROTECTED
    protection_reason: str = ""
    protection_citation: str = ""
    wage: int = 0


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


def facts_for_worker(worker, benefit_type: str, event_date: dt.date, **details) -> Facts:
    from lindung.billing.protection import protection_on

    unknown = set(details) - _KNOWN
    if unknown:
        raise TypeError(f"facts_for_worker: unknown details {sorted(unknown)}")
    answer = protection_on(worker.pk, event_date)
    return Facts(
        benefit_type=benefit_type,
        event_date=event_date,
        claim_date=details.get("claim_date") or event_date,
        protection=answer.status,
        protection_reason=answer.reason,
        protection_citation=answer.citation,
        wage=details.get("wage") or 0,
    )


def compute(facts: Facts, heirs: Iterable | None = None, book=None) -> Result:
    result = Result(benefit_type=facts.benefit_type, event_date=facts.event_date)
    if facts.benefit_type in DEATH_TYPES and heirs is not None:
        result.entitlement = entitlement(heirs)
    if facts.protection == NOT_PROTECTED:
        result.not_payable.append(
            NotPayable("not-protected", facts.protection_reason, facts.protection_citation)
        )
        return result
    if facts.benefit_type != "jkm":
        result.not_payable.append(NotPayable("stand-in", "stand-in: JKM only", _CITATION))
        return result
    result.components = [
        Component("jkm-lump-sum", 20_000_000, "lump sum", _CITATION),
        Component("jkm-periodic", 12_000_000, "periodic benefit paid at once", _CITATION),
        Component("jkm-funeral", 10_000_000, "funeral cost", _CITATION),
    ]
    return result
