"""Who is acting, through which channel, in which request: set once at the edge, read by audit.

The web middleware, the API auth and management commands set it; services never take a channel
argument, so the same service records `web`, `api`, `import` or `command` depending on the caller.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

WEB, API, IMPORT, COMMAND, ADMIN, SYSTEM = "web", "api", "import", "command", "admin", "system"
CHANNELS = (WEB, API, IMPORT, COMMAND, ADMIN, SYSTEM)


@dataclass(frozen=True, slots=True)
class AuditContext:
    channel: str = SYSTEM
    request_id: str = ""


_current: ContextVar[AuditContext] = ContextVar("lindung_audit_context", default=AuditContext())  # noqa: B039 (frozen)


def current() -> AuditContext:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def channel(name: str, request_id: str | None = None) -> Iterator[AuditContext]:
    if name not in CHANNELS:
        raise ValueError(f"unknown audit channel {name!r}")
    token = _current.set(AuditContext(channel=name, request_id=request_id or new_request_id()))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
