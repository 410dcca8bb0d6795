"""Issue 8 §2: a staged upload can be cancelled, one left staged expires, and a file with
nothing to save offers no "Simpan 0 baris" button."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2
from lindung.intake.models import StagedRow, Upload
from lindung.intake.services import upload_commit, upload_stage, uploads_expire
from lindung.intake.tests.test_intake import GOOD, csv_bytes
from lindung.registry.models import Worker


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])


@pytest.fixture
def staged(operator):
    return upload_stage(actor=operator, data=GOOD, filename="daftar.csv", village_code=PALI_VILLAGE)


def api(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_operator_cancels_a_staged_upload_from_the_page(staged, operator, client_for):
    client = client_for(operator)
    page = client.get(f"/unggah/{staged.pk}/").content.decode()
    assert f"/unggah/{staged.pk}/batal/" in page
    response = client.post(f"/unggah/{staged.pk}/batal/", follow=True)
    said = f"Unggahan {staged.filename} dibatalkan: tidak satu pun dari"
    assert said in response.content.decode()
    staged.refresh_from_db()
    assert staged.status == "cancelled"
    assert not StagedRow.objects.filter(upload=staged).exists()
    assert not Worker.objects.exists()
    event = AuditEvent.objects.get(action="upload.cancel")
    assert event.actor_id == operator.pk and event.changes["staged_rows_removed"] == [None, 2]
    # Nothing to do with it any more: no save or cancel button, and saving is refused.
    page = client.get(f"/unggah/{staged.pk}/").content.decode()
    assert f"/unggah/{staged.pk}/simpan/" not in page and "/batal/" not in page
    assert api(operator).post(f"/api/uploads/{staged.pk}/commit").status_code == 400
    assert not Worker.objects.exists()


def test_cancel_through_the_api(staged, operator):
    response = api(operator).post(f"/api/uploads/{staged.pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_cancelling_a_committed_upload_is_refused(staged, operator):
    upload_commit(actor=operator, upload=staged)
    response = api(operator).post(f"/api/uploads/{staged.pk}/cancel")
    assert response.status_code == 409
    assert response.json()["code"] == "committed"
    assert "sudah disimpan" in response.json()["message"]
    staged.refresh_from_db()
    assert staged.status == "committed"
    assert Worker.objects.count() == 2


def test_another_villages_operator_cannot_cancel_404(staged, make_user, client_for):
    other = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE_2])
    assert client_for(other).post(f"/unggah/{staged.pk}/batal/").status_code == 404
    assert api(other).post(f"/api/uploads/{staged.pk}/cancel").status_code == 404
    staged.refresh_from_db()
    assert staged.status == "staged"


def test_an_upload_left_staged_expires_when_uploads_are_listed(
    staged, operator, client_for, settings
):
    settings.LINDUNG_UPLOAD_STAGED_HOURS = 24
    fresh = upload_stage(actor=operator, data=GOOD, filename="baru.csv", village_code=PALI_VILLAGE)
    Upload.objects.filter(pk=staged.pk).update(checked_at=timezone.now() - dt.timedelta(hours=25))
    client_for(operator).get("/unggah/")
    staged.refresh_from_db()
    fresh.refresh_from_db()
    assert staged.status == "expired" and fresh.status == "staged"
    assert not StagedRow.objects.filter(upload=staged).exists()
    assert StagedRow.objects.filter(upload=fresh).exists()
    assert AuditEvent.objects.filter(action="upload.expire").count() == 1
    assert uploads_expire() == 0  # nothing left to expire


def test_an_expired_upload_cannot_be_saved_even_before_it_is_swept(staged, operator, settings):
    settings.LINDUNG_UPLOAD_STAGED_HOURS = 1
    Upload.objects.filter(pk=staged.pk).update(checked_at=timezone.now() - dt.timedelta(hours=2))
    response = api(operator).post(f"/api/uploads/{staged.pk}/commit")
    assert response.status_code == 400
    assert not Worker.objects.exists()


def test_nothing_to_save_shows_a_sentence_not_a_save_0_rows_button(operator, client_for):
    bad = upload_stage(
        actor=operator,
        data=csv_bytes("1234;Tanpa NIK;17-05-1980;P;Petani;;;;"),
        filename="salah.csv",
        village_code=PALI_VILLAGE,
    )
    assert bad.status == "staged" and bad.counts["accepted"] == 0
    page = client_for(operator).get(f"/unggah/{bad.pk}/").content.decode()
    assert f"/unggah/{bad.pk}/simpan/" not in page
    assert "Simpan 0" not in page
    assert "Tidak ada yang dapat disimpan dari berkas ini" in page
    assert f"/unggah/{bad.pk}/batal/" in page


def test_the_sweep_expires_every_due_upload_and_leaves_fresh_ones(operator, settings):
    from lindung.intake.services import uploads_sweep

    settings.LINDUNG_UPLOAD_STAGED_HOURS = 1
    old = [
        upload_stage(actor=operator, data=GOOD, filename=f"d{i}.csv", village_code=PALI_VILLAGE)
        for i in range(3)
    ]
    fresh = upload_stage(actor=operator, data=GOOD, filename="new.csv", village_code=PALI_VILLAGE)
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    Upload.objects.filter(pk__in=[u.pk for u in old]).update(checked_at=two_hours_ago)
    assert uploads_sweep() == 3
    statuses = Upload.objects.filter(pk__in=[u.pk for u in old]).values_list("status", flat=True)
    assert set(statuses) == {"expired"}
    assert not StagedRow.objects.filter(upload__in=old).exists()
    fresh.refresh_from_db()
    assert fresh.status == "staged" and StagedRow.objects.filter(upload=fresh).exists()
    assert AuditEvent.objects.filter(action="upload.expire").count() == 3
    assert uploads_sweep() == 0


def test_the_sweep_stops_when_a_round_expires_nothing(monkeypatch):
    from lindung.intake import services

    rounds = iter([200, 200, 7, 0, 99])
    monkeypatch.setattr(services, "uploads_expire", lambda: next(rounds))
    assert services.uploads_sweep() == 407
    monkeypatch.setattr(services, "uploads_expire", lambda: 1)  # a task holds one forever
    assert services.uploads_sweep(max_rounds=5) == 5


def test_the_worker_command_starts_the_sweep(monkeypatch, tmp_path, settings):
    from django_tasks_db.management.commands import db_worker

    from lindung.site.management.commands import worker

    started = []
    monkeypatch.setattr(worker, "uploads_sweep_every", lambda seconds: started.append(seconds))
    monkeypatch.setattr(db_worker.Command, "handle", lambda self, *a, **k: None)
    settings.VAR_DIR = tmp_path
    # handle() directly: tests run tasks in process, so the command's --backend check refuses.
    worker.Command().handle(parent_pid=None)
    assert started == [worker.SWEEP_SECONDS]
