"""Rupiah as Indonesians write it (Rp1.349.460.000), counts with dot thousands, and amounts in
words (terbilang), all through lokal-id."""

from django import template

from lindung.billing.planner import terbilang_rupiah
from lindung.billing.rates import rupiah as format_rupiah
from lindung.common.text import number

register = template.Library()


@register.filter
def rupiah(value) -> str:
    return format_rupiah(int(value)) if value is not None and value != "" else "—"


@register.filter
def ribuan(value) -> str:
    return number(int(value)) if value is not None and value != "" else "—"


@register.filter
def terbilang(value) -> str:
    return terbilang_rupiah(int(value)) if value is not None and value != "" else ""


@register.filter
def can_plan(user) -> bool:
    """Whether the user sees a program's budget page (the link on the program page)."""
    from lindung.billing.selectors import can_plan as allowed

    return allowed(user)
