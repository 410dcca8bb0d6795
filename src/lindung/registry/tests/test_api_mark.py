"""`POST /api/workers/{id}/status`: moved away or deceased through the API, by the same service,
role and scope rules as the worker page, audited with channel api."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2, SAROLANGUN_VILLAGE

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def mark(client, worker, **body):
    return client.post(
        f"/api/workers/{worker.pk}/status", json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="op-mark")


@pytest.fixture
def worker(make_worker):
    return make_worker(village=PALI_VILLAGE, name="Budi Pindah")


def test_operator_marks_a_worker_moved_and_it_is_audited_as_api(operator, worker):
    since = dt.date.today() - dt.timedelta(days=10)
    response = mark(api(operator), worker, status="moved", since=str(since), reason="Surat pindah")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["life_status"] == "moved" and body["life_status_date"] == str(since)
    worker.refresh_from_db()
    assert worker.life_status == "moved" and worker.life_status_reason == "Surat pindah"
    event = AuditEvent.objects.get(action="worker.mark", object_id=str(worker.pk))
    assert event.channel == "api" and event.actor_id == operator.pk
    assert event.changes["life_status"] == ["active", "moved"]


def test_regency_admin_marks_deceased_without_a_date_meaning_today(make_user, worker):
    admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    response = mark(api(admin), worker, status="deceased", reason="Laporan kepala desa")
    assert response.status_code == 200
    assert response.json()["life_status_date"] == str(dt.date.today())


def test_worker_of_another_region_is_404(make_user, worker):
    stranger = make_user(Role.VILLAGE_OPERATOR, [SAROLANGUN_VILLAGE])
    response = mark(api(stranger), worker, status="moved", reason="x")
    assert response.status_code == 404
    assert worker.name not in response.content.decode()


def test_operator_of_another_village_of_the_regency_gets_404(make_user, worker):
    neighbour = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE_2])
    assert mark(api(neighbour), worker, status="moved", reason="x").status_code == 404
    worker.refresh_from_db()
    assert worker.life_status == "active"


def test_a_view_only_role_gets_403(make_user, worker):
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    assert mark(api(head), worker, status="deceased", reason="x").status_code == 403


def test_a_future_date_is_400_on_since(operator, worker):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = mark(api(operator), worker, status="moved", since=str(tomorrow), reason="x")
    assert response.status_code == 400
    assert "since" in response.json()["fields"]


def test_a_date_before_birth_is_400_on_since(operator, worker):
    before = worker.birth_date - dt.timedelta(days=1)
    response = mark(api(operator), worker, status="deceased", since=str(before), reason="x")
    assert response.status_code == 400
    assert "since" in response.json()["fields"]


@pytest.mark.parametrize("since", ["31-02-2025", "2025-13-01", "kemarin", "9" * 40])
def test_a_malformed_date_is_a_4xx_not_a_crash(operator, worker, since):
    response = mark(api(operator), worker, status="moved", since=since, reason="x")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("status", ["hilang", "", "DECEASED", "moved\x00"])
def test_an_unknown_status_is_refused(operator, worker, status):
    assert 400 <= mark(api(operator), worker, status=status, reason="x").status_code < 500
    worker.refresh_from_db()
    assert worker.life_status == "active"


def test_a_reason_is_required(operator, worker):
    response = mark(api(operator), worker, status="moved")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"


def test_marking_an_already_deceased_person_again_is_409(operator, worker):
    client = api(operator)
    assert mark(client, worker, status="deceased", reason="Akta kematian").status_code == 200
    for status in ("deceased", "moved"):
        response = mark(client, worker, status=status, reason="lagi")
        assert response.status_code == 409
        assert response.json()["code"] == "already_deceased"
    # A wrong report is corrected by marking the person back in the village.
    assert mark(client, worker, status="active", reason="Salah lapor").status_code == 200
    assert AuditEvent.objects.filter(action="worker.mark", object_id=str(worker.pk)).count() == 2
