"""Benefit rules as dated, cited data (DOMAIN.md §3)."""
