"""The SMS gateway adapter: one interface, the backend picked by `LINDUNG_SMS_BACKEND`.

- `fake` (the default): keeps every message in `FakeSms.outbox` and logs the text, so tests
  read the code and the demo's operator sees it in the server log. Nothing leaves the machine.
- a dotted path (`mypackage.sms.GatewaySms`): a class with `send(to: str, text: str)`. A real
  gateway must hand the message to a queue and return at once: waiting for the operator's
  network inside the request would let a caller time the difference between a NIK with a phone
  and one without.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("lindung.sms")


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> None: ...


@dataclass(frozen=True)
class Message:
    to: str
    text: str


class FakeSms:
    """Records messages instead of sending them (tests and the demo)."""

    outbox: list[Message] = []

    def send(self, to: str, text: str) -> None:
        FakeSms.outbox.append(Message(to=to, text=text))
        # The demo has no gateway: whoever runs it reads the code here. Never in production,
        # where a real backend is configured.
        log.warning("SMS (fake gateway) to %s: %s", to, text)


def backend() -> SmsBackend:
    name = getattr(settings, "LINDUNG_SMS_BACKEND", "fake") or "fake"
    if name == "fake":
        return FakeSms()
    return import_string(name)()


def send(to: str, text: str) -> None:
    backend().send(to, text)
