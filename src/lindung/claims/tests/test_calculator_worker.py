"""`facts_for_worker` against real participants, invoices and payments: protection, arrears
with their months and amounts, membership start across a renewal, months paid, the wage."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.billing import invoicing
from lindung.claims.calculator import Child, compute, facts_for_worker

pytestmark = pytest.mark.django_db
D = dt.date
JUL = D(2025, 7, 1)


@pytest.fixture
def one(active):
    """One person in a Jul–Dec 2025 APBD program (Rp16,800 a month), declared wage 1,000,000."""
    program, workers = active(n1=1, n2=0, start=JUL, end=D(2025, 12, 31))
    return program, workers[0]


PAID_ON = D(2025, 7, 10)


def pay(admin, program, month, months=1, on=PAID_ON, ref=None):
    return invoicing.payment_record(
        actor=admin, funder_id=program.funders.first().pk, reference=ref or f"T{month}{months}",
        amount=16_800 * months, paid_on=on, first_month=month, months=months,
    )  # fmt: skip


def test_a_paid_up_participant_after_three_months_gets_the_whole_jkm(one, regency_admin):
    program, worker = one
    pay(regency_admin, program, JUL, months=6)
    facts = facts_for_worker(worker, "jkm", D(2025, 10, 2))
    assert facts.protection == "protected" and facts.membership_start == JUL
    assert facts.membership_months == 3 and facts.months_paid == 4 and facts.wage == 1_000_000
    assert compute(facts).payable == 42_000_000


def test_one_day_before_cover_nothing_on_the_first_day_the_funeral(one, regency_admin):
    program, worker = one
    pay(regency_admin, program, JUL, months=6)
    before = compute(facts_for_worker(worker, "jkm", D(2025, 6, 30)))
    assert before.payable == 0 and before.not_payable[0].code == "not-protected"
    assert "01-07-2025" in before.not_payable[0].reason
    first = compute(facts_for_worker(worker, "jkm", JUL))
    assert first.payable == 10_000_000


def test_unpaid_months_are_deducted_with_their_months_and_amounts(one, regency_admin):
    program, worker = one
    pay(regency_admin, program, JUL, months=1)
    # Invoiced August (so the line exists), nothing paid for Aug–Sep: two months owed.
    invoicing.invoice_issue(
        actor=regency_admin, funder_id=program.funders.first().pk, month=D(2025, 8, 1)
    )
    facts = facts_for_worker(worker, "jkm", D(2025, 10, 2))
    assert facts.protection == "protected_with_arrears"
    assert facts.arrears == (("2025-08", 16_800), ("2025-09", 16_800))
    result = compute(facts)
    assert {c.code: c.amount for c in result.components if c.amount < 0} == {
        "arrears-2025-08": -16_800,
        "arrears-2025-09": -16_800,
    }
    assert result.payable == 42_000_000 - 2 * 16_800


def test_four_unpaid_months_pay_nothing(one):
    _program, worker = one
    result = compute(facts_for_worker(worker, "jkm", D(2025, 10, 16)))
    assert result.payable == 0 and result.not_payable[0].code == "not-protected"
    assert "Art. 39, 42" in result.not_payable[0].citation


def test_membership_runs_on_across_a_renewal(one, make_program, regency_admin):
    from lindung.enrolment.services import participants_renew

    program, worker = one
    pay(regency_admin, program, JUL, months=6)
    nxt = make_program(start=D(2026, 1, 1), end=D(2026, 6, 30))
    participants_renew(actor=regency_admin, from_program=program, to_program=nxt)
    facts = facts_for_worker(worker, "jkm", D(2026, 1, 5))
    assert facts.membership_start == JUL and facts.membership_months == 6


def test_sudden_death_at_work_counts_months_paid_from_payments(one, regency_admin):
    program, worker = one
    pay(regency_admin, program, JUL, months=6)
    result = compute(facts_for_worker(worker, "jkk-death", D(2025, 12, 20), at_work=True))
    assert "jkk-death" in {n.code for n in result.not_payable}
    assert result.payable == 42_000_000  # a JKM death: only 6 months paid


def test_a_scholarship_child_must_be_the_workers_registered_child(
    active, make_worker, regency_admin
):  # fmt: skip
    _program, workers = active(n1=1, n2=0, start=D(2021, 1, 1), end=D(2025, 12, 31))
    worker = workers[0]
    from lindung.registry.models import Heir

    child = Heir.objects.create(worker=worker, name="Rina", relationship="child")
    stranger = make_worker(heirs=[{"name": "Lain", "relationship": "child"}]).heirs.get()
    facts = facts_for_worker(
        worker, "scholarship", D(2025, 3, 1), scholarship_cause="jkk-death",
        children=[Child("sd", heir_id=child.pk), Child("smp", heir_id=stranger.pk)],
    )  # fmt: skip
    assert facts.children[0].name == "Rina" and facts.children[0].registered_heir
    assert not facts.children[1].registered_heir


def test_unknown_details_are_a_programming_error(one):
    _program, worker = one
    with pytest.raises(TypeError):
        facts_for_worker(worker, "jkm", JUL, colour="red")
