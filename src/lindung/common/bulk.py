"""Set-based writes: PostgreSQL `COPY` with an ORM fallback that gives the same rows on SQLite."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence

import polars as pl
from django.db import connection, models


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def copy_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *, batch: int = 5000
) -> int:
    """Insert plain value tuples (in `fields` order) into `model`'s table; returns the row count.

    No `save()`, no signals: callers are services that validated the rows and write their own
    audit event for the batch.
    """
    columns = [model._meta.get_field(f).column for f in fields]
    count = 0
    if is_postgres():
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg 3 cursor underneath Django's wrapper
            json_at = [
                i
                for i, f in enumerate(fields)
                if model._meta.get_field(f).get_internal_type() == "JSONField"
            ]
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:  # COPY takes JSON columns as text
                        row = list(row)
                        for i in json_at:
                            row[i] = json.dumps(row[i])
                    copy.write_row(row)
                    count += 1
        return count
    attnames = [model._meta.get_field(f).attname for f in fields]
    pending: list[models.Model] = []
    for row in rows:
        pending.append(model(**dict(zip(attnames, row, strict=True))))
        if len(pending) >= batch:
            model.objects.bulk_create(pending, batch_size=batch)
            count += len(pending)
            pending = []
    if pending:
        model.objects.bulk_create(pending, batch_size=batch)
        count += len(pending)
    return count


def frame_from_query(sql: str, params: Sequence, schema: dict) -> pl.DataFrame:
    """Run a SELECT and return its rows as a polars frame with `schema` (column order as in the
    SELECT). PostgreSQL streams the result with `COPY (…) TO STDOUT`, which is several times
    faster than fetching rows for hundreds of thousands of them; SQLite fetches."""
    with connection.cursor() as cursor:
        if not is_postgres():
            cursor.execute(sql, params)
            return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")
        query = cursor.cursor.mogrify(sql, params)
        buffer = io.BytesIO()
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            for chunk in copy:
                buffer.write(chunk)
    if not buffer.getbuffer().nbytes:
        return pl.DataFrame(schema=schema)
    buffer.seek(0)
    frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema_overrides=schema)
    # CSV cannot tell an empty string from NULL; our text columns are NOT NULL, so empty it is.
    return frame.with_columns(pl.col(pl.Utf8).fill_null(""))
