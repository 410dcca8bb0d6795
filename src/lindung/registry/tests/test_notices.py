"""Saving, marking and removing a worker say what was done, to whom, and what changed."""

import datetime as dt

import pytest
from django.conf import settings

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _form(worker, **changed) -> dict:
    return {
        "nik": worker.nik, "name": worker.name, "village": worker.village_id,
        "occupation": worker.occupation.code, "address": worker.address, "phone": worker.phone,
        "heirs-TOTAL_FORMS": "0", "heirs-INITIAL_FORMS": "0",
        "heirs-MIN_NUM_FORMS": "0", "heirs-MAX_NUM_FORMS": "20", **changed,
    }  # fmt: skip


def test_an_edit_names_the_fields_that_changed(make_worker, make_user, client_for):
    worker = make_worker(name="Siti Aminah")
    client = client_for(make_user(Role.REGENCY_ADMIN, ["1612"]))
    answer = client.post(
        f"/pekerja/{worker.pk}/ubah/", _form(worker, phone="081234567890"), follow=True
    )
    assert "Data Siti Aminah diubah: Telepon. Ahli waris: 0." in _messages(answer)
    again = client.post(
        f"/pekerja/{worker.pk}/ubah/", _form(worker, phone="081234567890"), follow=True
    )
    assert "Data Siti Aminah disimpan tanpa perubahan" in _messages(again)


def test_marking_says_the_status_and_since_when(make_worker, make_user, client_for):
    worker = make_worker(name="Budi")
    client = client_for(make_user(Role.REGENCY_ADMIN, ["1612"]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.post(
        f"/pekerja/{worker.pk}/status/",
        {"status": "moved", "since": "2026-03-01", "reason": "pindah ke kota"},
        follow=True,
    )
    assert "since 01-03-2026" in _messages(answer)


def test_the_history_reads_in_words(make_worker, make_user, client_for):
    worker = make_worker(name="Siti Aminah", birth_date=dt.date(1977, 9, 17))
    client = client_for(make_user(Role.REGENCY_ADMIN, ["1612"]))
    client.post(f"/pekerja/{worker.pk}/ubah/", _form(worker, phone="081234567890"))
    assert AuditEvent.objects.filter(action="worker.update").exists()
    page = client.get(f"/pekerja/{worker.pk}/").content.decode()
    assert "Data pekerja diubah" in page and "worker.update" not in page
    assert "Pekerja didaftarkan" in page and "worker.create" not in page
    assert "17-09-1977" in page and "1977-09-17" not in page
