"""A KPJ number unlocks a participant's balances in BPJS's own app, so it follows the one
masking policy (`masking.kpj_for`): in full where the role sees personal data in the person's
region, else only its first 4 digits — on the participant list and page, in the API and in
the registration file."""

from __future__ import annotations

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.enrolment.models import Participant

pytestmark = pytest.mark.django_db

KPJ = "01234567890"


@pytest.fixture
def with_kpj(enrolled):
    program, workers, _submission = enrolled
    p = Participant.objects.get(worker=workers[0])
    Participant.objects.filter(pk=p.pk).update(kpj=KPJ)
    return program, p


def _everything_shown(user, client_for, program, p) -> str:
    web = client_for(user)
    token = api_token_create(actor=user, user=user, name="t")[1]
    api = web.get(
        f"/api/programs/{program.code}/participants", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert api.status_code == 200
    return "\n".join(
        [
            web.get(f"/peserta/program/{program.code}/").content.decode(),
            web.get(f"/peserta/{p.pk}/").content.decode(),
            api.content.decode(),
        ]
    )


def test_the_regency_admin_sees_the_kpj_in_full(with_kpj, regency_admin, client_for):
    program, p = with_kpj
    assert KPJ in _everything_shown(regency_admin, client_for, program, p)


def test_a_regional_head_sees_only_the_first_four_digits(with_kpj, make_user, client_for):
    program, p = with_kpj
    head = make_user(Role.REGIONAL_HEAD, regions=["1612"])
    shown = _everything_shown(head, client_for, program, p)
    assert KPJ not in shown
    assert KPJ[:4] + "*" * (len(KPJ) - 4) in shown
