from django import template

from lindung.regions.fields import village_label as _village_label

register = template.Library()


@register.filter
def village_label(village) -> str:
    """A village as "Betung — Kec. Abab" (see lindung.regions.fields)."""
    return _village_label(village) if village is not None else ""
