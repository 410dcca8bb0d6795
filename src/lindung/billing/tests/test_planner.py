"""Budgets of the seed programs, worked by hand, and the planner's invariants."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.billing.planner import (
    months_between,
    parse_components,
    parse_funder,
    parse_month,
    plan,
)
from lindung.billing.rates import Payer, RuleSet
from lindung.billing.selectors import ruleset
from lindung.common.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_muara_enim_26775_workers_october_to_december_2025():
    r = plan(ruleset(), workers=26_775, months=3, start=dt.date(2025, 10, 1), payer=Payer("apbd"))
    assert r["total"] == 26_775 * 3 * 16_800 == 1_349_460_000
    assert r["per_worker_month"] == 16_800
    assert r["by_component"] == {"jkk": 803_250_000, "jkm": 546_210_000, "jht": 0}
    assert [m["month"] for m in r["by_month"]] == ["2025-10", "2025-11", "2025-12"]
    assert {m["total"] for m in r["by_month"]} == {449_820_000}
    assert [x["code"] for x in r["rules"]] == ["jkk-bpu-1000000", "jkm-bpu"]


def test_musi_banyuasin_45000_workers_for_a_year_from_july_2025_at_full_rate():
    # 16 Jul 2025 – 15 Jul 2026: 12 contribution months, Jul 2025 – Jun 2026. APBD-funded, so
    # the PP 50/2025 months (Apr–Jun 2026) do not apply.
    months = months_between(dt.date(2025, 7, 16), dt.date(2026, 7, 15))
    assert months == 12
    r = plan(
        ruleset(), workers=45_000, months=months, start=dt.date(2025, 7, 1), payer=Payer("apbd")
    )
    assert r["total"] == 45_000 * 12 * 16_800 == 9_072_000_000
    assert r["discount"] == 0


def test_sarolangun_27214_workers_from_the_revised_apbd():
    months = months_between(dt.date(2024, 11, 6), dt.date(2025, 11, 5))
    r = plan(
        ruleset(), workers=27_214, months=months, start=dt.date(2024, 11, 1),
        payer=Payer("apbd_perubahan"),
    )  # fmt: skip
    assert r["total"] == 27_214 * 12 * 16_800 == 5_486_342_400


def test_self_paid_plan_over_the_discount_months():
    # other sector, Mar–May 2026: 16,800 + 8,400 + 8,400
    r = plan(ruleset(), workers=10, months=3, start=dt.date(2026, 3, 1))
    assert [m["per_worker"] for m in r["by_month"]] == [16_800, 8_400, 8_400]
    assert r["total"] == 10 * 33_600
    assert r["discount"] == 10 * 16_800
    assert r["by_component"]["jkk"] == 10 * (10_000 + 5_000 + 5_000)


def test_a_budget_covers_whole_workers_only():
    r = plan(
        ruleset(),
        workers=1,
        months=3,
        start=dt.date(2025, 10, 1),
        payer=Payer("apbd"),
        budget=1_349_460_000,
    )
    assert r["workers_covered"] == 26_775
    r = plan(
        ruleset(),
        workers=1,
        months=3,
        start=dt.date(2025, 10, 1),
        payer=Payer("apbd"),
        budget=1_349_459_999,
    )
    assert r["workers_covered"] == 26_774


def test_coverage_periods_in_contribution_months():
    assert months_between(dt.date(2025, 10, 1), dt.date(2025, 12, 31)) == 3
    assert months_between(dt.date(2025, 10, 1), dt.date(2025, 12, 15)) == 3  # a part month is paid
    assert months_between(dt.date(2025, 10, 1), dt.date(2025, 10, 1)) == 1


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"workers": -1}, "out_of_range"),
        ({"months": 0}, "out_of_range"),
        ({"months": 10_000}, "out_of_range"),
        ({"workers": 10**30}, "out_of_range"),
        ({"wage": 0}, "out_of_range"),
        ({"wage": 1_100_000}, "no_jkk_step"),
        ({"budget": -5}, "out_of_range"),
        ({"sector": "space"}, "invalid_sector"),
    ],
)
def test_bad_inputs_are_refused_with_a_reason(kwargs, code):
    args = {"workers": 10, "months": 3, "start": dt.date(2025, 10, 1), **kwargs}
    with pytest.raises(ApplicationError) as exc:
        plan(ruleset(), **args)
    assert exc.value.code == code
    assert exc.value.message


def test_parsers_refuse_unknown_values():
    for parse, value in (
        (parse_month, "2025-13"),
        (parse_month, "10-2025"),
        (parse_components, "jkk,jkp"),
        (parse_components, ""),
        (parse_funder, "apbn-pusat"),
    ):
        with pytest.raises(ApplicationError):
            parse(value)
    assert parse_funder("apbd-provinsi") == "apbd_provinsi"
    assert parse_components("JHT, jkk") == ("jkk", "jht")


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker) -> RuleSet:
    with django_db_blocker.unblock():
        return ruleset()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    workers=st.integers(0, 10_000_000),
    months=st.integers(1, 36),
    start=st.integers(2024 * 12, 2028 * 12),
    components=st.sets(st.sampled_from(["jkk", "jkm", "jht"]), min_size=1),
    kind=st.sampled_from(["apbd", "apbdes", "csr", "mandiri"]),
    discounts=st.booleans(),
    sector=st.sampled_from(["transport", "other"]),
    budget=st.integers(0, 10**11),  # ≤ 12 million workers at the cheapest month
)
def test_totals_agree_and_the_budget_covers_the_most_workers_it_can(
    shipped, workers, months, start, components, kind, discounts, sector, budget
):
    r = plan(
        shipped,
        workers=workers,
        months=months,
        start=dt.date(start // 12, start % 12 + 1, 1),
        components=tuple(components),
        payer=Payer(kind, discounts),
        sector=sector,
        budget=budget,
    )
    assert r["total"] == sum(m["total"] for m in r["by_month"]) == sum(r["by_component"].values())
    assert r["per_worker_month"] == r["by_month"][0]["per_worker"]
    n = r["workers_covered"]
    cost = lambda k: plan(  # noqa: E731
        shipped, workers=k, months=months, start=dt.date(start // 12, start % 12 + 1, 1),
        components=tuple(components), payer=Payer(kind, discounts), sector=sector,
    )["total"]  # fmt: skip
    assert cost(n) <= budget < cost(n + 1)
