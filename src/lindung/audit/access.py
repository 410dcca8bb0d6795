"""Recording who looked at full personal data (UU 27/2022: access to personal data is accountable).

A page, API answer or file that shows full NIKs, and every search by NIK, writes one audit event
per request (never one per row): `pii.view` or `pii.search`, with the ids of the people concerned
and no NIK in clear, so auditors see who saw whom and when in the audit trail like any write.
"""

from __future__ import annotations

from django.db.models import QuerySet

from lindung.accounts import masking
from lindung.accounts.scoping import scope_prefixes

from .services import record

# Enough ids to tell whom a request showed; the count says how many there were in all.
MAX_IDS = 200

PII_VIEW = "pii.view"
PII_SEARCH = "pii.search"


def _region_of(user, region_codes: list[str]) -> str:
    """The region an access event belongs to, so auditors of that region see it: the common
    prefix of the people's villages, or of the reader's own scope when nobody was found."""
    codes = [c for c in region_codes if c] or list(scope_prefixes(user) or [])
    prefix = codes[0] if codes else ""
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    # Only whole region codes (province 2, regency 4, district 6, village 10 digits).
    for length in (10, 6, 4, 2):
        if len(prefix) >= length:
            return prefix[:length]
    return ""


def full_nik_shown(user, people, *, what: str, object_type: str = "", object_id: str = ""):
    """Record that `user` was shown the full NIKs of `people` (workers, or objects with a
    `.worker`), counting only those whose NIK the policy let them see; `what` names the page,
    answer or file. Nothing is written when every NIK shown was masked."""
    workers = [getattr(p, "worker", p) for p in people]
    seen = {
        (w.pk, w.village_id)
        for w in workers
        if w is not None and w.pk and masking.sees_pii(user, w.village_id)
    }
    if not seen:
        return
    ids = sorted(i for i, _ in seen)
    record(
        actor=user,
        action=PII_VIEW,
        # Not the worker's own object id: reads are not part of the person's change history.
        object_type=object_type or "registry.worker",
        object_id=str(object_id),
        object_repr=what[:200],
        region_code=_region_of(user, [v for _, v in seen]),
        after={"workers": ids[:MAX_IDS]},
        row_count=len(ids),
    )


def nik_searched(user, q: str, workers) -> None:
    """If `q` searched by NIK, record it: who searched, a masked form of what, and whom the
    search found (`workers`: the filtered queryset the page or API answers with)."""
    from lindung.registry.selectors import nik_query

    query = nik_query(user, q)
    if not query:
        return
    found = list(workers.order_by().values_list("id", "village_id")[:MAX_IDS])
    ids = sorted(i for i, _ in found)
    region_codes = [v for _, v in found]
    record(
        actor=user,
        action=PII_SEARCH,
        object_type="registry.worker",
        object_repr=f"NIK {masking.mask_number(query)}",
        region_code=_region_of(user, list(region_codes)),
        after={"query": masking.mask_number(query), "workers": ids[:MAX_IDS]},
        row_count=len(ids),
    )


def upload_rows_shown(user, upload, rows, *, what: str) -> None:
    """Rows of an uploaded file shown with full NIKs (a page of rows, or the annotated file):
    one event on the upload, with the registered people among them."""
    if not masking.sees_pii(user, upload.village_id):
        return
    # A whole file: counted in SQL, not loaded row by row.
    if isinstance(rows, QuerySet) and not rows.query.is_sliced:
        count = rows.count()
        ids = sorted(
            rows.exclude(worker_id=None).order_by().values_list("worker_id", flat=True)[:MAX_IDS]
        )
    else:
        count = len(rows)
        ids = sorted({r.worker_id for r in rows if getattr(r, "worker_id", None)})
    if not count:
        return
    record(
        actor=user,
        action=PII_VIEW,
        object_type="intake.upload",
        object_id=str(upload.pk),
        object_repr=what[:200],
        region_code=upload.village_id,
        after={"workers": ids[:MAX_IDS], "rows": count},
        row_count=count,
    )


def list_shown(user, *, region_code: str, worker_ids, what: str, object_type: str, object_id):
    """A list of one region's people shown with full NIKs (an API list the pagination slices
    later): one event with the ids (a values queryset is read in SQL, up to `MAX_IDS`)."""
    if not masking.sees_pii(user, region_code):
        return
    if isinstance(worker_ids, QuerySet):
        count = worker_ids.count()
        ids = sorted(worker_ids[:MAX_IDS])
    else:
        ids = sorted(set(worker_ids))
        count = len(ids)
    if not count:
        return
    record(
        actor=user,
        action=PII_VIEW,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=what[:200],
        region_code=region_code,
        after={"workers": ids[:MAX_IDS]},
        row_count=count,
    )
