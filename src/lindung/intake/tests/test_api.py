import datetime as dt

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.registry.models import Worker

SITI = make_nik("161201", dt.date(1980, 5, 17), "P", 8)


@pytest.fixture
def api(make_user):
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    _token, raw = api_token_create(actor=operator, user=operator, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _file(content: bytes, name: str = "daftar.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_upload_check_list_rows_and_commit_through_the_api(api):
    content = f"NIK;Nama Lengkap;Pekerjaan\n{SITI};Siti Aminah;Petani\n123;Salah;Petani\n".encode()
    created = api.post("/api/uploads", {"file": _file(content), "village_code": "16.12.01.2001"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "staged" and body["counts"]["accepted"] == 1
    rows = api.get(f"/api/uploads/{body['id']}/rows").json()
    assert rows["count"] == 1 and rows["items"][0]["errors"][0]["code"] == "length"
    committed = api.post(f"/api/uploads/{body['id']}/commit")
    assert committed.json()["status"] == "committed"
    assert Worker.objects.filter(nik=SITI).exists()
    assert AuditEvent.objects.filter(action="intake.commit", channel="api").exists()
    annotated = api.get(f"/api/uploads/{body['id']}/annotated")
    assert b"DITOLAK" in annotated.content


def test_a_refused_file_is_a_400_with_the_reason(api):
    response = api.post(
        "/api/uploads", {"file": _file(b"PK\x03\x04broken", "x.xlsx"), "village_code": PALI_VILLAGE}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "corrupt"
