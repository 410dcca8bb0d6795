"""`lindung nik inspect`: JSON lines or a table, NIKs from arguments or standard input."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest
from django.core.management import call_command

from lindung.registry.nik import MESSAGES

pytestmark = pytest.mark.django_db

VALID = "1612011508030002"  # Talang Ubi (PALI), male, 15-08-2003
FEMALE = "1612015508030002"  # same, female
FUTURE = "1612011508250002"  # 15-08-2025: future as of 2025-06-01
BAD_REGION = "1699011508030002"
SHORT = "161201150803000"
NON_DIGIT = "16120115080300x2"

KEYS = {
    "nik",
    "valid",
    "errors",
    "warnings",
    "province_code",
    "regency_code",
    "district_code",
    "birth_date",
    "sex",
    "region_names",
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("nik", "inspect", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> list[dict]:
    lines = [line for line in run(*args, "--json").splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def test_json_gives_one_line_per_nik_in_input_order_with_all_keys():
    rows = run_json(
        VALID, FEMALE, FUTURE, BAD_REGION, SHORT, NON_DIGIT, "--reference-date", "2025-06-01"
    )
    assert len(rows) == 6
    for row in rows:
        assert set(row) >= KEYS
    assert [r["valid"] for r in rows] == [True, True, False, False, False, False]
    # Input order is kept: the third row is the future-dated one, and so on.
    assert [r["nik"] for r in rows[:4]] == [VALID, FEMALE, FUTURE, BAD_REGION]
    assert rows[4]["nik"] is None and rows[5]["nik"] is None


def test_json_valid_nik_has_codes_birth_date_sex_and_region_names():
    (row,) = run_json(VALID)
    assert row["valid"] is True
    assert row["errors"] == [] and row["warnings"] == []
    assert (row["province_code"], row["regency_code"], row["district_code"]) == (
        "16",
        "1612",
        "161201",
    )
    assert row["birth_date"] == "2003-08-15"
    assert row["sex"] == "L"
    assert row["region_names"] == {
        "province": "Sumatera Selatan",
        "regency": "Kabupaten Penukal Abab Lematang Ilir",
        "district": "Talang Ubi",
    }


def test_json_female_nik_gives_sex_p():
    (row,) = run_json(FEMALE)
    assert row["valid"] is True
    assert row["sex"] == "P"
    assert row["birth_date"] == "2003-08-15"


def test_json_future_birth_date_against_the_reference_date_is_an_indonesian_error():
    (row,) = run_json(FUTURE, "--reference-date", "2025-06-01")
    assert row["valid"] is False
    assert row["birth_date"] is None
    assert row["errors"] == [MESSAGES["birth_date_future"][0].format(value="15-08-2025")]
    assert "belum terjadi" in row["errors"][0]


def test_json_same_nik_is_valid_with_a_later_reference_date():
    (row,) = run_json(FUTURE, "--reference-date", "2026-01-01")
    assert row["valid"] is True
    assert row["birth_date"] == "2025-08-15"


def test_json_unknown_regency_is_an_indonesian_error():
    (row,) = run_json(BAD_REGION)
    assert row["valid"] is False
    assert row["errors"] == [MESSAGES["regency_unknown"][0].format(code="16.99")]
    assert "tidak ada di daftar wilayah Kemendagri" in row["errors"][0]


def test_json_fifteen_digits_is_an_indonesian_length_error():
    (row,) = run_json(SHORT)
    assert row["valid"] is False
    assert row["errors"] == ["NIK harus 16 digit; yang tertulis 15 digit."]


def test_json_non_digit_is_an_indonesian_error_naming_the_character():
    (row,) = run_json(NON_DIGIT)
    assert row["valid"] is False
    assert row["errors"] == ["NIK hanya boleh berisi angka; ditemukan karakter lain: 'x'."]


def test_json_historical_code_is_valid_with_an_indonesian_warning():
    (row,) = run_json("1603050101900001")
    assert row["valid"] is True
    assert len(row["warnings"]) == 1
    assert row["warnings"][0].startswith("NIK memakai kode wilayah lama 16.03.05")


def test_dash_reads_niks_from_stdin_one_per_line_skipping_blank_lines(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{VALID}\n\n{BAD_REGION}\r\n  \n{FEMALE}\n"))
    rows = run_json("-")
    assert [r["nik"] for r in rows] == [VALID, BAD_REGION, FEMALE]
    assert [r["valid"] for r in rows] == [True, False, True]


def test_dash_can_be_mixed_with_arguments(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{FEMALE}\n"))
    rows = run_json(VALID, "-", SHORT)
    assert [r["valid"] for r in rows] == [True, True, False]
    assert rows[1]["nik"] == FEMALE


def _row_line(output: str, nik: str) -> str:
    lines = [line for line in output.splitlines() if nik in line]
    assert lines, output
    return lines[0]


def test_table_shows_the_nik_and_ya_or_tidak():
    output = run(VALID, BAD_REGION)
    assert "Sah" in output  # column title
    assert re.search(r"\bya\b", _row_line(output, VALID))
    assert re.search(r"\btidak\b", _row_line(output, BAD_REGION))
    assert "Talang Ubi" in output
    assert "15-08-2003" in output


def test_table_in_english_says_yes_or_no():
    output = run(VALID, BAD_REGION, "--lang", "en")
    assert "Valid" in output
    assert re.search(r"\byes\b", _row_line(output, VALID))
    assert re.search(r"\bno\b", _row_line(output, BAD_REGION))


def test_lang_en_gives_english_messages():
    rows = run_json(BAD_REGION, SHORT, FUTURE, "--lang", "en", "--reference-date", "2025-06-01")
    assert rows[0]["errors"] == [MESSAGES["regency_unknown"][1].format(code="16.99")]
    assert rows[1]["errors"] == ["A NIK has 16 digits; this one has 15."]
    assert rows[2]["errors"] == [MESSAGES["birth_date_future"][1].format(value="15-08-2025")]


def test_bad_reference_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run(VALID, "--reference-date", "01-06-2025")
