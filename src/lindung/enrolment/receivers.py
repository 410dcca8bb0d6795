"""Reactions to other apps' announcements: thin, each hands over to a service."""

from __future__ import annotations

from django.dispatch import receiver

from lindung.registry.signals import worker_marked

from .services import participations_end_for_life_event


@receiver(worker_marked, dispatch_uid="enrolment.end_on_life_event")
def end_coverage_on_life_event(sender, *, worker, status, since, actor, **kwargs) -> None:
    participations_end_for_life_event(actor=actor, worker_id=worker.pk, status=status, since=since)
