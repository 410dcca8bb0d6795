"""Which rows of an upload are already in the registry, and do they change anything?

The registry rows for the file's NIKs are fetched in one set-based query (PostgreSQL: the NIKs go
in with COPY into a temporary table, the matches come back with COPY TO), then compared in
polars. Rules: a NIK registered in another village is refused (moving a person is the regency
admin's decision, not a side effect of an upload); an empty cell never erases a stored value; a
row that changes nothing is "unchanged".

An upload never rewrites who a person is: a registered NIK arriving with another name (beyond
case, spacing and punctuation), birth date or sex is a NIK conflict. The row is refused, says
under whose (masked) name the NIK is registered, and goes to the duplicate review, where only a
reviewer's decision can change the registered identity.
"""

from __future__ import annotations

import polars as pl
from django.db import connection, transaction

from lindung.accounts.masking import mask_name
from lindung.common.bulk import frame_from_query, is_postgres

from .messages import text

# What an upload may change of a registered person; never the name, birth date or sex.
COMPARED_TEXT = ("kk_number", "birth_place", "address", "phone")
_WORKER_COLUMNS = (
    "id",
    "nik",
    "village_id",
    "kk_number",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "phone",
    "occupation_id",
    "monthly_income",
)
_SCHEMA = {
    "id": pl.Int64,
    "nik": pl.Utf8,
    "village_id": pl.Utf8,
    "kk_number": pl.Utf8,
    "name": pl.Utf8,
    "birth_place": pl.Utf8,
    "birth_date": pl.Date,
    "sex": pl.Utf8,
    "address": pl.Utf8,
    "phone": pl.Utf8,
    "occupation_id": pl.Int64,
    "monthly_income": pl.Int64,
}


def registered(niks: pl.Series) -> pl.DataFrame:
    """Registry rows (the compared columns) whose NIK is in `niks`."""
    niks = niks.filter(niks.str.len_chars() == 16).unique()
    if niks.is_empty():
        return pl.DataFrame(schema=_SCHEMA)
    if is_postgres():
        return _registered_postgres(niks)
    rows: list[tuple] = []
    from lindung.registry.models import Worker

    values = niks.to_list()
    for start in range(0, len(values), 900):  # SQLite's bound-parameter limit
        rows.extend(
            Worker.objects.filter(nik__in=values[start : start + 900]).values_list(*_WORKER_COLUMNS)
        )
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row")


def _registered_postgres(niks: pl.Series) -> pl.DataFrame:
    """The NIKs go in with COPY into a temporary table, the matches come back with COPY."""
    cols = ", ".join(f"w.{c}" for c in _WORKER_COLUMNS)
    with transaction.atomic():
        with connection.cursor() as cursor:
            raw = cursor.cursor
            # DROP first: inside an outer transaction (tests, nested services) ON COMMIT has not
            # fired yet for an earlier call.
            raw.execute("DROP TABLE IF EXISTS intake_match_niks")
            raw.execute("CREATE TEMP TABLE intake_match_niks (nik varchar(16)) ON COMMIT DROP")
            with raw.copy("COPY intake_match_niks (nik) FROM STDIN") as copy:
                copy.write(niks.to_frame().write_csv(include_header=False).encode())
            raw.execute("ANALYZE intake_match_niks")
        return frame_from_query(
            f"SELECT {cols} FROM registry_worker w JOIN intake_match_niks t ON t.nik = w.nik",
            [],
            _SCHEMA,
        )


def heirs_of(worker_ids: pl.Series) -> pl.DataFrame:
    """(worker id, lower-case heir name) for the given workers."""
    from lindung.registry.models import Heir

    ids = worker_ids.drop_nulls().unique().to_list()
    rows: list[tuple] = []
    for start in range(0, len(ids), 900):
        rows.extend(
            Heir.objects.filter(worker_id__in=ids[start : start + 900]).values_list(
                "worker_id", "name"
            )
        )
    frame = pl.DataFrame(rows, schema={"worker_id": pl.Int64, "heir": pl.Utf8}, orient="row")
    return frame.with_columns(pl.col("heir").str.to_lowercase()).unique()


def name_key(name: pl.Expr) -> pl.Expr:
    """A name as compared for identity: case, spacing, punctuation and accents do not count
    ("AHMAD  HAKIM", "Ahmad Hakim." and "Ahmad Hakim" are one name)."""
    return (
        name.fill_null("")
        .str.normalize("NFKD")
        .str.to_lowercase()
        .str.replace_all(r"[^\p{L}\p{N}]", "")
    )


def identity_differs(prefix: str = "w_") -> pl.Expr:
    """True where a row's name, birth date or sex is not the registered person's (`w_…`)."""
    return (
        (name_key(pl.col("name")) != name_key(pl.col(f"{prefix}name")))
        | (pl.col("birth_date") != pl.col(f"{prefix}birth_date")).fill_null(True)
        | (pl.col("sex") != pl.col(f"{prefix}sex")).fill_null(True)
    )


def _conflict_message(rows: pl.DataFrame, lang: str) -> pl.Expr:
    """Says under whose name the NIK is registered, masked (initials only); an operator of
    another village learns nothing beyond that the NIK is taken there."""
    masked = {name: mask_name(name) for name in rows["w_name"].unique().to_list()}
    here = pl.lit(text("nik_identity_conflict", lang)).str.replace(
        "{name}", pl.col("w_name").replace_strict(masked, default=""), literal=True
    )
    return (
        pl.when(pl.col("w_village_id") == pl.col("village_code"))
        .then(here)
        .otherwise(pl.lit(text("nik_identity_conflict_elsewhere", lang)))
        .alias("message")
    )


def classify(rows: pl.DataFrame, *, lang: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give every clean row its outcome: new / update / unchanged / rejected (identity conflict,
    registered elsewhere).

    Returns the rows with `status`, `worker_id` and `identity_conflict` (the registered
    person's `w_…` columns stay, for the review queue), and the extra errors for refused rows.
    """
    clean = pl.col("status") == "ok"
    existing = registered(rows.filter(clean)["nik"]).rename(
        {c: f"w_{c}" for c in _WORKER_COLUMNS if c != "nik"}
    )
    out = rows.join(existing, on="nik", how="left")
    with_heir = out.filter(clean & pl.col("w_id").is_not_null() & (pl.col("heir_name") != ""))
    if with_heir.height:
        known = heirs_of(with_heir["w_id"]).rename({"worker_id": "w_id", "heir": "heir_key"})
        out = out.with_columns(pl.col("heir_name").str.to_lowercase().alias("heir_key")).join(
            known.with_columns(pl.lit(True).alias("heir_known")),
            on=["w_id", "heir_key"],
            how="left",
        )
    else:
        out = out.with_columns(pl.lit(None, dtype=pl.Boolean).alias("heir_known"))

    def same(column: str) -> pl.Expr:
        given = pl.col(column).fill_null("")
        return (given == "") | (given == pl.col(f"w_{column}").fill_null(""))

    unchanged = (
        pl.all_horizontal([same(c) for c in COMPARED_TEXT])
        & (pl.col("occupation_id") == pl.col("w_occupation_id"))
        & (
            pl.col("monthly_income").is_null()
            | (pl.col("monthly_income") == pl.col("w_monthly_income"))
        )
        & ((pl.col("heir_name") == "") | pl.col("heir_known").fill_null(False))
    )
    known = clean & pl.col("w_id").is_not_null()
    conflict = known & identity_differs()
    elsewhere = known & (pl.col("w_village_id") != pl.col("village_code"))
    # Before the statuses change below: `clean` reads the checks' status.
    extra = pl.concat(
        [
            out.filter(conflict).select(
                "row_number",
                pl.lit("nik").alias("column"),
                pl.lit("nik_identity_conflict").alias("code"),
                _conflict_message(out.filter(conflict), lang),
            ),
            out.filter(elsewhere & ~conflict).select(
                "row_number",
                pl.lit("nik").alias("column"),
                pl.lit("registered_elsewhere").alias("code"),
                pl.lit(text("registered_elsewhere", lang)).alias("message"),
            ),
        ]
    )
    out = out.with_columns(
        pl.when(~clean)
        .then(pl.col("status"))
        .when(pl.col("w_id").is_null())
        .then(pl.lit("new"))
        .when(conflict | elsewhere)
        .then(pl.lit("rejected"))
        .when(unchanged)
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("update"))
        .alias("status"),
        pl.col("w_id").alias("worker_id"),
        conflict.fill_null(False).alias("identity_conflict"),
    )
    return out, extra
