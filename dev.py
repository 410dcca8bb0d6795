#!/usr/bin/env python3
"""Set up and run Lindung with nothing but Python 3.11 and pip.

    python3 dev.py demo     # virtual environment + demo site at http://127.0.0.1:8000
    python3 dev.py test     # virtual environment + lint + the whole suite (SQLite and PostgreSQL)
    python3 dev.py lock     # re-pin requirements.lock from pyproject.toml

Standard library only: this file runs before any dependency is installed.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import venv
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".lindung-installed"
DEFAULT_TEST_POSTGRES = "postgres://postgres@127.0.0.1:5432/lindung"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    """Create .venv and install the locked dependencies; skipped when nothing changed."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Lindung needs Python 3.11 (this is {sys.version.split()[0]}).")
    wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    say("installing locked dependencies (requirements.lock)")
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", LOCK)
    run(
        PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", "."
    )
    STAMP.write_text(wanted)


def postgres_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 2):
            return True
    except OSError:
        return False


def test(extra: list[str]) -> None:
    """Lint, migration check, then pytest on SQLite and on PostgreSQL when reachable.

    LINDUNG_REQUIRE_POSTGRES=1 (set by .ci/run) turns an unreachable PostgreSQL into a failure
    instead of a skipped half.
    """
    ensure_venv()
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base_env["PYTHONDONTWRITEBYTECODE"] = "1"
    say("ruff check + format check")
    paths = [p for p in ("src", "tests", "bench", "dev.py") if (ROOT / p).exists()]
    run(BIN / "ruff", "check", *paths)
    run(BIN / "ruff", "format", "--check", *paths)
    say("checking that models and migrations agree")
    run(BIN / "lindung", "makemigrations", "--check", "--dry-run", env=base_env)

    # Browser tests need Chromium; LINDUNG_REQUIRE_BROWSER=1 (set by .ci/run) makes its absence
    # a failure instead of leaving those tests out.
    chromium = os.environ.get("LINDUNG_CHROMIUM", "/usr/bin/chromium")
    browser_args: list[str] = []
    if not Path(chromium).exists():
        if os.environ.get("LINDUNG_REQUIRE_BROWSER", "") not in ("", "0"):
            say(f"Chromium is required (LINDUNG_REQUIRE_BROWSER) but {chromium} is missing")
            sys.exit(1)
        say(f"no Chromium at {chromium}: browser tests left out (apt-get install chromium)")
        browser_args = ["-m", "not browser"]

    pg_url = os.environ.get("LINDUNG_TEST_POSTGRES_URL", DEFAULT_TEST_POSTGRES)
    required = os.environ.get("LINDUNG_REQUIRE_POSTGRES", "") not in ("", "0")
    postgres = postgres_reachable(pg_url)
    if not postgres and required:
        say(f"PostgreSQL is required (LINDUNG_REQUIRE_POSTGRES) but {pg_url} is not reachable")
        sys.exit(1)

    # The two halves run side by side: each is one Python process, mostly on one core, so on a
    # machine with two or more cores the suite takes as long as its longer half instead of the
    # sum. The PostgreSQL half gets its own LINDUNG_HOME (var/: secret key, uploads), writes
    # its output to a log, and is reported after the SQLite half.
    pg_half = None
    pg_log = ROOT / "var" / "test-postgresql.log"
    if postgres:
        parsed = urlparse(pg_url)
        say(f"test suite on PostgreSQL ({parsed.hostname}:{parsed.port}), output in {pg_log}")
        pg_home = ROOT / "var" / "test-postgresql"
        pg_home.mkdir(parents=True, exist_ok=True)
        # The browser tests drive their own server process; once (on SQLite) is enough.
        pg_half = subprocess.Popen(
            [str(PY), "-m", "pytest", "-m", "not browser", "-p", "no:cacheprovider", *extra],
            cwd=ROOT,
            env={**base_env, "DATABASE_URL": pg_url, "LINDUNG_HOME": str(pg_home)},
            stdout=pg_log.open("wb"),
            stderr=subprocess.STDOUT,
        )
    say("test suite on SQLite")
    try:
        sqlite_result = subprocess.run(
            [str(PY), "-m", "pytest", *browser_args, *extra], cwd=ROOT, env=base_env
        ).returncode
        if pg_half is None:
            say("PostgreSQL not reachable: the PostgreSQL half was skipped")
            sys.exit(sqlite_result)
        pg_result = pg_half.wait()
    finally:
        if pg_half is not None and pg_half.poll() is None:
            pg_half.terminate()  # interrupted: do not leave the other half running
    lines = pg_log.read_text(errors="replace").splitlines()
    say(f"PostgreSQL half ({'passed' if pg_result == 0 else 'FAILED'}):")
    # All of it when it failed (the failures are the point), else its summary.
    print("\n".join(lines if pg_result else lines[-3:]), flush=True)
    sys.exit(sqlite_result or pg_result)


def lock() -> None:
    ensure_venv()
    run(PY, "-m", "pip", "install", "--quiet", "pip-tools")
    run(
        BIN / "pip-compile",
        "--quiet",
        "--extra=dev",
        "--strip-extras",
        "--no-emit-index-url",
        "--no-emit-find-links",
        "--output-file=requirements.lock",
        "pyproject.toml",
    )


def main(argv: list[str]) -> None:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "demo":
        ensure_venv()
        os.execv(str(BIN / "lindung"), [str(BIN / "lindung"), "demo", *rest])
    elif command == "test":
        test(rest)
    elif command == "lock":
        lock()
    elif command == "shell":
        ensure_venv()
        os.execv(str(BIN / "lindung"), [str(BIN / "lindung"), *rest])
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)


if __name__ == "__main__":
    main(sys.argv[1:])
