"""Hand-computed contributions from the shipped rule rows (issue 9 acceptance)."""

import datetime as dt

import pytest

from lindung.billing.rates import SELF_PAID, Payer, contribution, due_date, jht_amount
from lindung.billing.selectors import ruleset
from lindung.common.errors import ApplicationError

pytestmark = pytest.mark.django_db

JKK_JKM = ("jkk", "jkm")


def pay(month, *, payer=SELF_PAID, sector="other", income=1_000_000, components=JKK_JKM):
    return contribution(
        ruleset(), month=month, income=income, components=components, payer=payer, sector=sector
    )


def test_cheapest_package_is_16800_and_36800_with_jht():
    c = pay(dt.date(2025, 10, 1), payer=Payer("apbd"))
    assert (c.jkk, c.jkm, c.jht, c.discount, c.total) == (10_000, 6_800, 0, 0, 16_800)
    assert [code for code, _ in c.rules] == ["jkk-bpu-1000000", "jkm-bpu"]
    assert all(citation for _, citation in c.rules)
    assert pay(dt.date(2025, 10, 1), components=("jkk", "jkm", "jht")).total == 36_800


def test_apbd_in_may_2026_still_pays_full_rate():
    for kind in ("apbd", "apbd_perubahan", "apbd_provinsi"):
        # even if someone switched the funder's setting on: PP 50/2025 Art. 3(5) excludes APBD
        c = pay(dt.date(2026, 5, 1), payer=Payer(kind, discounts_apply=True))
        assert (c.total, c.discount) == (16_800, 0)


def test_self_paid_transport_worker_in_february_2026_pays_half():
    c = pay(dt.date(2026, 2, 1), sector="transport")
    assert (c.jkk, c.jkm, c.discount, c.total) == (5_000, 3_400, 8_400, 8_400)
    assert "pp50-2025-transport" in dict(c.rules)
    assert "PP 50/2025" in dict(c.rules)["pp50-2025-transport"]


def test_other_sector_self_paid_full_in_february_half_from_april_2026():
    assert pay(dt.date(2026, 2, 1)).total == 16_800
    assert pay(dt.date(2026, 3, 1)).total == 16_800
    assert pay(dt.date(2026, 4, 1)).total == 8_400
    assert pay(dt.date(2026, 12, 1)).total == 8_400
    assert pay(dt.date(2027, 1, 1)).total == 16_800


def test_transport_discount_ends_after_march_2027():
    assert pay(dt.date(2025, 12, 1), sector="transport").total == 16_800
    assert pay(dt.date(2027, 3, 1), sector="transport").total == 8_400
    assert pay(dt.date(2027, 4, 1), sector="transport").total == 16_800


def test_village_funds_and_csr_follow_their_setting_default_off():
    april = dt.date(2026, 4, 1)
    for kind in ("apbdes", "csr"):
        assert pay(april, payer=Payer(kind)).total == 16_800
        assert pay(april, payer=Payer(kind, discounts_apply=True)).total == 8_400


def test_the_discount_never_touches_jht():
    c = pay(dt.date(2026, 4, 1), components=("jkk", "jkm", "jht"))
    assert (c.jkk, c.jkm, c.jht, c.total) == (5_000, 3_400, 20_000, 28_400)


def test_jkk_step_edge_at_above_and_below():
    month = dt.date(2025, 10, 1)
    assert pay(month, components=("jkk",)).jkk == 10_000
    for income in (1_000_001, 999_999, 1_200_000):
        with pytest.raises(ApplicationError) as exc:
            pay(month, income=income, components=("jkk",))
        assert exc.value.code == "no_jkk_step"
        assert "Rp1.000.000" in exc.value.message  # the steps on file are named


def test_jkm_and_jht_need_no_jkk_step():
    c = pay(dt.date(2025, 10, 1), income=1_234_567, components=("jkm", "jht"))
    assert (c.jkm, c.jht) == (6_800, 24_691)  # 24,691.34 → 24,691


def test_jht_rounds_half_up_to_a_whole_rupiah():
    assert jht_amount(1_000_000, 200) == 20_000
    assert jht_amount(1_000_025, 200) == 20_001  # 20,000.50 → up
    assert jht_amount(1_000_024, 200) == 20_000  # 20,000.48 → down
    assert jht_amount(1_000_049, 200) == 20_001  # 20,000.98
    assert isinstance(jht_amount(1_000_025, 200), int)


def test_no_rule_before_the_regulations_came_into_force():
    with pytest.raises(ApplicationError) as exc:
        pay(dt.date(2015, 6, 1))
    assert exc.value.code == "no_rule"


def test_due_date_is_the_15th_of_the_month_itself():
    assert due_date(dt.date(2026, 1, 1)) == dt.date(2026, 1, 15)  # a Thursday
    assert due_date(dt.date(2026, 4, 20)) == dt.date(2026, 4, 15)


def test_due_date_on_a_weekend_and_holidays_moves_to_the_next_working_day():
    # 15 Feb 2026 is a Sunday, 16 Feb cuti bersama and 17 Feb Imlek: due Wednesday 18 Feb.
    assert due_date(dt.date(2026, 2, 1)) == dt.date(2026, 2, 18)
    # 15 Mar 2027 is a Monday and a cuti bersama day of Idulfitri 1448 H.
    assert due_date(dt.date(2027, 3, 1)) == dt.date(2027, 3, 16)


def test_due_date_without_an_official_calendar_skips_weekends_and_says_so():
    from lindung.billing.rates import due_date_info

    day, source, known = due_date_info(dt.date(2030, 6, 1))  # 15 June 2030 is a Saturday
    assert day == dt.date(2030, 6, 17) and known is False and "2030" in source


def test_due_date_in_2025_uses_billings_own_calendar_of_the_skb():
    from lindung.billing.rates import due_date_info

    # 15 Nov 2025 is a Saturday: Monday the 17th.
    day, source, known = due_date_info(dt.date(2025, 11, 1))
    assert day == dt.date(2025, 11, 17) and known and "Tahun 2025" in source
    # 15 Jun 2025 is a Sunday: Monday the 16th (9 June was cuti bersama, not the 16th).
    assert due_date_info(dt.date(2025, 6, 1))[0] == dt.date(2025, 6, 16)


def test_a_2025_holiday_moves_the_due_date(monkeypatch):
    from lindung.billing import holidays
    from lindung.billing.rates import due_date

    # The calendar is data: a holiday on the 15th (a Wednesday) moves the date to the 16th.
    monkeypatch.setitem(holidays.HOLIDAYS_2025, dt.date(2025, 10, 15), "test holiday")
    assert due_date(dt.date(2025, 10, 1)) == dt.date(2025, 10, 16)


def test_the_rate_table_for_a_set_based_run_agrees_with_the_function():
    from lindung.billing.rates import rate_rows

    months = [dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
    payers = [Payer("apbd"), Payer("apbdes"), Payer("apbdes", True), SELF_PAID]
    rows, refused = rate_rows(
        ruleset(),
        months=months,
        incomes=[1_000_000, 1_500_000],
        payers=payers,
        components_sets=[("jkk", "jkm"), ("jkm", "jkk", "jht")],
    )
    assert len(rows) == 3 * 1 * 2 * 4 * 2  # months × incomes with a step × sets × payers × sectors
    assert {(r["month"], r["income"], r["components"], r["code"]) for r in refused} == {
        (m, 1_500_000, key, "no_jkk_step") for m in months for key in ("jkk,jkm", "jkk,jkm,jht")
    }
    for r in rows:
        c = pay(r["month"], payer=Payer(r["payer_kind"], r["discounts_apply"]), sector=r["sector"],
                income=r["income"], components=r["components"].split(","))  # fmt: skip
        assert (r["jkk"], r["jkm"], r["jht"], r["discount"], r["total"]) == (
            c.jkk, c.jkm, c.jht, c.discount, c.total,
        )  # fmt: skip
    transport_january = next(
        r for r in rows
        if (r["month"], r["payer_kind"], r["sector"], r["components"])
        == (dt.date(2026, 1, 1), "mandiri", "transport", "jkk,jkm")
    )  # fmt: skip
    assert transport_january["total"] == 8_400
