"""The `lindung` command line as a user meets it: exit statuses, errors as clear messages (JSON
with --json, Bahasa Indonesia unless --lang en), never a traceback, and the overview.

Most tests run `lindung.cli.main` in this process with `sys.argv` set, so they go through the
same path as the console script (argument parsing, `LindungCommand.run_from_argv`) and see the
test database; an exception escaping it would fail the test, as a traceback would show to a
user. A few run a real process where no database is needed or the database is the point.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

import pytest

from lindung import cli
from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE, SAROLANGUN_VILLAGE
from lindung.site.testing import lindung as lindung_process
from lindung.site.testing import scratch_env

VALID = "1612011508030002"  # Talang Ubi (PALI), male, 15-08-2003
SHORT = "161201150803000"
HEADER = "NIK;Nama Lengkap;Tgl Lahir;L/P;Pekerjaan"
ROW = "1503015705800008;Siti Aminah;17-05-1980;P;Petani"  # born in Sarolangun


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def lindung(capsys, monkeypatch):
    def run(*argv: str) -> Run:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["lindung", *argv])
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    return run


def assert_json_error(run: Run, code: str) -> str:
    assert run.code == 2
    (line,) = run.json_lines()
    assert set(line) == {"error"} and set(line["error"]) == {"code", "message"}
    assert line["error"]["code"] == code
    return line["error"]["message"]


# --- nik inspect: the exit status says whether every NIK is valid -----------------------------


@pytest.mark.django_db
def test_nik_inspect_exits_0_when_every_nik_is_valid(lindung):
    run = lindung("nik", "inspect", VALID, "--reference-date", "2025-06-01")
    assert run.code == 0
    assert VALID in run.out


@pytest.mark.django_db
def test_nik_inspect_exits_1_when_any_nik_is_invalid(lindung):
    run = lindung("nik", "inspect", VALID, SHORT, "--reference-date", "2025-06-01")
    assert run.code == 1
    assert "16 angka" in run.out or "16 digit" in run.out


@pytest.mark.django_db
def test_nik_inspect_json_exits_1_and_stays_json_lines(lindung):
    run = lindung("nik", "inspect", VALID, SHORT, "--json", "--reference-date", "2025-06-01")
    assert run.code == 1
    assert [row["valid"] for row in run.json_lines()] == [True, False]


@pytest.mark.django_db
def test_nik_inspect_json_with_a_bad_reference_date_is_a_json_error(lindung):
    message = assert_json_error(
        lindung("nik", "inspect", VALID, "--json", "--reference-date", "01-06-2025"), "usage"
    )
    assert message.startswith("Perintah tidak sesuai") and "--reference-date" in message


# --- a user acting outside their regions -----------------------------------------------------


@pytest.fixture
def operator2(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="operator2")


@pytest.fixture
def sarolangun_list(tmp_path):
    path = tmp_path / "daftar.csv"
    path.write_text(f"{HEADER}\n{ROW}\n")
    return path


@pytest.mark.django_db
def test_import_for_a_village_outside_the_users_regions_is_refused_in_indonesian(
    lindung, operator2, sarolangun_list
):
    from lindung.intake.models import Upload
    from lindung.registry.models import Worker

    run = lindung(
        "import", str(sarolangun_list), "--village", SAROLANGUN_VILLAGE, "--user", "operator2"
    )
    assert run.code == 2
    assert run.err.strip() == (
        "Pengguna ini tidak boleh melakukan ini di wilayah tersebut (di luar wilayahnya atau "
        "bukan perannya)."
    )
    assert not Upload.objects.exists() and not Worker.objects.exists()


@pytest.mark.django_db
def test_import_outside_the_users_regions_with_json_is_a_json_error(
    lindung, operator2, sarolangun_list
):
    from lindung.intake.models import Upload

    run = lindung(
        "import",
        str(sarolangun_list),
        "--village",
        SAROLANGUN_VILLAGE,
        "--user",
        "operator2",
        "--json",
        "--lang",
        "en",
    )
    message = assert_json_error(run, "forbidden")
    assert message.startswith("This user may not do this in that region")
    assert run.err == "" and not Upload.objects.exists()


@pytest.mark.django_db
def test_import_as_an_unknown_user_names_the_user(lindung, sarolangun_list):
    run = lindung("import", str(sarolangun_list), "--village", PALI_VILLAGE, "--user", "siapa")
    assert run.code == 2
    assert run.err.strip() == "Tidak ada pengguna aktif 'siapa'."


# --- regions, files and options that do not exist ----------------------------------------------


@pytest.mark.django_db
def test_duplicates_scan_of_a_region_that_does_not_exist_is_refused(lindung):
    run = lindung("duplicates", "scan", "--region", "99")
    assert run.code == 2
    assert run.err.strip() == "Tidak ada wilayah dengan kode 99."
    assert "pair" not in run.out


@pytest.mark.django_db
def test_duplicates_scan_of_an_unknown_region_with_json_is_a_json_error(lindung):
    message = assert_json_error(
        lindung("duplicates", "scan", "--region", "99", "--json", "--lang", "en"),
        "region_not_found",
    )
    assert message == "No region has the code 99."


@pytest.mark.django_db
def test_duplicates_scan_of_a_real_region_still_lists_its_pairs(lindung):
    run = lindung("duplicates", "scan", "--region", "16.12")
    assert run.code == 0
    assert "16.12" in run.out


@pytest.mark.django_db
def test_a_missing_file_is_named_in_indonesian_or_english(lindung, tmp_path):
    missing = tmp_path / "tidak-ada.csv"
    run = lindung("import", str(missing), "--village", PALI_VILLAGE)
    assert run.code == 2 and run.err.strip() == f"Berkas tidak ditemukan: {missing}"
    run = lindung("poverty", "import", str(missing), "--year", "2025", "--lang", "en")
    assert run.code == 2 and run.err.strip() == f"File not found: {missing}"


@pytest.mark.django_db
def test_a_bad_option_value_is_refused_with_the_reason_and_where_to_look(lindung, tmp_path):
    run = lindung("poverty", "import", str(tmp_path / "x.csv"), "--year", "dua-ribu")
    assert run.code == 2
    first, hint = run.err.strip().splitlines()
    assert first.startswith("Perintah tidak sesuai:") and "--year" in first
    assert hint == "Lihat `lindung poverty --help`."


@pytest.mark.django_db
def test_a_bad_option_value_with_json_is_a_json_error(lindung):
    message = assert_json_error(
        lindung("duplicates", "scan", "--region", "16.12", "--json", "--lang", "xx"), "usage"
    )
    assert "--lang" in message


@pytest.mark.django_db
def test_an_unreadable_upload_is_refused_with_its_reason_as_json(lindung, tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    message = assert_json_error(
        lindung("import", str(path), "--village", PALI_VILLAGE, "--json"), "corrupt"
    )
    assert message == "Berkas Excel rusak dan tidak bisa dibuka. Simpan ulang dari Excel."


@pytest.mark.django_db
def test_a_wrong_serve_address_is_refused_before_anything_starts(lindung):
    run = lindung("serve", "127.0.0.1:delapan")
    assert run.code == 2
    assert run.err.strip() == (
        "Bukan alamat dan port: 127.0.0.1:delapan (contoh: 8000, 0.0.0.0:8000)."
    )


def test_a_database_not_set_up_yet_says_to_run_setup_without_a_traceback(tmp_path):
    env = scratch_env(tmp_path)
    done = lindung_process(env, "nik", "inspect", VALID, "--json")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = [json.loads(x) for x in done.stdout.splitlines() if x.strip()]
    assert line["error"]["code"] == "database"
    assert "lindung setup" in line["error"]["message"]


# --- poverty import: every skipped row named, with why -----------------------------------------

POVERTY_CSV = (
    "NIK;Desil\n"
    "1612015705800008;3\n"  # row 2: replaced by row 3
    "1612015705800008;2\n"  # row 3: kept
    "salah;4\n"  # row 4: not a NIK
    "1612011508030002;11\n"  # row 5: decile out of range
    "1612011508030003;\n"  # row 6: no decile
)


@pytest.fixture
def poverty_file(tmp_path):
    path = tmp_path / "dtsen.csv"
    path.write_text(POVERTY_CSV)
    return path


@pytest.mark.django_db
def test_poverty_import_names_each_skipped_row_and_why_in_indonesian(lindung, poverty_file):
    from lindung.programs.models import PovertyRecord

    run = lindung("poverty", "import", str(poverty_file), "--year", "2025")
    assert run.code == 0
    assert run.out.splitlines() == [
        "1 baris disimpan; 4 baris dilewati.",
        "  baris 2: NIK yang sama muncul lagi di baris 3; baris itulah yang dipakai",
        "  baris 4: NIK harus 16 angka (tertulis: 'salah')",
        "  baris 5: desil harus bilangan bulat 1 sampai 10 (tertulis: '11')",
        "  baris 6: desil harus bilangan bulat 1 sampai 10 (tertulis: '')",
    ]
    assert list(PovertyRecord.objects.values_list("nik", "decile")) == [("1612015705800008", 2)]


@pytest.mark.django_db
def test_poverty_import_reports_in_english_with_lang_en(lindung, poverty_file):
    run = lindung("poverty", "import", str(poverty_file), "--year", "2025", "--lang", "en")
    assert run.out.splitlines()[:3] == [
        "1 rows stored; 4 rows skipped.",
        "  row 2: the same NIK appears again on row 3, which is used instead",
        "  row 4: the NIK must be 16 digits (written: 'salah')",
    ]


@pytest.mark.django_db
def test_poverty_import_json_lists_every_skipped_row(lindung, poverty_file):
    run = lindung("poverty", "import", str(poverty_file), "--year", "2025", "--json")
    (report,) = run.json_lines()
    assert report["stored"] == 1
    assert [s["row"] for s in report["skipped"]] == [2, 4, 5, 6]


@pytest.mark.django_db
def test_poverty_import_without_a_decile_column_is_refused(lindung, tmp_path):
    path = tmp_path / "tanpa-desil.csv"
    path.write_text("NIK;Nama\n1612015705800008;Siti\n")
    run = lindung("poverty", "import", str(path), "--year", "2025")
    assert run.code == 2
    assert run.err.strip() == "Berkas harus memiliki kolom NIK dan kolom Desil."


# --- the overview ------------------------------------------------------------------------------


def lindung_command_names() -> set[str]:
    return set(cli.lindung_commands())


def test_every_lindung_command_has_a_line_in_the_overview():
    assert lindung_command_names() == set(cli.SUMMARIES)


@pytest.mark.parametrize("argv", [[], ["help"], ["--help"], ["-h"]])
def test_lindung_alone_lists_lindungs_commands_first_one_line_each(lindung, argv):
    run = lindung(*argv)
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == "Cara pakai: lindung PERINTAH [opsi]"
    assert lines[2] == "Perintah Lindung:"
    listed = lines[3 : 3 + len(cli.SUMMARIES)]
    assert [line.split()[0] for line in listed] == list(cli.SUMMARIES)
    assert "jelaskan NIK; status keluar 1 bila ada yang tidak sah" in run.out
    assert "`lindung help --commands`" in lines[-1]
    assert "migrate" not in "\n".join(listed)


def test_lindung_help_in_english(lindung):
    run = lindung("help", "--lang", "en")
    assert run.out.splitlines()[0] == "Usage: lindung COMMAND [options]"
    assert "explain NIKs; exit 1 when any is invalid" in run.out


def test_the_console_script_shows_the_overview_without_a_database(tmp_path):
    done = lindung_process(scratch_env(tmp_path))
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "Perintah Lindung:" in done.stdout


# --- user: account changes refused with the reason ---------------------------------------------


@pytest.mark.django_db
def test_user_command_by_someone_who_is_not_a_superadmin_is_refused(lindung, operator2):
    from lindung.accounts.models import User

    run = lindung("user", "--by", "operator2", "role", "operator2", "superadmin")
    assert run.code == 2
    assert run.err.strip() == "'operator2' bukan superadmin."
    assert User.objects.get(username="operator2").role == Role.VILLAGE_OPERATOR


@pytest.mark.django_db
def test_user_command_for_an_unknown_user_names_them(lindung):
    run = lindung("user", "activate", "siapa")
    assert run.code == 2
    assert run.err.strip() == "Tidak ada pengguna 'siapa'."
