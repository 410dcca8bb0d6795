"""`lindung serve [ADDR:PORT]`: the production-grade WSGI server (waitress), static files by
whitenoise, and a background task worker (`lindung worker`) in one process tree. Used by
the demo and a single office; a province runs several web processes and separate workers.

The worker is a child that ends with the server: SIGINT or SIGTERM to the server stops it (and
kills it if it does not stop in time), the kernel stops it if the server is killed outright,
and the server starts a new one if the worker dies (the upload it was working on then shows as
stalled, with its next step, once its lease runs out).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from lindung.common.management.base import LindungCommand

from .worker import ALREADY_RUNNING_EXIT

WORKER_STOP_SECONDS = 10
WORKER_RESTART_SECONDS = 3


class WorkerSupervisor:
    """Runs `lindung worker` as a child, restarts it when it dies, stops it on demand."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._supervise, daemon=True, name="worker-watch")

    def start(self) -> None:
        self._spawn()
        self.thread.start()

    def _spawn(self, announce: bool = True) -> None:
        with self.lock:
            if self.stopping.is_set():
                return
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "lindung.cli",
                    "worker",
                    "--parent-pid",
                    str(os.getpid()),
                    "--verbosity",
                    "0",
                ]
            )
            if announce:
                self.stdout.write(f"background worker started (pid {self.process.pid})")

    def _supervise(self) -> None:
        while not self.stopping.is_set():
            code = self.process.wait()
            if self.stopping.wait(WORKER_RESTART_SECONDS):
                return
            retrying = code == ALREADY_RUNNING_EXIT  # the previous worker is still finishing
            if not retrying:
                self.stdout.write(f"background worker ended (exit {code}); starting a new one")
            self._spawn(announce=not retrying)

    def stop(self) -> None:
        with self.lock:
            self.stopping.set()
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            # Still in a task: kill it. Its upload's lease then runs out and the page offers
            # the next step (a commit is one transaction: nothing half-saved).
            process.kill()
            process.wait()


def collect_static(stdout=None) -> None:
    """Hashed, compressed copies of the static files under var/static, which a served site
    answers from (see STORAGES in settings). Quick when nothing changed; run at every start so
    a new version's files are never missing."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.STATIC_FROM_PACKAGE:
        return
    call_command("collectstatic", interactive=False, verbosity=0)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(LindungCommand):
    help = "Serve Lindung over HTTP with waitress."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background task worker"
        )

    def handle(self, *args, addrport: str, threads: int, no_worker: bool, **options):
        from django.conf import settings
        from waitress import serve

        from lindung.wsgi import application

        host, port = parse_addrport(addrport)
        # SIGTERM (systemd, docker, kill) ends the server like Ctrl+C does, through `finally`,
        # so the worker is stopped too; Python's default would exit without cleaning up.
        signal.signal(signal.SIGTERM, _raise_interrupt)
        collect_static()
        supervisor = None
        try:  # from here on a stop signal, however early, goes through `finally`
            if not no_worker and "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]:
                supervisor = WorkerSupervisor(self.stdout)
                supervisor.start()
            self.stdout.write(f"Lindung at http://{host}:{port}/  (Ctrl+C to stop)")
            serve(application, host=host, port=port, threads=threads, ident="lindung")
        except KeyboardInterrupt:
            self.stdout.write("stopping")
        finally:
            if supervisor is not None:
                supervisor.stop()


def parse_addrport(addrport: str) -> tuple[str, int]:
    """`8000`, `:8000`, `0.0.0.0:8000` or `127.0.0.1` → (host, port); a wrong one is refused
    before anything starts, with the forms that work."""
    host, sep, port = addrport.rpartition(":")
    if not sep and not addrport.isdigit():
        host, port = addrport, "8000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(
            _("Not an address and port: %(value)s (e.g. 8000, 0.0.0.0:8000).") % {"value": addrport}
        )
    return host or "127.0.0.1", int(port)
