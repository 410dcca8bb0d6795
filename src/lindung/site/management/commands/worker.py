"""`lindung worker`: the background task worker, one per installation.

django-tasks-db's `db_worker` with two guarantees added: a second one on the same installation
(same `var/`) does not start while the first runs (so a restarted server never ends up with two
workers), and with `--parent-pid` it ends when that process ends (how `lindung serve` starts it:
stopping or killing the server stops its worker). `lindung db_worker` stays available for extra
workers on purpose.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from lindung.common.processes import exit_with_parent, hold_single_lock
from lindung.coverage.refresh import refresh_every
from lindung.intake.services import uploads_sweep_every

ALREADY_RUNNING_EXIT = 3
SWEEP_SECONDS = 600


def lock_path():
    return settings.VAR_DIR / "worker.lock"


class Command(db_worker.Command):
    help = "Run the background task worker (one per installation)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="end when this process ends (set by `lindung serve`)",
        )

    def handle(self, *args, parent_pid: int | None = None, **options):
        if parent_pid:
            exit_with_parent(parent_pid)
        self._lock, holder = hold_single_lock(lock_path())
        if self._lock is None:
            raise CommandError(
                f"another worker is already running for {settings.VAR_DIR} (pid {holder}); "
                "not starting a second one",
                returncode=ALREADY_RUNNING_EXIT,
            )
        self.stdout.write(f"worker running (pid {holder})")
        # Staged uploads expire on a timer too, not only when someone opens the uploads page.
        uploads_sweep_every(SWEEP_SECONDS)
        refresh_every()  # coverage figures: marked villages recounted within a minute
        options["reload"] = False  # a reloader child would escape the lock and the parent watch
        super().handle(*args, **options)
