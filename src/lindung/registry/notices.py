"""What each action on a worker did, in one sentence for the person who did it (the pages'
success messages): who, what changed, where — never a bare "Saved."."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lindung.audit.labels import field_label
from lindung.common.text import date_text

from .models import Worker


def created(worker: Worker) -> str:
    return _("%(name)s was added to the registry of %(village)s village.") % {
        "name": worker.name,
        "village": worker.village.name,
    }


def updated(worker: Worker, changed: list[str], heirs: int) -> str:
    """`changed`: the worker's fields that changed; `heirs`: how many heirs the worker has now."""
    args = {
        "name": worker.name,
        "fields": ", ".join(field_label("registry.worker", f) for f in changed),
        "heirs": heirs,
    }
    if changed:
        return _("Data of %(name)s changed: %(fields)s. Heirs: %(heirs)d.") % args
    return _("Data of %(name)s saved without changes. Heirs: %(heirs)d.") % args


def deleted(worker: Worker) -> str:
    return _("%(name)s was removed from the registry of %(village)s village.") % {
        "name": worker.name,
        "village": worker.village.name,
    }


def marked(worker: Worker) -> str:
    args = {
        "name": worker.name,
        "status": worker.get_life_status_display(),
        "since": date_text(worker.life_status_date),
    }
    if worker.life_status_date:
        return _("%(name)s is now marked: %(status)s since %(since)s.") % args
    return _("%(name)s is now marked: %(status)s.") % args
