"""THE masking policy: what each role sees of a person's identifying data.

Every page, API schema, file export and audit view asks this module, never its own rule, so a
role sees the same thing everywhere. A mask must not be reversible from what else is shown
next to it (birth date, sex and village are shown on many pages, and they are written inside the
NIK itself), so masks keep only what those fields already give away.

The rule: a user sees a person's full NIK, KK number and phone only where their role may view
personal data (`Action.VIEW_PII`) AND the person's region is in their scope. Everyone else sees
- NIK and KK: the first 4 digits (the regency, which the village shown next to it gives away
  anyway), never the district, birth date or serial: masked NIK + birth date + sex + village
  still leave the district and all four serial digits unknown (10^6 candidates);
- phone: the last 2 digits at most;
- names of people outside their scope: initials only (`mask_name`);
- bank accounts (claim payments to heirs): in full only to roles that pay claims
  (`Action.PAY_CLAIM`) in the region; everyone else the last 4 digits (`account_for`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import lokal

from .roles import Action
from .scoping import can, covers

KEEP_DIGITS = 4
PHONE_KEEP = 2
ACCOUNT_KEEP = 4
MASK = "*"

# Keys of audit changes and structured details whose values are identity numbers or phones.
_NUMBER_KEYS = re.compile(r"(^|_)(nik|kk|kk_number|niks)($|_)|nik_|_nik", re.IGNORECASE)
_PHONE_KEYS = re.compile(r"phone|telp|^hp$|whatsapp", re.IGNORECASE)
# A NIK or KK number in free text: 16 digits, possibly grouped by spaces, dots or dashes
# (`1603 0117 0977 0027`, `16.03.01.170977.0027`), not part of a longer number.
_SIXTEEN_DIGITS = re.compile(r"(?<![\d])(?:\d[ .\-]?){15}\d(?![\d])")
# An Indonesian mobile number in free text: +62 8…, 62 8… or 08… with 7–11 more digits (region
# codes never start with 628 or 08, so they are left alone).
_PHONE_IN_TEXT = re.compile(r"(?<![\d])(?:\+62|62|0)[\s\-]?8(?:[\s\-]?\d){7,11}(?![\d])")


# --- who sees what ------------------------------------------------------------------------------


def sees_pii(user, region_code: str | None) -> bool:
    """May `user` see the full NIK, KK and phone of a person living in `region_code`?"""
    # An empty region (an event about no one place) is covered only by a nationwide scope.
    return can(user, Action.VIEW_PII, str(region_code or ""))


def in_scope(user, region_code: str | None) -> bool:
    return covers(user, str(region_code or ""))


# --- the masks ----------------------------------------------------------------------------------


def mask_name(name: str | None) -> str:
    """`Ahmad Hakim` → `A*** H***`: initials only, word lengths hidden."""
    return lokal.partial_mask("NAME", name) if name else ""


def mask_number(value: str | None) -> str:
    """A NIK or KK number → `1603************`: the regency only, everything else hidden.

    Not `lokal.partial_mask("NIK", …)`: that keeps the serial (`1603********0002`), and with
    the birth date, sex and village shown next to it the full NIK can be rebuilt."""
    if not value:
        return ""
    if MASK in str(value):  # masked already: masking twice must not hide the regency too
        return str(value)
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) <= KEEP_DIGITS:
        return MASK * len(digits)
    return digits[:KEEP_DIGITS] + MASK * (len(digits) - KEEP_DIGITS)


mask_nik = mask_number
mask_kk = mask_number


def mask_phone(phone: str | None) -> str:
    """`+6281234567890` → `***********90`: the last two digits, enough to tell numbers apart on
    the phone with the person, not enough to call them."""
    if not phone:
        return ""
    if MASK in str(phone):
        return str(phone)
    digits = "".join(ch for ch in str(phone) if ch.isdigit())
    if len(digits) <= PHONE_KEEP:
        return MASK * len(digits)
    return MASK * (len(digits) - PHONE_KEEP) + digits[-PHONE_KEEP:]


def mask_account(account: str | None) -> str:
    """`1234567890` → `******7890`: enough to tell an heir which of their accounts was paid."""
    if not account:
        return ""
    if MASK in str(account):
        return str(account)
    digits = "".join(ch for ch in str(account) if ch.isdigit())
    if len(digits) <= ACCOUNT_KEEP:
        return MASK * len(digits)
    return MASK * (len(digits) - ACCOUNT_KEEP) + digits[-ACCOUNT_KEEP:]


def mask_text(text: Any) -> Any:
    """Free text (an audit reason, an object name, a spreadsheet cell) with every NIK/KK-like
    16-digit number and every phone number in it masked. Non-strings pass through, except
    large numbers: a NIK stored as a spreadsheet number (1.603011709770027e15) is masked too."""
    if isinstance(text, bool) or text is None:
        return text
    if isinstance(text, int | float):
        return _mask_numeric_cell(text)
    if not isinstance(text, str) or not any(ch.isdigit() for ch in text):
        return text
    text = _SIXTEEN_DIGITS.sub(lambda m: mask_number(m.group(0)), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


def _mask_numeric_cell(value: int | float) -> int | float | str:
    """Spreadsheets store NIKs and phones typed as numbers: 1.603011709770027e15, 81234567890.
    Only floats (what a spreadsheet reader returns) are taken for phones that lost their 0:
    integers in audit changes are ids and amounts."""
    if value != value or abs(value) == float("inf"):  # NaN, infinity
        return value
    digits = f"{abs(value):.0f}"
    if len(digits) >= 15:
        return mask_number(digits)
    lost_zero = _PHONE_IN_TEXT.fullmatch(digits) or _PHONE_IN_TEXT.fullmatch("0" + digits)
    if isinstance(value, float) and lost_zero:
        return mask_phone(digits)
    return value


def mask_value(key: str, value: Any) -> Any:
    """One value of a structured record (audit changes, details), masked by its key first and
    by pattern otherwise, recursing into lists and dicts (heirs inside a worker snapshot)."""
    if isinstance(value, Mapping):
        return {k: mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(key, v) for v in value]
    if value in (None, ""):
        return value
    if _NUMBER_KEYS.search(key):
        return mask_number(str(value))
    if _PHONE_KEYS.search(key):
        return mask_phone(str(value))
    return mask_text(value)


# --- per user -----------------------------------------------------------------------------------


def nik_for(user, region_code: str | None, nik: str | None) -> str:
    if not nik:
        return ""
    return nik if sees_pii(user, region_code) else mask_number(nik)


def kk_for(user, region_code: str | None, kk: str | None) -> str:
    if not kk:
        return ""
    return kk if sees_pii(user, region_code) else mask_number(kk)


def phone_for(user, region_code: str | None, phone: str | None) -> str:
    if not phone:
        return ""
    return phone if sees_pii(user, region_code) else mask_phone(phone)


def sees_accounts(user, region_code: str | None) -> bool:
    """Bank accounts in full only for the roles that pay claims, in their regions."""
    return can(user, Action.PAY_CLAIM, str(region_code or ""))


def account_for(user, region_code: str | None, account: str | None) -> str:
    if not account:
        return ""
    return account if sees_accounts(user, region_code) else mask_account(account)


def name_for(user, region_code: str | None, name: str | None) -> str:
    """Names are shown to everyone who may see the person; outside one's scope (the other side
    of a duplicate pair) only initials."""
    if not name:
        return ""
    return name if in_scope(user, region_code) else mask_name(name)


def text_for(user, region_code: str | None, text: Any) -> Any:
    return text if sees_pii(user, region_code) else mask_text(text)


def changes_for(user, region_code: str | None, changes: Mapping[str, Any]) -> dict:
    """Audit changes `{"field": [before, after]}` as `user` may see them."""
    if sees_pii(user, region_code):
        return dict(changes)
    return {key: mask_value(key, value) for key, value in changes.items()}


def event_for(user, event):
    """An audit event with its personal data masked for `user` (the instance is changed in
    memory only: audit events can never be saved again)."""
    if getattr(event, "_masked_for", None) == getattr(user, "pk", None):
        return event
    event._masked_for = getattr(user, "pk", None)
    if not sees_pii(user, event.region_code):
        event.changes = changes_for(user, event.region_code, event.changes or {})
        event.reason = mask_text(event.reason)
        event.object_repr = mask_text(event.object_repr)
    return event


def cell_masker(user, region_code: str | None):
    """For file exports: a function masking one cell, or None when `user` sees everything."""
    return None if sees_pii(user, region_code) else mask_text


def kpj_for(user, region_code: str | None, kpj: str | None) -> str:
    """A KPJ number unlocks a participant's balances in BPJS's own app: in full only where the
    role sees personal data in the person's region, like the NIK; else the first 4 digits."""
    if not kpj:
        return ""
    return kpj if sees_pii(user, region_code) else mask_number(kpj)
