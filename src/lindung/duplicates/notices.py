"""What a duplicate scan or decision did, in one sentence for the reviewer who did it.

The pages' success messages come from here (as `programs.notices` does for the lists): which
pair or region, what was decided and what it changed — never a bare "Decision saved.".
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lindung.common.text import number
from lindung.regions.models import Region, canonical, dotted

from .models import DuplicateCandidate


def scanned(region_code: str, open_pairs: int) -> str:
    """E.g. "Kabupaten Penukal Abab Lematang Ilir (16.12) checked: 3 pairs to review."."""
    code = canonical(region_code)
    region = Region.objects.filter(code=code).first()
    where = f"{region.name} ({dotted(code)})" if region else dotted(code)
    return ngettext(
        "%(region)s checked: %(n)s pair to review.",
        "%(region)s checked: %(n)s pairs to review.",
        open_pairs,
    ) % {"region": where, "n": number(open_pairs)}


def decided(candidate: DuplicateCandidate, *, same: bool, keep: str) -> str:
    """What the decision changed in the registry, named by the pair's number."""
    args = {"pair": candidate.pk}
    if candidate.from_upload:
        if same and keep == "b":
            return (
                _(
                    "Pair #%(pair)s: same person; the registered name, birth date and sex were "
                    "corrected to the uploaded identity (history kept)."
                )
                % args
            )
        if same:
            return (
                _(
                    "Pair #%(pair)s: same person; the registered identity stays and the "
                    "upload's row stays refused."
                )
                % args
            )
        return (
            _("Pair #%(pair)s: different people; the NIK stays with the registered person.") % args
        )
    if same:
        kept, merged = ("A", "B") if keep == "a" else ("B", "A")
        return _(
            "Pair #%(pair)s: same person; record %(kept)s kept and record %(merged)s merged "
            "into it (heirs, list places and history kept)."
        ) % {**args, "kept": kept, "merged": merged}
    return _("Pair #%(pair)s: different people; this pair will not be proposed again.") % args
