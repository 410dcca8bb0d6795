"""Invoices, payments, arrears and protection over the API, with the abuse cases."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.billing.models import Invoice
from lindung.enrolment.models import Participant

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_regency_admin_issues_pays_and_reads_arrears_and_protection(active, regency_admin):
    program, workers = active(n1=2, n2=1)
    funder = program.funders.first()
    admin = client_of(regency_admin)
    r = post(admin, "/api/invoices", {"funder_id": funder.pk, "month": "2025-10"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["total"] == 50_400 and body["due_date"] == "2025-10-15"
    assert body["total_words"].lower().startswith("lima puluh ribu empat ratus")
    assert [v["total"] for v in body["villages"]] == [33_600, 16_800]
    again = post(admin, "/api/invoices", {"funder_id": funder.pk, "month": "2025-10"})
    assert again.status_code == 409
    listed = admin.get(f"/api/programs/{program.code}/invoices").json()
    assert [i["month"] for i in listed] == ["2025-10"]
    pay = {"funder_id": funder.pk, "reference": "TRF-9", "amount": 33_600,
           "paid_on": "2025-10-10", "first_month": "2025-10"}  # fmt: skip
    r = post(admin, "/api/payments", pay)
    assert r.status_code == 201 and r.json()["participant_months"] == 2
    assert post(admin, "/api/payments", pay).status_code == 409
    arrears = admin.get(f"/api/funders/{funder.pk}/arrears?date=2025-10-20").json()
    assert (arrears["participants"], arrears["owed"]) == (1, 16_800)
    r = admin.get(f"/api/protection/{workers[2].nik}?date=2025-10-20")
    assert r.status_code == 200, r.content
    p = r.json()
    assert p["status"] == "protected_with_arrears" and p["arrears_months"] == ["2025-10"]
    assert p["kpj_masked"] and p["kpj_masked"] != Participant.objects.get(worker=workers[2]).kpj


@pytest.mark.parametrize(
    "amount,status", [(-1, 422), (0, 422), (10**18, 422), ("1e3", 422), (1.5, 422)]
)
def test_hostile_payment_amounts_get_a_clear_4xx(amount, status, active, regency_admin):
    program, _ = active(n1=1, n2=0)
    r = post(
        client_of(regency_admin),
        "/api/payments",
        {"funder_id": program.funders.first().pk, "reference": "X", "amount": amount,
         "paid_on": "2025-10-10", "first_month": "2025-10"},
    )  # fmt: skip
    assert r.status_code in (400, 422) and "amount" in r.content.decode()


def test_another_regency_gets_404_and_a_village_operator_403(active, make_user, regency_admin):
    program, workers = active(n1=1, n2=0)
    funder = program.funders.first()
    other = client_of(make_user(Role.REGENCY_ADMIN, ["1603"]))
    operator = client_of(make_user(Role.VILLAGE_OPERATOR))
    month = {"funder_id": funder.pk, "month": "2025-10"}
    assert post(other, "/api/invoices", month).status_code == 404
    assert post(operator, "/api/invoices", month).status_code == 403
    pay = {"funder_id": funder.pk, "reference": "R", "amount": 100,
           "paid_on": "2025-10-10", "first_month": "2025-10"}  # fmt: skip
    assert post(other, "/api/payments", pay).status_code == 404
    assert post(operator, "/api/payments", pay).status_code == 403
    assert not Invoice.objects.exists()
    assert other.get(f"/api/protection/{workers[0].nik}?date=2025-10-20").status_code == 404
    assert other.get(f"/api/programs/{program.code}/invoices").status_code == 404
    # An issued invoice and the funder's arrears: as unknown to another regency as a wrong id.
    from lindung.billing.invoicing import invoice_issue

    invoice = invoice_issue(actor=regency_admin, funder_id=funder.pk, month=program.coverage_start)
    assert other.get(f"/api/invoices/{invoice.pk}").status_code == 404
    assert other.get(f"/api/funders/{funder.pk}/arrears?date=2025-11-20").status_code == 404
    own = client_of(regency_admin)
    assert own.get(f"/api/invoices/{invoice.pk}").status_code == 200
    assert own.get(f"/api/funders/{funder.pk}/arrears?date=2025-11-20").status_code == 200


def test_the_protection_command_answers_in_json_with_the_kpj_masked(active, capsys):
    _program, workers = active(n1=1, n2=0)
    call_command("protection", "status", workers[0].nik, "--date", "2025-10-01", "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"nik", "date", "status", "program", "kpj_masked", "reason",
                        "citation", "arrears_months"}  # fmt: skip
    assert out["status"] == "protected" and out["nik"] == workers[0].nik
    assert out["kpj_masked"] != _program.participants.first().kpj


def test_the_protection_command_masks_the_nik_for_a_user_who_may_not_see_it(
    active, make_user, capsys
):
    _program, workers = active(n1=1, n2=0)
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    call_command("protection", "status", workers[0].nik, "--date", "2025-10-01", "--json",
                 "--user", head.username)  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out["nik"] != workers[0].nik and out["status"] == "protected"


def test_the_protection_command_refuses_a_bad_date_with_exit_2(active):
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "lindung.cli", "protection", "status", "1612010101900001",
         "--date", "2025-13-45", "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 2 and json.loads(r.stdout)["error"]["code"]
