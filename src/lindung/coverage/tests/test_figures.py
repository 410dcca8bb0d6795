"""Coverage figures counted by hand on a small fixture (`figures_fixture`): counts per village,
district, regency, province; coverage % against an imported denominator; ranking with ties;
the village ecosystem; a person in two programs counted once; an ended participant and one
with four unpaid months not protected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from lindung.accounts.roles import Role
from lindung.coverage import figures
from lindung.coverage.refresh import refresh_all
from lindung.regions.models import WorkforceDenominator

from .figures_fixture import ME, V1, V2, D, make_program, regency_admin, town  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(make_user):
    return make_user(Role.SUPERADMIN)


@pytest.fixture
def counted(town):  # noqa: F811
    refresh_all(D)
    return town


def head(user, code, day=D, **kw):
    f = figures.figures(user, code, day, **kw)
    return f["protected"], f["protected_with_arrears"], f["not_protected"]


def test_counts_per_village_district_regency_province_and_indonesia(counted, root):
    assert head(root, V1) == (3, 0, 3)  # w1, w2, w4 | w3, w5, w6
    assert head(root, V2) == (2, 0, 1)
    assert head(root, counted.v3) == (2, 1, 0)  # w10 paid up, w11 with arrears
    assert head(root, V1[:6]) == (5, 0, 4)
    assert head(root, counted.v3[:6]) == (2, 1, 0)
    assert head(root, "16.12") == (7, 1, 4)
    assert head(root, "1603") == (1, 0, 0)
    assert head(root, "16") == (8, 1, 4)
    assert head(root, "ID") == (8, 1, 4)
    f = figures.figures(root, "1612", D)
    assert f["registered"] == 11 and f["as_of"] == "2025-10-10"


def test_ended_participant_and_four_unpaid_months_are_not_protected(counted, root):
    by_program = {r["value"]: r for r in figures.figures(root, V1, D)["by"]["program_id"]}
    # w6: program C, Jun–Sep unpaid on 10-10 (4 months > 3): not protected, still under C.
    assert by_program[counted.c.pk]["not_protected"] == 1
    assert by_program[counted.c.pk]["protected_total"] == 0
    # w5 ended on 05-10 and w3 never enrolled: no program covers them.
    assert by_program[None]["not_protected"] == 2
    assert by_program[counted.a.pk]["protected"] == 3


def test_a_person_in_two_programs_is_counted_once_under_the_program_of_the_day(counted, root):
    refresh_all(dt.date(2025, 9, 30))
    sep = figures.figures(root, V1, dt.date(2025, 9, 30))
    # On 30-09, w4 is under P1 (Jul–Sep unpaid: 3 months, still protected); on 10-10 under A.
    programs = {r["value"]: r for r in sep["by"]["program_id"]}
    assert programs[counted.p1.pk]["protected_total"] == 1
    assert counted.a.pk not in programs
    oct_ = figures.figures(root, V1, D)
    programs = {r["value"]: r for r in oct_["by"]["program_id"]}
    assert counted.p1.pk not in programs
    assert sum(r["protected_total"] + r["not_protected"] for r in oct_["by"]["program_id"]) == 6
    assert oct_["registered"] == 6  # six people in V1, each once


def test_breakdowns_by_sex_funder_occupation_group_and_age_band(counted, root):
    f = figures.figures(root, "1612", D)
    sex = {r["value"]: (r["protected_total"], r["not_protected"]) for r in f["by"]["sex"]}
    assert sex == {"L": (5, 3), "P": (2, 1)}  # L: w1 w2 w7 w10 w11 | w5 w6 w9; P: w4 w8 | w3
    funders = {r["value"]: r["protected_total"] for r in f["by"]["funder_kind"]}
    assert funders == {"": 0, "apbd": 6, "apbdes": 1}
    groups = {r["value"]: r["protected_total"] for r in f["by"]["occupation_group"]}
    assert groups["village_government"] == 2 and groups["community"] == 1
    ages = {r["value"]: r["protected_total"] + r["not_protected"] for r in f["by"]["age_band"]}
    assert ages == {"35-44": 10, "65+": 1}
    apbdes = figures.figures(root, "1612", D, funder_kind="apbdes")
    assert (apbdes["protected"], apbdes["not_protected"]) == (1, 0)


def _denominators(rows):
    for code, year, n in rows:
        WorkforceDenominator.objects.create(
            region_id=code, year=year, working_population=n, source="BPS (test)"
        )


def test_coverage_percent_against_the_denominator_of_the_year_or_the_latest_before(counted, root):
    _denominators([("1612", 2024, 1_000), ("1612", 2025, 700), ("1612", 2026, 10)])
    f = figures.figures(root, "1612", D)
    assert f["coverage_pct"] == "1.00" and f["working_population"] == 700  # 7 / 700
    assert f["denominator_year"] == 2025 and f["denominator_source"] == "BPS (test)"
    assert figures.figures(root, V1[:6], D)["coverage_pct"] is None  # no district figure


def test_ranking_by_coverage_with_ties_then_by_count(counted, root):
    # PALI 7/700 = 1.00 % and Muara Enim 1/100 = 1.00 %: a tie, both first; then the regencies
    # without a denominator by count (all 0: tied third).
    _denominators([("1612", 2025, 700), ("1603", 2025, 100), ("1606", 2025, 1_000)])
    ranking = figures.ranking(root, "16", D)["regions"]
    top = [(r["region"], r["rank"], r["coverage_pct"]) for r in ranking[:3]]
    assert top == [("1603", 1, "1.00"), ("1612", 1, "1.00"), ("1606", 3, "0.00")]
    rest = ranking[3:]
    assert {r["rank"] for r in rest} == {4} and all(r["basis"] == "protected" for r in rest)
    assert len(ranking) == 17  # every regency of South Sumatra
    assert figures.figures(root, "1612", D)["rank"] == {
        "rank": 1,
        "of": 17,
        "basis": "coverage_pct",
    }


def test_ranking_of_districts_by_count_where_there_is_no_denominator(counted, root):
    ranking = figures.ranking(root, "1612", D)["regions"]
    assert [(r["region"], r["rank"], r["protected"]) for r in ranking[:2]] == [
        (V1[:6], 1, 5),
        (counted.v3[:6], 2, 2),
    ]
    assert {r["rank"] for r in ranking[2:]} == {3}  # the other three districts: 0, tied
    villages = figures.ranking(root, V1[:6], D)["regions"]
    assert [(r["region"], r["rank"]) for r in villages[:2]] == [(V1, 1), (V2, 2)]


def test_village_ecosystem_roster_against_covered_and_villages_at_100(counted, root):
    f = figures.figures(root, V1, D)
    assert f["ecosystem"]["officials"] == 2 and f["ecosystem"]["officials_protected"] == 1
    assert f["ecosystem"]["officials_pct"] == "50.00"
    e = figures.ecosystem(root, "1612", D)
    assert [(v["region"], v["officials"], v["officials_protected"]) for v in e["villages"]] == [
        (V1, 2, 1),
        (V2, 2, 2),
    ]
    assert e["villages_at_100"] == [V2]
    regency = figures.figures(root, "1612", D)["ecosystem"]
    assert regency == {
        "officials": 4,
        "officials_protected": 3,
        "officials_pct": "75.00",
        "villages_with_officials": 2,
        "villages_all_officials": 1,
    }
    assert figures.ecosystem(root, "16", D)["regencies_at_100"] == []


def test_regency_at_100_when_every_official_is_protected(counted, root, make_worker):
    from .figures_fixture import participate

    w = make_worker(village=ME, occupation_code="linmas")
    participate(counted.a, w, start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31))
    refresh_all(D)
    e = figures.ecosystem(root, "16", D)
    assert e["regencies_at_100"] == ["1603"] and e["villages_at_100"] == [ME, V2]


def test_a_date_between_snapshots_answers_with_the_latest_before_it(counted, root):
    f = figures.figures(root, "1612", dt.date(2025, 10, 20))
    assert f["as_of"] == "2025-10-10" and f["protected"] == 7
    empty = figures.figures(root, "1612", dt.date(2025, 1, 1))
    assert empty["as_of"] is None and empty["protected"] == 0


def test_trend_reads_the_month_ends(counted, root):
    refresh_all(dt.date(2025, 9, 30))
    refresh_all(dt.date(2025, 8, 31))
    points = figures.trend(root, "1612")
    assert [p["date"] for p in points] == ["2025-08-31", "2025-09-30", "2025-10-10"]
    assert [p["protected"] for p in points][-1] == 7


def test_regions_outside_the_users_scope_are_not_found(counted, make_user):
    operator = make_user(Role.VILLAGE_OPERATOR, [V1])
    assert figures.figures(operator, V1, D)["protected"] == 3
    for code in (V2, "1612", "16", "ID", "99", "16.99", "x" * 20, "16\x0012", ""):
        with pytest.raises(Http404):
            figures.figures(operator, code, D)
    head_ = make_user(Role.REGIONAL_HEAD, ["1603"])
    with pytest.raises(Http404):
        figures.ranking(head_, "16", D)
    assert figures.ranking(head_, "1603", D)["regions"]


def test_a_dashboard_reads_a_fixed_number_of_queries_whatever_the_size(
    counted, root, django_assert_max_num_queries
):
    for code in ("16", "1612", V1[:6], V1, "ID"):
        with django_assert_max_num_queries(10):
            figures.figures(root, code, D)
    with django_assert_max_num_queries(6):
        figures.ranking(root, "16", D)
