"""A poverty list (DTSEN) uploaded from the web by a regency: the command line's reader and
service, scoped to the regency's people, every skipped row named with its reason in Bahasa
Indonesia, and hostile files refused with a clear message."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.intake.tests import hostile
from lindung.programs.models import PovertyRecord

pytestmark = pytest.mark.django_db

URL = "/verifikasi/dtsen/"
PALI_NIK = "1612015705800008"
PALI_NIK_2 = "1612014101900003"
MUARA_ENIM_NIK = "1603015705800008"


def post(client, data: bytes, name: str = "dtsen.csv", year="2025", source="DTSEN"):
    upload = SimpleUploadedFile(name, data)
    return client.post(URL, {"file": upload, "year": year, "source": source})


def xlsx(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


@pytest.fixture
def pali_admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1612"], username="dpmd-pali-test")


def test_regency_admin_uploads_a_csv_and_sees_counts_and_every_skipped_row(pali_admin, client_for):
    data = (
        f"NIK;Desil\n{PALI_NIK};3\n{PALI_NIK};2\nsalah;4\n{PALI_NIK_2};11\n{MUARA_ENIM_NIK};1\n"
    ).encode()
    response = post(client_for(pali_admin), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 baris disimpan" in page and "4 baris dilewati" in page
    assert "NIK yang sama muncul lagi di baris 3" in page
    assert "NIK harus 16 angka" in page
    assert "desil harus bilangan bulat 1 sampai 10" in page
    assert "di luar wilayah Anda" in page
    assert list(PovertyRecord.objects.values_list("nik", "decile", "year")) == [(PALI_NIK, 2, 2025)]
    event = AuditEvent.objects.get(action="poverty.import")
    assert event.actor_id == pali_admin.pk and event.channel == "web"


def test_a_registered_person_whose_nik_carries_another_regency_code_is_in_scope(
    pali_admin, client_for, make_worker
):
    # PALI residents may still carry their district's old Muara Enim code in the NIK.
    birth = dt.date(1985, 3, 5)
    worker = make_worker(
        village=PALI_VILLAGE, nik=make_nik("160301", birth, "L", 31), birth_date=birth
    )
    post(client_for(pali_admin), f"NIK,Desil\n{worker.nik},2\n{MUARA_ENIM_NIK},2\n".encode())
    assert list(PovertyRecord.objects.values_list("nik", flat=True)) == [worker.nik]


def test_an_xlsx_is_read_through_the_guard_and_a_nik_typed_as_a_number_is_refused(
    pali_admin, client_for
):
    data = xlsx([["Daftar DTSEN"], ["NIK", "Desil"], [PALI_NIK, 1], [1612014101900003, 2]])
    page = post(client_for(pali_admin), data, name="dtsen.xlsx").content.decode()
    assert "1 baris disimpan" in page
    assert "diketik sebagai angka" in page
    assert PovertyRecord.objects.get().nik == PALI_NIK


def test_the_page_is_linked_from_the_program_list_for_a_regency_admin(pali_admin, client_for):
    assert URL in client_for(pali_admin).get("/verifikasi/program/").content.decode()


@pytest.mark.parametrize(
    "role",
    [
        Role.VILLAGE_OPERATOR,
        Role.BPJS_OFFICER,
        Role.BPJS_REGIONAL,
        Role.REGIONAL_HEAD,
        Role.AUDITOR,
    ],
)
def test_other_roles_get_403_and_no_link(make_user, client_for, role):
    client = client_for(make_user(role))
    assert client.get(URL).status_code == 403
    assert post(client, f"NIK;Desil\n{PALI_NIK};1\n".encode()).status_code == 403
    assert not PovertyRecord.objects.exists()
    assert URL not in client.get("/verifikasi/program/").content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize(
    "data",
    [
        hostile.two_cells(),
        hostile.billion_laughs(),
        hostile.forged_size(),
        hostile.xxe(),
    ],
    ids=["huge-dimension", "billion-laughs", "zip-bomb", "xxe"],
)
def test_hostile_workbooks_are_refused_with_a_message(pali_admin, client_for, data):
    response = post(client_for(pali_admin), data, name="dtsen.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errorlist"' in page
    assert not PovertyRecord.objects.exists()


def test_a_file_with_nul_bytes_is_refused_as_the_wrong_type(pali_admin, client_for):
    page = post(client_for(pali_admin), b"NIK;Desil\x00\x00\n" + b"\x00" * 100).content.decode()
    assert ".xlsx (Excel Workbook) atau .csv" in page
    assert not PovertyRecord.objects.exists()


def test_nul_bytes_inside_a_cell_skip_that_row(pali_admin, client_for):
    data = ("NIK;Desil\n" + "x" * 5000 + f"\n{PALI_NIK};1\n1612\x00014101900003;2\n").encode()
    page = post(client_for(pali_admin), data).content.decode()
    assert "1 baris disimpan" in page and "NIK harus 16 angka" in page
    assert "\x00" not in page


@pytest.mark.parametrize("decile", ["99999999999999999999999999", "-1", "0", "3.5", "tiga"])
def test_a_huge_or_odd_decile_skips_the_row(pali_admin, client_for, decile):
    page = post(client_for(pali_admin), f"NIK;Desil\n{PALI_NIK};{decile}\n".encode())
    assert "desil harus bilangan bulat 1 sampai 10" in page.content.decode()
    assert not PovertyRecord.objects.exists()


def test_a_file_without_the_columns_says_which_are_needed(pali_admin, client_for):
    page = post(client_for(pali_admin), b"Nama;Alamat\nBudi;Talang\n").content.decode()
    assert "kolom NIK dan kolom Desil" in page


@pytest.mark.parametrize("year", ["1900", "99999999999999999999", "dua ribu"])
def test_a_wrong_year_is_a_form_error(pali_admin, client_for, year):
    response = post(client_for(pali_admin), f"NIK;Desil\n{PALI_NIK};1\n".encode(), year=year)
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert not PovertyRecord.objects.exists()


def test_an_unknown_source_is_a_form_error(pali_admin, client_for):
    post(client_for(pali_admin), f"NIK;Desil\n{PALI_NIK};1\n".encode(), source="LAIN")
    assert not PovertyRecord.objects.exists()


def test_an_oversized_file_is_refused_before_reading(pali_admin, client_for, settings):
    settings.LINDUNG_UPLOAD_MAX_BYTES = 100
    page = post(client_for(pali_admin), b"NIK;Desil\n" + b"1612015705800008;1\n" * 20)
    assert "terlalu besar" in page.content.decode()
    assert not PovertyRecord.objects.exists()


def test_a_superadmin_loads_any_region(make_user, client_for):
    admin = make_user(Role.SUPERADMIN)
    post(client_for(admin), f"NIK;Desil\n{PALI_NIK};1\n{MUARA_ENIM_NIK};2\n".encode())
    assert PovertyRecord.objects.count() == 2


def test_the_command_reads_xlsx_too(db, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "dtsen.xlsx"
    path.write_bytes(xlsx([["NIK", "Desil"], [MUARA_ENIM_NIK, 4]]))
    call_command("poverty", "import", str(path), "--year", "2025")
    assert PovertyRecord.objects.get().nik == MUARA_ENIM_NIK


def test_the_command_refuses_a_hostile_workbook_with_a_message(db, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(hostile.two_cells())
    with pytest.raises(CommandError):
        call_command("poverty", "import", str(path), "--year", "2025")
    assert not PovertyRecord.objects.exists()
