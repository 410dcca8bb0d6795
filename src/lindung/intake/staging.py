"""Writing the checked rows of an upload into the staging table.

On PostgreSQL the polars frame goes straight to `COPY … FROM STDIN (FORMAT csv)`: no Python loop
per row. SQLite gets the same rows through bulk inserts.
"""

from __future__ import annotations

import io
import json

import polars as pl
from django.db import connection

from lindung.common.bulk import copy_rows, is_postgres

from .models import StagedRow

FIELDS = (
    "upload",
    "row_number",
    "status",
    "errors",
    "nik",
    "kk_number",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "village_code",
    "phone",
    "occupation_id",
    "monthly_income",
    "heir_name",
    "heir_relationship",
    "heir_nik",
    "worker_id",
)
_LENGTHS = {
    "nik": 16,
    "kk_number": 16,
    "name": 150,
    "birth_place": 80,
    "sex": 1,
    "address": 255,
    "village_code": 10,
    "phone": 16,
    "heir_name": 150,
    "heir_relationship": 20,
    "heir_nik": 16,
}


def staged_frame(upload_key: str, rows: pl.DataFrame, errors: pl.DataFrame) -> pl.DataFrame:
    """One frame in the staging table's column order; errors as a JSON array per row."""
    grouped = errors.group_by("row_number").agg(
        pl.concat_str(
            pl.lit("["),
            pl.struct("column", "code", "message").struct.json_encode().str.join(","),
            pl.lit("]"),
        ).alias("errors")
    )
    accepted = pl.col("status").is_in(["new", "update", "unchanged"])
    frame = rows.join(grouped, on="row_number", how="left").select(
        pl.lit(upload_key).alias("upload_id"),
        "row_number",
        "status",
        pl.col("errors").fill_null("[]"),
        *[
            pl.col(name).fill_null("").cast(pl.Utf8).str.slice(0, length).alias(name)
            for name, length in _LENGTHS.items()
            if name not in ("kk_number", "sex", "phone", "heir_relationship", "heir_nik")
        ],
        # Values derived by the checks are only kept for rows that will be applied.
        *[
            pl.when(accepted)
            .then(pl.col(name).fill_null(""))
            .otherwise(pl.lit(""))
            .str.slice(0, length)
            .alias(name)
            for name, length in _LENGTHS.items()
            if name in ("kk_number", "sex", "phone", "heir_relationship", "heir_nik")
        ],
        pl.when(accepted).then(pl.col("birth_date")).alias("birth_date"),
        pl.col("occupation_id"),
        pl.when(accepted).then(pl.col("monthly_income")).alias("monthly_income"),
        pl.col("worker_id"),
    )
    columns = [f if f != "upload" else "upload_id" for f in FIELDS]
    return frame.select(columns)


def write_staged(frame: pl.DataFrame) -> int:
    if is_postgres():
        columns = ", ".join(f if f != "upload" else "upload_id" for f in FIELDS)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY intake_stagedrow ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            ) as copy,
        ):
            for start in range(0, frame.height, 200_000):
                buffer = io.BytesIO()
                frame.slice(start, 200_000).write_csv(
                    buffer, include_header=False, null_value="\\N"
                )
                copy.write(buffer.getvalue())
        return frame.height
    rows = ((row[0], *row[1:3], json.loads(row[3]), *row[4:]) for row in frame.iter_rows())
    return copy_rows(StagedRow, FIELDS, rows)
