"""Sentences with `{placeholders}` filled per row inside polars expressions.

The row checks (intake) and eligibility rules (programs) explain every problem with a sentence
from a two-language table; this turns such a sentence into one string expression.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def pick(messages: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    """The Indonesian (default) or English sentence for `code`."""
    return messages[code][1 if (lang or "id").startswith("en") else 0]


def sentence(template: str, **params) -> pl.Expr:
    """`template` with each `{name}` replaced by `params[name]` (an expression or a value)."""
    pieces: list[pl.Expr] = []
    for index, part in enumerate(_PLACEHOLDER.split(template)):
        if index % 2:
            value = params[part]
            if isinstance(value, pl.Expr):
                pieces.append(value.cast(pl.Utf8).fill_null(""))
            else:
                pieces.append(pl.lit(str(value)))
        elif part:
            pieces.append(pl.lit(part))
    return pl.concat_str(pieces) if pieces else pl.lit("")


# Numbers and dates as Indonesian officials write them, in either interface language: 1.224 and
# 17-09-1977. Pages get the same from Django's format localization (lindung/formats); these are
# for text built outside templates (messages raised deep in the file reader, CLI output).
def number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def date_text(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""
