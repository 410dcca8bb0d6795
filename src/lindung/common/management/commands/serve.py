"""`lindung serve [ADDR:PORT]`: the production-grade WSGI server (waitress), static files by
whitenoise, and a background task worker (`lindung db_worker`) in one process tree. Used by
the demo and a single office; a province runs several web processes and separate workers."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Lindung over HTTP with waitress."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background task worker"
        )

    def handle(self, *args, addrport: str, threads: int, no_worker: bool, **options):
        import subprocess
        import sys

        from django.conf import settings
        from waitress import serve

        from lindung.wsgi import application

        worker = None
        if not no_worker and "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]:
            worker = subprocess.Popen([sys.executable, "-m", "lindung.cli", "db_worker"])
            self.stdout.write(f"background worker started (pid {worker.pid})")

        host, _sep, port = addrport.rpartition(":")
        host = host or "127.0.0.1"
        self.stdout.write(f"Lindung at http://{host}:{port}/  (Ctrl+C to stop)")
        try:
            serve(application, host=host, port=int(port), threads=threads, ident="lindung")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
