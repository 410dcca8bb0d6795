"""Finding the same person twice: exact NIK matches, NIK conflicts, and probable duplicates.

A shared NIK is not proof of one person (a one-digit typo lands on a neighbour's NIK), and a
different NIK is not proof of two (the typo goes the other way). So:

- exact: same NIK, and name and birth date agree → the same person submitted again;
- conflict: same NIK, but name or birth date disagree → a person decides, never a merge;
- probable: different NIKs that look like one person, found by several blocking passes (none
  trusts birth date or village alone) and scored on Indonesian-aware name similarity
  (`names.py` + rapidfuzz), NIK digit distance, birth-date relation, family card and sex.

Why rapidfuzz with our own blocking rather than Splink: the passes below are what these errors
need (swapped or off-by-one birth dates, one or two wrong NIK digits, moved villages), scoring is
transparent to reviewers, and the planted benchmark (`bench/dedup.py`) reaches its precision and
recall targets in a few seconds without DuckDB or a trained model.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from .names import name_key

COLUMNS = ("id", "nik", "name", "birth_date", "sex", "village", "kk")
# A block larger than this is a very common name or date; pairing all of it would only add noise
# (the other passes still reach its members).
MAX_BLOCK = 400
PROBABLE_THRESHOLD = 6.0
EXACT_NAME = 85.0


@dataclass(frozen=True)
class Pass:
    name: str
    keys: tuple[str, ...]


PASSES = (
    Pass("birth_sex", ("birth_date", "sex")),  # name variants, NIK region/serial typos
    Pass("nik_birth_serial", ("nik_district", "nik_serial")),  # wrong birth digits in the NIK
    Pass("nik_date_serial", ("nik_dateserial",)),  # wrong region digits
    Pass("family", ("kk",)),  # same family card: wrong birth date and NIK
    Pass("regency_name_year", ("regency", "given", "birth_year")),  # two wrong NIK digits
    Pass("regency_name_first_serial", ("regency", "first", "nik_serial")),  # spelling + date
)


def prepare(people: pl.DataFrame) -> pl.DataFrame:
    """Add the normalised name and the blocking keys to a frame with `COLUMNS`."""
    names = people.select(pl.col("name").unique())
    keys = [name_key(n) for n in names["name"].to_list()]
    lookup = names.with_columns(
        pl.Series("given", [k.given for k in keys], dtype=pl.Utf8),
        pl.Series("first", [k.first for k in keys], dtype=pl.Utf8),
        pl.Series("patronym", [k.patronym for k in keys], dtype=pl.Utf8),
    )
    return people.join(lookup, on="name", how="left").with_columns(
        pl.col("nik").str.slice(0, 6).alias("nik_district"),
        pl.col("nik").str.slice(12, 4).alias("nik_serial"),
        pl.col("nik").str.slice(6, 10).alias("nik_dateserial"),
        pl.col("village").str.slice(0, 4).alias("regency"),
        pl.col("birth_date").dt.year().alias("birth_year"),
        pl.when(pl.col("kk").fill_null("") == "").then(None).otherwise(pl.col("kk")).alias("kk"),
    )


def _pairs(left: pl.DataFrame, right: pl.DataFrame, keys: tuple[str, ...], same_set: bool):
    small = right.group_by(list(keys)).len().filter(pl.col("len") <= MAX_BLOCK).drop("len")
    r = right.join(small, on=list(keys), how="semi")
    joined = (
        left.select("id", *keys)
        .drop_nulls(list(keys))
        .join(r.select(pl.col("id").alias("id_b"), *keys), on=list(keys), how="inner")
    )
    joined = joined.filter(pl.col("id") != pl.col("id_b"))
    if same_set:
        joined = joined.filter(pl.col("id") < pl.col("id_b"))
    return joined.select(pl.col("id").alias("id_a"), "id_b")


def candidate_pairs(new: pl.DataFrame, registered: pl.DataFrame, *, same_set: bool = False):
    """All (id_a from new, id_b from registered) pairs any blocking pass proposes."""
    parts = [_pairs(new, registered, p.keys, same_set) for p in PASSES]
    return pl.concat(parts).unique()


def _digits_apart(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return pl.sum_horizontal(
        [(a.str.slice(i, 1) != b.str.slice(i, 1)).cast(pl.Int8) for i in range(16)]
    )


def score(new: pl.DataFrame, registered: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Features and a points score for every pair (higher = more likely one person)."""
    a = new.select([pl.col(c).alias(f"{c}_a") for c in new.columns])
    b = registered.select([pl.col(c).alias(f"{c}_b") for c in registered.columns])
    f = pairs.join(a, on="id_a").join(b, on="id_b")
    given_a, given_b = f["given_a"].fill_null("").to_list(), f["given_b"].fill_null("").to_list()
    set_ratio = cpdist(given_a, given_b, scorer=fuzz.token_set_ratio, workers=-1)
    sort_ratio = cpdist(given_a, given_b, scorer=fuzz.token_sort_ratio, workers=-1)
    f = f.with_columns(
        pl.Series("name_set", set_ratio, dtype=pl.Float64),
        pl.Series("name_sort", sort_ratio, dtype=pl.Float64),
    )
    day_a, day_b = pl.col("birth_date_a").dt.day(), pl.col("birth_date_b").dt.day()
    mon_a, mon_b = pl.col("birth_date_a").dt.month(), pl.col("birth_date_b").dt.month()
    year_a, year_b = pl.col("birth_date_a").dt.year(), pl.col("birth_date_b").dt.year()
    days_apart = (pl.col("birth_date_a") - pl.col("birth_date_b")).dt.total_days().abs()
    f = f.with_columns(
        # The better of the two views: sort catches reordering, set catches a missing middle name.
        ((pl.col("name_set") + pl.col("name_sort")) / 2).alias("name"),
        _digits_apart(pl.col("nik_a"), pl.col("nik_b")).alias("nik_digits"),
        pl.when(pl.col("birth_date_a") == pl.col("birth_date_b"))
        .then(pl.lit("same"))
        .when((day_a == mon_b) & (mon_a == day_b) & (year_a == year_b))
        .then(pl.lit("swapped"))
        .when(
            (days_apart <= 1)
            | ((day_a == day_b) & (year_a == year_b) & ((mon_a - mon_b).abs() == 1))
            | ((day_a == day_b) & (mon_a == mon_b) & ((year_a - year_b).abs() == 1))
        )
        .then(pl.lit("near"))
        .otherwise(pl.lit("different"))
        .alias("birth"),
    )
    name = pl.col("name")
    points = (
        pl.when(name >= 97).then(4.0).when(name >= 90).then(3.0).when(name >= 82).then(1.5)
        .otherwise(-5.0)
        + pl.when(pl.col("nik_digits") == 0).then(0.0).when(pl.col("nik_digits") == 1).then(3.0)
        .when(pl.col("nik_digits") == 2).then(2.0).when(pl.col("nik_digits") <= 4).then(0.0)
        .otherwise(-1.5)
        + pl.when(pl.col("birth") == "same").then(2.0)
        .when(pl.col("birth").is_in(["swapped", "near"])).then(1.0).otherwise(-2.5)
        + pl.when(pl.col("sex_a") != pl.col("sex_b")).then(-4.0).otherwise(0.0)
        + pl.when(pl.col("kk_a").is_not_null() & (pl.col("kk_a") == pl.col("kk_b")))
        .then(2.0).otherwise(0.0)
        + pl.when(pl.col("village_a") == pl.col("village_b")).then(0.5).otherwise(0.0)
        # NIKs equal but for the birth digits, with a swapped or near date: the NIK was made
        # from a mistyped birth date, which is evidence for one person, not against.
        + pl.when(
            (pl.col("nik_a").str.slice(0, 6) == pl.col("nik_b").str.slice(0, 6))
            & (pl.col("nik_a").str.slice(12, 4) == pl.col("nik_b").str.slice(12, 4))
            & pl.col("birth").is_in(["swapped", "near"])
        ).then(1.5).otherwise(0.0)
        # A patronym that differs (binti Ali / binti Umar) says two people.
        + pl.when(
            (pl.col("patronym_a") != "") & (pl.col("patronym_b") != "")
            & (pl.col("patronym_a") != pl.col("patronym_b"))
        ).then(-3.0).otherwise(0.0)
    )  # fmt: skip
    return f.with_columns(points.alias("score"))


# The most points `score` gives a pair: name 4, NIK one digit off 3, birth date 2.5 (a near date
# from which the NIK was made), family card 2, village 0.5. The top of the reviewer's 0–100 scale.
MAX_POINTS = 12.0
# A pair with the same NIK earns no NIK points in `score` (its kind is decided on name and birth
# date instead); on the reviewer's scale the same NIK counts as much as the best NIK evidence.
SAME_NIK_POINTS = 3.0


def similarity(points: float, nik_digits: int) -> int:
    """`score`'s points as a similarity from 0 (nothing alike) to 100 (everything alike)."""
    if nik_digits == 0:
        points += SAME_NIK_POINTS
    return round(min(max(points, 0.0), MAX_POINTS) / MAX_POINTS * 100)


def _fields(f: pl.DataFrame) -> pl.DataFrame:
    agree = pl.concat_list(
        pl.when(pl.col("nik_digits") == 0).then(pl.lit("nik")),
        pl.when(pl.col("name") >= 90).then(pl.lit("name")),
        pl.when(pl.col("birth") == "same").then(pl.lit("birth_date")),
        pl.when(pl.col("sex_a") == pl.col("sex_b")).then(pl.lit("sex")),
        pl.when(pl.col("village_a") == pl.col("village_b")).then(pl.lit("village")),
        pl.when(pl.col("kk_a").is_not_null() & (pl.col("kk_a") == pl.col("kk_b"))).then(
            pl.lit("kk")
        ),
    ).list.drop_nulls()
    disagree = pl.concat_list(
        pl.when(pl.col("nik_digits") > 0).then(pl.lit("nik")),
        pl.when(pl.col("name") < 90).then(pl.lit("name")),
        pl.when(pl.col("birth") != "same").then(pl.lit("birth_date")),
        pl.when(pl.col("sex_a") != pl.col("sex_b")).then(pl.lit("sex")),
        pl.when(pl.col("village_a") != pl.col("village_b")).then(pl.lit("village")),
    ).list.drop_nulls()
    return f.with_columns(agree.alias("agree"), disagree.alias("disagree"))


def find(new: pl.DataFrame, registered: pl.DataFrame, *, same_set: bool = False) -> pl.DataFrame:
    """Candidate pairs with kind, score, and the fields that agree and disagree.

    `new` and `registered` have `COLUMNS`; with `same_set` they are the same people (a region
    scanned against itself) and each pair appears once.
    """
    new, registered = prepare(new), prepare(registered)
    # Same NIK: exact or conflict, decided on name and birth date.
    same_nik = (
        new.select(pl.col("id").alias("id_a"), "nik")
        .join(registered.select(pl.col("id").alias("id_b"), "nik"), on="nik")
        .filter(pl.col("id_a") != pl.col("id_b"))
        .select("id_a", "id_b")
    )
    probable_pairs = candidate_pairs(new, registered, same_set=same_set)
    pairs = pl.concat([same_nik, probable_pairs]).unique()
    if pairs.is_empty():
        return _fields(score(new, registered, pairs.clear()))
    f = score(new, registered, pairs)
    kind = (
        pl.when(pl.col("nik_digits") == 0)
        .then(
            pl.when((pl.col("name") >= EXACT_NAME) & (pl.col("birth") == "same"))
            .then(pl.lit("exact"))
            .otherwise(pl.lit("conflict"))
        )
        .when(pl.col("score") >= PROBABLE_THRESHOLD)
        .then(pl.lit("probable"))
        .otherwise(None)
    )
    f = f.with_columns(kind.alias("kind")).filter(pl.col("kind").is_not_null())
    return _fields(f).select(
        "id_a", "id_b", "nik_a", "nik_b", "kind", "score", "name", "nik_digits", "birth",
        "agree", "disagree",
    )  # fmt: skip
