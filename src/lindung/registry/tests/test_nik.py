"""NIK and KK parsing: pure functions over a dict lookup, and checks on the real region list."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.registry.nik import (
    MESSAGES,
    DictRegionNames,
    century_year,
    inspect_kk,
    inspect_nik,
    mask_nik,
    message,
)

REFERENCE = dt.date(2025, 6, 1)

NAMES = DictRegionNames(
    {
        "16": "Sumatera Selatan",
        "1603": "Kabupaten Muara Enim",
        "160301": "Tanjung Agung",
        "1612": "Kabupaten Penukal Abab Lematang Ilir",
        "161201": "Talang Ubi",
        "1612012001": "Talang Bulang",
        "32": "Jawa Barat",
        "3276": "Kota Depok",
        "327601": "Pancoran Mas",
        "15": "Jambi",
        "1503": "Kabupaten Sarolangun",
        "150301": "Batang Asai",
    },
    historical={"160305": ("Talang Ubi", "161201")},
)

VALID = "1603011508030002"  # Tanjung Agung, male, born 15-08-2003, serial 0002
VALID_FEMALE = "1603015508030002"  # same, female: day 15 + 40


def inspect(raw, **kw):
    kw.setdefault("regions", NAMES)
    kw.setdefault("reference_date", REFERENCE)
    return inspect_nik(raw, **kw)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# --- valid numbers -------------------------------------------------------------------------------


def test_valid_male_nik_is_parsed_into_region_birth_date_sex_and_serial():
    r = inspect(VALID)
    assert r.valid is True
    assert r.errors == [] and r.warnings == []
    assert r.nik == VALID
    assert (r.province_code, r.regency_code, r.district_code) == ("16", "1603", "160301")
    assert r.birth_date == dt.date(2003, 8, 15)
    assert r.sex == "L"
    assert r.serial == "0002"
    assert r.region_names == {
        "province": "Sumatera Selatan",
        "regency": "Kabupaten Muara Enim",
        "district": "Tanjung Agung",
    }


def test_female_nik_day_plus_40_gives_sex_p_and_the_real_birth_day():
    r = inspect(VALID_FEMALE)
    assert r.valid
    assert r.sex == "P"
    assert r.birth_date == dt.date(2003, 8, 15)


def test_female_born_on_the_31st_has_day_71():
    r = inspect("1603017101900001")
    assert r.valid
    assert (r.birth_date, r.sex) == (dt.date(1990, 1, 31), "P")


@pytest.mark.parametrize(
    "written",
    [
        "3276 01 550803 0002",
        "3276.01.550803.0002",
        "3276-01-550803-0002",
        " 3276015508030002 ",
        "3276\u00a001\u00a0550803\u00a00002",
    ],
)
def test_spaces_dots_and_dashes_are_accepted(written):
    r = inspect(written)
    assert r.valid, r.errors
    assert r.nik == "3276015508030002"
    assert r.region_names["district"] == "Pancoran Mas"
    assert (r.birth_date, r.sex) == (dt.date(2003, 8, 15), "P")


def test_without_a_region_lookup_only_the_structure_is_checked():
    r = inspect_nik("9999015508030002", reference_date=REFERENCE)
    assert r.valid
    assert r.region_names == {}


# --- region codes --------------------------------------------------------------------------------


def test_unknown_regency_1699_gives_regency_unknown():
    r = inspect("1699015508030002")
    assert not r.valid
    assert codes(r.errors) == ["regency_unknown"]
    assert "16.99" in r.errors[0].message
    # The province is known, so its name is still reported.
    assert r.region_names == {"province": "Sumatera Selatan"}


def test_unknown_province_gives_province_unknown():
    r = inspect("9903015508030002")
    assert not r.valid
    assert codes(r.errors) == ["province_unknown"]
    assert "99" in r.errors[0].message


def test_unknown_district_gives_district_unknown():
    r = inspect("1603995508030002")
    assert not r.valid
    assert codes(r.errors) == ["district_unknown"]
    assert "16.03.99" in r.errors[0].message


def test_historical_district_code_is_valid_with_a_historical_code_warning():
    # 16.03.05 was Talang Ubi in Muara Enim before PALI split off in 2013; now 16.12.01.
    r = inspect("1603050101900001")
    assert r.valid
    assert r.errors == []
    assert codes(r.warnings) == ["historical_code"]
    text = r.warnings[0].message
    assert "16.03.05" in text and "16.12.01" in text and "Talang Ubi" in text
    assert r.birth_date == dt.date(1990, 1, 1)


# --- structure -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_nik_gives_empty(raw):
    r = inspect(raw)
    assert not r.valid
    assert codes(r.errors) == ["empty"]


def test_fifteen_digits_gives_length():
    r = inspect("160301550803000")
    assert not r.valid
    assert codes(r.errors) == ["length"]
    assert "15" in r.errors[0].message


def test_seventeen_digits_gives_length():
    r = inspect("16030155080300021")
    assert codes(r.errors) == ["length"]


def test_letters_give_non_digit_naming_the_character():
    r = inspect("16030155080300O2")  # letter O typed for zero
    assert not r.valid
    assert codes(r.errors) == ["non_digit"]
    assert "'O'" in r.errors[0].message


@pytest.mark.parametrize("raw", ["1.60301E+15", "1,603015508030E+15", "1.603015508E15"])
def test_excel_float_gives_excel_float(raw):
    r = inspect(raw)
    assert not r.valid
    assert codes(r.errors) == ["excel_float"]
    assert raw in r.errors[0].message


def test_serial_0000_gives_serial_zero():
    r = inspect("1603011508030000")
    assert not r.valid
    assert codes(r.errors) == ["serial_zero"]


@pytest.mark.parametrize("day", ["32", "00", "72", "40", "99"])
def test_impossible_birth_day_gives_birth_day_invalid(day):
    r = inspect(f"160301{day}08030002")
    assert not r.valid
    assert codes(r.errors) == ["birth_day_invalid"]
    assert day in r.errors[0].message
    assert r.birth_date is None and r.sex is None


@pytest.mark.parametrize("month", ["13", "00"])
def test_impossible_month_gives_birth_month_invalid(month):
    r = inspect(f"16030115{month}030002")
    assert not r.valid
    assert codes(r.errors) == ["birth_month_invalid"]


def test_29_february_on_a_non_leap_year_gives_birth_date_invalid():
    r = inspect("1603012902230002")
    assert not r.valid
    assert codes(r.errors) == ["birth_date_invalid"]
    assert "29-02-2023" in r.errors[0].message


def test_29_february_on_a_leap_year_is_valid_for_a_woman():
    r = inspect("1603016902840002")
    assert r.valid
    assert (r.birth_date, r.sex) == (dt.date(1984, 2, 29), "P")


def test_31_april_gives_birth_date_invalid():
    assert codes(inspect("1603013104900002").errors) == ["birth_date_invalid"]


def test_future_birth_date_gives_birth_date_future():
    # 15-08-2025 after a reference date of 01-06-2025: same century, not yet happened.
    r = inspect("1603011508250002", reference_date=dt.date(2025, 6, 1))
    assert not r.valid
    assert codes(r.errors) == ["birth_date_future"]
    assert "15-08-2025" in r.errors[0].message
    assert r.birth_date is None


def test_birth_date_equal_to_the_reference_date_is_valid():
    r = inspect("1603010106250002", reference_date=dt.date(2025, 6, 1))
    assert r.valid
    assert r.birth_date == dt.date(2025, 6, 1)


def test_several_problems_are_all_reported():
    r = inspect("1699013213230000")
    assert set(codes(r.errors)) == {"regency_unknown", "birth_day_invalid", "serial_zero"}


# --- century -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yy", "reference", "year"),
    [
        (5, dt.date(2025, 6, 1), 2005),
        (25, dt.date(2025, 6, 1), 2025),
        (26, dt.date(2025, 6, 1), 1926),
        (99, dt.date(2025, 6, 1), 1999),
        (0, dt.date(2025, 6, 1), 2000),
        (26, dt.date(2030, 1, 1), 2026),
        (45, dt.date(2040, 1, 1), 1945),
        (60, dt.date(1999, 1, 1), 1960),
        (99, dt.date(1999, 1, 1), 1999),
    ],
)
def test_century_year_is_this_century_unless_after_the_reference_year(yy, reference, year):
    assert century_year(yy, reference) == year


def test_two_digit_year_is_inferred_relative_to_the_reference_date():
    nik = "1603011508300002"  # born 15-08-?30
    assert inspect(nik, reference_date=dt.date(2025, 6, 1)).birth_date == dt.date(1930, 8, 15)
    assert inspect(nik, reference_date=dt.date(2031, 1, 1)).birth_date == dt.date(2030, 8, 15)


# --- residence -----------------------------------------------------------------------------------


def test_nik_from_another_district_gives_a_residence_warning_not_an_error():
    r = inspect(VALID, village_code=PALI_VILLAGE)
    assert r.valid
    assert r.errors == []
    assert codes(r.warnings) == ["residence_differs"]
    assert "Tanjung Agung" in r.warnings[0].message
    assert "Talang Bulang" in r.warnings[0].message


def test_nik_from_the_village_district_gives_no_residence_warning():
    r = inspect("1612011508030002", village_code=PALI_VILLAGE)
    assert r.valid
    assert r.warnings == []


def test_historical_district_that_became_the_village_district_gives_no_residence_warning():
    # Issued in 16.03.05 (Talang Ubi, Muara Enim) before the split; lives in 16.12.01 (Talang Ubi).
    r = inspect("1603050101900001", village_code=PALI_VILLAGE)
    assert r.valid
    assert codes(r.warnings) == ["historical_code"]


def test_historical_district_that_became_another_district_gives_a_residence_warning():
    r = inspect("1603050101900001", village_code="1503012001")
    assert r.valid
    assert codes(r.warnings) == ["historical_code", "residence_differs"]


# --- languages -----------------------------------------------------------------------------------

# One input per NIK problem code, so every message is produced through inspect_nik.
NIK_CASES = {
    "empty": ("", {}),
    "no_nik": ("0", {}),
    "excel_float": ("1.60301E+15", {}),
    "non_digit": ("16030155080300x2", {}),
    "length": ("160301550803000", {}),
    "province_unknown": ("9903015508030002", {}),
    "regency_unknown": ("1699015508030002", {}),
    "district_unknown": ("1603995508030002", {}),
    "historical_code": ("1603050101900001", {}),
    "birth_day_invalid": ("1603013208030002", {}),
    "birth_month_invalid": ("1603011513030002", {}),
    "birth_date_invalid": ("1603012902230002", {}),
    "birth_date_future": ("1603011508250002", {}),
    "serial_zero": ("1603011508030000", {}),
    "residence_differs": (VALID, {"village_code": PALI_VILLAGE}),
}
KK_CASES = {
    "kk_empty": "",
    "kk_excel_float": "1.60301E+15",
    "kk_non_digit": "16030112345678x9",
    "kk_length": "160301123456789",
    "kk_region_unknown": "1699011234560001",
    "kk_serial_zero": "1603011234560000",
}


def test_every_message_code_has_a_test_case():
    assert set(NIK_CASES) | set(KK_CASES) == set(MESSAGES)


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("problem", sorted(MESSAGES))
def test_every_message_exists_in_indonesian_and_english_with_the_same_placeholders(problem):
    indonesian, english = MESSAGES[problem]
    assert indonesian.strip() and english.strip()
    assert indonesian != english
    assert _placeholders(indonesian) == _placeholders(english)


@pytest.mark.parametrize("problem", sorted(NIK_CASES))
def test_nik_problem_is_explained_in_indonesian_by_default_and_in_english_on_request(problem):
    raw, kw = NIK_CASES[problem]
    found_id = inspect(raw, **kw)
    found_en = inspect(raw, lang="en", **kw)
    by_code_id = {p.code: p.message for p in found_id.errors + found_id.warnings}
    by_code_en = {p.code: p.message for p in found_en.errors + found_en.warnings}
    assert problem in by_code_id and problem in by_code_en
    assert by_code_id.keys() == by_code_en.keys()
    assert by_code_id[problem] != by_code_en[problem]
    # The messages are the ones in the table, filled in, never a code or a raw template.
    assert "{" not in by_code_id[problem] and "{" not in by_code_en[problem]
    first_words_id = MESSAGES[problem][0].split("{")[0]
    first_words_en = MESSAGES[problem][1].split("{")[0]
    assert by_code_id[problem].startswith(first_words_id)
    assert by_code_en[problem].startswith(first_words_en)


@pytest.mark.parametrize("problem", sorted(KK_CASES))
def test_kk_problem_is_explained_in_indonesian_and_english(problem):
    raw = KK_CASES[problem]
    found_id = inspect_kk(raw, regions=NAMES)
    found_en = inspect_kk(raw, regions=NAMES, lang="en")
    assert not found_id.valid and not found_en.valid
    assert codes(found_id.errors) == codes(found_en.errors) == [problem]
    assert found_id.errors[0].message != found_en.errors[0].message
    assert "{" not in found_id.errors[0].message


def test_message_with_an_english_locale_variant_is_english():
    assert message("serial_zero", "en-us") == MESSAGES["serial_zero"][1]
    assert message("serial_zero", "id") == MESSAGES["serial_zero"][0]


# --- KK ------------------------------------------------------------------------------------------


def test_valid_kk_records_the_issuing_district():
    r = inspect_kk("1603 0112 3456 0001", regions=NAMES)
    assert r.valid
    assert r.kk == "1603011234560001"
    assert r.district_code == "160301"


def test_kk_from_a_historical_district_is_valid():
    assert inspect_kk("1603051234560001", regions=NAMES).valid


# --- masking -------------------------------------------------------------------------------------


def test_mask_nik_keeps_only_the_regency_and_hides_birth_date_and_serial():
    # Issue 7 §4: the serial used to stay visible, which made the mask reversible.
    masked = mask_nik(VALID_FEMALE)
    assert masked == "1603************"
    assert "550803" not in masked and "0002" not in masked


@pytest.mark.parametrize("empty", ["", None])
def test_mask_nik_of_nothing_is_empty(empty):
    assert mask_nik(empty) == ""


# --- to_dict -------------------------------------------------------------------------------------


def test_to_dict_gives_messages_codes_and_iso_date():
    d = inspect("1699015508030002").to_dict()
    assert d["valid"] is False
    assert d["error_codes"] == ["regency_unknown"]
    assert d["errors"] == [MESSAGES["regency_unknown"][0].format(code="16.99")]
    assert d["birth_date"] == "2003-08-15"


# --- properties ----------------------------------------------------------------------------------

DISTRICTS = ["160301", "161201", "327601", "150301", "160305"]


@settings(max_examples=300, deadline=None)
@given(
    district=st.sampled_from(DISTRICTS),
    birth=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2005, 12, 31)),
    sex=st.sampled_from(["L", "P"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_generated_nik_is_valid_with_its_birth_date_and_sex(district, birth, sex, serial):
    nik = make_nik(district, birth, sex, serial)
    r = inspect(nik)
    assert r.valid, (nik, r.errors)
    assert r.nik == nik
    assert r.birth_date == birth
    assert r.sex == sex
    assert r.serial == f"{serial:04d}"
    assert r.district_code == district


@settings(max_examples=500, deadline=None)
@given(raw=st.text())
def test_inspect_nik_never_raises_on_arbitrary_text(raw):
    r = inspect(raw)
    assert r.valid == (not r.errors)


@settings(max_examples=300, deadline=None)
@given(raw=st.text(alphabet="0123456789 .-eE+,", max_size=24))
def test_inspect_nik_never_raises_on_digit_like_text(raw):
    r = inspect(raw)
    if r.valid:
        assert r.nik is not None and len(r.nik) == 16 and r.nik.isdigit()


@settings(max_examples=300, deadline=None)
@given(raw=st.text())
def test_inspect_kk_never_raises_on_arbitrary_text(raw):
    r = inspect_kk(raw, regions=NAMES)
    assert r.valid == (not r.errors)


# --- non-ASCII digits (see the report: these fail today) -----------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "1603015\u00b208030002",  # superscript two in the birth day
        "16030155\u00b2\u00b2030002",  # superscript digits in the birth month
    ],
)
def test_inspect_nik_never_raises_on_superscript_digits_in_the_birth_date(raw):
    # str.isdigit() accepts '²', but int('5²') raises ValueError inside inspect_nik.
    r = inspect(raw)
    assert not r.valid


@pytest.mark.parametrize(
    "raw",
    [
        "\uff11\uff16\uff10\uff13\uff10\uff11\uff15\uff15\uff10\uff18\uff10\uff13\uff10\uff10\uff10\uff12",
        "160301550803000\u00b2",
        "16030155080300\u0663\u0662",
    ],
)
def test_nik_with_non_ascii_digits_is_rejected_or_stored_as_ascii(raw):
    r = inspect(raw)
    assert not r.valid or (r.nik is not None and r.nik.isascii()), (
        f"inspect_nik accepted {raw!r} as valid with nik={r.nik!r}: a non-ASCII NIK would be "
        "stored and escape the duplicate check"
    )


# --- real region list ----------------------------------------------------------------------------


@pytest.fixture
def db_names(db):
    from lindung.regions.selectors import region_names

    return region_names()


def test_db_lookup_names_a_valid_pali_nik(db_names):
    r = inspect_nik("1612015508030002", regions=db_names, reference_date=REFERENCE)
    assert r.valid
    assert r.region_names == {
        "province": "Sumatera Selatan",
        "regency": "Kabupaten Penukal Abab Lematang Ilir",
        "district": "Talang Ubi",
    }


def test_db_lookup_rejects_unknown_regency_1699(db_names):
    r = inspect_nik("1699015508030002", regions=db_names, reference_date=REFERENCE)
    assert codes(r.errors) == ["regency_unknown"]


def test_db_lookup_rejects_unknown_district(db_names):
    r = inspect_nik("1612995508030002", regions=db_names, reference_date=REFERENCE)
    assert codes(r.errors) == ["district_unknown"]


def test_db_lookup_accepts_old_muara_enim_code_of_talang_ubi_with_warning(db_names):
    r = inspect_nik("1603050101900001", regions=db_names, reference_date=REFERENCE)
    assert r.valid
    assert codes(r.warnings) == ["historical_code"]
    assert "16.12.01 Talang Ubi" in r.warnings[0].message


def test_db_lookup_no_residence_warning_when_historical_district_maps_to_the_village(db_names):
    r = inspect_nik(
        "1603050101900001", regions=db_names, reference_date=REFERENCE, village_code=PALI_VILLAGE
    )
    assert r.valid
    assert "residence_differs" not in codes(r.warnings)


def test_db_lookup_residence_warning_names_the_village(db_names):
    r = inspect_nik(
        "1603011508030002", regions=db_names, reference_date=REFERENCE, village_code=PALI_VILLAGE
    )
    assert r.valid
    assert codes(r.warnings) == ["residence_differs"]
    assert "Talang Bulang" in r.warnings[0].message
    assert "Tanjung Agung" in r.warnings[0].message


def test_db_lookup_accepts_recoded_regency_of_north_kalimantan(db_names):
    # Tanjung Palas was 64.04.01 (Bulungan, Kalimantan Timur) before Kalimantan Utara (2012).
    r = inspect_nik("6404011508800002", regions=db_names, reference_date=REFERENCE)
    assert r.valid
    assert "historical_code" in codes(r.warnings)


def test_nik_read_from_a_numeric_cell_with_a_float_tail_gets_the_excel_hint():
    result = inspect_nik("1603015508030002.0")
    assert [e.code for e in result.errors] == ["excel_float"]
