"""Sentences with `{placeholders}` filled per row inside polars expressions.

The row checks (intake) and eligibility rules (programs) explain every problem with a sentence
from a two-language table; this turns such a sentence into one string expression.
"""

from __future__ import annotations

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
