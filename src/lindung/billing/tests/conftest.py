import datetime as dt

import pytest

from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE

# Enrolment's fixtures (programs, ready lists, enrolled people) serve billing's tests too.
from lindung.enrolment.tests.conftest import (  # noqa: F401
    bpjs,
    enrolled,
    make_program,
    ready_list,
    regency_admin,
)


@pytest.fixture
def active(make_program, make_worker, ready_list, regency_admin):  # noqa: F811
    """A program Oct–Dec 2025 (APBD, Rp16,800 a month each) with people of two villages,
    all active with a KPJ from the program's start."""
    from lindung.conftest import PALI_VILLAGE_2
    from lindung.enrolment.models import Participant
    from lindung.enrolment.services import participants_enrol

    def make(n1=2, n2=1, start=dt.date(2025, 10, 1), end=dt.date(2025, 12, 31), **kw):
        program = make_program(start=start, end=end, **kw)
        a = [make_worker() for _ in range(n1)]
        b = [make_worker(village=PALI_VILLAGE_2) for _ in range(n2)]
        ready_list(program, a, village=PALI_VILLAGE)
        if b:
            ready_list(program, b, village=PALI_VILLAGE_2)
        participants_enrol(actor=regency_admin, program=program)
        for i, p in enumerate(Participant.objects.filter(program=program).order_by("id")):
            p.kpj = f"{program.pk:03d}{i:08d}"
            p.state = "active"
            p.save(update_fields=["kpj", "state"])
        return program, a + b

    return make


@pytest.fixture
def village_operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
