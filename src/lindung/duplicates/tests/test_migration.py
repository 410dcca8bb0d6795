"""Moving the duplicate models out of `programs` keeps an existing database's rows: the
migrations change Django's state only, the tables stay where they are.

Run as `lindung migrate` processes on a scratch database (PostgreSQL when the suite runs on it,
else a SQLite file): migrating back and forth inside the test database's transaction is not
possible on SQLite, and flushing it would meet the audit trail's append-only triggers.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lindung.site.testing import lindung

BEFORE_PROGRAMS = "0007_rules_admit_formal_and_not_working"


@pytest.fixture
def scratch_db(installation, tmp_path):
    """A copy of a set-up (fully migrated) installation."""
    env = installation.copy(tmp_path)
    if "DATABASE_URL" in env:
        yield env, ("postgres", env["DATABASE_URL"])
    else:
        yield env, ("sqlite", str(Path(tmp_path) / "var" / "lindung.sqlite3"))


def _sql(db, sql: str):
    kind, target = db
    if kind == "sqlite":
        with sqlite3.connect(target) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(target.replace("postgres://", "postgresql://")) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def _migrate(env, *target: str) -> None:
    done = lindung(env, "migrate", *target)
    assert done.returncode == 0, done.stdout + done.stderr


def test_migrating_forward_keeps_the_pairs_and_decisions_of_an_existing_database(scratch_db):
    env, db = scratch_db
    # The database as it was before the move: programs owned both models.
    _migrate(env, "programs", BEFORE_PROGRAMS)
    _migrate(env, "duplicates", "zero")
    # The content types the old code knew (`migrate` has just made the new app's again).
    _sql(
        db,
        "DELETE FROM auth_permission WHERE content_type_id IN "
        "(SELECT id FROM django_content_type WHERE app_label = 'duplicates')",
    )
    _sql(db, "DELETE FROM django_content_type WHERE app_label = 'duplicates'")
    assert _sql(
        db, "SELECT app_label FROM django_content_type WHERE model = 'duplicatecandidate'"
    ) == [("programs",)]
    (type_id,) = _sql(db, "SELECT id FROM django_content_type WHERE model = 'duplicatecandidate'")
    _sql(
        db,
        "INSERT INTO programs_duplicatecandidate (nik_a, nik_b, kind, score, details, "
        "region_code, status, found_at, incoming) VALUES ('1612014101900001', "
        "'1612014101900002', 'probable', 8.5, '{\"agree\": [\"name\"]}', '1612012001', "
        "'open', CURRENT_TIMESTAMP, '{}')",
    )
    _sql(
        db,
        "INSERT INTO programs_distinctpeople (nik_low, nik_high, decided_at, reason) "
        "VALUES ('1612', '1613', CURRENT_TIMESTAMP, 'dua orang')",
    )

    _migrate(env)

    shown = lindung(
        env,
        "shell",
        "-c",
        "from lindung.duplicates.models import DistinctPeople, DuplicateCandidate as D;"
        "from django.contrib.contenttypes.models import ContentType as T;"
        "c = D.objects.get(); d = DistinctPeople.objects.get();"
        "print(c.nik_b, c.kind, c.score, c.details['agree'], d.reason,"
        " T.objects.get_for_model(D).pk)",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == (
        f"1612014101900002 probable 8.5 ['name'] dua orang {type_id[0]}"
    )
    # The rows were not copied anywhere: the tables kept their names.
    assert _sql(db, "SELECT COUNT(*) FROM programs_duplicatecandidate") == [(1,)]
