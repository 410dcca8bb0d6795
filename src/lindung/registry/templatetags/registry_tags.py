from django import template

from lindung.accounts.masking import mask_number

register = template.Library()


@register.filter
def masked(value: str) -> str:
    """A NIK or KK number with all but the regency hidden, for lists (the one policy)."""
    return mask_number(value)


@register.filter
def phone_national(value: str) -> str:
    """+6281234567890 → 0812-3456-7890 (lokal-id's national format)."""
    if not value:
        return ""
    import lokal

    return lokal.parse_phone(value).national or value


@register.filter
def rupiah(value) -> str:
    """1500000 → Rp1.500.000, the way invoices and letters write it."""
    if value is None or value == "":
        return ""
    import lokal

    return lokal.format_rupiah(int(value))
