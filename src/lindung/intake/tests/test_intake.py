"""Intake end to end through the services and the `lindung import` command."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
import xlsxwriter
from django.core.management import call_command

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.common.errors import ApplicationError
from lindung.conftest import PALI_VILLAGE, SAROLANGUN_VILLAGE, make_nik
from lindung.intake.models import StagedRow, Upload
from lindung.intake.services import upload_commit, upload_stage
from lindung.registry.models import Heir, Worker

HEADER = "No. NIK;Nama Lengkap;Tgl Lahir;L/P;Pekerjaan;No HP;Penghasilan;Nama Ahli Waris;Hubungan"
SITI = make_nik("161201", dt.date(1980, 5, 17), "P", 8)
ANDI = make_nik("161201", dt.date(1990, 1, 1), "L", 2)


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


GOOD = csv_bytes(
    f"{SITI};Siti Aminah;17-05-1980;P;Petani;0812 3456 7890;Rp 1.500.000;Rahmat;Suami",
    f"{ANDI};Andi Saputra;01/01/1990;L;ojek;;;;",
)


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])


def stage(actor, data: bytes, name: str = "daftar.csv", village: str = PALI_VILLAGE) -> Upload:
    return upload_stage(actor=actor, data=data, filename=name, village_code=village)


def test_a_clean_list_is_staged_then_committed_with_heirs(operator):
    upload = stage(operator, GOOD)
    assert upload.counts["accepted"] == 2 and upload.counts["rejected"] == 0
    assert not Worker.objects.exists()  # staging never touches the registry
    upload_commit(actor=operator, upload=upload)
    siti = Worker.objects.get(nik=SITI)
    assert (siti.sex, siti.birth_date, siti.phone) == ("P", dt.date(1980, 5, 17), "+6281234567890")
    assert siti.monthly_income == 1_500_000 and siti.occupation.code == "petani"
    assert list(Heir.objects.values_list("name", "relationship")) == [("Rahmat", "spouse")]
    assert StagedRow.objects.get(upload=upload, nik=SITI).worker_id == siti.pk
    event = AuditEvent.objects.get(action="intake.commit")
    assert event.row_count == 2 and event.region_code == PALI_VILLAGE


def test_reuploading_the_same_file_creates_no_double_workers(operator):
    upload_commit(actor=operator, upload=stage(operator, GOOD))
    again = upload_commit(actor=operator, upload=stage(operator, GOOD))
    assert Worker.objects.count() == 2 and Heir.objects.count() == 1
    assert again.counts["unchanged"] == 2 and again.counts["accepted"] == 0


def test_a_corrected_file_updates_the_registered_worker(operator):
    upload_commit(actor=operator, upload=stage(operator, GOOD))
    fixed = GOOD.replace(b"Petani;0812 3456 7890;Rp 1.500.000", b"Nelayan;;2000000")
    upload = upload_commit(actor=operator, upload=stage(operator, fixed))
    assert upload.counts["updated"] == 1
    siti = Worker.objects.get(nik=SITI)
    assert siti.occupation.code == "nelayan" and siti.monthly_income == 2_000_000
    assert siti.phone == "+6281234567890"  # an empty cell never erases


def test_every_bad_row_comes_back_with_a_reason_in_indonesian(operator):
    data = csv_bytes(
        "1.60301E+15;Budi;01/01/1990;L;petani;;;;",
        f"{SITI};Siti;;;Petani;;;;",
        f"{SITI};Siti lagi;;;Petani;;;;",
        f"{ANDI};Andi;02-01-1990;P;Tukang Sihir;123;abc;X;kawan",
        "1699010101900001;X;;;ojek;;;;",
        ";Tanpa NIK;;;ojek;;;;",
        "0;Belum punya KTP;;;ojek;;;;",
    )
    upload = stage(operator, data)
    rows = {r.row_number: r for r in StagedRow.objects.filter(upload=upload)}
    codes = {n: sorted(e["code"] for e in r.errors) for n, r in rows.items()}
    assert codes[2] == ["excel_float"]
    assert codes[3] == [] and rows[3].status == "new"
    assert codes[4] == ["duplicate_in_file"] and rows[4].status == "duplicate"
    assert codes[5] == [
        "birth_date_mismatch",
        "heir_relationship_unknown",
        "income_unreadable",
        "occupation_unknown",
        "phone_invalid",
        "sex_mismatch",
    ]
    assert codes[6] == ["regency_unknown"]
    assert codes[7] == ["empty"]
    assert codes[8] == ["no_nik"] and "Dukcapil" in rows[8].errors[0]["message"]
    assert "Ubah format kolom NIK menjadi Teks" in rows[2].errors[0]["message"]
    assert upload.counts == {
        "rows": 7,
        "accepted": 1,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 1,
        "rejected": 5,
        "conflicts": 0,
    }


def test_windows_1252_csv_with_commas_is_read(operator):
    data = csv_bytes(
        f"{SITI},Siti Aminah Binti Sa\u00efd,17-05-1980,P,Petani,,,,",
        header=HEADER.replace(";", ","),
        encoding="cp1252",
    )
    upload = stage(operator, data)
    assert upload.counts["accepted"] == 1
    assert StagedRow.objects.get(upload=upload).name == "Siti Aminah Binti Sa\u00efd"


def test_a_nik_registered_in_another_village_is_refused_not_moved(operator, make_worker):
    make_worker(
        village=SAROLANGUN_VILLAGE,
        nik=make_nik("150301", dt.date(1980, 1, 1), "L", 5),
        name="Pindahan",  # the same person, moved (another name is a NIK conflict)
    )
    data = csv_bytes(f"{make_nik('150301', dt.date(1980, 1, 1), 'L', 5)};Pindahan;;;Petani;;;;")
    upload = stage(operator, data)
    row = StagedRow.objects.get(upload=upload)
    assert row.status == "rejected" and row.errors[0]["code"] == "registered_elsewhere"


def test_an_operator_cannot_upload_for_another_village(operator):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        stage(operator, GOOD, village=SAROLANGUN_VILLAGE)
    assert not Upload.objects.exists()


def _xlsx(rows, *, nik_as_number=False, formula=False, merge=False) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, ["NIK", "Nama Lengkap", "Tanggal Lahir", "Pekerjaan"])
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    for r, (nik, name, born, occupation) in enumerate(rows, start=1):
        if nik_as_number:
            sheet.write_number(r, 0, int(nik))
        else:
            sheet.write_string(r, 0, nik)
        sheet.write_string(r, 1, name)
        sheet.write_datetime(r, 2, dt.datetime.combine(born, dt.time()), date_format)
        sheet.write_string(r, 3, occupation)
    if formula:
        sheet.write_formula(len(rows) + 1, 1, '=UPPER("x")')
    if merge:
        sheet.merge_range(len(rows) + 1, 0, len(rows) + 1, 1, "gabung")
    workbook.close()
    return buffer.getvalue()


def test_xlsx_with_real_date_cells_is_read(operator):
    data = _xlsx([(SITI, "Siti Aminah", dt.date(1980, 5, 17), "Petani")])
    assert stage(operator, data, "daftar.xlsx").counts["accepted"] == 1


def test_nik_stored_as_an_excel_number_is_rejected_with_how_to_fix(operator):
    data = _xlsx([(SITI, "Siti Aminah", dt.date(1980, 5, 17), "Petani")], nik_as_number=True)
    row = StagedRow.objects.get(upload=stage(operator, data, "daftar.xlsx"))
    assert row.status == "rejected" and row.errors[0]["code"] == "excel_float"


def test_csv_whose_niks_all_end_in_zero_went_through_a_number_format(operator):
    rows = [
        f"{make_nik('161201', dt.date(1980, 1, d), 'L', 10 * d)};Orang {d};;;Petani;;;;"
        for d in range(1, 8)
    ]
    upload = stage(operator, csv_bytes(*rows))
    assert upload.counts["rejected"] == 7
    assert {e["code"] for r in StagedRow.objects.filter(upload=upload) for e in r.errors} == {
        "excel_float"
    }


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * 1024 * 1024))
    return buffer.getvalue()


BAD_FILES = {
    "renamed binary": (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, "bin.xlsx", "wrong_type"),
    "old xls or password protected": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
        "x.xlsx",
        "xls_or_encrypted",
    ),
    "corrupt xlsx": (b"PK\x03\x04garbage", "x.xlsx", "corrupt"),
    "zip that is not a workbook": (None, "x.xlsx", "wrong_type"),
    "zip bomb": (None, "bomb.xlsx", "too_large_unpacked"),
    "empty file": (b"", "x.csv", "empty"),
    "no header": (b"a;b;c\n1;2;3\n", "x.csv", "no_header"),
    "header without rows": (HEADER.encode() + b"\n", "x.csv", "no_rows"),
    "missing required column": (b"NIK;Nama\n1612015705800008;Siti\n", "x.csv", "missing_columns"),
    "formulas": (None, "f.xlsx", "formulas"),
    "merged cells": (None, "m.xlsx", "merged_cells"),
    "too large": (None, "big.csv", "too_large"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_with_a_message_and_touch_nothing(operator, settings, case):
    data, name, code = BAD_FILES[case]
    if case == "zip that is not a workbook":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        data = buffer.getvalue()
    elif case == "zip bomb":
        settings.LINDUNG_UPLOAD_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
        data = _zip_bomb()
    elif case == "formulas":
        data = _xlsx([(SITI, "Siti", dt.date(1980, 5, 17), "Petani")], formula=True)
    elif case == "merged cells":
        data = _xlsx([(SITI, "Siti", dt.date(1980, 5, 17), "Petani")], merge=True)
    elif case == "too large":
        settings.LINDUNG_UPLOAD_MAX_BYTES = 100
        data = GOOD
    workers_before = Worker.objects.count()
    with pytest.raises(ApplicationError) as refused:
        stage(operator, data, name)
    assert refused.value.code == code
    assert refused.value.message
    assert Worker.objects.count() == workers_before
    assert not StagedRow.objects.exists()
    assert Upload.objects.get().status == "rejected"


def test_row_limit_is_enforced(operator, settings):
    settings.LINDUNG_UPLOAD_MAX_ROWS = 1
    with pytest.raises(ApplicationError) as refused:
        stage(operator, GOOD)
    assert refused.value.code == "too_many_rows"


# --- the command ---------------------------------------------------------------------------------


def test_import_command_stages_reports_json_and_commits(db, tmp_path, capsys):
    path = tmp_path / "daftar.csv"
    path.write_bytes(GOOD + f"{SITI};Siti lagi;;;Petani;;;;\n".encode())
    call_command("import", str(path), "--village", "16.12.01.2001", "--json")
    report = json.loads(capsys.readouterr().out)
    assert {k: report[k] for k in ("rows", "accepted", "rejected", "duplicates", "updated")} == {
        "rows": 3,
        "accepted": 2,
        "rejected": 0,
        "duplicates": 1,
        "updated": 0,
    }
    assert report["committed"] is False and not Worker.objects.exists()
    assert report["errors"][0]["row"] == 4 and report["errors"][0]["code"] == "duplicate_in_file"
    call_command("import", str(path), "--village", "16.12.01.2001", "--json", "--commit")
    assert json.loads(capsys.readouterr().out)["committed"] is True
    assert Worker.objects.count() == 2
    assert AuditEvent.objects.filter(action="intake.commit", channel="import").exists()


def test_import_command_exits_non_zero_with_a_message_for_an_unreadable_file(
    db, tmp_path, capsys, monkeypatch
):
    # Through the command line: it (LindungCommand) maps the refusal to a message and exit 2;
    # call_command raises the ApplicationError itself.
    from lindung import cli

    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    monkeypatch.setattr("sys.argv", ["lindung", "import", str(path), "--village", PALI_VILLAGE])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip()
    with pytest.raises(ApplicationError):
        call_command("import", str(path), "--village", PALI_VILLAGE)


def test_commit_applies_nothing_when_the_registry_changed_since_the_check(operator, make_worker):
    upload = stage(operator, GOOD)
    make_worker(village=PALI_VILLAGE, nik=ANDI, name="Andi (entered by hand)")
    with pytest.raises(ApplicationError) as changed:
        upload_commit(actor=operator, upload=upload)
    assert changed.value.code == "registry_changed"
    assert not Worker.objects.filter(nik=SITI).exists()
    upload.refresh_from_db()
    assert upload.status == "staged" and upload.counts["accepted"] == 1
    upload_commit(actor=operator, upload=upload)
    assert Worker.objects.filter(nik=SITI).exists()


def test_commit_refuses_when_staged_rows_went_missing(operator):
    upload = stage(operator, GOOD)
    StagedRow.objects.filter(upload=upload).delete()  # as after a crash of the database server
    upload_commit(actor=operator, upload=upload)
    upload.refresh_from_db()
    assert upload.status == "failed" and upload.message
    assert not Worker.objects.exists()


def test_two_uploads_of_the_same_people_never_double_them(operator):
    first, second = stage(operator, GOOD), stage(operator, GOOD)
    upload_commit(actor=operator, upload=first)
    with pytest.raises(ApplicationError) as changed:
        upload_commit(actor=operator, upload=second)
    assert changed.value.code == "registry_changed"
    second.refresh_from_db()
    assert second.counts["unchanged"] == 2 and second.counts["accepted"] == 0
    upload_commit(actor=operator, upload=second)
    assert Worker.objects.count() == 2


def test_a_title_line_above_the_header_is_skipped_and_row_numbers_stay_true(operator):
    data = b"Daftar pekerja rentan Desa Talang Bulang\n\n" + GOOD + b"123;Salah;;;Petani;;;;\n"
    upload = stage(operator, data)
    assert upload.counts["accepted"] == 2 and upload.counts["rejected"] == 1
    assert StagedRow.objects.get(upload=upload, status="rejected").row_number == 6


def test_cli_loop_reject_fix_and_reimport_ends_with_exactly_the_right_workers(db, tmp_path, capsys):
    path = tmp_path / "desa.csv"
    typo = ANDI[:-1]  # 15 digits
    path.write_bytes(
        csv_bytes(f"{SITI};Siti Aminah;;;Petani;;;;", f"{typo};Andi Saputra;;;Ojek;;;;")
    )
    call_command("import", str(path), "--village", PALI_VILLAGE, "--commit", "--json")
    first = json.loads(capsys.readouterr().out)
    assert (first["accepted"], first["rejected"]) == (1, 1)
    assert first["errors"][0]["row"] == 3 and "16 digit" in first["errors"][0]["message"]
    # The operator fixes row 3 and sends the whole file again.
    path.write_bytes(path.read_bytes().replace(typo.encode() + b";", ANDI.encode() + b";"))
    call_command("import", str(path), "--village", PALI_VILLAGE, "--commit", "--json")
    second = json.loads(capsys.readouterr().out)
    assert (second["accepted"], second["unchanged"], second["rejected"]) == (1, 1, 0)
    assert sorted(Worker.objects.values_list("nik", flat=True)) == sorted([SITI, ANDI])


OCCUPATION_WORDS = [
    ("PETANI/PEKEBUN", 9),
    ("petani pekebun", 9),
    ("Pedagang", 84),
    ("WIRASWASTA", 88),
    ("wiraswasta", 88),
    ("Buruh Harian Lepas", 19),
    ("BHL", 19),
    ("PNS", 5),
    ("Tani", 9),
    ("nelayan/perikanan", 11),
    ("88", 88),
]


def test_e_ktp_occupation_words_in_any_case_and_short_forms_are_accepted(operator):
    niks = [
        make_nik("161201", dt.date(1980, 1, 1 + i), "L", 1) for i in range(len(OCCUPATION_WORDS))
    ]
    data = csv_bytes(
        *(
            f"{nik};Orang Ke {i};;;{word};;;;"
            for i, (nik, (word, _code)) in enumerate(zip(niks, OCCUPATION_WORDS, strict=True))
        )
    )
    upload = upload_commit(actor=operator, upload=stage(operator, data))
    assert upload.counts["rejected"] == 0, upload.counts
    stored = dict(Worker.objects.values_list("nik", "occupation__registry_code"))
    assert [stored[nik] for nik in niks] == [code for _word, code in OCCUPATION_WORDS]


def test_an_unknown_occupation_is_refused_with_a_suggestion(operator):
    upload = stage(operator, csv_bytes(f"{SITI};Siti Aminah;;;Petni;;;;"))
    row = StagedRow.objects.get(upload=upload)
    assert upload.counts["rejected"] == 1 and not Worker.objects.exists()
    message = row.errors[0]["message"]
    assert row.errors[0]["code"] == "occupation_unknown"
    assert message.startswith("Pekerjaan 'Petni' tidak ada di daftar. Maksud Anda:")
    assert "Petani" in message


def test_the_template_drop_down_offers_the_registry_list(operator):
    from lindung.intake.spreadsheets import template_xlsx
    from lindung.regions.models import Region

    book = zipfile.ZipFile(io.BytesIO(template_xlsx(Region.objects.get(code=PALI_VILLAGE))))
    strings = book.read("xl/sharedStrings.xml").decode()
    for name in ("PETERNAK", "WIRASWASTA", "MENGURUS RUMAH TANGGA", "Petani", "Guru Ngaji"):
        assert f">{name}<" in strings
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    (rule,) = re.findall(r"<dataValidation [^>]*>\s*<formula1>Pilihan!\$A[^<]*", sheet)
    # Typed short forms (IRT, BHL) and e-KTP codes stay possible: a warning, not a stop.
    assert 'errorStyle="warning"' in rule


OPENSID_HEADER = (
    "alamat_sekarang,dusun,rw,rt,nama,nik,id_hubungan,sex,agama_id,pendidikan_kk_id,"
    "pendidikan_sedang_id,pekerjaan_id,status_kawin,id_kk,no_kk,tempatlahir,tanggallahir,"
    "warganegara_id,nama_ayah,nama_ibu,golongan_darah_id,akta_lahir,dokumen_pasport,"
    "dokumen_kitas,ayah_nik,ibu_nik,akta_perkawinan,tanggalperkawinan,akta_perceraian,"
    "tanggalperceraian,cacat_id,cara_kb_id,hamil,ktp_el,status_rekam,alamat_sebelumnya,"
    "telepon,email,tag_id_card"
)


def opensid_row(nik: str, name: str, sex: str, birth: str, job: str) -> str:
    cells = [""] * len(OPENSID_HEADER.split(","))
    columns = OPENSID_HEADER.split(",")
    values = {
        "alamat_sekarang": "Dusun I", "dusun": "I", "rw": "001", "rt": "002", "nama": name,
        "nik": nik, "id_hubungan": "1", "sex": sex, "agama_id": "1", "pekerjaan_id": job,
        "status_kawin": "2", "no_kk": "1612010101200001", "tempatlahir": "TALANG UBI",
        "tanggallahir": birth, "warganegara_id": "1", "nama_ibu": "SITI", "ktp_el": "2",
    }  # fmt: skip
    for column, value in values.items():
        cells[columns.index(column)] = value
    return ",".join(cells)


def test_an_opensid_resident_export_uploads_as_it_is(operator):
    pupil = make_nik("161201", dt.date(2005, 3, 4), "P", 3)
    child_birth = dt.date.today().replace(year=dt.date.today().year - 10, day=1)
    child = make_nik("161201", child_birth, "L", 4)
    data = csv_bytes(
        opensid_row(SITI, "SITI AMINAH", "2", "1980-05-17", "9"),  # PETANI/PEKEBUN
        opensid_row(ANDI, "ANDI SAPUTRA", "1", "1990-01-01", "88"),  # WIRASWASTA
        opensid_row(pupil, "DEWI LESTARI", "2", "2005-03-04", "3"),  # PELAJAR/MAHASISWA
        opensid_row(
            child, "RIZKI", "1", child_birth.isoformat(), "1"
        ),  # a child, BELUM/TIDAK BEKERJA
        header=OPENSID_HEADER,
    )
    upload = stage(operator, data)
    assert upload.counts["accepted"] == 2 and upload.counts["rejected"] == 2, [
        (r.nik, r.errors) for r in StagedRow.objects.filter(upload=upload)
    ]
    upload_commit(actor=operator, upload=upload)
    siti = Worker.objects.get(nik=SITI)
    assert (siti.sex, siti.birth_date, siti.occupation.registry_code) == (
        "P",
        dt.date(1980, 5, 17),
        9,
    )
    assert siti.kk_number == "1612010101200001" and siti.birth_place == "TALANG UBI"
    assert Worker.objects.get(nik=ANDI).occupation.registry_code == 88
    reasons = {
        r.nik: [e["code"] for e in r.errors]
        for r in StagedRow.objects.filter(upload=upload, status="rejected")
    }
    assert reasons[pupil] == ["occupation_not_working"]
    assert "under_working_age" in reasons[child]
    pupil_row = StagedRow.objects.get(upload=upload, nik=pupil)
    assert "berarti tidak bekerja" in pupil_row.errors[0]["message"]


def test_a_homemaker_row_comes_back_with_its_reason(operator):
    upload = stage(operator, csv_bytes(f"{SITI};Siti Aminah;;;IRT;;;;"))
    (error,) = StagedRow.objects.get(upload=upload).errors
    assert error["code"] == "occupation_not_working"
    assert error["message"].startswith("Pekerjaan 'IRT' berarti tidak bekerja")
