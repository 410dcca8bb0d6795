"""The calculator page: any logged-in staff role gets the what-if form and its answer with
citations and the total in words; anonymous users are sent to log in; bad figures are a 400
with the reason on the form, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from lindung.accounts.roles import Role

pytestmark = pytest.mark.django_db
URL = "/klaim/kalkulator/"
JKM = {
    "type": "jkm",
    "event_date": "2025-10-10",
    "coverage_start": "2025-07-01",
    "paid_through": "2025-12",
    "wage": "1000000",
}


def test_anonymous_is_sent_to_login():
    response = Client().get(URL, JKM)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_every_staff_role_gets_the_form_and_the_answer(make_user, client_for, role):
    client = client_for(make_user(role))
    assert client.get(URL).status_code == 200
    response = client.get(URL, JKM)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rp42.000.000" in body and "Empat puluh dua juta rupiah" in body
    assert "PP 82/2019 Pasal 34" in body and "jkm-lump-sum" in body


def test_arrears_are_named_and_a_third_child_refused(make_user, client_for):
    client = client_for(make_user(Role.BPJS_OFFICER))
    jkm = client.get(URL, {**JKM, "paid_through": "2025-08", "event_date": "2025-10-16"})
    body = jkm.content.decode()
    assert "09-2025" in body and "10-2025" in body and "−Rp16.800" in body
    kids = client.get(
        URL,
        {**JKM, "type": "scholarship", "coverage_start": "2020-01-01", "children": "3",
         "levels": "sd,smp,sma"},
    )  # fmt: skip
    assert kids.status_code == 200
    assert kids.context["result"].payable == 3_500_000
    assert "scholarship-child-3" in kids.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        {"wage": "9" * 40},
        {"wage": "-1"},
        {"event_date": "2025-02-30"},
        {"paid_through": "2025-13"},
        {"levels": "sd\x00"},
        {"levels": "kuliah"},
        {"children": "3", "levels": "sd"},
        {"type": "pension"},
        {"years": "1,x"},
        {"disability_percent": "1000"},
        {"event_date": "9999-12-31", "type": "jkk-death"},
        {"coverage_start": "0001-01-01"},
    ],
)
def test_bad_figures_are_a_400_with_the_reason(make_user, client_for, bad):
    client = client_for(make_user(Role.VILLAGE_OPERATOR))
    response = client.get(URL, {**JKM, **bad})
    assert response.status_code == 400
    assert response.context.get("result") is None
    # A NUL byte is refused at the edge, before the form.
    if not any("\x00" in v for v in bad.values()):
        assert response.context["form"].errors


def test_the_page_writes_nothing(make_user, client_for):
    from lindung.audit.models import AuditEvent

    client = client_for(make_user(Role.REGENCY_ADMIN))
    before = AuditEvent.objects.count()
    client.get(URL, JKM)
    assert AuditEvent.objects.count() == before
