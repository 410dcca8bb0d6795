"""What the registry announces to later stages, which must not be imported from here.

`worker_marked` is sent inside `services.worker_mark`'s transaction after a person is marked
moved away, deceased or back; receivers (enrolment ends coverage from that date) run in the
same transaction, so the mark and its consequences are saved together or not at all.
Arguments: `worker` (the Worker), `status` (a `LifeStatus` value), `since` (a date or None),
`actor` (who marked).

`worker_merging` is sent inside `services.worker_merge` just before the merged-away record is
deleted: receivers move what points at it onto the kept record (`keep`, `remove`, `actor`),
or raise `ApplicationError` to refuse the merge with a reason.
"""

from django.dispatch import Signal

worker_marked = Signal()
worker_merging = Signal()
