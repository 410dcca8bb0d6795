"""Process plumbing for `lindung serve` and its worker: one worker per installation, and a
worker that never outlives the server that started it."""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import sys
import threading
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def hold_single_lock(path: Path):
    """An exclusive lock on `path` for the life of this process (the kernel drops it when the
    process ends, however it ends), or None with the holder's pid when another process has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - kept open for the process's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip()
        handle.close()
        return None, holder
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle, str(os.getpid())


def exit_with_parent(parent_pid: int) -> None:
    """End this process (SIGTERM, so a running task stops the worker's own way) when the
    process that started it ends, even by SIGKILL.

    Linux: the kernel sends the signal (prctl PR_SET_PDEATHSIG). Everywhere, and for a parent
    that died before the prctl call: a thread that watches the parent pid once a second.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGTERM)
        return

    def watch() -> None:
        while True:
            threading.Event().wait(1)
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
