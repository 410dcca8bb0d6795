# Billing's and enrolment's fixtures (programs, enrolled people with a KPJ) serve claims' tests.
from lindung.billing.tests.conftest import (  # noqa: F401
    active,
    bpjs,
    enrolled,
    make_program,
    ready_list,
    regency_admin,
    village_operator,
)
