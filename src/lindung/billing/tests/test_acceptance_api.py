"""Issue 9's acceptance through the API, with a regency admin's token: plan the budget, enrol
the ready list, fetch BPJS's registration file, import BPJS's answer, issue the first month's
invoice, record its payment in full, and ask "protected today?"."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.services import api_token_create
from lindung.billing.tests.acceptance import (
    MONTHS,
    PER_WORKER_MONTH,
    PROGRAM,
    WORKERS,
    niks,
    period,
    ready_list_setup,
)

pytestmark = pytest.mark.django_db


def test_regency_admin_budget_to_protection_through_the_api():
    submission_id = ready_list_setup()
    admin = User.objects.get(username="dpmd")
    _token, raw = api_token_create(actor=admin, user=admin, name="uji terima")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    today = timezone.localdate()
    start, _end = period(today)

    budget = api.get(f"/api/programs/{PROGRAM}/budget")
    assert budget.status_code == 200, budget.content
    assert budget.json()["total"] == WORKERS * MONTHS * PER_WORKER_MONTH == 151_200

    enrol = api.post(
        f"/api/programs/{PROGRAM}/enrol",
        json.dumps({"submission_id": submission_id, "expected_state": "ready"}),
        content_type="application/json",
    )
    assert enrol.status_code == 200, enrol.content
    assert enrol.json()["enrolled"] == WORKERS

    registration = api.get(f"/api/programs/{PROGRAM}/registration-file?format=csv")
    assert registration.status_code == 200, registration.content
    text = registration.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), dialect=csv.Sniffer().sniff(text[:2000])))
    assert sorted(r["NIK"] for r in rows) == sorted(niks())

    answer = "NIK,KPJ,TMT\n" + "".join(
        f"{r['NIK']},9{i:010d},{start:%d-%m-%Y}\n" for i, r in enumerate(rows, 1)
    )
    upload = io.BytesIO(answer.encode())
    upload.name = "jawaban-bpjs.csv"
    imported = api.post(f"/api/programs/{PROGRAM}/kpj-import", {"file": upload})
    assert imported.status_code == 200, imported.content
    assert imported.json()["assigned"] == WORKERS

    # The funder to bill is named by the program's answer (its id is what invoices take).
    funders = api.get(f"/api/programs/{PROGRAM}").json()["funders"]
    assert [(f["kind"], f["name"]) for f in funders] == [("apbd", "APBD PALI")]
    funder_id = funders[0]["id"]
    month = f"{start:%Y-%m}"
    invoice = api.post(
        "/api/invoices",
        json.dumps({"funder_id": funder_id, "month": month}),
        content_type="application/json",
    )
    assert invoice.status_code == 201, invoice.content
    assert invoice.json()["total"] == WORKERS * PER_WORKER_MONTH == 50_400

    paid = api.post(
        "/api/payments",
        json.dumps(
            {
                "funder_id": funder_id,
                "reference": "TRF-APBD-0001",
                "amount": 50_400,
                "paid_on": today.isoformat(),
                "first_month": month,
            }
        ),
        content_type="application/json",
    )
    assert paid.status_code == 201, paid.content
    assert paid.json()["participant_months"] == WORKERS

    invoice_id = invoice.json()["id"]
    again = api.get(f"/api/invoices/{invoice_id}").json()
    assert again["paid"] == again["total"] == 50_400

    status = api.get(f"/api/protection/{niks()[0]}?date={today.isoformat()}")
    assert status.status_code == 200, status.content
    answer = status.json()
    assert answer["status"] == "protected", answer
    assert answer["program"] == PROGRAM and answer["arrears_months"] == []
    assert answer["kpj_masked"] and answer["kpj_masked"] != "90000000001"
