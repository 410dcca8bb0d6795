"""One way to name and pick a village: "Betung — Kec. Abab".

Village names repeat, even inside one regency (PALI has Betung twice, Menanti twice, Pagar
Dewa three times), so every picker names the district too and lists villages by district,
then village. Forms use `VillageField`; templates the `village_label` filter (regions_tags).
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from .models import Region

# "Kec." (kecamatan, the district) stays Indonesian in both languages: it is part of the name
# officials read on their letters and stamps.
DISTRICT_PREFIX = "Kec."


def village_label(village: Region) -> str:
    parent = getattr(village, "parent", None)
    if parent is None:
        return village.name
    return f"{village.name} — {DISTRICT_PREFIX} {parent.name}"


def villages_ordered(villages: QuerySet[Region]) -> QuerySet[Region]:
    """Villages by district, then village (same-named villages sit under their districts)."""
    return villages.select_related("parent").order_by("parent__name", "name", "code")


def village_choices(villages: QuerySet[Region], blank: str | None = "—") -> list[tuple[str, str]]:
    choices = [(v.code, village_label(v)) for v in villages_ordered(villages)]
    return ([("", blank)] if blank is not None else []) + choices


class VillageField(forms.ChoiceField):
    """A drop-down of the given villages, each as "Village — Kec. District"; its value is the
    village code."""

    def __init__(self, *, villages: QuerySet[Region], blank: str | None = "—", **kwargs):
        super().__init__(choices=village_choices(villages, blank), **kwargs)
