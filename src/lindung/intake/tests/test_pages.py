"""The village operator's whole loop through the pages: template, upload, reasons, fix, commit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.intake.models import Upload
from lindung.registry.models import Worker

GOOD = make_nik("161201", dt.date(1980, 5, 17), "P", 8)
TYPO = make_nik("161201", dt.date(1990, 1, 1), "L", 2)[:-1]  # 15 digits


def _sheet_rows(content: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def _write(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in (None, ""):
                sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])


def test_operator_fills_the_template_fixes_rejected_rows_and_ends_with_the_right_workers(
    operator, client_for
):
    client = client_for(operator)
    template = client.get(f"/unggah/templat/{PALI_VILLAGE}/")
    assert template.status_code == 200
    rows = _sheet_rows(template.content)
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "NIK")
    header = rows[header_at]
    assert "16.12.01.2001" in " ".join(str(c) for r in rows[:header_at] for c in r)

    def person(nik, name, occupation="Petani"):
        row = [""] * len(header)
        row[header.index("NIK")] = nik
        row[header.index("Nama Lengkap")] = name
        row[header.index("Pekerjaan")] = occupation
        return row

    filled = _write([*rows[: header_at + 1], person(GOOD, "Siti Aminah"), person(TYPO, "Andi")])
    response = client.post(
        "/unggah/",
        {"village": PALI_VILLAGE, "file": _named(filled, "desa.xlsx")},
    )
    upload = Upload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/unggah/{upload.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "NIK harus 16 digit; yang tertulis 15 digit." in page

    annotated = client.get(f"/unggah/{upload.pk}/hasil/")
    back = _sheet_rows(annotated.content)
    status_col = back[header_at].index("Status Lindung")
    assert back[header_at + 1][status_col] == "DITERIMA"
    assert back[header_at + 2][status_col] == "DITOLAK"
    # The operator fixes the NIK in their own file and uploads it again, status columns and all.
    back[header_at + 2][0] = make_nik("161201", dt.date(1990, 1, 1), "L", 2)
    response = client.post(
        "/unggah/", {"village": PALI_VILLAGE, "file": _named(_write(back), "desa-hasil.xlsx")}
    )
    second = Upload.objects.exclude(pk=upload.pk).get()
    assert second.counts["accepted"] == 2 and second.counts["rejected"] == 0
    client.post(f"/unggah/{second.pk}/simpan/")
    # Committing the first (partly rejected) upload afterwards doubles nobody.
    client.post(f"/unggah/{upload.pk}/simpan/")
    assert sorted(Worker.objects.values_list("name", flat=True)) == ["Andi", "Siti Aminah"]


def test_a_refused_file_shows_its_reason_on_the_form(operator, client_for):
    response = client_for(operator).post(
        "/unggah/", {"village": PALI_VILLAGE, "file": _named(b"\x00\x01binary", "x.xlsx")}
    )
    assert response.status_code == 400  # issue 7: a refused file is a 4xx with its reason
    assert "bukan berkas Excel" in response.content.decode()
    assert not Worker.objects.exists()


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_large_files_are_checked_and_saved_by_the_background_worker(
    operator, client_for, settings, monkeypatch
):
    from lindung.intake import views

    settings.LINDUNG_INLINE_CHECK_BYTES = 0  # every file counts as large
    monkeypatch.setattr(views, "BACKGROUND_COMMIT_ROWS", 0)
    client = client_for(operator)
    content = f"NIK;Nama Lengkap;Pekerjaan\n{GOOD};Siti Aminah;Petani\n".encode()
    response = client.post("/unggah/", {"village": PALI_VILLAGE, "file": _named(content, "a.csv")})
    upload = Upload.objects.get()
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == "staged" and upload.progress == "" and upload.counts["accepted"] == 1
    client.post(f"/unggah/{upload.pk}/simpan/")
    upload.refresh_from_db()
    assert upload.status == "committed" and upload.progress == ""
    assert Worker.objects.filter(nik=GOOD).exists()


def test_the_page_polls_while_work_is_in_progress(operator, client_for):
    client = client_for(operator)
    content = f"NIK;Nama Lengkap;Pekerjaan\n{GOOD};Siti Aminah;Petani\n".encode()
    client.post("/unggah/", {"village": PALI_VILLAGE, "file": _named(content, "a.csv")})
    upload = Upload.objects.get()
    Upload.objects.filter(pk=upload.pk).update(progress="checking")
    # Live work holds a lease that its worker renews (without one the upload is stalled: see
    # test_stalled.py).
    from lindung.intake import leases

    leases.promise(upload, "check")
    page = client.get(f"/unggah/{upload.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page
    box = client.get(f"/unggah/{upload.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in box and "progress-box" in box


def test_a_refusal_in_background_work_is_shown_and_stops_the_waiting(
    operator, client_for, monkeypatch
):
    from lindung.intake import views

    monkeypatch.setattr(views, "BACKGROUND_COMMIT_ROWS", 0)
    client = client_for(operator)
    content = f"NIK;Nama Lengkap;Pekerjaan\n{GOOD};Siti Aminah;Petani\n".encode()
    client.post("/unggah/", {"village": PALI_VILLAGE, "file": _named(content, "a.csv")})
    upload = Upload.objects.get()
    Upload.objects.filter(pk=upload.pk).update(status="failed")  # e.g. rows lost meanwhile
    client.post(f"/unggah/{upload.pk}/simpan/")
    upload.refresh_from_db()
    assert upload.progress == "" and upload.message


def test_the_polling_box_reloads_the_page_when_background_work_ends(operator, client_for):
    """The poll must get the box back with its outcome (and a full reload), not the whole page:
    htmx found no box in it, the box vanished and the page stayed on "Received"."""
    from lindung.intake import leases

    client = client_for(operator)
    content = f"NIK;Nama Lengkap;Pekerjaan\n{GOOD};Siti Aminah;Petani\n".encode()
    client.post("/unggah/", {"village": PALI_VILLAGE, "file": _named(content, "a.csv")})
    upload = Upload.objects.get()
    Upload.objects.filter(pk=upload.pk).update(progress="checking")
    leases.promise(upload, "check")
    working = client.get(f"/unggah/{upload.pk}/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in working and 'hx-trigger="every 2s"' in working.content.decode()

    Upload.objects.filter(pk=upload.pk).update(progress="")  # the worker finished
    done = client.get(f"/unggah/{upload.pk}/", HTTP_HX_REQUEST="true")
    box = done.content.decode()
    assert done["HX-Refresh"] == "true"
    assert "<html" not in box and 'id="progress-box"' in box and "Selesai" in box
