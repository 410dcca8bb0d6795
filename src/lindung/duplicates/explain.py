"""What a reviewer reads about a pair: the compared fields by the names printed on an e-KTP, and
the matcher's points as a similarity out of 100 with the fields that agree and differ.

The points (`dedup.score`) are a sum a reviewer cannot weigh ("8.5" of what?); the 0–100 scale
is the share of the most a pair can earn, which reads the same in every list.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import dedup

FIELD_LABELS = {
    "nik": "NIK",
    "name": gettext_lazy("Name"),
    "birth_date": gettext_lazy("Date of birth"),
    "sex": gettext_lazy("Sex"),
    "village": gettext_lazy("Village"),
    # The matcher says `kk`, a registered person's record `kk_number`: the same field.
    "kk": gettext_lazy("KK number"),
    "kk_number": gettext_lazy("KK number"),
    "phone": gettext_lazy("Phone"),
    "occupation": gettext_lazy("Occupation"),
}


def field_label(field: str) -> str:
    """A compared field as a reviewer knows it; an unknown one as stored, never an error."""
    return str(FIELD_LABELS.get(field, field))


def similarity(candidate) -> int | None:
    """The pair's points on a 0–100 scale; None for a NIK conflict from an upload, which is
    not scored (a reviewer compares the two identities the row and the registry give)."""
    details = candidate.details or {}
    if details.get("source") == "upload" or candidate.from_upload:
        return None
    return dedup.similarity(candidate.score, details.get("nik_digits", 1))


def _differing(field: str, details: dict) -> str:
    label = field_label(field)
    if field == "nik" and details.get("nik_digits"):
        return _("%(field)s (%(n)d digit(s) apart)") % {"field": label, "n": details["nik_digits"]}
    if field == "birth_date" and details.get("birth") == "swapped":
        return _("%(field)s (day and month swapped)") % {"field": label}
    if field == "birth_date" and details.get("birth") == "near":
        return _("%(field)s (close)") % {"field": label}
    return label


def explanation(candidate, details: dict) -> dict:
    """What the pages show of the score: `similarity` ("similarity 90 out of 100", empty when
    not scored), and `matching`/`differing` as labels. `details` are the findings the user may
    see (`selectors.candidate_details`): empty when one side is outside their regions, and then
    the explanation says nothing about the fields either."""
    points = similarity(candidate)
    return {
        "similarity": "" if points is None else _("similarity %(n)d out of 100") % {"n": points},
        "matching": [field_label(field) for field in details.get("agree", [])],
        "differing": [_differing(field, details) for field in details.get("disagree", [])],
    }
