"""The one answer to "was P protected on D?": period edges, 1/3/4 unpaid months, advance
payment, termination, renewal, and the set-based variant agreeing with the single one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.billing import invoicing
from lindung.billing.models import InvoiceLine, Payment, PaymentAllocation
from lindung.billing.protection import (
    NOT_PROTECTED,
    PROTECTED,
    WITH_ARREARS,
    protection_all,
    protection_on,
)
from lindung.enrolment.models import Participant

pytestmark = pytest.mark.django_db
D = dt.date
JUL = D(2025, 7, 1)


@pytest.fixture
def one(active):
    """One person in a Jul–Dec 2025 APBD program (Rp16,800 a month)."""
    program, workers = active(n1=1, n2=0, start=JUL, end=D(2025, 12, 31))
    return program, workers[0]


PAID_ON = D(2025, 7, 10)


def pay(admin, program, amount, month, months=1, on=PAID_ON, ref=None):
    return invoicing.payment_record(
        actor=admin, funder_id=program.funders.first().pk, reference=ref or f"T{month}{months}",
        amount=amount, paid_on=on, first_month=month, months=months,
    )  # fmt: skip


def test_not_protected_before_the_period_and_protected_from_its_first_day(one):
    _program, worker = one
    before = protection_on(worker.pk, D(2025, 6, 30))
    assert before.status == NOT_PROTECTED and "01-07-2025" in before.reason
    first = protection_on(worker.pk, JUL)
    # July's contribution is due on the 15th: nothing is in arrears on the 1st.
    assert first.status == PROTECTED and first.arrears_months == []
    assert first.kpj and first.program == _program.code


def test_one_unpaid_month_is_protected_with_arrears_naming_the_month_and_amount(one):
    _program, worker = one
    a = protection_on(worker.pk, D(2025, 7, 16))
    assert a.status == WITH_ARREARS and a.arrears_months == ["2025-07"]
    assert a.arrears_amount == 16_800 and "Art. 39" in a.citation


def test_three_unpaid_months_are_still_protected_four_are_not(one):
    _program, worker = one
    three = protection_on(worker.pk, D(2025, 9, 16))
    assert three.status == WITH_ARREARS
    assert three.arrears_months == ["2025-07", "2025-08", "2025-09"]
    assert three.arrears_amount == 3 * 16_800
    # October's due date is Wednesday the 15th: on the 15th itself it is not yet late.
    assert protection_on(worker.pk, D(2025, 10, 15)).status == WITH_ARREARS
    four = protection_on(worker.pk, D(2025, 10, 16))
    assert four.status == NOT_PROTECTED and four.run == 4 and "Art. 39, 42" in four.citation


def test_paid_months_break_the_run_and_late_payment_counts_from_its_date(one, regency_admin):
    program, worker = one
    pay(regency_admin, program, 16_800, D(2025, 8, 1), on=D(2025, 8, 10))
    # Jul unpaid, Aug paid, Sep + Oct unpaid: runs of 1 and 2 → protected with 3 months' arrears.
    a = protection_on(worker.pk, D(2025, 10, 16))
    assert a.status == WITH_ARREARS and a.arrears_months == ["2025-07", "2025-09", "2025-10"]
    # A payment made after D does not count on D.
    pay(regency_admin, program, 16_800, JUL, on=D(2025, 10, 20), ref="LATE")
    assert protection_on(worker.pk, D(2025, 10, 16)).arrears_months[0] == "2025-07"
    assert protection_on(worker.pk, D(2025, 10, 21)).arrears_months == ["2025-09", "2025-10"]


def test_paid_in_advance_for_six_months_protects_to_the_end_of_the_period(one, regency_admin):
    program, worker = one
    pay(regency_admin, program, 6 * 16_800, JUL, months=6)
    assert protection_on(worker.pk, D(2025, 12, 31)).status == PROTECTED
    after = protection_on(worker.pk, D(2026, 1, 1))
    assert after.status == NOT_PROTECTED and "31-12-2025" in after.reason


def test_a_partly_paid_month_is_still_unpaid(one, regency_admin):
    program, worker = one
    pay(regency_admin, program, 16_000, JUL)
    a = protection_on(worker.pk, D(2025, 7, 20))
    assert a.arrears_months == ["2025-07"] and a.arrears_amount == 800


def test_an_ended_participation_protects_nobody_after_its_end_and_says_why(one, regency_admin):
    from lindung.enrolment.services import participant_end

    program, worker = one
    pay(regency_admin, program, 6 * 16_800, JUL, months=6)
    p = Participant.objects.get(worker=worker)
    participant_end(actor=regency_admin, participant=p, on=D(2025, 8, 20), reason="moved_away")
    assert protection_on(worker.pk, D(2025, 8, 20)).status == PROTECTED
    after = protection_on(worker.pk, D(2025, 8, 21))
    assert after.status == NOT_PROTECTED and "20-08-2025" in after.reason


def test_renewal_carries_protection_into_the_next_program(one, make_program, regency_admin):
    from lindung.enrolment.services import participants_renew

    program, worker = one
    pay(regency_admin, program, 6 * 16_800, JUL, months=6)
    nxt = make_program(start=D(2026, 1, 1), end=D(2026, 3, 31))
    participants_renew(actor=regency_admin, from_program=program, to_program=nxt)
    on = protection_on(worker.pk, D(2026, 1, 5))
    assert on.status == PROTECTED and on.program == nxt.code
    # January unpaid past its due date: in arrears under the new program only.
    late = protection_on(worker.pk, D(2026, 1, 20))
    assert late.status == WITH_ARREARS and late.arrears_months == ["2026-01"]


def test_a_person_without_kpj_is_not_yet_protected(make_program, make_worker, ready_list,
                                                    regency_admin):  # fmt: skip
    from lindung.enrolment.services import participants_enrol

    program = make_program(start=JUL, end=D(2025, 12, 31))
    worker = make_worker()
    ready_list(program, [worker])
    participants_enrol(actor=regency_admin, program=program)
    a = protection_on(worker.pk, D(2025, 8, 1))
    assert a.status == NOT_PROTECTED and "KPJ" in a.reason
    assert worker.pk not in protection_all(D(2025, 8, 1))


@pytest.fixture
def six(active, regency_admin):
    program, _workers = active(n1=4, n2=2, start=JUL, end=D(2025, 12, 31))
    for m in range(7, 13):
        invoicing.invoice_issue(
            actor=regency_admin, funder_id=program.funders.first().pk, month=D(2025, m, 1)
        )
    participants = list(Participant.objects.filter(program=program).order_by("id"))
    lines = {(line.participant_id, line.month_index): line for line in InvoiceLine.objects.all()}
    return program, participants, lines


person = st.tuples(
    # "split": paid in two parts, the second (one rupiah) by a payment with another date,
    # which may be earlier than the first: a line is paid on the day its parts add up.
    st.lists(st.sampled_from(["none", "full", "part", "split"]), min_size=6, max_size=6),
    st.integers(0, 200),  # days after 1 Jul 2025 the payments were made
    st.integers(-1, 190),  # ended this many days after 1 Jul 2025 (-1: not ended)
    st.integers(0, 200),  # days after 1 Jul 2025 the second payment was made
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(person, min_size=6, max_size=6), day=st.integers(-10, 200))
def test_the_set_based_answer_agrees_with_the_single_one_on_random_data(six, people, day):
    program, participants, lines = six
    on = JUL + dt.timedelta(days=day)
    sid = transaction.savepoint()
    try:
        funder = program.funders.first()
        for i, (p, (months, paid_after, ended_after, second_after)) in enumerate(
            zip(participants, people, strict=True)
        ):
            if ended_after >= 0:
                Participant.objects.filter(pk=p.pk).update(
                    end_date=JUL + dt.timedelta(days=ended_after)
                )
            payment = Payment.objects.create(
                program=program, funder=funder, region_id=program.owner_region_id,
                reference=f"H{i}", amount=10**6, paid_on=JUL + dt.timedelta(days=paid_after),
                first_month=JUL, recorded_at=dt.datetime(2025, 7, 1, tzinfo=dt.UTC),
            )  # fmt: skip
            second = Payment.objects.create(
                program=program, funder=funder, region_id=program.owner_region_id,
                reference=f"S{i}", amount=10**6, paid_on=JUL + dt.timedelta(days=second_after),
                first_month=JUL, recorded_at=dt.datetime(2025, 7, 1, tzinfo=dt.UTC),
            )  # fmt: skip
            for k, kind in enumerate(months):
                line = lines[(p.pk, invoicing.month_index(D(2025, 7 + k, 1)))]
                if kind != "none":
                    amount = line.amount if kind == "full" else line.amount - 1
                    PaymentAllocation.objects.create(payment=payment, line=line, amount=amount)
                if kind == "split":
                    PaymentAllocation.objects.create(payment=second, line=line, amount=1)
        invoicing.settle_lines()  # what payment_record does after writing allocations
        everyone = protection_all(on)
        for p in participants:
            single = protection_on(p.worker_id, on)
            many = everyone.get(p.worker_id)
            if many is None:
                assert single.status == NOT_PROTECTED and single.arrears_months == []
            else:
                assert (many["status"], many["unpaid"], many["run"]) == (
                    single.status,
                    len(single.arrears_months),
                    single.run,
                )
                assert protection_all(on, [p.worker_id]) == {p.worker_id: many}
    finally:
        transaction.savepoint_rollback(sid)
