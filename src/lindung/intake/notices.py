"""What each action on an upload did, in one sentence for the person who did it (the pages'
success messages): the file, and how many rows went where. Row-level reasons are in
`messages.py`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lindung.common.text import number

from .models import Upload


def checked(upload: Upload) -> str:
    c = upload.counts or {}
    return _(
        "%(file)s checked: %(rows)s rows — %(new)s new, %(updated)s updates, "
        "%(unchanged)s unchanged, %(rejected)s rejected."
    ) % {
        "file": upload.filename,
        "rows": number(c.get("rows", 0)),
        "new": number(c.get("accepted", 0)),
        "updated": number(c.get("updated", 0)),
        "unchanged": number(c.get("unchanged", 0)),
        "rejected": number(c.get("rejected", 0)),
    }


def committed(upload: Upload) -> str:
    c = upload.counts or {}
    return _(
        "%(file)s saved to the registry of %(village)s village: %(new)s new workers, "
        "%(updated)s updated."
    ) % {
        "file": upload.filename,
        "village": upload.village.name,
        "new": number(c.get("inserted", 0)),
        "updated": number(c.get("changed", 0)),
    }


def cancelled(upload: Upload) -> str:
    return _("Upload %(file)s cancelled: none of its %(rows)s rows was saved.") % {
        "file": upload.filename,
        "rows": number((upload.counts or {}).get("rows", 0)),
    }


def queued(upload: Upload) -> str:
    return _("%(file)s is being processed in the background; this page shows its progress.") % {
        "file": upload.filename
    }
