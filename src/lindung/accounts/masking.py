"""THE masking policy: what each role sees of a person's identifying data.

Every page, API schema, file export and audit view asks this module, never its own rule, so a
role sees the same thing everywhere. A mask must not be reversible from what else is shown
next to it (birth date, sex and village are shown on many pages, and they are written inside the
NIK itself), so masks keep only what those fields already give away.
"""

from __future__ import annotations

import lokal


def mask_name(name: str | None) -> str:
    """`Ahmad Hakim` → `A*** H***`: initials only, word lengths hidden."""
    return lokal.partial_mask("NAME", name) if name else ""
