import datetime as dt

import pytest

from lindung.accounts.roles import Role


@pytest.fixture
def regency_admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1612"])


@pytest.fixture
def make_program(regency_admin):
    from lindung.programs.services import program_create

    counter = {"n": 0}

    def make(start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31), **kw):
        counter["n"] += 1
        return program_create(
            actor=regency_admin,
            code=kw.pop("code", f"pali-{counter['n']}"),
            name=kw.pop("name", f"Pekerja Rentan PALI {counter['n']}"),
            owner_region_code=kw.pop("region", "1612"),
            coverage_start=start,
            coverage_end=end,
            occupation_codes=kw.pop("occupations", ["petani", "ojek", "perangkat-desa"]),
            rules=kw.pop("rules", None),
            **kw,
        )

    return make
