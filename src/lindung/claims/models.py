"""Claims: benefit rules by date (`rulebook.py`), and claims, their heirs and payments (here)."""

from lindung.claims.rulebook import *  # noqa: F403  (rule tables live in their own module)
