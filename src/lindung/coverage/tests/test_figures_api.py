"""The figures over the API: scoped (out of scope 404), dates checked, abuse cases."""

from __future__ import annotations

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.coverage.refresh import refresh_all

from .figures_fixture import V1, V2, D, make_program, regency_admin, town  # noqa: F401

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def counted(town):  # noqa: F811
    refresh_all(D)
    return town


def test_the_regency_reads_its_figures_ranking_trend_and_ecosystem(counted, make_user):
    api = client_of(make_user(Role.REGIONAL_HEAD, ["1612"]))
    r = api.get("/api/coverage/16.12?date=2025-10-10")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["protected"], body["not_protected"], body["region"]) == (7, 4, "1612")
    ranking = api.get("/api/coverage/1612/ranking?date=2025-10-10").json()["regions"]
    assert [(x["region"], x["rank"]) for x in ranking[:2]] == [(V1[:6], 1), (counted.v3[:6], 2)]
    assert api.get("/api/coverage/1612/trend").json()[-1]["protected"] == 7
    eco = api.get("/api/coverage/1612/ecosystem?date=2025-10-10").json()
    assert eco["villages_at_100"] == [V2]
    filtered = api.get(f"/api/coverage/1612?date=2025-10-10&program_id={counted.c2.pk}").json()
    assert filtered["protected"] == 1


def test_wider_or_other_regions_and_indonesia_are_404(counted, make_user):
    operator = client_of(make_user(Role.VILLAGE_OPERATOR, [V1]))
    assert operator.get(f"/api/coverage/{V1}?date=2025-10-10").json()["protected"] == 3
    for code in (V2, "1612", "16", "ID", "1503", "99", "1699", "16.12.01.9999"):
        assert operator.get(f"/api/coverage/{code}").status_code == 404, code
    assert operator.get(f"/api/coverage/{V1}/ranking").status_code == 404  # nothing below
    root = client_of(make_user(Role.SUPERADMIN))
    assert root.get("/api/coverage/ID?date=2025-10-10").json()["protected"] == 8


@pytest.mark.parametrize(
    "url",
    [
        "/api/coverage/1612?date=2025-13-45",
        "/api/coverage/1612?date=10-10-2025",
        "/api/coverage/1612?date=9999-01-01",
        "/api/coverage/1612?date=" + "9" * 50,
        "/api/coverage/1612/ranking?date=%00",
    ],
)
def test_a_bad_date_is_refused_with_its_reason(counted, make_user, url):
    api = client_of(make_user(Role.REGENCY_ADMIN, ["1612"]))
    r = api.get(url)
    assert r.status_code in (400, 422)
    assert "date" in r.content.decode() or r.json()["code"] == "nul_character"


@pytest.mark.parametrize(
    "path",
    ["16%0012", "1" * 17, "%F0%9F%98%80", "16.12.01.2001.1", "-1", "16'--"],
)
def test_hostile_region_codes_are_404_or_422_never_500(counted, make_user, path):
    api = client_of(make_user(Role.SUPERADMIN))
    assert api.get(f"/api/coverage/{path}").status_code in (400, 404, 422)


def test_huge_numbers_in_filters_count_nothing(counted, make_user):
    api = client_of(make_user(Role.SUPERADMIN))
    r = api.get(f"/api/coverage/1612?date=2025-10-10&program_id={2**70}")
    assert r.status_code in (200, 422)
    if r.status_code == 200:
        assert r.json()["protected"] == 0
    assert api.get(f"/api/coverage/1612/trend?months={2**70}").status_code in (200, 422)
