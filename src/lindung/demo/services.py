"""Filling a database with demo people and one login per role. Demo only: never on real data.

Both services are idempotent, so `lindung demo` can be run again on the same database.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.services import user_create
from lindung.audit.services import record
from lindung.common.bulk import copy_rows
from lindung.common.errors import ApplicationError
from lindung.regions.models import Region, dotted
from lindung.registry.models import Heir, Occupation, Worker
from lindung.registry.services import occupations_seed

from .generator import (
    DEFAULT_SEED,
    DEFAULT_TOTAL,
    DEMO_REGENCIES,
    DemoVillage,
    DemoWorker,
    demo_villages,
    generate_workers,
    operator_village,
)

# One password for every demo login so it is easy to remember at a demonstration. It passes
# Django's validators, and is printed on screen: a database with these users is a demo database.
DEMO_PASSWORD = "lindung-demo-2025"

_WORKER_FIELDS = (
    "nik",
    "kk_number",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "village",
    "phone",
    "occupation",
    "monthly_income",
    "created_at",
    "updated_at",
    "created_by",
)
_HEIR_FIELDS = ("worker", "name", "nik", "relationship", "birth_date", "phone")


def _villages_or_fail(seed: int) -> list[DemoVillage]:
    villages = demo_villages(seed)
    if not villages:
        regencies = ", ".join(dotted(c) for c in DEMO_REGENCIES)
        raise ApplicationError(
            f"No villages of the demo regencies ({regencies}) are loaded: run `lindung setup`."
        )
    return villages


def _worker_rows(people: Sequence[DemoWorker], occupation_ids: dict[str, int], actor_id):
    now = timezone.now()
    for p in people:
        yield (
            p.nik,
            p.kk_number,
            p.name,
            p.birth_place,
            p.birth_date,
            p.sex,
            p.address,
            p.village_code,
            p.phone,
            occupation_ids[p.occupation_code],
            p.monthly_income,
            now,
            now,
            actor_id,
        )


def _heir_rows(people: Sequence[DemoWorker], worker_ids: dict[str, int]):
    for p in people:
        for h in p.heirs:
            yield (worker_ids[p.nik], h.name, h.nik, h.relationship, h.birth_date, h.phone)


@transaction.atomic
def demo_load(*, workers: int = DEFAULT_TOTAL, seed: int = DEFAULT_SEED, actor=None) -> dict:
    """Insert `workers` synthetic workers and their heirs into the demo villages, once.

    Skips (and says so) when any worker already lives in one of the demo villages: those villages
    are the demo's, so someone is there only because an earlier run put them there.
    """
    villages = _villages_or_fail(seed)
    codes = [v.code for v in villages]
    summary = {"villages": len(villages), "seed": seed}
    existing = Worker.objects.filter(village_id__in=codes).count()
    if existing:
        return {**summary, "loaded": False, "workers": existing, "heirs": 0}

    occupations_seed(actor=actor)  # no-op after `setup`; lets the service stand alone
    occupation_ids = dict(Occupation.objects.values_list("code", "id"))
    people = generate_workers(workers, seed=seed, villages=villages)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None

    inserted = copy_rows(Worker, _WORKER_FIELDS, _worker_rows(people, occupation_ids, actor_id))
    # COPY returns no keys; the demo villages held nobody before, so every worker there is new.
    worker_ids = dict(Worker.objects.filter(village_id__in=codes).values_list("nik", "id"))
    heirs = copy_rows(Heir, _HEIR_FIELDS, _heir_rows(people, worker_ids))

    record(
        actor=actor,
        action="demo.load",
        object_type="registry.worker",
        object_repr=f"demo data: {inserted} workers, {heirs} heirs in {len(villages)} villages",
        after={"seed": seed, "workers": inserted, "heirs": heirs, "villages": codes},
        row_count=inserted + heirs,
    )
    return {**summary, "loaded": True, "workers": inserted, "heirs": heirs}


def demo_mark_site() -> bool:
    """Mark this installation as the demo: its pages then say the data are synthetic (a file
    in var/, read by the settings; `LINDUNG_DEMO` overrides it). Not under tests: a test run
    must not mark the developer's own installation. Returns whether the mark is on."""
    from django.conf import settings

    if settings.TESTING:
        return False
    settings.DEMO_MARKER.parent.mkdir(parents=True, exist_ok=True)
    settings.DEMO_MARKER.write_text("Made by `lindung demo`: every record here is synthetic.\n")
    settings.LINDUNG_DEMO = True  # this process (the server `lindung demo` starts) too
    return True


# --- users -----------------------------------------------------------------------------------


def _describe(codes: Sequence[str]) -> str:
    if not codes:
        return "all of Indonesia"
    regions = Region.objects.in_bulk(list(codes))
    parts = []
    for code in codes:
        region = regions.get(code)
        name = region.name if region else "?"
        if region and region.is_village:
            district = Region.objects.filter(code=code[:6]).values_list("name", flat=True).first()
            # "Desa Benuang, Kec. Talang Ubi": how a village is named on letters and KTPs.
            kind = region.kind.replace("_", " ").title()
            name = f"{kind} {name}, Kec. {district}"
        parts.append(f"{dotted(code)} {name}")
    return "; ".join(parts)


def demo_logins(seed: int = DEFAULT_SEED) -> list[tuple[str, str, list[str], str]]:
    """(username, role, region codes, full name) of every demo login."""
    villages = _villages_or_fail(seed)
    pali, muara_enim = operator_village(villages, "1612"), operator_village(villages, "1603")
    if pali is None or muara_enim is None:
        raise ApplicationError("The demo needs villages in PALI (16.12) and Muara Enim (16.03).")
    return [
        ("operator", Role.VILLAGE_OPERATOR, [pali.code], f"Operator Desa {pali.name}"),
        ("operator2", Role.VILLAGE_OPERATOR, [muara_enim.code], f"Operator Desa {muara_enim.name}"),
        ("dpmd-muaraenim", Role.REGENCY_ADMIN, ["1603"], "DPMD Muara Enim"),
        ("dinsos-muba", Role.REGENCY_ADMIN, ["1606"], "Dinsos Musi Banyuasin"),
        # Every demo regency has its own admin: only a regency admin approves a village list.
        ("dpmd-pali", Role.REGENCY_ADMIN, ["1612"], "DPMD PALI"),
        ("pemkab-sarolangun", Role.REGENCY_ADMIN, ["1503"], "Pemkab Sarolangun"),
        # The Muara Enim branch of BPJS Ketenagakerjaan serves PALI too (seed 003).
        ("bpjs-muaraenim", Role.BPJS_OFFICER, ["1603", "1612"], "BPJS Cabang Muara Enim"),
        # The branch office serving Sarolangun (Jambi): its officer verifies Sarolangun's lists
        # and claims, and the regional office's officer is the second one who approves a claim.
        ("bpjs-sarolangun", Role.BPJS_OFFICER, ["1503"], "BPJS Cabang Sarolangun"),
        # The regional office verifies where the demo has no branch login (Musi Banyuasin):
        # only BPJS verifies a list.
        ("bpjs-sumbagsel", Role.BPJS_OFFICER, ["15", "16"], "BPJS Kanwil Sumbagsel"),
        # The BPJS regional office follows South Sumatra's lists, view only; the province
        # government's login is the regional head.
        ("kanwil-sumsel", Role.BPJS_REGIONAL, ["16"], "BPJS Kanwil Sumatera Selatan"),
        ("pemprov-sumsel", Role.REGIONAL_HEAD, ["16"], "Pemprov Sumatera Selatan"),
        ("auditor", Role.AUDITOR, ["16", "15"], "Auditor Sumsel-Jambi"),
        ("admin", Role.SUPERADMIN, [], "Administrator Lindung"),
    ]


@transaction.atomic
def demo_users(*, seed: int = DEFAULT_SEED, actor=None) -> list[tuple[str, str, str, str]]:
    """One login per role; existing usernames are left alone (their password is not reset).

    Returns (username, password, role, scope description) for every demo login.
    """
    out = []
    for username, role, codes, full_name in demo_logins(seed):
        if not User.objects.filter(username=username).exists():
            first, _sep, last = full_name.partition(" ")
            # Validate as a real user would be, so the printed password is known to be accepted.
            validate_password(
                DEMO_PASSWORD, User(username=username, first_name=first, last_name=last)
            )
            user_create(
                actor=actor,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                region_codes=codes,
                full_name=full_name,
            )
        out.append((username, DEMO_PASSWORD, Role(role).value, _describe(codes)))
    return out
