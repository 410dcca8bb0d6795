"""Reactions to other apps' announcements: thin, each hands over to a service."""

from __future__ import annotations

from django.dispatch import receiver

from lindung.registry.signals import worker_marked, worker_merging

from .services import participations_end_for_life_event, participations_move_on_merge


@receiver(worker_marked, dispatch_uid="enrolment.end_on_life_event")
def end_coverage_on_life_event(sender, *, worker, status, since, actor, **kwargs) -> None:
    participations_end_for_life_event(actor=actor, worker_id=worker.pk, status=status, since=since)


@receiver(worker_merging, dispatch_uid="enrolment.move_on_merge")
def move_participations_on_merge(sender, *, keep, remove, actor, **kwargs) -> None:
    participations_move_on_merge(actor=actor, keep_id=keep.pk, remove_id=remove.pk)
