"""Who is entitled to a death benefit, by heir class (PP 44/2015 Art. 37(5), 40(2)).

The classes, in order; a lower class receives only when nobody of a higher one exists:

1. the widow or widower, or the children (one class);
2. blood relatives in the direct line to the second degree: father, mother, grandparents and
   grandchildren (one class, no order inside it);
3. siblings;
4. parents-in-law;
5. the person named in the will;
6. nobody: the funeral cost goes to whoever arranged the burial, the rest to the Dana Jaminan
   Sosial.

How the members of a class share the money is not in the regulation: it comes from the heirs'
statement, and the claim records it. So this module names the class, its members and why, and
never splits an amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CITATION = "PP 44/2015 Art. 37(5), 40(2)"
NO_HEIRS = 6
# Relationship codes (registry.Relationship) of each class, in the regulation's order.
CLASSES: dict[int, tuple[frozenset[str], object]] = {
    1: (frozenset({"spouse", "child"}), gettext_lazy("widow or widower, or children")),
    2: (
        frozenset({"parent", "grandparent", "grandchild"}),
        gettext_lazy("father, mother, grandparents and grandchildren"),
    ),
    3: (frozenset({"sibling"}), gettext_lazy("siblings")),
    4: (frozenset({"parent_in_law"}), gettext_lazy("parents-in-law")),
    5: (frozenset({"named_in_will"}), gettext_lazy("the person named in the will")),
}
BURIAL_ORGANISER = "burial_organiser"
DJS = "dana_jaminan_sosial"


@dataclass(frozen=True)
class HeirRef:
    """One registered heir as the entitlement names them (never their NIK)."""

    id: int | None
    name: str
    relationship: str


@dataclass(frozen=True)
class Entitlement:
    """The entitled class (1–6), its members and why, in a sentence naming class and citation."""

    heir_class: int
    label: str
    members: tuple[HeirRef, ...] = field(default=())
    reason: str = ""
    citation: str = CITATION

    def as_list(self, *, funeral: int = 0, payable: int = 0) -> list[dict]:
        """The `heirs` of `lindung benefit --json`: one entry per member of the entitled class
        (the split inside it is the heirs' statement's, so no amount), or for class 6 the
        funeral cost to whoever arranged the burial and the rest to the Dana Jaminan Sosial."""
        if self.heir_class == NO_HEIRS:
            return [
                {"class": NO_HEIRS, "name": "", "relationship": BURIAL_ORGANISER,
                 "receives": "funeral", "amount": min(funeral, payable)},
                {"class": NO_HEIRS, "name": "Dana Jaminan Sosial", "relationship": DJS,
                 "receives": "rest", "amount": max(payable - funeral, 0)},
            ]  # fmt: skip
        return [
            {"class": self.heir_class, "name": m.name, "relationship": m.relationship,
             "receives": "class", "amount": None}
            for m in self.members
        ]  # fmt: skip


def _ref(heir) -> HeirRef:
    if isinstance(heir, dict):
        return HeirRef(heir.get("id"), str(heir.get("name") or ""), str(heir["relationship"]))
    return HeirRef(getattr(heir, "pk", None), heir.name, heir.relationship)


def heir_class_of(relationship: str) -> int | None:
    for number, (relationships, _label) in CLASSES.items():
        if relationship in relationships:
            return number
    return None


def entitlement(heirs: Iterable) -> Entitlement:
    """The class entitled among `heirs` (registry.Heir rows, or dicts with name and
    relationship), its members and why."""
    refs = [_ref(h) for h in heirs]
    for number, (relationships, label) in CLASSES.items():
        members = tuple(r for r in refs if r.relationship in relationships)
        if not members:
            continue
        reason = _(
            "Class %(n)s (%(label)s) is entitled: %(names)s. A lower class receives only when "
            "nobody of a higher class exists; how the class shares it comes from the heirs' "
            "statement (%(citation)s)."
        ) % {
            "n": number,
            "label": label,
            "names": ", ".join(m.name for m in members),
            "citation": CITATION,
        }
        return Entitlement(number, str(label), members, reason)
    return Entitlement(
        NO_HEIRS,
        _("no heirs"),
        (),
        _(
            "No heirs are registered: the funeral cost goes to whoever arranged the burial and "
            "the rest to the Dana Jaminan Sosial (%(citation)s)."
        )
        % {"citation": CITATION},
    )
