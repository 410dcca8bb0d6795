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
# A minimal stand-in of the contract above so the claim workflow can be built and tested before
# the benefit rules exist. It knows only JKM at Rp42,000,000 (Rp20M lump sum + Rp12M periodic +
# Rp10M funeral) for a protected participant and refuses the rest. The real module replaces
# this whole file at merge; nothing else lives here.

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

BENEFIT_TYPES = ("jkm", "jkk-death", "jkk-disability", "jkk-stmb", "jkk-medical", "scholarship")
_CITATION = "PP 82/2019 Art. 34"


@dataclass(frozen=True)
class Facts:
    benefit_type: str
    event_date: dt.date
    protected: bool = True
    protection_reason: str = ""
    wage: int = 1_000_000
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Component:
    code: str
    amount: int
    rule: str
    citation: str


@dataclass(frozen=True)
class NotPayable:
    code: str
    reason: str
    citation: str


@dataclass
class Result:
    type: str
    event_date: dt.date
    payable: int
    components: list[Component] = field(default_factory=list)
    not_payable: list[NotPayable] = field(default_factory=list)
    heirs: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "event_date": self.event_date.isoformat(),
            "payable": self.payable,
            "components": [asdict(c) for c in self.components],
            "not_payable": [asdict(n) for n in self.not_payable],
            "heirs": list(self.heirs),
        }


def what_if_facts(benefit_type: str, event_date: dt.date, **details) -> Facts:
    return Facts(benefit_type=benefit_type, event_date=event_date, details=details)


def facts_for_worker(worker, benefit_type: str, event_date: dt.date, **details) -> Facts:
    from lindung.billing.protection import NOT_PROTECTED, protection_on

    answer = protection_on(worker.pk, event_date)
    return Facts(
        benefit_type=benefit_type,
        event_date=event_date,
        protected=answer.status != NOT_PROTECTED,
        protection_reason=answer.reason,
        details=details,
    )


def compute(facts: Facts, heirs=None) -> Result:
    from . import heirs as heir_rules

    result = Result(type=facts.benefit_type, event_date=facts.event_date, payable=0)
    if heirs is not None:
        result.heirs = heir_rules.entitled(heirs)
    if not facts.protected:
        result.not_payable.append(
            NotPayable("not_protected", facts.protection_reason, "PP 44/2015 Art. 39, 42")
        )
        return result
    if facts.benefit_type != "jkm":
        result.not_payable.append(NotPayable("unknown", "stand-in: JKM only", _CITATION))
        return result
    result.components = [
        Component("jkm_lump_sum", 20_000_000, "lump sum", _CITATION),
        Component("jkm_periodic", 12_000_000, "periodic benefit paid at once", _CITATION),
        Component("jkm_funeral", 10_000_000, "funeral cost", _CITATION),
    ]
    result.payable = sum(c.amount for c in result.components)
    return result
