"""The mask is not reversible (issue 7 §4): with the old mask, masked NIK + birth date + sex +
village rebuilt the full NIK for 88 % of demo workers. Here an attacker with each role that may not
see NIKs collects everything its pages and API show about each demo worker and tries the rebuild.
"""

from __future__ import annotations

import re

import lokal
import pytest
from django.test import Client

from lindung.accounts.roles import Role, role_allows
from lindung.accounts.services import api_token_create
from lindung.demo.services import demo_load
from lindung.registry.models import Worker

WORKERS = 250
DEMO_SCOPE = ["16", "15"]  # Muara Enim, Musi Banyuasin, PALI (16) and Sarolangun (15)
ROLES_WITHOUT_NIK = [r for r in Role if not role_allows(r, "view_pii")]


def _birth_part(birth_date: str, sex: str) -> str:
    year, month, day = (int(p) for p in birth_date.split("-"))
    return f"{day + (40 if sex == 'P' else 0):02d}{month:02d}{year % 100:02d}"


def rebuild(shown: dict) -> str | None:
    """The full NIK from what a page showed, or None when more than one NIK fits.

    Known digits come from the mask itself; the district from the village code when the mask
    hides it; DDMMYY from birth date and sex; the serial from the mask or from any number in
    the collected texts that continues the 12 digits worked out so far."""
    digits: list[str | None] = [None] * 16
    for i, ch in enumerate(shown["nik_masked"][:16]):
        digits[i] = ch if ch.isdigit() else None
    village = shown["village_code"]
    for i in range(6):
        digits[i] = digits[i] or village[i]
    for i, ch in enumerate(_birth_part(shown["birth_date"], shown["sex"])):
        digits[6 + i] = digits[6 + i] or ch
    prefix = "".join(d or "" for d in digits[:12])
    if None in digits[12:]:
        serials = {
            m.group(1)
            for text in shown["texts"]
            for m in re.finditer(re.escape(prefix) + r"(\d{4})", text)
        }
        if len(serials) != 1:
            return None
        (serial,) = serials
        digits[12:] = list(serial)
    return "".join(digits)  # type: ignore[arg-type]


def _collect(api: Client, web: Client, *, audit: bool) -> list[dict]:
    listed, offset = [], 0
    while True:
        page = api.get(f"/api/workers?limit=100&offset={offset}").json()
        listed += page["items"]
        offset += 100
        if offset >= page["count"]:
            break
    trail = ""
    if audit:
        trail = api.get("/api/audit?limit=100000").content.decode()
    shown = []
    for item in listed:
        detail = api.get(f"/api/workers/{item['id']}")
        html = web.get(f"/pekerja/{item['id']}/").content.decode()
        # A NIK search is the last thing to try: does it confirm a guessed prefix?
        guess = item["village_code"][:6] + _birth_part(item["birth_date"], item["sex"])
        searched = api.get(f"/api/workers?q={guess}").content.decode()
        shown.append(
            {
                "id": item["id"],
                "nik_masked": item["nik_masked"],
                "birth_date": item["birth_date"],
                "sex": item["sex"],
                "village_code": item["village_code"],
                "texts": [detail.content.decode(), html, searched, trail],
            }
        )
    return shown


@pytest.mark.parametrize("role", ROLES_WITHOUT_NIK)
def test_no_nik_can_be_rebuilt_from_what_roles_without_nik_permission_see(
    db, make_user, client_for, role
):
    assert demo_load(workers=WORKERS)["loaded"]
    user = make_user(role, DEMO_SCOPE)
    _token, raw = api_token_create(actor=user, user=user, name="attack")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    shown = _collect(api, client_for(user), audit=role_allows(role, "view_audit"))
    assert len(shown) == WORKERS
    actual = dict(Worker.objects.values_list("id", "nik"))

    rebuilt = [s["id"] for s in shown if rebuild(s) == actual[s["id"]]]
    assert rebuilt == []
    # Nothing they were shown holds a full NIK at all.
    assert not any(actual[s["id"]] in text for s in shown for text in s["texts"])


def test_the_rebuild_attack_works_against_the_old_serial_keeping_mask(db):
    """The attack above is real: against `lokal.partial_mask` (`1603********0002`), which the
    pages used before, it rebuilds most demo NIKs."""
    demo_load(workers=WORKERS)
    workers = Worker.objects.values_list("nik", "birth_date", "sex", "village_id")
    rebuilt = sum(
        rebuild(
            {
                "nik_masked": lokal.partial_mask("NIK", nik),
                "birth_date": born.isoformat(),
                "sex": sex,
                "village_code": village,
                "texts": [],
            }
        )
        == nik
        for nik, born, sex, village in workers
    )
    print(f"old mask: {rebuilt}/{WORKERS} NIKs rebuilt")
    assert rebuilt / WORKERS > 0.5
