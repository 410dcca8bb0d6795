"""Shared fixtures: the full region list loaded once per test session, users per role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.regions import selectors as region_selectors

# Asserts in the shared helpers for real processes report like those in the tests.
pytest.register_assert_rewrite("lindung.site.testing")

# Real codes used across the tests (Kepmendagri 300.2.2-2430/2025).
PALI_VILLAGE = "1612012001"  # Talang Ubi, PALI
PALI_VILLAGE_2 = "1612012002"
MUARA_ENIM_VILLAGE = "1603012011"  # a desa in Tanjung Agung, Muara Enim
SAROLANGUN_VILLAGE = "1503012001"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """All 91,599 regions, historical codes and occupations, once for the whole session."""
    from lindung.regions.services import historical_codes_load, regions_load
    from lindung.registry.services import occupations_seed

    with django_db_blocker.unblock():
        regions_load()
        historical_codes_load()
        occupations_seed()


@pytest.fixture(scope="session")
def installation(tmp_path_factory):
    """A set-up installation for real `lindung` processes, made once per run; tests take a copy
    (`installation.copy(home)` gives the copy's environment)."""
    from lindung.site.testing import Installation

    made = Installation(tmp_path_factory.mktemp("installation"))
    yield made
    made.close()


@pytest.fixture(scope="session")
def demo_installation(installation, tmp_path_factory):
    """The demo (400 workers, its programs, lists at every step, bills, claims, figures) built
    once per run on a copy of `installation`; browser tests serve their own copy of it.
    `.logins`: [username, role, password] of every demo login."""
    import json

    from lindung.site.testing import Installation, lindung, lindung_shell

    made = Installation(tmp_path_factory.mktemp("demo"), source=installation)
    done = lindung(made.env, "demo", "--no-serve", "--skip-setup", "--workers", "400", timeout=900)
    assert done.returncode == 0, done.stderr
    made.logins = json.loads(
        lindung_shell(
            made.env,
            "import json; from lindung.demo.services import demo_logins, DEMO_PASSWORD;"
            "print(json.dumps([[u, str(r), DEMO_PASSWORD] for u, r, _c, _n in demo_logins()]))",
        )
    )
    yield made
    made.close()


@pytest.fixture(autouse=True)
def _fresh_region_names():
    region_selectors.reset_region_names()
    yield
    region_selectors.reset_region_names()


def make_nik(district: str, birth: dt.date, sex: str = "L", serial: int = 1) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"{district}{day:02d}{birth:%m%y}{serial:04d}"


@pytest.fixture
def make_user(db):
    from lindung.accounts.services import user_create

    counter = {"n": 0}

    def make(role: str = Role.VILLAGE_OPERATOR, regions: list[str] | None = None, **kw):
        counter["n"] += 1
        defaults = {
            Role.VILLAGE_OPERATOR: [PALI_VILLAGE],
            Role.REGENCY_ADMIN: ["1612"],
            Role.BPJS_OFFICER: ["1603", "1612"],
            Role.BPJS_REGIONAL: ["16"],
            Role.REGIONAL_HEAD: ["16"],
            Role.AUDITOR: ["16"],
            Role.SUPERADMIN: [],
        }
        return user_create(
            username=kw.pop("username", f"{role}-{counter['n']}"),
            password="test-pass-123!",
            role=role,
            region_codes=defaults[role] if regions is None else regions,
            **kw,
        )

    return make


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def make_worker(db):
    from lindung.registry.services import worker_create
    from lindung.registry.validation import HeirInput, WorkerInput

    counter = {"n": 0}

    def make(village: str = PALI_VILLAGE, actor=None, heirs=None, **kw):
        from lindung.accounts.models import User

        counter["n"] += 1
        birth = kw.pop("birth_date", dt.date(1985, 3, 1 + counter["n"] % 27))
        sex = kw.pop("sex", "L")
        nik = kw.pop("nik", make_nik(village[:6], birth, sex, 100 + counter["n"]))
        if actor is None:
            actor = User.objects.filter(role=Role.SUPERADMIN).first()
            if actor is None:
                from lindung.accounts.services import user_create

                actor = user_create(
                    username="root", password="test-pass-123!", role=Role.SUPERADMIN
                )
        data = WorkerInput(
            nik=nik,
            name=kw.pop("name", f"Pekerja {counter['n']}"),
            village_code=village,
            occupation_code=kw.pop("occupation_code", "petani"),
            **kw,
        )
        heir_inputs = [HeirInput(**h) for h in (heirs or [])]
        return worker_create(actor=actor, data=data, heirs=heir_inputs)

    return make
