"""Limits every input meets at the edge, the same on SQLite and PostgreSQL.

SQLite stores a 300-character name in a `varchar(150)`, a NUL byte or a 2^70 integer happily
(or fails with an OverflowError), while PostgreSQL refuses them: the same request must get the
same clear 4xx on both. The API schemas, the shared field rules (`registry/validation.py`) and
the edge middleware take their limits from here, so one number means one thing everywhere.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, StringConstraints

# The largest value a signed 64-bit column (PostgreSQL bigint, SQLite INTEGER) holds: Django's
# PositiveBigIntegerField and every primary key are bounded by it.
MAX_BIGINT = 2**63 - 1
MAX_INT = 2**31 - 1  # PositiveIntegerField
MAX_SMALLINT = 2**15 - 1  # PositiveSmallIntegerField
# Free text without a column limit (notes, reasons): still bounded, a reason is not a book.
MAX_NOTE = 2000
# More than this many ids in one call is not a person clicking: 413-like, refused as 422.
MAX_IDS = 100_000

# Bidirectional overrides/isolates (U+202A–U+202E, U+2066–U+2069) make "Ahmad" render as
# another string than the one stored ("Trojan Source"); zero-width characters (U+200B–U+200D,
# U+2060, U+FEFF) make two names look equal while they differ, which defeats duplicate checks.
HIDDEN_CHARACTERS = "\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff"
_HIDDEN = re.compile(f"[{HIDDEN_CHARACTERS}]")
# A safe program code: letters, digits, dot, dash, underscore; starts with a letter or digit.
PROGRAM_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
_PROGRAM_CODE = re.compile(PROGRAM_CODE_PATTERN)


def has_hidden_characters(value: str | None) -> bool:
    return bool(value) and _HIDDEN.search(value) is not None


def has_nul(value: str | None) -> bool:
    return bool(value) and "\x00" in value


def is_program_code(value: str | None) -> bool:
    return bool(value) and _PROGRAM_CODE.fullmatch(value) is not None


def parse_ids(values) -> list[int]:
    """Row ids typed into a form (checkbox values): all must be ids, or the request is refused.

    `int()` alone accepts 2**70, which SQLite cannot even compare (OverflowError, a 500)."""
    from django.utils.translation import gettext as _

    from .errors import ApplicationError

    ids = []
    for value in values:
        text = str(value).strip()
        if not text.isdecimal() or not 1 <= int(text) <= MAX_BIGINT:
            raise ApplicationError(_("The selection holds an invalid number."), code="invalid_id")
        ids.append(int(text))
    return ids


def Text(max_length: int, *, min_length: int = 0):  # named like the type it returns
    """A string no longer than its column (pydantic answers 422 naming the field)."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length)]


# A row id in a path or a list: positive and within the column, so a huge or negative number is
# a 422 or a 404, never an OverflowError from the database driver.
Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
BigAmount = Annotated[int, Field(ge=0, le=MAX_BIGINT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
SmallCount = Annotated[int, Field(ge=0, le=MAX_SMALLINT)]
