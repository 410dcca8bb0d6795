"""Hostile files: none of them reaches the spreadsheet reader, each is refused with a reason in
Bahasa Indonesia (API 400, form error), the upload ends "refused" (never left "reading") and the
registry is untouched. Refused files are never read again, and every re-read of a stored file
goes through the same guard.

Safe in the test process because the guard refuses these files before calamine sees them; the
real-server tests (`test_hostile_server.py`) prove the same against `lindung serve`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.conftest import PALI_VILLAGE
from lindung.intake import reader, services, spreadsheets
from lindung.intake.models import StagedRow, Upload
from lindung.intake.tests import hostile
from lindung.registry.models import Worker

from .test_intake import GOOD, stage

HOSTILE = {
    # name: (file, refusal code, words of the Indonesian reason)
    "two cells A1 and XFD1048576": (hostile.two_cells, "sheet_too_large", "XFD1048576"),
    "billion laughs": (hostile.billion_laughs, "xml_declaration", "DOCTYPE atau ENTITY"),
    "XXE": (hostile.xxe, "xml_declaration", "DOCTYPE atau ENTITY"),
    "forged member size": (hostile.forged_size, "corrupt", "rusak"),
    "cells without position": (hostile.cells_without_position, "cells_without_position", "posisi"),
    "UTF-16 parts": (hostile.utf16, "xml_encoding", "UTF-16"),
    "thousands of parts": (hostile.many_members, "corrupt", "rusak"),
    "an .xlsb part to fall back to": (hostile.with_xlsb_part, "wrong_type", ".xlsx"),
    "sheet stored as a picture": (hostile.sheet_under_another_name, "sheet_too_large", "XFD"),
    "UTF-16 sheet stored as a picture": (
        hostile.utf16_under_another_name,
        "xml_encoding",
        "UTF-16",
    ),
    "two end-of-archive records": (hostile.two_archives, "corrupt", "rusak"),
    "two cells far apart within the limits": (
        hostile.far_apart_within_limits,
        "sheet_mostly_empty",
        "IV100000",
    ),
    "a far row hidden among ordinary rows": (
        hostile.far_row_hidden_among_ordinary_rows,
        "sheet_mostly_empty",
        "Z1400000",
    ),
}


def _api_client(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="id")


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_workbook_is_refused_by_the_api_with_a_reason(operator, case):
    build, code, words = HOSTILE[case]
    workers = Worker.objects.count()
    response = _api_client(operator).post(
        "/api/uploads",
        {"file": SimpleUploadedFile("daftar.xlsx", build()), "village_code": PALI_VILLAGE},
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert words in response.json()["message"]
    upload = Upload.objects.get()
    assert (upload.status, upload.progress) == ("rejected", "")
    assert Worker.objects.count() == workers and not StagedRow.objects.exists()


@pytest.mark.parametrize("case", ["two cells A1 and XFD1048576", "billion laughs", "XXE"])
def test_hostile_workbook_is_refused_by_the_web_form_with_a_reason(operator, client_for, case):
    build, _code, words = HOSTILE[case]
    response = client_for(operator).post(
        "/unggah/",
        {"village": PALI_VILLAGE, "file": SimpleUploadedFile("daftar.xlsx", build())},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400  # the form again, with the reason under the file field
    assert words in response.content.decode()
    assert Upload.objects.get().status == "rejected"
    assert not Worker.objects.exists()


def test_two_cells_file_is_small_but_would_span_the_whole_sheet():
    data = hostile.two_cells()
    assert len(data) < 2000
    with pytest.raises(reader.FileRefused) as refused:
        reader.read_table(data, "x.xlsx")
    assert refused.value.code == "sheet_too_large"


def test_a_wide_but_legitimate_sheet_is_still_read(settings):
    # 60 columns: past the fast scan's bounds, so every reference is checked exactly.
    header = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{title}</t></is></c>'
        for col, title in zip(("A", "B", "C"), ("NIK", "Nama Lengkap", "Pekerjaan"), strict=True)
    )
    extra = '<c r="BH2"><v>1</v></c>'
    row = (
        '<c r="A2" t="inlineStr"><is><t>1612015705800008</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>Siti</t></is></c>'
        f'<c r="C2" t="inlineStr"><is><t>Petani</t></is></c>{extra}'
    )
    data = hostile.workbook(hostile.sheet(f'<row r="1">{header}</row><row r="2">{row}</row>'))
    table = reader.read_table(data, "x.xlsx")
    assert table.frame.height == 1


def test_an_unforeseen_reader_error_refuses_the_file_and_never_leaves_it_reading(
    operator, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(services, "read_table", explode)
    with pytest.raises(services.ApplicationError) as refused:
        stage(operator, GOOD)
    assert refused.value.code == "unreadable"
    upload = Upload.objects.get()
    assert (upload.status, upload.progress) == ("rejected", "")


# --- the annotated download ----------------------------------------------------------------------


def _zip_bomb_upload(operator, settings) -> Upload:
    from .test_intake import _zip_bomb

    settings.LINDUNG_UPLOAD_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    with pytest.raises(services.ApplicationError):
        stage(operator, _zip_bomb(), "bom.xlsx")
    return Upload.objects.get()


@pytest.mark.parametrize("role", [Role.VILLAGE_OPERATOR, Role.REGIONAL_HEAD, Role.AUDITOR])
def test_annotated_download_of_a_refused_upload_never_reads_the_file(
    operator, make_user, client_for, settings, monkeypatch, role
):
    upload = _zip_bomb_upload(operator, settings)
    reads = []
    monkeypatch.setattr(spreadsheets, "read_stored", lambda path: reads.append(path))
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self))
    user = operator if role == Role.VILLAGE_OPERATOR else make_user(role)

    page = client_for(user).get(f"/unggah/{upload.pk}/hasil/", HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 409
    assert "tidak diperiksa baris demi baris" in page.content.decode()
    api = _api_client(user).get(f"/api/uploads/{upload.pk}/annotated")
    assert api.status_code == 400
    assert api.json()["code"] == "no_annotated_file"
    assert "tidak diperiksa baris demi baris" in api.json()["message"]
    assert reads == []


def test_annotated_download_rereads_the_stored_file_through_the_guard(operator, settings):
    upload = stage(operator, GOOD)
    assert upload.status == "staged"
    # The stored file changed under the upload (disk tampering, a restored backup…): the
    # re-read meets the same guard as the upload did.
    Path(upload.stored_path).write_bytes(hostile.two_cells())
    response = _api_client(operator).get(f"/api/uploads/{upload.pk}/annotated")
    assert response.status_code == 400
    assert response.json()["code"] == "sheet_too_large"
    settings.LINDUNG_UPLOAD_MAX_BYTES = 100
    Path(upload.stored_path).write_bytes(GOOD * 10)
    response = _api_client(operator).get(f"/api/uploads/{upload.pk}/annotated")
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"


def test_recheck_rereads_the_stored_file_through_the_guard(operator):
    upload = stage(operator, GOOD)
    Path(upload.stored_path).write_bytes(hostile.billion_laughs())
    response = _api_client(operator).post(f"/api/uploads/{upload.pk}/recheck")
    assert response.status_code == 400
    assert response.json()["code"] == "xml_declaration"
    upload.refresh_from_db()
    assert (upload.status, upload.progress) == ("rejected", "")


def test_annotated_csv_with_a_giant_field_is_a_400_not_a_500(operator):
    giant = "x" * 200_000  # over the csv module's field limit
    upload = stage(operator, GOOD + f"1612015705800008;{giant};Petani;;;;;;\n".encode())
    assert upload.status == "staged"
    response = _api_client(operator).get(f"/api/uploads/{upload.pk}/annotated")
    assert response.status_code == 400
    assert response.json()["code"] == "corrupt"
