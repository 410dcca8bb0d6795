"""A real `lindung import --commit` process dies in the middle of its commit: the registry must
be exactly as before, the upload still staged (resumable), and a second run must finish it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.site.testing import lindung


@pytest.fixture
def scratch_db(installation, tmp_path):
    """A set-up installation of its own for the child processes (the test database lives in a
    transaction they cannot see): PostgreSQL when the suite runs on it, else a SQLite file."""
    env = installation.copy(tmp_path)
    if "DATABASE_URL" in env:
        yield env, ("postgres", env["DATABASE_URL"])
    else:
        yield env, ("sqlite", str(Path(tmp_path) / "var" / "lindung.sqlite3"))


def _query(db, sql: str):
    kind, target = db
    if kind == "sqlite":
        with sqlite3.connect(target) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(target.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


def test_an_import_killed_mid_commit_leaves_nothing_half_applied(scratch_db, tmp_path):
    env, db = scratch_db
    born = [dt.date(1970, 1, 1) + dt.timedelta(days=200 * i) for i in range(60)]
    rows = [f"{make_nik('161201', b, 'L', i + 1)};Orang {i};Petani" for i, b in enumerate(born)]
    path = tmp_path / "desa.csv"
    path.write_text("NIK;Nama Lengkap;Pekerjaan\n" + "\n".join(rows) + "\n")

    crashed = lindung(
        {**env, "LINDUNG_FAULT": "intake.commit.after_write"},
        "import",
        str(path),
        "--village",
        PALI_VILLAGE,
        "--commit",
    )
    assert crashed.returncode == 137
    assert _query(db, "SELECT COUNT(*) FROM registry_worker") == [(0,)]
    assert _query(db, "SELECT status FROM intake_upload") == [("staged",)]
    assert _query(db, "SELECT COUNT(*) FROM audit_auditevent WHERE action = 'intake.commit'") == [
        (0,)
    ]

    finished = lindung(env, "import", str(path), "--village", PALI_VILLAGE, "--commit", "--json")
    assert finished.returncode == 0, finished.stderr
    assert _query(db, "SELECT COUNT(*) FROM registry_worker") == [(60,)]
