"""Real Lindung processes for tests: an installation of their own, `lindung …` commands, a
`lindung serve` that answers, and its end. Imported by test modules; not a test module itself.

The test database lives in a transaction that child processes cannot see, so they get a
database of their own: a SQLite file under their LINDUNG_HOME, or a scratch PostgreSQL database
(`scratch_postgres`) when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LINDUNG = (sys.executable, "-m", "lindung.cli")
BOUND = 60  # seconds any single wait on a child process may take


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_env(home: Path | str) -> dict[str, str]:
    """The environment of a lindung process on the installation at `home`: nothing of pytest's
    and no DATABASE_URL (a SQLite file under `home` unless the caller sets one), no settings
    module, no fault injected and not in test mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LINDUNG_FAULT", "LINDUNG_TESTING"):
        env.pop(name, None)
    env["LINDUNG_HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"  # tests read the servers' first lines as they come
    return env


def lindung(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `lindung ARGS` to its end and capture its output."""
    return subprocess.run(
        [*LINDUNG, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def lindung_start(env: dict, *args: str, stdout=subprocess.DEVNULL) -> subprocess.Popen:
    """Start `lindung ARGS` without waiting for it; the caller ends it."""
    return subprocess.Popen(
        [*LINDUNG, *args], env=env, stdout=stdout, stderr=subprocess.DEVNULL, text=True
    )


def lindung_shell(env: dict, code: str) -> str:
    """Run Python code in `lindung shell`; its last line of output."""
    done = lindung(env, "shell", "-c", code)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""  # after the shell's own "objects imported" line


def user_create(env: dict, username: str, password: str, role: str, regions: list[str]) -> None:
    lindung_shell(
        env,
        "from lindung.accounts.services import user_create;"
        f"user_create(username={username!r}, password={password!r}, role={role!r},"
        f" region_codes={regions!r})",
    )


class ScratchPostgres:
    """Databases of their own for the child processes when the suite runs on PostgreSQL, on the
    suite's server; `create(template=…)` copies a set-up one, which takes a moment instead of a
    whole `lindung setup`."""

    def __init__(self, prefix: str):
        from django.db import connection

        params = connection.settings_dict
        self.prefix = prefix
        self.server = f"{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}"
        self.admin = (
            f"host={params['HOST']} port={params['PORT'] or 5432} user={params['USER']} "
            "dbname=postgres"
        )

    def create(self, template: str | None = None) -> str:
        import psycopg

        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def url(self, name: str) -> str:
        return f"postgres://{self.server}/{name}"

    def drop(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def scratch_postgres(prefix: str) -> ScratchPostgres | None:
    """Scratch databases named PREFIX_… when the suite runs on PostgreSQL, else None (SQLite)."""
    from django.db import connection

    return ScratchPostgres(prefix) if connection.vendor == "postgresql" else None


class Installation:
    """One `lindung setup` (migrations, the 91,599 regions, occupations, static files) that
    tests copy instead of setting up their own: a setup takes half a minute, a copy a moment.
    The copy is a directory copy of its var/ (SQLite file, secret key, static files), and on
    PostgreSQL a database created from the set-up one as a template. Made once per test run
    by the `installation` fixture (conftest.py); `Installation(home, source=other)` starts
    from a copy of another one (the `demo_installation` fixture builds the demo on one)."""

    def __init__(self, home: Path, source: Installation | None = None):
        self.home = Path(home)
        self.postgres = scratch_postgres("lindung_inst")
        self.databases: list[str] = []
        if source is not None:
            self.env = source.copy(self.home)
            self.database = self.env.get("DATABASE_URL", "").rsplit("/", 1)[-1] or None
            return
        self.env = scratch_env(self.home)
        if self.postgres:
            self.database = self._create()
            self.env["DATABASE_URL"] = self.postgres.url(self.database)
        done = lindung(self.env, "setup")
        assert done.returncode == 0, done.stderr

    def _create(self, template: str | None = None) -> str:
        name = self.postgres.create(template=template)
        self.databases.append(name)
        return name

    def copy(self, home: Path | str) -> dict[str, str]:
        """A set-up installation of its own at `home`; returns its environment."""
        home = Path(home)
        # Uploads too (a demo's files are read by its pages); not the worker's lock.
        shutil.copytree(self.home / "var", home / "var", ignore=shutil.ignore_patterns("*.lock"))
        env = scratch_env(home)
        if self.postgres:
            env["DATABASE_URL"] = self.postgres.url(self._create(template=self.database))
        return env

    def close(self) -> None:
        for name in self.databases:
            self.postgres.drop(name)


class Server:
    """`lindung serve 127.0.0.1:PORT ARGS` on a free port, started and answering; `stop()` ends
    it and the worker it started."""

    def __init__(self, env: dict, *args: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        with_worker = "--no-worker" not in args
        self.process = lindung_start(
            env,
            "serve",
            f"127.0.0.1:{self.port}",
            *args,
            stdout=subprocess.PIPE if with_worker else subprocess.DEVNULL,
        )
        self.worker_pid = None
        if with_worker:
            line = self.process.stdout.readline()  # "background worker started (pid N)"
            assert "worker started" in line, line
            self.worker_pid = int(line.rsplit("pid ", 1)[1].rstrip(")\n"))
        deadline = time.monotonic() + BOUND
        while not self.answers():
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.base + "/akun/masuk/", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=BOUND)
        if self.worker_pid:
            kill_if_alive(self.worker_pid)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def kill_if_alive(pid: int) -> None:
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


# --- a real browser ------------------------------------------------------------------------------

# Debian's Chromium (no browser download): the browser tests run only where it is installed.
CHROMIUM = os.environ.get("LINDUNG_CHROMIUM", "/usr/bin/chromium")


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium driven by Playwright, with no traffic of its own beyond our server."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()
