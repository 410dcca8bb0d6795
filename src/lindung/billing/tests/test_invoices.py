"""Invoices and payments: hand-computed totals, idempotence, rule changes, abuse cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.billing import invoicing
from lindung.billing.models import Invoice, InvoiceLine, Payment, PaymentAllocation
from lindung.billing.selectors import arrears_by_participant, invoice_totals
from lindung.common.errors import ApplicationError
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2

pytestmark = pytest.mark.django_db
OCT = dt.date(2025, 10, 1)


def issue(admin, program, month=OCT):
    return invoicing.invoice_issue(actor=admin, funder_id=program.funders.first().pk, month=month)


def test_an_invoice_bills_every_covered_person_the_flat_month_with_totals_by_village(
    active, regency_admin
):
    program, _ = active(n1=2, n2=1)
    inv = issue(regency_admin, program)
    # 3 people × (JKK Rp10,000 + JKM Rp6,800): APBD never gets PP 50/2025's discount.
    assert (inv.participants, inv.jkk, inv.jkm, inv.jht, inv.total) == (
        3,
        30_000,
        20_400,
        0,
        50_400,
    )
    assert inv.due_date == dt.date(2025, 10, 15) and inv.holidays_known
    totals = invoice_totals(inv)
    assert [(v["village"], v["participants"], v["total"]) for v in totals["villages"]] == [
        (PALI_VILLAGE, 2, 33_600),
        (PALI_VILLAGE_2, 1, 16_800),
    ]
    assert {r["code"] for r in inv.rules} and all(r["citation"] for r in inv.rules)
    assert AuditEvent.objects.get(action="billing.invoice_issue").row_count == 3


def test_no_proration_a_person_who_starts_mid_month_pays_the_whole_month(active, regency_admin):
    from lindung.enrolment.models import Participant

    program, _ = active(n1=2, n2=0)
    p = Participant.objects.filter(program=program).first()
    p.start_date = dt.date(2025, 10, 28)
    p.save(update_fields=["start_date"])
    inv = issue(regency_admin, program)
    assert InvoiceLine.objects.get(invoice=inv, participant=p).amount == 16_800
    # Ended before it started: never covered, never billed.
    p.end_date = dt.date(2025, 10, 27)
    p.save(update_fields=["end_date"])
    inv2 = issue(regency_admin, program, dt.date(2025, 11, 1))
    assert inv2.participants == 1


def test_issuing_the_same_funder_month_twice_is_refused_as_a_conflict(active, regency_admin):
    program, _ = active()
    first = issue(regency_admin, program)
    with pytest.raises(ApplicationError) as exc:
        issue(regency_admin, program)
    assert exc.value.status == 409 and exc.value.extra["invoice"] == first.pk
    assert Invoice.objects.count() == 1


def test_a_month_outside_the_program_period_is_refused(active, regency_admin):
    program, _ = active()
    with pytest.raises(ApplicationError) as exc:
        issue(regency_admin, program, dt.date(2026, 1, 1))
    assert exc.value.code == "outside_period"


def test_a_rate_added_later_leaves_the_issued_invoice_untouched(active, regency_admin):
    from lindung.billing.services import rates_load

    program, _ = active(n1=1, n2=0)
    oct_inv = issue(regency_admin, program)
    rates_load(
        actor=regency_admin,
        rows=[{"code": "jkm-test-2025-11", "component": "jkm", "amount": "7000",
               "valid_from": "2025-11-01", "citation": "test rule"}],
    )  # fmt: skip
    nov_inv = issue(regency_admin, program, dt.date(2025, 11, 1))
    oct_inv.refresh_from_db()
    assert oct_inv.total == 16_800 and InvoiceLine.objects.get(invoice=oct_inv).jkm == 6_800
    assert nov_inv.total == 17_000


@pytest.mark.parametrize(
    "role,regions,expected",
    [
        (Role.VILLAGE_OPERATOR, [PALI_VILLAGE], PermissionDenied),
        (Role.BPJS_OFFICER, ["1612"], PermissionDenied),
        (Role.REGENCY_ADMIN, ["1603"], PermissionDenied),
    ],
)
def test_only_the_regency_admin_of_the_region_issues_and_pays(
    role, regions, expected, make_user, active
):
    program, _ = active()
    user = make_user(role, regions)
    with pytest.raises(expected):
        issue(user, program)
    with pytest.raises(expected):
        invoicing.payment_record(
            actor=user, funder_id=program.funders.first().pk, reference="X1", amount=100,
            paid_on=dt.date(2025, 10, 10), first_month=OCT,
        )  # fmt: skip
    assert not Invoice.objects.exists() and not Payment.objects.exists()


def pay(admin, program, amount, ref="TRF-1", month=OCT, months=1, on=dt.date(2025, 10, 10)):
    return invoicing.payment_record(
        actor=admin, funder_id=program.funders.first().pk, reference=ref, amount=amount,
        paid_on=on, first_month=month, months=months,
    )  # fmt: skip


def test_a_full_payment_pays_every_participant_month_explicitly(active, regency_admin):
    program, _ = active()
    inv = issue(regency_admin, program)
    payment = pay(regency_admin, program, 50_400)
    assert payment.allocated == 50_400 and payment.credit == 0
    assert PaymentAllocation.objects.filter(payment=payment).count() == 3
    assert not arrears_by_participant(inv.funder, dt.date(2025, 10, 20))


def test_a_partial_payment_pays_by_village_then_participant_the_last_in_part(active, regency_admin):
    program, _ = active(n1=2, n2=1)
    issue(regency_admin, program)
    pay(regency_admin, program, 20_000)
    allocs = list(PaymentAllocation.objects.order_by("id").select_related("line"))
    assert [(a.line.village_id, a.amount) for a in allocs] == [
        (PALI_VILLAGE, 16_800),
        (PALI_VILLAGE, 3_200),
    ]
    owed = arrears_by_participant(program.funders.first(), dt.date(2025, 10, 16))
    assert sorted(r["owed"] for r in owed) == [13_600, 16_800]


def test_paying_in_advance_for_three_months_issues_and_pays_them(active, regency_admin):
    program, _ = active(n1=1, n2=0)
    payment = pay(regency_admin, program, 3 * 16_800, months=3)
    assert Invoice.objects.filter(program=program).count() == 3
    assert payment.allocated == 50_400
    assert {a.line.month_index for a in payment.allocations.select_related("line")} == {
        invoicing.month_index(dt.date(2025, m, 1)) for m in (10, 11, 12)
    }


def test_months_paid_at_the_full_tariff_under_the_pp50_discount_are_credited_forward(
    make_program, make_worker, ready_list, regency_admin
):
    """An APBDes funder with the discount on, Apr 2026 (other sectors: 50 % off JKK+JKM):
    paid Rp16,800 for a Rp8,400 month, the other Rp8,400 pays May."""
    from lindung.billing.services import funder_discounts_set
    from lindung.enrolment.models import Participant
    from lindung.enrolment.services import participants_enrol

    program = make_program(
        start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30),
        funders=[{"kind": "apbdes", "name": "APBDes Talang Ubi"}],
    )  # fmt: skip
    funder_discounts_set(actor=regency_admin, funder=program.funders.first(), on=True)
    ready_list(program, [make_worker()])
    participants_enrol(actor=regency_admin, program=program)
    Participant.objects.filter(program=program).update(kpj="12345678901", state="active")
    april = issue(regency_admin, program, dt.date(2026, 4, 1))
    assert april.total == 8_400 and april.discount == 8_400
    first = pay(regency_admin, program, 16_800, month=dt.date(2026, 4, 1),
                on=dt.date(2026, 4, 10))  # fmt: skip
    assert first.allocated == 8_400 and first.credit == 8_400
    second = pay(regency_admin, program, 8_400, ref="TRF-2", month=dt.date(2026, 5, 1),
                 on=dt.date(2026, 5, 10))  # fmt: skip
    first.refresh_from_db()
    assert first.credit == 0 and second.allocated == 0 and second.credit == 8_400


def test_a_duplicate_reference_and_months_already_paid_are_conflicts(active, regency_admin):
    program, _ = active(n1=1, n2=0)
    pay(regency_admin, program, 16_800)
    with pytest.raises(ApplicationError) as exc:
        pay(regency_admin, program, 16_800)
    assert exc.value.status == 409 and exc.value.code == "duplicate_reference"
    with pytest.raises(ApplicationError) as exc:
        pay(regency_admin, program, 16_800, ref="TRF-2")
    assert exc.value.status == 409 and exc.value.code == "already_paid"


@pytest.mark.parametrize(
    "amount,months,on",
    [
        (-5, 1, dt.date(2025, 10, 1)),
        (0, 1, dt.date(2025, 10, 1)),
        (10**19, 1, dt.date(2025, 10, 1)),
        (100, 4, dt.date(2025, 10, 1)),
        (100, 1, dt.date(2999, 1, 1)),
    ],
)
def test_hostile_amounts_months_and_dates_are_refused_with_a_reason(
    amount, months, on, active, regency_admin
):
    program, _ = active(n1=1, n2=0)
    with pytest.raises(ApplicationError) as exc:
        pay(regency_admin, program, amount, months=months, on=on)
    assert exc.value.status == 400 and exc.value.fields
    assert not Payment.objects.exists()


def test_a_discount_for_one_sector_only_prices_each_person_by_their_occupation(
    make_program, make_worker, ready_list, regency_admin
):
    """Feb 2026: PP 50/2025 halves transport workers' JKK+JKM, not other sectors'. An APBDes
    funder with the discount on pays Rp8,400 for the ojek driver and Rp16,800 for the farmer."""
    from lindung.billing.services import funder_discounts_set
    from lindung.enrolment.models import Participant
    from lindung.enrolment.services import participants_enrol

    program = make_program(
        start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31),
        funders=[{"kind": "apbdes", "name": "APBDes Talang Ubi"}],
    )  # fmt: skip
    funder_discounts_set(actor=regency_admin, funder=program.funders.first(), on=True)
    driver = make_worker(occupation_code="ojek")
    farmer = make_worker(occupation_code="petani")
    ready_list(program, [driver, farmer])
    participants_enrol(actor=regency_admin, program=program)
    inv = issue(regency_admin, program, dt.date(2026, 2, 1))
    amounts = dict(
        InvoiceLine.objects.filter(invoice=inv).values_list("participant__worker_id", "amount")
    )
    assert amounts == {driver.pk: 8_400, farmer.pk: 16_800} and inv.total == 25_200
    assert Participant.objects.filter(program=program).count() == 2


def test_an_invoice_participant_or_village_with_lines_cannot_be_deleted(active, regency_admin):
    # The lines' keys carry no database constraint (see InvoiceLine): PROTECT still holds.
    from django.db.models import ProtectedError

    from lindung.enrolment.models import Participant
    from lindung.regions.models import Region

    program, _ = active(n1=1, n2=0)
    inv = issue(regency_admin, program)
    line = InvoiceLine.objects.get(invoice=inv)
    for obj in (
        inv,
        Participant.objects.get(pk=line.participant_id),
        Region.objects.get(pk=line.village_id),
    ):
        with pytest.raises(ProtectedError):
            obj.delete()
    assert InvoiceLine.objects.filter(invoice=inv).count() == 1
