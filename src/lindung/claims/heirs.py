"""Who is entitled to a death benefit, by heir class (PP 44/2015 Art. 37(5), 40(2))."""

# --- STAND-IN, replaced at merge ----------------------------------------------------------------
# Minimal: class 1 = spouse or children; every other relationship a lower class in the order of
# PP 44/2015 Art. 37(5); a lower class receives only when no one of a higher class exists.

from __future__ import annotations

CLASSES = {
    "spouse": 1,
    "child": 1,
    "parent": 2,
    "grandparent": 2,
    "grandchild": 2,
    "sibling": 3,
    "parent_in_law": 4,
    "named_in_will": 5,
}
NO_HEIR_CLASS = 6  # whoever arranged the burial (funeral cost only)


def heir_class(relationship: str) -> int:
    return CLASSES.get(relationship, NO_HEIR_CLASS)


def entitled(heirs) -> list[dict]:
    """`heirs`: dicts with `name` and `relationship` → the same with `heir_class`, `entitled`
    and `why`."""
    rows = [dict(h, heir_class=heir_class(h.get("relationship", ""))) for h in heirs]
    best = min((r["heir_class"] for r in rows), default=None)
    for r in rows:
        r["entitled"] = r["heir_class"] == best
        r["why"] = f"class {r['heir_class']}" if r["entitled"] else f"class {best} comes first"
    return rows
