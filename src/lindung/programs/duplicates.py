"""Scanning the registry for duplicates and deciding candidate pairs (services and selectors)."""

from __future__ import annotations

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.accounts.scoping import can, get_for_user, require, restrict
from lindung.accounts.system import person_or_none
from lindung.audit.services import record
from lindung.common.bulk import frame_from_query
from lindung.common.errors import ApplicationError
from lindung.regions.models import canonical
from lindung.registry.services import worker_merge

from . import dedup
from .models import CandidateStatus, DistinctPeople, DuplicateCandidate

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
        DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).filter(
            region_code__startswith=region
        ).delete()
        DuplicateCandidate.objects.bulk_create(candidates, batch_size=2000, ignore_conflicts=True)
        record(
            actor=actor,
            action="duplicates.scan",
            object_type="programs.duplicatecandidate",
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


def open_candidates_in(region: str):
    return (
        DuplicateCandidate.objects.filter(
            status=CandidateStatus.OPEN, region_code__startswith=canonical(region)
        )
        .select_related("worker_a", "worker_b")
        .order_by("-score", "id")
    )


def candidates_for(user, status: str = CandidateStatus.OPEN):
    qs = restrict(
        DuplicateCandidate.objects.select_related(
            "worker_a__village", "worker_b__village", "worker_a__occupation", "worker_b__occupation"
        ),
        user,
        Action.REVIEW,
    )
    return qs.filter(status=status) if status else qs


def candidate_for_user(user, pk: int) -> DuplicateCandidate:
    return get_for_user(
        DuplicateCandidate.objects.select_related(
            "worker_a__village", "worker_b__village", "worker_a__occupation", "worker_b__occupation"
        ),
        user,
        Action.REVIEW,
        pk=pk,
    )


# --- what a reviewer sees of a pair -------------------------------------------------------------


def _regency_label(village_code: str) -> str:
    from lindung.regions.selectors import region_names

    regency = region_names().name(village_code[:4]) or village_code[:4]
    return _("a person registered in %(regency)s") % {"regency": regency}


def candidate_side(user, worker, nik: str, *, heirs: bool = True) -> dict:
    """One side of a pair as `user` may see it: everything (masked by the one policy) when the
    person is in the user's scope; otherwise only that someone with this (masked) NIK is
    registered in a regency, with initials: no birth date, village, phone, KK or heirs, so a
    scan is no lookup tool for people outside one's scope."""
    if worker is None or not masking.in_scope(user, worker.village_id):
        label = _regency_label(worker.village_id) if worker is not None else ""
        return {
            "in_scope": False,
            "label": label,
            "worker_id": None,
            "nik": masking.mask_number(nik),
            "name": masking.mask_name(worker.name) if worker is not None else "",
            "birth_date": "",
            "sex": "",
            "village": label,
            "kk_number": "",
            "phone": "",
            "occupation": "",
            "heirs": [],
        }
    region = worker.village_id
    return {
        "in_scope": True,
        "label": "",
        "worker_id": worker.pk,
        "nik": masking.nik_for(user, region, worker.nik),
        "name": worker.name,
        "birth_date": worker.birth_date.strftime("%d-%m-%Y"),
        "sex": worker.sex,
        "village": f"{worker.village.name} ({worker.village.dotted_code})",
        "kk_number": masking.kk_for(user, region, worker.kk_number) or "—",
        "phone": masking.phone_for(user, region, worker.phone) or "—",
        "occupation": str(worker.occupation),
        "heirs": [f"{h.name} ({h.get_relationship_display()})" for h in worker.heirs.all()]
        if heirs
        else [],
    }


def candidate_details(user, candidate: DuplicateCandidate) -> dict:
    """The matcher's findings (which fields agree) tell as much about the other person as the
    fields themselves, so they are shown only to whoever sees both people."""
    both = all(
        worker is not None and masking.in_scope(user, worker.village_id)
        for worker in (candidate.worker_a, candidate.worker_b)
    )
    return dict(candidate.details or {}) if both else {}


def can_decide(user, candidate: DuplicateCandidate) -> bool:
    """Only someone whose scope covers both people decides a pair (a merge moves heirs and
    history across regions; "different people" is final for both)."""
    return all(
        worker is not None and can(user, Action.REVIEW, worker.village_id)
        for worker in (candidate.worker_a, candidate.worker_b)
    )


def decide_refusal() -> str:
    return _(
        "This pair includes a person outside your regions: it is decided by someone whose "
        "scope covers both people (for example a BPJS officer or the province)."
    )


def _move_list_places(removed, survivor) -> None:
    """The kept record takes the merged-away record's places on program lists (where it is not
    on that list already); the double entries go."""
    from .models import SubmissionPerson

    places = SubmissionPerson.objects.filter(worker=removed)
    already = set(
        SubmissionPerson.objects.filter(worker=survivor).values_list("submission_id", flat=True)
    )
    places.filter(submission_id__in=already).delete()
    places.exclude(submission_id__in=already).update(worker=survivor)


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
        _move_list_places(removed, survivor)
        worker_merge(actor=actor, keep=survivor, remove=removed, reason=reason)
        # Open pairs that pointed at the merged-away record are stale now.
        DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).filter(
            models.Q(worker_a__isnull=True) | models.Q(worker_b__isnull=True)
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
