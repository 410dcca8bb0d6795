"""The demo's participants are invoiced and paid through the real billing services, one PALI
village is left in arrears, and the one "protected on D?" answer shows each state.

One demo build for the module's checks (the build is the expensive part)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.billing.invoicing import covered_in_month
from lindung.billing.models import Invoice, Payment, PaymentAllocation
from lindung.billing.protection import NOT_PROTECTED, PROTECTED, WITH_ARREARS, protection_on
from lindung.billing.selectors import arrears_by_funder
from lindung.demo.billing import arrears_funder, months_of
from lindung.enrolment.choices import ParticipantState
from lindung.enrolment.models import Participant
from lindung.programs.models import Funder, Program

from .test_demo_enrolment import CODES, build

JKK_JKM = 10_000 + 6_800  # PP 44/2015 Annex II step Rp1,000,000 + JKM, no JHT, no discount (APBD)


def active_in(funder: Funder) -> Participant:
    return (
        Participant.objects.filter(funder=funder, state=ParticipantState.ACTIVE)
        .select_related("worker")
        .order_by("pk")
        .first()
    )


@pytest.mark.django_db
def test_demo_bills_every_funded_month_pays_most_and_leaves_one_village_in_arrears(
    regions, monkeypatch
):
    printed = build(regions, monkeypatch)
    assert "demo billing:" in printed and "1 village in arrears" in printed
    today = dt.date.today()

    for code in CODES:
        program = Program.objects.get(code=code)
        months = months_of(program, today)
        funders = set(Participant.objects.filter(program=program).values_list("funder", flat=True))
        invoices = Invoice.objects.filter(program=program)
        # Every funder with participants, every month of the period up to today, once.
        assert {(i.funder_id, i.month) for i in invoices} == {
            (f, m) for f in funders for m in months
        }, code
        for invoice in invoices:
            # A death paid through a claim (demo.claims) ends a participation after its months
            # were invoiced: those people are on the invoice but no longer covered now.
            died_later = Participant.objects.filter(
                funder_id=invoice.funder_id, claims__state__in=["approved", "paid"]
            )
            covered = covered_in_month(
                Participant.objects.filter(funder_id=invoice.funder_id).exclude(pk__in=died_later),
                invoice.month,
            ).count()
            billed_dead = invoice.lines.filter(participant__in=died_later).count()
            assert invoice.participants - billed_dead == covered > 0
        # Issued and paid by the regency (the payer's side), each step audited.
        regency = {
            e.actor.role
            for e in AuditEvent.objects.filter(
                action__in=("billing.invoice_issue", "billing.payment_record"),
                region_code=program.owner_region_id,
            ).select_related("actor")
        }
        assert regency == {Role.REGENCY_ADMIN}, code

    # Muara Enim (APBD): Oct–Dec 2025, each month paid in full on the 10th; hand-computed,
    # every line is Rp16,800 (no PP 50/2025 discount for the APBD, and it is 2025 anyway).
    muara_enim = Program.objects.get(code="muaraenim-desa-2025")
    for invoice in Invoice.objects.filter(program=muara_enim):
        assert invoice.total == invoice.participants * JKK_JKM
    payments = Payment.objects.filter(program=muara_enim).order_by("first_month")
    assert [(p.first_month.month, p.months, p.paid_on.day) for p in payments] == [
        (10, 1, 10),
        (11, 1, 10),
        (12, 1, 10),
    ]
    assert all(p.amount == p.allocated for p in payments)

    # Musi Banyuasin: in advance, 6 + 6 months, then July 2026.
    muba = Program.objects.get(code="muba-pake-kelambu")
    assert list(
        Payment.objects.filter(program=muba)
        .order_by("first_month")
        .values_list("months", flat=True)
    ) == [6, 6, 1]
    # Sarolangun: 6 + 3 + 2 in advance, October in two halves, November.
    sarolangun = Program.objects.get(code="sarolangun-2024")
    october = Payment.objects.filter(program=sarolangun, first_month=dt.date(2025, 10, 1))
    assert october.count() == 2
    october_total = Invoice.objects.get(program=sarolangun, month=dt.date(2025, 10, 1)).total
    assert sum(p.amount for p in october) == october_total
    # On 1 November only the first half was paid: someone is protected with October in arrears.
    statuses = {
        protection_on(p.worker_id, dt.date(2025, 11, 1)).status
        for p in Participant.objects.filter(program=sarolangun, kpj__isnull=False).exclude(
            state=ParticipantState.ENDED
        )
    }
    assert statuses == {PROTECTED, WITH_ARREARS}

    # Every funder is paid up today except PALI's one village.
    pali = Program.objects.get(code="pali-desa-2025")
    late = arrears_funder(pali)
    assert late is not None and late.program_id == pali.pk
    owing = {
        f.pk
        for f in Funder.objects.filter(program__code__in=CODES)
        if arrears_by_funder(f, today)["owed"]
    }
    assert owing == {late.pk}
    # The one who died in August is billed (and paid) for July and August only.
    people = Participant.objects.filter(funder=late).exclude(state=ParticipantState.ENDED).count()
    arrears = arrears_by_funder(late, today)
    # Paid July and August; September–December unpaid: 4 months × people × Rp16,800.
    assert arrears["months"] == 4 * people and arrears["owed"] == 4 * people * JKK_JKM
    person = active_in(late)
    on_20_nov = protection_on(person.worker_id, dt.date(2025, 11, 20))
    assert on_20_nov.status == WITH_ARREARS
    assert on_20_nov.arrears_months == ["2025-09", "2025-10", "2025-11"]
    assert protection_on(person.worker_id, dt.date(2025, 12, 20)).status == NOT_PROTECTED
    assert protection_on(person.worker_id, dt.date(2025, 9, 1)).status == PROTECTED

    # The arrears answer as the regency admin sees it.
    client = Client()
    client.force_login(User.objects.get(username="dpmd-pali"))
    answer = client.get(f"/api/funders/{late.pk}/arrears", {"date": today.isoformat()})
    assert answer.status_code == 200 and answer.json()["owed"] == arrears["owed"]

    # Run again: nothing is billed or paid twice.
    counts = (Invoice.objects.count(), Payment.objects.count(), PaymentAllocation.objects.count())
    again = io.StringIO()
    call_command("demo", "--no-serve", "--skip-setup", "--workers", "300", stdout=again)
    assert "demo billing: already done" in again.getvalue()
    assert counts == (
        Invoice.objects.count(),
        Payment.objects.count(),
        PaymentAllocation.objects.count(),
    )
