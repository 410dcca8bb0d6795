"""The base of management commands that write: their audit events carry the `command` channel."""

from __future__ import annotations

from lindung.common.management.base import LindungCommand

from . import context


class AuditedCommand(LindungCommand):
    def execute(self, *args, **options):
        with context.channel(context.COMMAND):
            return super().execute(*args, **options)
