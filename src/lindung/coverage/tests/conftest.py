import datetime as dt

import pytest

from lindung.billing.tests.conftest import active, village_operator  # noqa: F401
from lindung.enrolment.tests.conftest import (  # noqa: F401
    bpjs,
    make_program,
    ready_list,
    regency_admin,
)

KK = "1612010101250001"
PHONE = "081234567890"
NOV_20 = dt.date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _empty_outbox():
    from lindung.coverage.sms import FakeSms

    FakeSms.outbox.clear()
    yield
    FakeSms.outbox.clear()


@pytest.fixture
def person(active):  # noqa: F811
    """One PALI worker with a KK number and a phone, in an Oct–Dec 2025 program with a KPJ."""
    from lindung.registry.models import Worker

    program, workers = active(n1=1, n2=0, name="Pekerja Rentan PALI 2025")
    worker = workers[0]
    Worker.objects.filter(pk=worker.pk).update(
        kk_number=KK, phone=PHONE, name="Siti Rahmawati Lestari"
    )
    worker.refresh_from_db()
    return program, worker


def pay(admin, program, months: int, first=dt.date(2025, 10, 1)):
    from lindung.billing import invoicing

    return invoicing.payment_record(
        actor=admin, funder_id=program.funders.first().pk, reference=f"P{months}",
        amount=months * 16_800, paid_on=dt.date(2025, 10, 5), first_month=first, months=months,
    )  # fmt: skip
