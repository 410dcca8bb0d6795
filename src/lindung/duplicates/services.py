"""Scanning the registry for duplicates and deciding candidate pairs (the writes; reads are in
selectors.py)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.roles import Action
from lindung.accounts.scoping import require
from lindung.accounts.system import person_or_none
from lindung.audit.services import record
from lindung.common.bulk import frame_from_query
from lindung.common.errors import ApplicationError
from lindung.regions.models import canonical
from lindung.registry.services import worker_identity_correct, worker_merge

from . import dedup
from .models import CandidateStatus, DistinctPeople, DuplicateCandidate, DuplicateKind
from .selectors import can_decide, decide_refusal, open_candidates_in

_SCHEMA = {
    "id": pl.Int64,
    "nik": pl.Utf8,
    "name": pl.Utf8,
    "birth_date": pl.Date,
    "sex": pl.Utf8,
    "village": pl.Utf8,
    "kk": pl.Utf8,
}
_SELECT = "SELECT id, nik, name, birth_date, sex, village_id, kk_number FROM registry_worker"


def people(prefix: str) -> pl.DataFrame:
    """Workers whose village code starts with `prefix`, as a frame of `dedup.COLUMNS`."""
    return frame_from_query(_SELECT + " WHERE village_id LIKE %s", [prefix + "%"], _SCHEMA)


def _decided_pairs() -> set[tuple[str, str]]:
    return set(DistinctPeople.objects.values_list("nik_low", "nik_high"))


def duplicates_scan(*, actor, region_code: str) -> list[DuplicateCandidate]:
    """Refresh the open candidate pairs of a region's workers, against the rest of the province.

    Pairs a reviewer already decided are kept as decided; pairs declared different people are
    never proposed again. Returns the open candidates of the region.
    """
    region = canonical(region_code)
    require(actor, Action.REVIEW, region)
    return refresh_candidates(actor=actor, region=region)


def refresh_candidates(*, actor, region: str) -> list[DuplicateCandidate]:
    """The scan itself, without the reviewer check: also run for every submission, whoever
    submits, so reviewers find the pairs waiting."""
    new = people(region)
    registered = people(region[:2])
    found = dedup.find(new, registered)
    # One row per pair, whichever side was found from: (smaller id, larger id).
    found = found.with_columns(
        pl.min_horizontal("id_a", "id_b").alias("lo"), pl.max_horizontal("id_a", "id_b").alias("hi")
    ).unique(subset=["lo", "hi"], keep="first")
    villages = dict(zip(registered["id"].to_list(), registered["village"].to_list(), strict=True))
    distinct = _decided_pairs()
    candidates = []
    for row in found.iter_rows(named=True):
        lo, hi = row["lo"], row["hi"]
        nik_lo, nik_hi = (
            (row["nik_a"], row["nik_b"]) if row["id_a"] == lo else (row["nik_b"], row["nik_a"])
        )
        if tuple(sorted((nik_lo, nik_hi))) in distinct:
            continue
        in_region = villages[lo] if villages[lo].startswith(region) else villages[hi]
        candidates.append(
            DuplicateCandidate(
                worker_a_id=lo,
                worker_b_id=hi,
                nik_a=nik_lo,
                nik_b=nik_hi,
                kind=row["kind"],
                score=float(row["score"]),
                details={
                    "name": round(float(row["name"]), 1),
                    "nik_digits": int(row["nik_digits"]),
                    "birth": row["birth"],
                    "agree": list(row["agree"]),
                    "disagree": list(row["disagree"]),
                },
                region_code=in_region,
            )
        )
    with transaction.atomic():
        # NIK conflicts from uploads are not found by a scan: they stay until decided.
        DuplicateCandidate.objects.filter(
            status=CandidateStatus.OPEN, incoming_row__isnull=True
        ).filter(region_code__startswith=region).delete()
        DuplicateCandidate.objects.bulk_create(candidates, batch_size=2000, ignore_conflicts=True)
        record(
            actor=actor,
            action="duplicates.scan",
            object_type="duplicates.duplicatecandidate",
            object_repr=f"scan {region}",
            region_code=region,
            after={
                "workers": new.height,
                "compared_with": registered.height,
                "pairs": len(candidates),
            },
            row_count=len(candidates),
        )
    return list(open_candidates_in(region))


def _decided(candidate: DuplicateCandidate, actor, status: str) -> None:
    candidate.status = status
    candidate.decided_by = person_or_none(actor)
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def duplicate_decide(
    *, actor, candidate: DuplicateCandidate, same: bool, keep: str = "a", reason: str = ""
) -> DuplicateCandidate:
    """Same person → merge into the kept worker (heirs and history kept); different people →
    the pair is never proposed again. Both workers must be within the reviewer's scope."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != CandidateStatus.OPEN:
        raise ApplicationError(_("This pair was already decided."), code="decided")
    if candidate.from_upload:
        return _decide_nik_conflict(actor, candidate, same=same, keep=keep, reason=reason)
    a, b = candidate.worker_a, candidate.worker_b
    if not can_decide(actor, candidate):
        raise PermissionDenied(decide_refusal())
    if same:
        if keep not in ("a", "b"):
            raise ApplicationError(_("Choose which record to keep."), code="keep_required")
        survivor, removed = (a, b) if keep == "a" else (b, a)
        _decided(candidate, actor, CandidateStatus.SAME)
        record(
            actor=actor,
            action="duplicate.same",
            obj=candidate,
            region_code=candidate.region_code,
            after={"kept": survivor.nik, "merged": removed.nik},
            reason=reason,
        )
        # Imported here: programs' services import this module (a submission refreshes the
        # pairs of its village), and a merge must carry the removed record's list places.
        from lindung.programs.services import list_places_move

        list_places_move(removed=removed, survivor=survivor)
        worker_merge(actor=actor, keep=survivor, remove=removed, reason=reason)
        # Open pairs that pointed at the merged-away record are stale now.
        DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).filter(
            models.Q(worker_a__isnull=True)
            | models.Q(worker_b__isnull=True, incoming_row__isnull=True)
        ).delete()
        return candidate
    low, high = sorted((candidate.nik_a, candidate.nik_b))
    DistinctPeople.objects.get_or_create(
        nik_low=low,
        nik_high=high,
        defaults={"decided_by": person_or_none(actor), "reason": reason},
    )
    _decided(candidate, actor, CandidateStatus.DIFFERENT)
    record(
        actor=actor,
        action="duplicate.different",
        obj=candidate,
        region_code=candidate.region_code,
        after={"nik_a": candidate.nik_a, "nik_b": candidate.nik_b},
        reason=reason,
    )
    return candidate


# --- NIK conflicts from uploads -------------------------------------------------------------


def _identity_keys(frame: pl.DataFrame, name: str, birth: str, sex: str) -> list[tuple]:
    """(name key, ISO birth date, sex) per row, names compared as `intake.matching` does."""
    from lindung.intake.matching import name_key

    return frame.select(
        name_key(pl.col(name)), pl.col(birth).cast(pl.Utf8), pl.col(sex).fill_null("")
    ).rows()


def _waiting_identities(worker_ids: list[int]) -> set[tuple]:
    """(worker, identity key) of the upload conflicts already waiting for these workers."""
    waiting = DuplicateCandidate.objects.filter(
        status=CandidateStatus.OPEN, incoming_row__isnull=False, worker_a_id__in=worker_ids
    )
    given = pl.DataFrame(
        [
            (c.worker_a_id, c.incoming.get("name", ""), c.incoming.get("birth_date"),
             c.incoming.get("sex", ""))
            for c in waiting
        ],
        schema={"worker": pl.Int64, "name": pl.Utf8, "birth": pl.Utf8, "sex": pl.Utf8},
        orient="row",
    )  # fmt: skip
    keys = _identity_keys(given, "name", "birth", "sex")
    return set(zip(given["worker"].to_list(), keys, strict=True))


def _conflict_candidate(upload, row: dict) -> DuplicateCandidate:
    compared = ("name", "birth_date", "sex", "village")
    disagree = [field for field in compared if row[f"{field}_differs"]]
    birth = row["birth_date"].isoformat() if row["birth_date"] else None
    return DuplicateCandidate(
        worker_a_id=row["w_id"],
        worker_b=None,
        nik_a=row["nik"],
        nik_b=row["nik"],
        kind=DuplicateKind.CONFLICT,
        score=0.0,
        details={
            "source": "upload",
            "nik_digits": 0,
            "agree": ["nik", *(field for field in compared if field not in disagree)],
            "disagree": disagree,
        },
        region_code=row["w_village_id"],
        upload=upload,
        incoming_row=row["row_number"],
        incoming={
            "name": row["name"],
            "birth_date": birth,
            "sex": row["sex"],
            "kk_number": row["kk_number"] or "",
            "village": row["village_code"],
            "file": upload.filename,
        },
    )


def nik_conflicts_from_upload(*, actor, upload, rows: pl.DataFrame) -> int:
    """Queue each row of an upload that gave a registered NIK another identity for review, as a
    conflict: registered worker (A) against the row's identity (B). Called inside the staging
    transaction; checking the same upload again replaces its open conflicts, and an identity
    already waiting for review for that worker (from an earlier upload) is not queued twice.

    `rows` are `intake.matching.classify` rows: the staged values and the worker's `w_…`.
    """
    from lindung.intake.matching import name_key

    DuplicateCandidate.objects.filter(upload=upload, status=CandidateStatus.OPEN).delete()
    if rows.is_empty():
        return 0
    rows = rows.with_columns(
        (name_key(pl.col("name")) != name_key(pl.col("w_name"))).alias("name_differs"),
        (pl.col("birth_date") != pl.col("w_birth_date"))
        .fill_null(True)
        .alias("birth_date_differs"),
        (pl.col("sex") != pl.col("w_sex")).fill_null(True).alias("sex_differs"),
        (pl.col("village_code") != pl.col("w_village_id")).alias("village_differs"),
    )
    waiting = _waiting_identities(rows["w_id"].unique().to_list())
    keys = _identity_keys(rows, "name", "birth_date", "sex")
    candidates = []
    for row, key in zip(rows.iter_rows(named=True), keys, strict=True):
        if (row["w_id"], key) in waiting:
            continue
        waiting.add((row["w_id"], key))
        candidates.append(_conflict_candidate(upload, row))
    DuplicateCandidate.objects.bulk_create(candidates, batch_size=2000)
    if candidates:
        record(
            actor=actor,
            action="duplicates.nik_conflict",
            obj=upload,
            region_code=upload.village_id,
            after={"file": upload.filename, "conflicts": len(candidates)},
            row_count=len(candidates),
        )
    return len(candidates)


def _decide_nik_conflict(actor, candidate, *, same: bool, keep: str, reason: str):
    """A registered worker against an upload's identity for the same NIK. "Same person, keep A"
    and "different people" leave the registry as it is (the upload's row stays refused); only
    "same person, keep B" corrects the registered name, birth date and sex to the upload's."""
    worker = candidate.worker_a
    if worker is None:
        raise ApplicationError(_("The registered person of this pair is gone."), code="gone")
    if not can_decide(actor, candidate):
        raise PermissionDenied(decide_refusal())
    if same and keep not in ("a", "b"):
        raise ApplicationError(_("Choose which record to keep."), code="keep_required")
    adopt = same and keep == "b"
    _decided(candidate, actor, CandidateStatus.SAME if same else CandidateStatus.DIFFERENT)
    record(
        actor=actor,
        action="duplicate.nik_conflict",
        obj=candidate,
        region_code=candidate.region_code,
        after={
            "same": same,
            "kept": "upload" if adopt else "registered",
            "nik": worker.nik,
            "upload_row": candidate.incoming_row,
        },
        reason=reason,
    )
    if adopt:
        birth = candidate.incoming.get("birth_date")
        worker_identity_correct(
            actor=actor,
            worker=worker,
            name=candidate.incoming.get("name", ""),
            birth_date=dt.date.fromisoformat(birth) if birth else worker.birth_date,
            sex=candidate.incoming.get("sex") or worker.sex,
            reason=reason or _("NIK conflict decided in the duplicate review"),
        )
    return candidate
