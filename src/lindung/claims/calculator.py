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
