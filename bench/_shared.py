"""What every benchmark needs before it measures: a log line, its own database, Django set up.

The scripts run as `python bench/NAME.py`, so this folder is on `sys.path` and they import this
module by its bare name.
"""

from __future__ import annotations

import io
import os
import sys


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the bench's own database if missing; `fresh` drops an existing one first."""
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = (
        f"host={parsed.hostname} port={parsed.port or 5432} user={parsed.username} dbname=postgres"
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if fresh or not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django

    django.setup()
    from django.core.management import call_command

    log("migrations + regions (lindung setup)")
    call_command("setup", verbosity=0, stdout=io.StringIO())
