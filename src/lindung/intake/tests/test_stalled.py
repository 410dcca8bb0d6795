"""Nothing waits forever: an upload whose background work died comes back, on the page and in
the API, with its next step (check again, or save again) instead of a spinner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.conftest import PALI_VILLAGE
from lindung.intake import leases
from lindung.intake.models import TaskLease, Upload
from lindung.intake.services import upload_receive
from lindung.registry.models import Worker

from .test_intake import GOOD, SITI, stage


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])


def _api(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="id")


def _received(operator) -> Upload:
    return upload_receive(
        actor=operator, data=GOOD, filename="daftar.csv", village_code=PALI_VILLAGE
    )


def _lease(upload, seconds: float, work: str = "check") -> None:
    TaskLease.objects.update_or_create(
        upload_id=upload.pk,
        defaults={
            "work": work,
            "holder": "host:1",
            "expires_at": timezone.now() + dt.timedelta(seconds=seconds),
        },
    )


def test_a_check_whose_worker_died_is_stalled_with_check_again_as_next_step(operator, client_for):
    upload = _received(operator)
    Upload.objects.filter(pk=upload.pk).update(progress="reading")
    _lease(upload, -1)  # the worker stopped renewing it a while ago

    body = _api(operator).get(f"/api/uploads/{upload.pk}").json()
    assert (body["progress"], body["stalled"], body["next_step"]) == ("reading", True, "recheck")
    page = client_for(operator).get(f"/unggah/{upload.pk}/", HTTP_ACCEPT_LANGUAGE="id")
    html = page.content.decode()
    assert "Pemeriksaan berhenti sebelum selesai" in html
    assert f"/unggah/{upload.pk}/periksa-ulang/" in html
    assert 'hx-trigger="every 2s"' not in html  # the page stops polling

    rechecked = _api(operator).post(f"/api/uploads/{upload.pk}/recheck")
    assert rechecked.status_code == 200, rechecked.content
    assert rechecked.json()["status"] == "staged"
    assert (rechecked.json()["progress"], rechecked.json()["stalled"]) == ("", False)
    assert not TaskLease.objects.exists()


def test_a_check_without_any_lease_left_is_stalled(operator):
    # The process died between setting the progress and taking the lease, or its lease row was
    # removed with its work half done: still not "reading" forever.
    upload = _received(operator)
    Upload.objects.filter(pk=upload.pk).update(progress="checking")
    assert _api(operator).get(f"/api/uploads/{upload.pk}").json()["next_step"] == "recheck"


def test_queued_work_no_worker_took_up_is_stalled_after_the_queue_time(operator, settings):
    upload = _received(operator)
    leases.promise(upload, "check")
    Upload.objects.filter(pk=upload.pk).update(progress="queued")
    assert _api(operator).get(f"/api/uploads/{upload.pk}").json()["stalled"] is False
    TaskLease.objects.filter(upload=upload).update(expires_at=timezone.now())
    assert _api(operator).get(f"/api/uploads/{upload.pk}").json()["next_step"] == "recheck"


def test_live_work_is_not_started_twice(operator, client_for):
    upload = _received(operator)
    Upload.objects.filter(pk=upload.pk).update(progress="checking")
    _lease(upload, 60)  # a worker renews it: the check is alive
    body = _api(operator).get(f"/api/uploads/{upload.pk}").json()
    assert (body["stalled"], body["next_step"]) == (False, "")
    again = _api(operator).post(f"/api/uploads/{upload.pk}/recheck")
    assert again.status_code == 400
    assert again.json()["code"] == "busy"
    assert "sedang diperiksa atau disimpan" in again.json()["message"]
    page = client_for(operator).get(f"/unggah/{upload.pk}/", HTTP_ACCEPT_LANGUAGE="id")
    assert 'hx-trigger="every 2s"' in page.content.decode()


def test_a_commit_whose_worker_died_saved_nothing_and_offers_save_again(operator, client_for):
    upload = stage(operator, GOOD)
    Upload.objects.filter(pk=upload.pk).update(progress="committing")
    _lease(upload, -1, work="commit")

    body = _api(operator).get(f"/api/uploads/{upload.pk}").json()
    assert (body["status"], body["stalled"], body["next_step"]) == ("staged", True, "commit")
    assert not Worker.objects.exists()
    client = client_for(operator)
    html = client.get(f"/unggah/{upload.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Penyimpanan berhenti sebelum selesai" in html and "Simpan lagi" in html

    client.post(f"/unggah/{upload.pk}/simpan/")
    upload.refresh_from_db()
    assert (upload.status, upload.progress) == ("committed", "")
    assert Worker.objects.filter(nik=SITI).exists()


def test_a_check_releases_its_lease_when_done(operator):
    upload = stage(operator, GOOD)
    assert upload.status == "staged"
    assert not TaskLease.objects.filter(upload=upload).exists()


def test_the_heartbeat_renews_a_live_lease(operator, monkeypatch):
    import types

    upload = _received(operator)
    _lease(upload, -1)  # about to run out
    beats = iter([False, True])  # one beat, then the work is done
    stop = types.SimpleNamespace(wait=lambda seconds: next(beats))
    # Run on this thread (the test's transaction) and keep its connection open.
    monkeypatch.setattr(leases, "connection", types.SimpleNamespace(close=lambda: None))
    leases._heartbeat(upload.pk, "host:1", 60, stop)
    lease = TaskLease.objects.get(upload=upload)
    assert lease.expires_at > timezone.now() + dt.timedelta(seconds=50)
    Upload.objects.filter(pk=upload.pk).update(progress="checking")
    upload.refresh_from_db()
    assert leases.is_busy(upload) and not leases.is_stalled(upload)
