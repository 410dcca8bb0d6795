"""The matching engine on small hand-made cases, one per hard kind of duplicate."""

import datetime as dt

import polars as pl

from lindung.duplicates import dedup

D = dt.date


def frame(rows):
    return pl.DataFrame(rows, schema=dict.fromkeys(dedup.COLUMNS), orient="row").with_columns(
        pl.col("id").cast(pl.Int64), pl.col("birth_date").cast(pl.Date)
    )


REGISTERED = frame(
    [
        (
            1,
            "1603010101800001",
            "Muhammad Yusuf Hidayat",
            D(1980, 1, 1),
            "L",
            "1603012011",
            "160301000001",
        ),
        (2, "1603014502850002", "Siti Aminah", D(1985, 2, 5), "P", "1603012011", ""),
        (3, "1603011203900003", "Rahmat Saputra", D(1990, 3, 12), "L", "1603012012", ""),
        (4, "1603011508700004", "Budi Santoso", D(1970, 8, 15), "L", "1603012013", ""),
        (5, "1603010101800009", "Agus Salim", D(1980, 1, 1), "L", "1603012011", ""),
    ]
)


def kinds(new_rows):
    found = dedup.find(frame(new_rows), REGISTERED)
    return {(r["id_a"], r["id_b"]): r["kind"] for r in found.iter_rows(named=True)}


def test_same_nik_same_person_is_exact_and_another_name_is_a_conflict():
    found = kinds(
        [
            (
                11,
                "1603010101800001",
                "MUHAMMAD YUSUF HIDAYAT",
                D(1980, 1, 1),
                "L",
                "1603012011",
                "",
            ),
            (12, "1603014502850002", "Dewi Lestari", D(1985, 2, 5), "P", "1603012011", ""),
        ]
    )
    assert found[(11, 1)] == "exact"
    assert found[(12, 2)] == "conflict"


def test_name_variant_with_a_one_digit_nik_typo_is_probable():
    found = kinds(
        [(13, "1603010101800007", "M. Yusuf Hidayat", D(1980, 1, 1), "L", "1603012011", "")]
    )
    assert found[(13, 1)] == "probable"


def test_day_and_month_swapped_is_probable():
    found = kinds(
        [(14, "1603014205850002", "Siti Aminah binti Ali", D(1985, 5, 2), "P", "1603012011", "")]
    )
    assert found[(14, 2)] == "probable"


def test_same_person_in_another_village_with_two_wrong_digits_is_probable():
    found = kinds(
        [(15, "1603021203900013", "Rahmat Saputra", D(1990, 3, 12), "L", "1603022001", "")]
    )
    assert found[(15, 3)] == "probable"


def test_same_birth_date_but_another_name_is_not_a_candidate():
    found = kinds([(16, "1603010101800077", "Joko Widodo", D(1980, 1, 1), "L", "1603012011", "")])
    assert (16, 1) not in found and (16, 5) not in found


def test_opposite_sex_namesake_is_not_probable():
    found = kinds([(17, "1603015508700004", "Budi Santoso", D(1970, 8, 15), "P", "1603012013", "")])
    assert found.get((17, 4)) is None
