"""Leases on background work: nothing waits forever.

A worker checking or saving an upload holds its lease (`held`) and renews it from a heartbeat
thread while it works; queued work holds a longer one from the moment it is queued (`promise`).
If the worker dies (killed, out of memory, server restarted) the lease runs out and the upload
is "stalled": the page and the API then offer the next step (check again, or save again; a
commit is one transaction, so a dead commit saved nothing) instead of a spinner.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import TaskLease, Upload, UploadStatus

log = logging.getLogger(__name__)

RECHECK, COMMIT = "recheck", "commit"


def _holder() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def _until(seconds: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def promise(upload: Upload, work: str) -> None:
    """Queued work: a worker should take it up within the queue time."""
    TaskLease.objects.update_or_create(
        upload_id=upload.pk,
        defaults={
            "work": work,
            "holder": "queue",
            "expires_at": _until(settings.LINDUNG_TASK_QUEUE_SECONDS),
        },
    )


@contextmanager
def held(upload: Upload, work: str):
    """Hold the upload's lease while the block runs, renewed by a heartbeat thread."""
    lease_seconds = settings.LINDUNG_TASK_LEASE_SECONDS
    holder = _holder()
    TaskLease.objects.update_or_create(
        upload_id=upload.pk,
        defaults={"work": work, "holder": holder, "expires_at": _until(lease_seconds)},
    )
    stop = threading.Event()
    beat = threading.Thread(
        target=_heartbeat, args=(upload.pk, holder, lease_seconds, stop), daemon=True
    )
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()
        TaskLease.objects.filter(upload_id=upload.pk, holder=holder).delete()


def _heartbeat(upload_id, holder: str, lease_seconds: float, stop: threading.Event) -> None:
    """Renew the lease a few times per lease period, on this thread's own connection."""
    try:
        while not stop.wait(lease_seconds / 4):
            try:
                TaskLease.objects.filter(upload_id=upload_id, holder=holder).update(
                    expires_at=_until(lease_seconds)
                )
            except DatabaseError:  # SQLite busy with the work's own transaction: next beat
                log.warning("lease renewal of upload %s failed", upload_id, exc_info=True)
    finally:
        connection.close()


def lease_of(upload: Upload) -> TaskLease | None:
    try:
        return upload.lease
    except TaskLease.DoesNotExist:
        return None


def is_stalled(upload: Upload) -> bool:
    """Work shown as in progress whose worker is gone (no lease, or an expired one)."""
    if not upload.progress:
        return False
    lease = lease_of(upload)
    return lease is None or lease.expires_at <= timezone.now()


def is_busy(upload: Upload) -> bool:
    """Work in progress that is still alive: starting the same work again would double it."""
    return bool(upload.progress) and not is_stalled(upload)


def next_step(upload: Upload) -> str:
    """What the user can do about a stalled upload: check the file again, or save again."""
    if not is_stalled(upload):
        return ""
    if upload.progress == "committing" and upload.status == UploadStatus.STAGED:
        return COMMIT
    return RECHECK
