"""`lindung serve [ADDR:PORT]`: the production-grade WSGI server (waitress), static files by
whitenoise. Used by the demo; a province deployment runs several of these behind a proxy."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Lindung over HTTP with waitress."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, addrport: str, threads: int, **options):
        from waitress import serve

        from lindung.wsgi import application

        host, _sep, port = addrport.rpartition(":")
        host = host or "127.0.0.1"
        self.stdout.write(f"Lindung at http://{host}:{port}/  (Ctrl+C to stop)")
        serve(application, host=host, port=int(port), threads=threads, ident="lindung")
