"""Indonesian-style numbers and dates (see lindung.formats)."""

from lindung.formats.common import *  # noqa: F403
