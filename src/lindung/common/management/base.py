"""Base for Lindung's management commands: writes are audited under the `command` channel."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lindung.audit import context


class AuditedCommand(BaseCommand):
    def execute(self, *args, **options):
        with context.channel(context.COMMAND):
            return super().execute(*args, **options)
