"""The benefit calculator on typed-in facts (the what-if calculator): every component with the
amount the regulation sets, and the edges of issue 10's acceptance list."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.claims.calculator import (
    Child,
    Facts,
    compute,
    load_rulebook,
    what_if_facts,
)
from lindung.common.errors import ApplicationError

pytestmark = pytest.mark.django_db
D = dt.date
START = D(2025, 7, 1)
EVENT = D(2025, 10, 10)
PAID = D(2025, 12, 1)


def what_if(kind="jkm", event=EVENT, start=START, paid=PAID, **kw):
    kw.setdefault("claim_date", event)
    heirs = kw.pop("heirs", None)
    facts = what_if_facts(kind, event_date=event, coverage_start=start, paid_through=paid, **kw)
    return compute(facts, heirs=heirs)


def amounts(result) -> dict[str, int]:
    return {c.code: c.amount for c in result.components}


def refused(result) -> set[str]:
    return {n.code for n in result.not_payable}


# --- JKM --------------------------------------------------------------------------------------


def test_jkm_pays_lump_sum_periodic_and_funeral_42_million():
    result = what_if("jkm")
    assert amounts(result) == {
        "jkm-lump-sum": 20_000_000,
        "jkm-periodic": 12_000_000,
        "jkm-funeral": 10_000_000,
    }
    assert result.payable == 42_000_000 and result.not_payable == []
    for c in result.components:
        assert c.rule == c.code and "PP 82/2019 Pasal 34" in c.citation


def test_death_one_day_before_cover_starts_pays_nothing():
    result = what_if("jkm", event=D(2025, 6, 30))
    assert result.payable == 0 and result.components == []
    assert refused(result) == {"not-protected"}
    assert "01-07-2025" in result.not_payable[0].reason


def test_death_on_the_first_day_of_cover_pays_the_funeral_only():
    result = what_if("jkm", event=START)
    assert amounts(result) == {"jkm-funeral": 10_000_000}
    assert refused(result) == {"jkm-lump-sum", "jkm-periodic"}
    assert all("Permenaker 1/2025 Pasal 97A" in n.citation for n in result.not_payable)


def test_death_after_two_months_pays_the_funeral_only_after_three_everything():
    two = what_if("jkm", event=D(2025, 9, 1))
    assert amounts(two) == {"jkm-funeral": 10_000_000}
    three = what_if("jkm", event=D(2025, 10, 1))
    assert three.payable == 42_000_000


def test_the_new_member_rule_applies_only_to_deaths_from_24_february_2025():
    before = what_if("jkm", start=D(2025, 2, 1), event=D(2025, 2, 23), paid=D(2025, 12, 1))
    assert before.payable == 42_000_000
    after = what_if("jkm", start=D(2025, 2, 1), event=D(2025, 2, 24), paid=D(2025, 12, 1))
    assert after.payable == 10_000_000


@pytest.mark.parametrize(
    ("event", "months"),
    [(D(2025, 10, 16), ["2025-10"]), (D(2025, 12, 16), ["2025-10", "2025-11", "2025-12"])],
)
def test_one_or_three_unpaid_months_are_deducted_and_named(event, months):
    result = what_if("jkm", event=event, paid=D(2025, 9, 1))
    deducted = {c.code: c.amount for c in result.components if c.code.startswith("arrears-")}
    assert deducted == {f"arrears-{m}": -16_800 for m in months}
    assert result.payable == 42_000_000 - 16_800 * len(months)
    assert all("Art. 39, 42" in c.citation for c in result.components if c.amount < 0)


def test_the_jkm_funeral_is_paid_whatever_the_arrears():
    # A new member (one month) with July unpaid: the funeral only, nothing deducted from it.
    result = what_if("jkm", event=D(2025, 8, 20), paid=None)
    assert amounts(result) == {"jkm-funeral": 10_000_000}


def test_four_unpaid_months_pay_nothing():
    result = what_if("jkm", event=D(2026, 1, 16), paid=D(2025, 9, 1))
    assert result.payable == 0 and result.components == []
    (refusal,) = result.not_payable
    assert refusal.code == "not-protected" and "4" in refusal.reason
    assert "Art. 39, 42" in refusal.citation


def test_arrears_priced_at_a_given_contribution():
    result = what_if("jkm", event=D(2025, 10, 16), paid=D(2025, 9, 1), monthly_contribution=8_400)
    assert amounts(result)["arrears-2025-10"] == -8_400


# --- JKK death --------------------------------------------------------------------------------


def test_jkk_death_at_wage_one_million_is_70_million():
    result = what_if("jkk-death", wage=1_000_000)
    assert amounts(result) == {
        "jkk-death": 48_000_000,
        "jkk-funeral": 10_000_000,
        "jkk-periodic": 12_000_000,
    }
    assert result.payable == 70_000_000


def test_jkk_death_is_never_less_than_the_jkm_lump_sum():
    result = what_if("jkk-death", wage=300_000)  # 48 × 300,000 = 14,400,000 < 20,000,000
    death = next(c for c in result.components if c.code == "jkk-death")
    assert death.amount == 20_000_000 and death.rule == "jkm-lump-sum"
    assert "60% × 80 × upah" in death.citation
    assert result.payable == 42_000_000


def test_sudden_death_at_work_with_11_months_paid_is_a_jkm_death():
    start = D(2024, 10, 1)
    result = what_if("jkk-death", start=start, event=D(2025, 9, 10), paid=D(2025, 8, 1),
                     at_work=True)  # fmt: skip
    assert "jkk-death" in refused(result)
    assert "11" in next(n for n in result.not_payable if n.code == "jkk-death").reason
    assert amounts(result) == {
        "jkm-lump-sum": 20_000_000,
        "jkm-periodic": 12_000_000,
        "jkm-funeral": 10_000_000,
    }


def test_sudden_death_at_work_with_12_months_paid_is_a_jkk_death():
    start = D(2024, 9, 1)
    result = what_if("jkk-death", start=start, event=D(2025, 9, 10), paid=D(2025, 8, 1),
                     at_work=True)  # fmt: skip
    assert refused(result) == set()
    assert result.payable == 70_000_000


def test_a_jkk_claim_lapses_5_years_and_a_day_after_the_accident():
    event = D(2025, 9, 10)
    on_time = what_if("jkk-death", event=event, claim_date=D(2030, 9, 10))
    assert on_time.payable == 70_000_000
    late = what_if("jkk-death", event=event, claim_date=D(2030, 9, 11))
    assert late.payable == 0 and refused(late) == {"jkk-lapsed"}
    assert "PP 82/2019 Pasal 26" in late.not_payable[0].citation


# --- JKK disability, STMB, care -------------------------------------------------------------


def test_total_permanent_disability_is_56_times_the_wage():
    result = what_if("jkk-disability", wage=1_500_000, total_disability=True)
    assert amounts(result) == {"jkk-disability-total": 84_000_000}


def test_partial_disability_is_percent_times_80_times_wage():
    result = what_if("jkk-disability", wage=1_000_000, disability_percent=10)
    assert amounts(result) == {"jkk-disability-partial": 8_000_000}


def test_partial_disability_together_is_capped_at_70_percent():
    result = what_if("jkk-disability", wage=1_000_000, disability_percent=90)
    assert amounts(result) == {"jkk-disability-partial": 56_000_000}
    assert "jkk-disability-over-cap" in refused(result)


def test_stmb_pays_100_percent_for_12_months_then_50_percent():
    result = what_if("jkk-stmb", wage=2_000_000, months_off=15)
    assert amounts(result) == {"jkk-stmb-full": 24_000_000, "jkk-stmb-after": 3_000_000}
    short = what_if("jkk-stmb", wage=2_000_000, months_off=2)
    assert amounts(short) == {"jkk-stmb-full": 4_000_000}


def test_medical_care_has_no_ceiling_home_care_and_transport_do():
    result = what_if(
        "jkk-medical", medical_cost=350_000_000, home_care_cost=25_000_000,
        home_care_months=14, transport_land=6_000_000, transport_sea=1_000_000,
        transport_air=12_000_000,
    )  # fmt: skip
    assert amounts(result) == {
        "jkk-medical": 350_000_000,
        "jkk-home-care": 20_000_000,
        "jkk-transport-land": 5_000_000,
        "jkk-transport-sea": 1_000_000,
        "jkk-transport-air": 10_000_000,
    }
    assert refused(result) == {
        "jkk-home-care-over-cap",
        "jkk-home-care-months",
        "jkk-transport-land-over-cap",
        "jkk-transport-air-over-cap",
    }


def test_medical_care_is_given_whatever_the_arrears():
    result = what_if("jkk-medical", event=D(2025, 10, 16), paid=D(2025, 9, 1),
                     medical_cost=5_000_000)  # fmt: skip
    assert result.payable == 5_000_000


# --- scholarship ------------------------------------------------------------------------------

LONG = D(2021, 1, 1)  # more than 3 years of contributions before a 2025 death


@pytest.mark.parametrize(
    ("level", "per_year"),
    [("tk", 1_500_000), ("sd", 1_500_000), ("smp", 2_000_000), ("sma", 3_000_000),
     ("pt", 12_000_000)],
)  # fmt: skip
def test_scholarship_per_level_per_year(level, per_year):
    result = what_if("scholarship", start=LONG, levels=level)
    assert amounts(result) == {f"scholarship-child-1-{level}": per_year}


def test_a_third_child_is_refused():
    result = what_if("scholarship", start=LONG, children=3, levels="sd,smp,sma")
    assert amounts(result) == {
        "scholarship-child-1-sd": 1_500_000,
        "scholarship-child-2-smp": 2_000_000,
    }
    assert refused(result) == {"scholarship-child-3"}
    assert "2" in result.not_payable[0].reason


def test_scholarship_back_pay_is_capped_at_3_school_years():
    result = what_if("scholarship", start=LONG, levels="sd", years=[5])
    assert amounts(result) == {"scholarship-child-1-sd": 4_500_000}
    assert refused(result) == {"scholarship-child-1-years"}


def test_scholarship_never_pays_more_years_than_the_level_has():
    result = what_if("scholarship", start=LONG, levels="tk", years=[3])
    assert amounts(result) == {"scholarship-child-1-tk": 3_000_000}


def test_scholarship_after_a_jkm_death_needs_3_years_of_contributions():
    short = what_if("scholarship", start=D(2023, 1, 1), event=D(2025, 10, 10), levels="sd")
    assert short.payable == 0 and refused(short) == {"scholarship"}
    jkk = what_if("scholarship", start=D(2025, 1, 1), levels="sd", scholarship_cause="jkk-death")
    assert jkk.payable == 1_500_000
    disabled = what_if("scholarship", start=D(2025, 1, 1), levels="sd",
                       scholarship_cause="jkk-disability")  # fmt: skip
    assert disabled.payable == 1_500_000


def test_scholarship_child_must_be_a_registered_heir_before_the_death_and_under_23():
    base = what_if_facts("scholarship", event_date=D(2025, 10, 10), coverage_start=LONG,
                         paid_through=D(2025, 12, 1), claim_date=D(2025, 10, 20))  # fmt: skip
    from dataclasses import replace

    kids = (
        Child("sd", name="Late", registered_on=D(2025, 10, 11)),
        Child("smp", name="Unregistered", registered_heir=False),
        Child("pt", name="Old", birth_date=D(2002, 10, 1)),
        Child("sma", name="Ok", registered_on=D(2020, 1, 1), birth_date=D(2009, 1, 1)),
    )
    result = compute(replace(base, children=kids))
    assert amounts(result) == {"scholarship-child-4-sma": 3_000_000}
    assert refused(result) == {"scholarship-child-1", "scholarship-child-2", "scholarship-child-3"}


# --- heirs, dated rules, bad input ------------------------------------------------------------


def test_no_heirs_at_all_funeral_to_the_burial_organiser_rest_to_djs():
    result = what_if("jkm", heirs=[])
    assert result.as_dict()["heirs"] == [
        {"class": 6, "name": "", "relationship": "burial_organiser", "receives": "funeral",
         "amount": 10_000_000},
        {"class": 6, "name": "Dana Jaminan Sosial", "relationship": "dana_jaminan_sosial",
         "receives": "rest", "amount": 32_000_000},
    ]  # fmt: skip


def test_the_json_has_exactly_the_documented_keys():
    d = what_if("jkm", heirs=[{"name": "Siti", "relationship": "spouse"}]).as_dict()
    assert set(d) == {"type", "event_date", "payable", "components", "not_payable", "heirs"}
    assert d["type"] == "jkm" and d["event_date"] == "2025-10-10"
    assert set(d["components"][0]) == {"code", "amount", "rule", "citation"}
    assert d["heirs"][0]["class"] == 1 and d["heirs"][0]["name"] == "Siti"


def test_a_later_rule_changes_later_events_only():
    from lindung.claims.rulebook import BenefitRule

    old = BenefitRule.objects.get(code="jkm-lump-sum")
    old.valid_to = D(2029, 12, 31)
    old.save()
    BenefitRule.objects.create(code="jkm-lump-sum", unit="rupiah", value=30_000_000,
                               valid_from=D(2030, 1, 1), citation="PP (uji) 1/2030")  # fmt: skip
    before = what_if("jkm", start=D(2029, 1, 1), event=D(2029, 12, 31), paid=D(2030, 12, 1))
    after = what_if("jkm", start=D(2029, 1, 1), event=D(2030, 1, 1), paid=D(2030, 12, 1))
    assert amounts(before)["jkm-lump-sum"] == 20_000_000
    lump = next(c for c in after.components if c.code == "jkm-lump-sum")
    assert lump.amount == 30_000_000 and lump.citation == "PP (uji) 1/2030"


@pytest.mark.parametrize(
    "bad",
    [
        {"wage": -1},
        {"wage": 10**30},
        {"levels": "sd,kuliah"},
        {"children": 3, "levels": "sd"},
        {"disability_percent": 101},
        {"months_off": 10**9},
        {"scholarship_cause": "jkm\x00"},
    ],
)
def test_bad_figures_are_refused_with_a_reason(bad):
    with pytest.raises(ApplicationError) as exc:
        what_if("scholarship", **bad)
    assert exc.value.message and exc.value.fields


def test_an_unknown_type_is_refused():
    with pytest.raises(ApplicationError):
        what_if_facts("pension", event_date=D(2025, 1, 1), coverage_start=D(2025, 1, 1))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["jkm", "jkk-death", "jkk-disability", "jkk-stmb", "jkk-medical",
                          "scholarship"]),
    wage=st.integers(0, 50_000_000),
    start_offset=st.integers(-40, 2_000),
    paid_months=st.integers(-1, 60),
    percent=st.integers(0, 100),
    months_off=st.integers(0, 40),
    levels=st.lists(st.sampled_from(["tk", "sd", "smp", "sma", "pt"]), max_size=4),
    cost=st.integers(0, 10**9),
    at_work=st.booleans(),
)  # fmt: skip
def test_payable_is_the_sum_of_components_and_never_negative(
    kind, wage, start_offset, paid_months, percent, months_off, levels, cost, at_work
):
    event = D(2025, 11, 20)
    start = event - dt.timedelta(days=start_offset)
    first = start.year * 12 + start.month - 1 + paid_months
    paid = None if paid_months < 0 else D(first // 12, first % 12 + 1, 1)
    facts = what_if_facts(
        kind, event_date=event, coverage_start=start, paid_through=paid, wage=wage,
        levels=levels, disability_percent=percent, months_off=months_off, medical_cost=cost,
        transport_air=cost, at_work=at_work, claim_date=event, monthly_contribution=16_800,
        book=BOOK,
    )  # fmt: skip
    result = compute(facts, heirs=[], book=BOOK)
    assert result.payable == sum(c.amount for c in result.components) >= 0
    assert all(isinstance(c.amount, int) for c in result.components)
    assert all(c.citation and c.rule in {r.code for r in BOOK.rules} for c in result.components)
    assert all(n.reason and n.citation for n in result.not_payable)


BOOK = None


@pytest.fixture(autouse=True)
def _book(db):
    global BOOK
    BOOK = load_rulebook()


def test_facts_are_plain_data():
    f = Facts("jkm", D(2025, 3, 1), D(2025, 3, 1))
    assert f.arrears_months == [] and compute(f).payable == 10_000_000  # new member: funeral
