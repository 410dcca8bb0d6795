"""Validating every row of an upload at once (polars expressions, no Python loop per row).

The rules are those of the registry (`registry/nik.py`, `registry/validation.py`) written as
column expressions, so a 100,000-row list is checked in well under a second. Each problem becomes
one row of an error table: spreadsheet row, column, code and a sentence in the UI language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from lindung.common.cells import unneutralise
from lindung.common.inputs import HIDDEN_CHARACTERS
from lindung.common.text import pick, sentence
from lindung.registry.nik import MESSAGES as NIK_MESSAGES

from .messages import MESSAGES

NIK_FORMAT_CODES = ("empty", "no_nik", "excel_float", "non_digit", "length")
_NO_NIK = r"(?i)^(0+|-+|tidak ada|tdk ada|belum ada|blm ada|kosong|none|n/?a)$"  # as registry.nik
_SEP = r"[\s.\-\u00a0]"
_SCI = r"^\d+([.,]\d+)?[eE]\+?\d+$"
_FLOAT_TAIL = r"^\d{15,}[.,]0+$"
# Above this share of NIKs ending in 0 (normally ~10%), the column went through a number format.
TRAILING_ZERO_SHARE = 0.9
TRAILING_ZERO_MIN_ROWS = 5

SEX_WORDS = {
    "l": "L", "lk": "L", "laki": "L", "lakilaki": "L", "pria": "L", "m": "L", "male": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P",
    # The population registry's codes, as OpenSID exports its `sex` column.
    "1": "L", "2": "P",
}  # fmt: skip
# Indonesia's working age (UU 13/2003 and BPS labour statistics count people aged 15 and over).
WORKING_AGE_MIN = 15
RELATIONSHIP_WORDS = {
    "suami": "spouse", "istri": "spouse", "isteri": "spouse", "suamiistri": "spouse",
    "pasangan": "spouse", "spouse": "spouse", "janda": "spouse", "duda": "spouse",
    "anak": "child", "anakkandung": "child", "child": "child",
    "orangtua": "parent", "ayah": "parent", "ibu": "parent", "bapak": "parent", "parent": "parent",
    "cucu": "grandchild", "grandchild": "grandchild",
    "kakek": "grandparent", "nenek": "grandparent", "grandparent": "grandparent",
    "saudara": "sibling", "saudarakandung": "sibling", "kakak": "sibling", "adik": "sibling",
    "sibling": "sibling",
    "mertua": "parent_in_law", "parentinlaw": "parent_in_law",
}  # fmt: skip


@dataclass
class Lookups:
    """Reference data the rules need, loaded once per upload."""

    province_codes: set[str]
    regency_codes: set[str]
    district_codes: set[str]  # current and historical
    village_codes_in_scope: set[str]  # active villages the uploader may write
    occupations: dict[str, int]  # normalised code / Indonesian / English name → id
    default_village: str
    reference_date: dt.date
    # unknown occupation words → closest names ("maksud Anda …?"); None: no hints
    occupation_suggestions: Callable[[list[str]], dict[str, list[str]]] | None = None
    # occupations meaning "not working" (pupils, pensioners…): such rows come back with a reason
    not_working_occupations: frozenset[int] = frozenset()


@dataclass
class Result:
    rows: pl.DataFrame  # normalised values + status ("ok" / "rejected" / "duplicate") + errors
    errors: pl.DataFrame  # row_number, column, code, message


def _norm_word(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.replace_all(r"[^a-z]", "")


def _message(key: str, lang: str, /, **params: pl.Expr) -> pl.Expr:
    """A per-row message: NIK problems read as everywhere else (`registry.nik`), the rest from
    the intake table."""
    table = NIK_MESSAGES if key in NIK_MESSAGES else MESSAGES
    return sentence(pick(table, key, lang), **params)


def _col(frame: pl.DataFrame, key: str) -> pl.Expr:
    """A cell as text: NUL bytes dropped (no database column holds them; the row is refused by
    `_raw_rules`), the apostrophe our own annotated CSV put before `= + - @` removed, trimmed."""
    if key not in frame.columns:
        return pl.lit("")
    cell = pl.col(key).fill_null("").str.replace_all("\x00", "", literal=True)
    return unneutralise(cell).str.strip_chars()


# Columns stored as text, with the column limit of `StagedRow`/`Worker` they must fit.
TEXT_LIMITS = {"address": 255, "birth_place": 80, "heir_name": 150}
NAME_COLUMNS = ("name", "heir_name")


def _raw_rules(frame: pl.DataFrame, lang: str) -> list[tuple[pl.Expr, str, str, pl.Expr]]:
    """Rules on the cells as read: a NUL anywhere, and hidden characters in names."""
    rules = []
    for key in frame.columns:
        if frame.schema[key] == pl.Utf8 and key != "row_number":
            rules.append(
                (
                    pl.col(key).fill_null("").str.contains("\x00", literal=True),
                    key,
                    "nul_character",
                    _message("nul_character", lang),
                )
            )
    for key in NAME_COLUMNS:
        if key in frame.columns:
            rules.append(
                (
                    pl.col(key).fill_null("").str.contains(f"[{HIDDEN_CHARACTERS}]"),
                    key,
                    "hidden_characters",
                    _message("hidden_characters", lang),
                )
            )
    return rules


def _parse_date(raw: pl.Expr) -> pl.Expr:
    """ISO (from Excel cells), DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY, YYYY/MM/DD, or an Excel
    serial number (days since 1899-12-30, as CSV exports of date cells often carry)."""
    cleaned = raw.str.replace_all(r"[/.]", "-")
    serial = (
        pl.when(raw.str.contains(r"^\d{4,5}(\.0+)?$"))
        .then(
            pl.lit(dt.date(1899, 12, 30))
            + pl.duration(days=raw.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False))
        )
        .otherwise(None)
    )
    return pl.coalesce(
        cleaned.str.to_date("%Y-%m-%d", strict=False),
        cleaned.str.to_date("%d-%m-%Y", strict=False),
        serial,
    )


CHUNK_ROWS = 200_000


def validate(frame: pl.DataFrame, lookups: Lookups, *, lang: str = "id") -> Result:
    """Check every row; chunk by chunk, so a million-row list needs a fraction of the memory.

    Two rules look at the whole file: the trailing-zero pattern of an Excel-mangled NIK column,
    and duplicates inside the file.
    """
    nik = _col(frame, "nik").str.replace_all(_SEP, "")
    share = frame.select(
        ((nik.str.len_chars() == 16) & nik.str.ends_with("0")).sum().alias("zero"),
        nik.str.contains(r"^[0-9]{16}$").sum().alias("n"),
    ).row(0)
    zero_column = share[1] >= TRAILING_ZERO_MIN_ROWS and share[0] >= TRAILING_ZERO_SHARE * share[1]
    parts = [
        _validate_chunk(chunk, lookups, lang, zero_column)
        for chunk in frame.iter_slices(CHUNK_ROWS)
    ]
    f = pl.concat([rows for rows, _errors in parts])
    errors = pl.concat([errors for _rows, errors in parts])
    return _mark_duplicates(f, errors, lang)


def _years_before(day: dt.date, years: int) -> dt.date:
    """The date `years` before `day` (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _occupation_hints(f: pl.DataFrame, lookups: Lookups, lang: str) -> pl.Expr:
    """ " Maksud Anda: …?" per unknown occupation word; asked once per distinct word."""
    unknown = (
        f.filter(pl.col("occupation_id").is_null() & (pl.col("occupation_raw") != ""))
        .get_column("occupation_raw")
        .unique()
        .to_list()
    )
    if not unknown or lookups.occupation_suggestions is None:
        return pl.lit("")
    template = pick(MESSAGES, "occupation_hint", lang)
    hints = {
        word: template.replace("{names}", ", ".join(names))
        for word, names in lookups.occupation_suggestions(unknown).items()
        if names
    }
    return pl.col("occupation_raw").replace_strict(hints, default="", return_dtype=pl.Utf8)


def _validate_chunk(
    frame: pl.DataFrame, lookups: Lookups, lang: str, zero_column: bool
) -> tuple[pl.DataFrame, pl.DataFrame]:
    ref = lookups.reference_date
    f = frame.with_columns(
        _col(frame, "nik").alias("nik_raw"),
        _col(frame, "name").str.replace_all(r"\s+", " ").alias("name"),
        _col(frame, "kk_number").alias("kk_raw"),
        _col(frame, "birth_place").str.replace_all(r"\s+", " ").alias("birth_place"),
        _col(frame, "birth_date").alias("birth_date_raw"),
        _col(frame, "sex").alias("sex_raw"),
        _col(frame, "address").str.replace_all(r"\s+", " ").alias("address"),
        _col(frame, "village_code").str.replace_all(r"[^0-9]", "").alias("village_raw"),
        _col(frame, "phone").alias("phone_raw"),
        _col(frame, "occupation").alias("occupation_raw"),
        _col(frame, "monthly_income").alias("income_raw"),
        _col(frame, "heir_name").str.replace_all(r"\s+", " ").alias("heir_name"),
        _col(frame, "heir_relationship").alias("heir_rel_raw"),
        _col(frame, "heir_nik").alias("heir_nik_raw"),
    )

    # --- NIK -------------------------------------------------------------------------------------
    f = f.with_columns(pl.col("nik_raw").str.replace_all(_SEP, "").alias("nik"))
    ends_zero = (pl.col("nik").str.len_chars() == 16) & pl.col("nik").str.ends_with("0")
    f = f.with_columns(
        pl.when(pl.col("nik_raw") == "")
        .then(pl.lit("empty"))
        .when(pl.col("nik_raw").str.contains(_NO_NIK))
        .then(pl.lit("no_nik"))
        .when(
            pl.col("nik_numeric")
            | pl.col("nik_raw").str.replace_all(" ", "").str.contains(_SCI)
            | pl.col("nik_raw").str.contains(_FLOAT_TAIL)
            | (pl.lit(zero_column) & ends_zero)
        )
        .then(pl.lit("excel_float"))
        .when(~pl.col("nik").str.contains(r"^[0-9]*$"))
        .then(pl.lit("non_digit"))
        .when(pl.col("nik").str.len_chars() != 16)
        .then(pl.lit("length"))
        .otherwise(None)
        .alias("nik_format_error")
    )
    ok_format = pl.col("nik_format_error").is_null()
    prov, reg, dist = (pl.col("nik").str.slice(0, n) for n in (2, 4, 6))
    day_raw = pl.col("nik").str.slice(6, 2).cast(pl.Int32, strict=False)
    month = pl.col("nik").str.slice(8, 2).cast(pl.Int32, strict=False)
    yy = pl.col("nik").str.slice(10, 2).cast(pl.Int32, strict=False)
    day = pl.when(day_raw > 40).then(day_raw - 40).otherwise(day_raw)
    year = pl.when(yy + 2000 <= ref.year).then(yy + 2000).otherwise(yy + 1900)
    f = f.with_columns(
        pl.when(ok_format & ~prov.is_in(lookups.province_codes))
        .then(pl.lit("province_unknown"))
        .when(ok_format & ~reg.is_in(lookups.regency_codes))
        .then(pl.lit("regency_unknown"))
        .when(ok_format & ~dist.is_in(lookups.district_codes))
        .then(pl.lit("district_unknown"))
        .otherwise(None)
        .alias("nik_region_error"),
        pl.when(ok_format)
        .then(pl.when(day_raw > 40).then(pl.lit("P")).otherwise(pl.lit("L")))
        .alias("nik_sex"),
        pl.when(ok_format & day.is_between(1, 31) & month.is_between(1, 12))
        .then(
            pl.concat_str(
                [
                    year.cast(pl.Utf8),
                    month.cast(pl.Utf8).str.zfill(2),
                    day.cast(pl.Utf8).str.zfill(2),
                ],
                separator="-",
            ).str.to_date("%Y-%m-%d", strict=False)
        )
        .alias("nik_birth"),
        pl.concat_str(
            [day.cast(pl.Utf8).str.zfill(2), month.cast(pl.Utf8).str.zfill(2), year.cast(pl.Utf8)],
            separator="-",
        ).alias("nik_date_text"),
    )
    f = f.with_columns(
        pl.when(~ok_format)
        .then(None)
        .when(~day.is_between(1, 31))
        .then(pl.lit("birth_day_invalid"))
        .when(~month.is_between(1, 12))
        .then(pl.lit("birth_month_invalid"))
        .when(pl.col("nik_birth").is_null())
        .then(pl.lit("birth_date_invalid"))
        .when(pl.col("nik_birth") > pl.lit(ref))
        .then(pl.lit("birth_date_future"))
        .otherwise(None)
        .alias("nik_date_error"),
        pl.when(ok_format & (pl.col("nik").str.slice(12, 4) == "0000"))
        .then(pl.lit("serial_zero"))
        .otherwise(None)
        .alias("nik_serial_error"),
    )

    # --- other fields ---------------------------------------------------------------------------
    phone_digits = pl.col("phone_raw").str.replace_all(r"[\s().\-]", "")
    phone_rest = (
        pl.when(phone_digits.str.starts_with("+62"))
        .then(phone_digits.str.slice(3))
        .when(phone_digits.str.starts_with("62"))
        .then(phone_digits.str.slice(2))
        .when(phone_digits.str.starts_with("0"))
        .then(phone_digits.str.slice(1))
        .otherwise(phone_digits)
    )
    # "Rp 1.500.000", "1,500,000", "1500000", "1500000,00": thousands separators go, cents go.
    amount = pl.col("income_raw").str.to_lowercase().str.replace_all(r"rp|\s", "")
    income = (
        pl.when(amount.str.contains(r"^\d{1,3}([.,]\d{3})+$"))
        .then(amount.str.replace_all(r"[.,]", ""))
        .when(amount.str.contains(r"^\d+[.,]\d{1,2}$"))
        .then(amount.str.replace(r"[.,]\d{1,2}$", ""))
        .otherwise(amount)
    )
    # Same key as `registry.occupations.normalise`: case, spacing and `/` do not matter; a
    # numeric registry code may come as "08" or, from a number cell, "8.0".
    occupation_key = (
        pl.col("occupation_raw")
        .str.replace(r"^\s*0*(\d+)(\.0+)?\s*$", "${1}")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]", "")
    )
    kk = pl.col("kk_raw").str.replace_all(_SEP, "")
    village = (
        pl.when(pl.col("village_raw") == "")
        .then(pl.lit(lookups.default_village))
        .otherwise(pl.col("village_raw"))
    )
    f = f.with_columns(
        _parse_date(pl.col("birth_date_raw")).alias("birth_date_given"),
        # Digits kept: OpenSID writes the registry's 1/2.
        pl.col("sex_raw")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]", "")
        .replace_strict(SEX_WORDS, default=None)
        .alias("sex_given"),
        pl.when(pl.col("phone_raw") == "")
        .then(pl.lit(""))
        .when(phone_rest.str.contains(r"^[1-9][0-9]{7,11}$"))
        .then(pl.lit("+62") + phone_rest)
        .otherwise(None)
        .alias("phone"),
        pl.when(pl.col("income_raw") == "")
        .then(pl.lit(None, dtype=pl.Int64))
        .otherwise(income.cast(pl.Int64, strict=False))
        .alias("monthly_income"),
        occupation_key.replace_strict(
            lookups.occupations, default=None, return_dtype=pl.Int64
        ).alias("occupation_id"),
        kk.alias("kk_number"),
        village.alias("village_code"),
        _norm_word(pl.col("heir_rel_raw"))
        .replace_strict(RELATIONSHIP_WORDS, default=None)
        .alias("heir_relationship"),
        pl.col("heir_nik_raw").str.replace_all(_SEP, "").alias("heir_nik"),
    )

    f = f.with_columns(_occupation_hints(f, lookups, lang).alias("occupation_hint"))

    # --- errors: one (mask, column, code, message) per rule --------------------------------------
    nik_value = {"value": pl.col("nik_raw"), "count": pl.col("nik").str.len_chars()}
    rules: list[tuple[pl.Expr, str, str, pl.Expr]] = []
    for code in NIK_FORMAT_CODES:
        params = {
            "value": pl.col("nik_raw"),
            "count": nik_value["count"],
            "chars": pl.col("nik").str.replace_all(r"[0-9]", "").str.slice(0, 5),
        }
        rules.append(
            (pl.col("nik_format_error") == code, "nik", code, _message(code, lang, **params))
        )
    for code, span in (("province_unknown", 2), ("regency_unknown", 4), ("district_unknown", 6)):
        rules.append(
            (
                pl.col("nik_region_error") == code,
                "nik",
                code,
                _message(code, lang, code=_dotted(pl.col("nik").str.slice(0, span))),
            )
        )
    for code, value in (
        ("birth_day_invalid", pl.col("nik").str.slice(6, 2)),
        ("birth_month_invalid", pl.col("nik").str.slice(8, 2)),
        ("birth_date_invalid", pl.col("nik_date_text")),
        ("birth_date_future", pl.col("nik_date_text")),
    ):
        rules.append(
            (pl.col("nik_date_error") == code, "nik", code, _message(code, lang, value=value))
        )
    rules.append(
        (
            pl.col("nik_serial_error").is_not_null(),
            "nik",
            "serial_zero",
            _message("serial_zero", lang),
        )
    )

    nik_ok = (
        ok_format
        & pl.col("nik_region_error").is_null()
        & pl.col("nik_date_error").is_null()
        & pl.col("nik_serial_error").is_null()
    )
    rules += [
        (pl.col("name") == "", "name", "name_required", _message("name_required", lang)),
        (
            pl.col("name").str.len_chars() > 150,
            "name",
            "name_too_long",
            _message("name_too_long", lang),
        ),
        *[
            (
                pl.col(key).str.len_chars() > limit,
                key,
                "text_too_long",
                _message("text_too_long", lang, limit=limit),
            )
            for key, limit in TEXT_LIMITS.items()
        ],
        (
            pl.col("monthly_income") < 0,
            "monthly_income",
            "income_negative",
            _message("income_negative", lang),
        ),
        (
            (pl.col("birth_date_raw") != "") & pl.col("birth_date_given").is_null(),
            "birth_date",
            "date_unreadable",
            _message("date_unreadable", lang, value=pl.col("birth_date_raw")),
        ),
        (
            nik_ok
            & pl.col("birth_date_given").is_not_null()
            & (pl.col("birth_date_given") != pl.col("nik_birth")),
            "birth_date",
            "birth_date_mismatch",
            _message(
                "birth_date_mismatch",
                lang,
                given=pl.col("birth_date_given").dt.strftime("%d-%m-%Y"),
                nik=pl.col("nik_birth").dt.strftime("%d-%m-%Y"),
            ),
        ),
        (
            (pl.col("sex_raw") != "") & pl.col("sex_given").is_null(),
            "sex",
            "sex_unreadable",
            _message("sex_unreadable", lang, value=pl.col("sex_raw")),
        ),
        (
            nik_ok & pl.col("sex_given").is_not_null() & (pl.col("sex_given") != pl.col("nik_sex")),
            "sex",
            "sex_mismatch",
            _message("sex_mismatch", lang, given=pl.col("sex_given"), nik=pl.col("nik_sex")),
        ),
        (
            pl.col("phone").is_null(),
            "phone",
            "phone_invalid",
            _message("phone_invalid", lang, value=pl.col("phone_raw")),
        ),
        (
            (pl.col("income_raw") != "") & pl.col("monthly_income").is_null(),
            "monthly_income",
            "income_unreadable",
            _message("income_unreadable", lang, value=pl.col("income_raw")),
        ),
        (
            pl.col("occupation_raw") == "",
            "occupation",
            "occupation_required",
            _message("occupation_required", lang),
        ),
        (
            pl.col("occupation_id").is_in(list(lookups.not_working_occupations)),
            "occupation",
            "occupation_not_working",
            _message("occupation_not_working", lang, value=pl.col("occupation_raw")),
        ),
        (
            pl.col("nik_birth").is_not_null()
            & (pl.col("nik_birth") > _years_before(ref, WORKING_AGE_MIN)),
            "birth_date",
            "under_working_age",
            _message("under_working_age", lang, min=pl.lit(WORKING_AGE_MIN)),
        ),
        (
            (pl.col("occupation_raw") != "") & pl.col("occupation_id").is_null(),
            "occupation",
            "occupation_unknown",
            _message(
                "occupation_unknown",
                lang,
                value=pl.col("occupation_raw"),
                hint=pl.col("occupation_hint"),
            ),
        ),
        (
            ~pl.col("village_code").is_in(lookups.village_codes_in_scope),
            "village_code",
            "village_out_of_scope",
            _message("village_out_of_scope", lang, value=_dotted(pl.col("village_code"))),
        ),
        (
            (pl.col("kk_raw") != "") & (pl.col("kk_numeric") | pl.col("kk_raw").str.contains(_SCI)),
            "kk_number",
            "kk_excel_float",
            _message("kk_excel_float", lang, value=pl.col("kk_raw")),
        ),
        (
            (pl.col("kk_raw") != "")
            & ~pl.col("kk_numeric")
            & ~pl.col("kk_raw").str.contains(_SCI)
            & ~pl.col("kk_number").str.contains(r"^[0-9]{16}$"),
            "kk_number",
            "kk_length",
            _message("kk_length", lang, count=pl.col("kk_number").str.len_chars()),
        ),
        (
            (pl.col("heir_name") != "") & pl.col("heir_relationship").is_null(),
            "heir_relationship",
            "heir_relationship_unknown",
            _message("heir_relationship_unknown", lang, value=pl.col("heir_rel_raw")),
        ),
        (
            (pl.col("heir_nik") != "") & ~pl.col("heir_nik").str.contains(r"^[0-9]{16}$"),
            "heir_nik",
            "heir_nik_invalid",
            _message("heir_nik_invalid", lang, value=pl.col("heir_nik_raw")),
        ),
    ]
    errors = pl.concat(
        [
            source.filter(mask).select(
                "row_number",
                pl.lit(column).alias("column"),
                pl.lit(code).alias("code"),
                message.alias("message"),
            )
            for source, checks in ((f, rules), (frame, _raw_rules(frame, lang)))
            for mask, column, code, message in checks
        ]
    )

    f = f.with_columns(
        pl.col("nik_birth").alias("birth_date"), pl.col("nik_sex").fill_null("").alias("sex")
    ).select(
        "row_number", "nik", "kk_number", "name", "birth_place", "birth_date", "sex", "address",
        "village_code", "phone", "occupation_id", "monthly_income", "heir_name",
        "heir_relationship", "heir_nik",
    )  # fmt: skip
    return f, errors


def _mark_duplicates(f: pl.DataFrame, errors: pl.DataFrame, lang: str) -> Result:
    """The first clean row of a NIK stays; later clean rows with the same NIK are duplicates."""
    rejected = errors["row_number"].unique()
    f = f.with_columns(pl.col("row_number").is_in(rejected.implode()).alias("has_error"))
    first_row = (
        f.filter(~pl.col("has_error"))
        .group_by("nik")
        .agg(pl.col("row_number").min().alias("first_row"))
    )
    f = f.join(first_row, on="nik", how="left")
    duplicate = (~pl.col("has_error")) & (pl.col("row_number") != pl.col("first_row"))
    dup_errors = f.filter(duplicate).select(
        "row_number",
        pl.lit("nik").alias("column"),
        pl.lit("duplicate_in_file").alias("code"),
        _message("duplicate_in_file", lang, row=pl.col("first_row")).alias("message"),
    )
    errors = pl.concat([errors, dup_errors]).sort("row_number")
    f = f.with_columns(
        pl.when(pl.col("has_error"))
        .then(pl.lit("rejected"))
        .when(duplicate)
        .then(pl.lit("duplicate"))
        .otherwise(pl.lit("ok"))
        .alias("status"),
    ).sort("row_number")
    # Keep only what staging needs: the raw and intermediate columns would double the memory.
    rows = f.select(
        "row_number", "status", "nik", "kk_number", "name", "birth_place", "birth_date", "sex",
        "address", "village_code", "phone", "occupation_id", "monthly_income", "heir_name",
        "heir_relationship", "heir_nik",
    )  # fmt: skip
    return Result(rows=rows, errors=errors)


def _dotted(code: pl.Expr) -> pl.Expr:
    """'161201' → '16.12.01' (2-digit groups, then the 4-digit village part)."""
    return (
        pl.concat_str(
            [
                code.str.slice(0, 2),
                code.str.slice(2, 2),
                code.str.slice(4, 2),
                code.str.slice(6, 4),
            ],
            separator=".",
        )
        .str.replace(r"\.+$", "")
        .str.replace_all(r"\.\.+", ".")
    )
