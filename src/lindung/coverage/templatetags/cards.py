from django import template

register = template.Library()


@register.filter
def may_print_cards(user, region_code) -> bool:
    """Whether the "Print cards" button shows for this region (the regency or BPJS)."""
    from lindung.coverage.cards_views import may_print

    return may_print(user, str(region_code or ""))
