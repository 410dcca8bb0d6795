"""Scanning the registry for duplicates and deciding candidate pairs (services and selectors)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts import masking
from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import can, region_q, require, scope_prefixes
from lindung.accounts.system import person_or_none
from lindung.audit.services import record
from lindung.common.bulk import frame_from_query
from lindung.common.errors import ApplicationError
from lindung.regions.models import canonical
from lindung.registry.services import worker_identity_correct, worker_merge

from . import dedup
from .models import CandidateStatus, DistinctPeople, DuplicateCandidate, DuplicateKind

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
        .select_related("worker_a", "worker_b", "upload")
        .order_by("-score", "id")
    )


def _candidates():
    return DuplicateCandidate.objects.select_related(
        "worker_a__village",
        "worker_b__village",
        "worker_a__occupation",
        "worker_b__occupation",
        "upload",
    )


def _visible(qs, user, action: str):
    """Pairs of the user's regions (worker A's), and NIK conflicts from uploads of their
    villages: the uploader's reviewers see their refused row's pair, the registered person
    masked when out of their scope (`candidate_side`)."""
    if not getattr(user, "is_authenticated", False) or not role_allows(user.role, action):
        return qs.none()
    if scope_prefixes(user) is None:
        return qs
    return qs.filter(region_q(user, "region_code") | region_q(user, "upload__village__code"))


def candidates_for(user, status: str = CandidateStatus.OPEN):
    qs = _visible(_candidates(), user, Action.REVIEW)
    return qs.filter(status=status) if status else qs


def candidate_for_user(user, pk: int) -> DuplicateCandidate:
    """404 when missing or outside the user's regions, 403 when their role reviews nothing."""
    found = _visible(_candidates(), user, Action.VIEW).filter(pk=pk).first()
    if found is None:
        raise Http404
    if not role_allows(user.role, Action.REVIEW):
        raise PermissionDenied
    return found


# --- what a reviewer sees of a pair -------------------------------------------------------------


def _regency_name(code: str) -> str:
    from lindung.regions.selectors import region_names

    return region_names().name(code[:4]) or code[:4]


def _regency_label(village_code: str) -> str:
    return _("a person registered in %(regency)s") % {"regency": _regency_name(village_code)}


def _upload_label(village_code: str) -> str:
    return _("a person listed in an upload from %(regency)s") % {
        "regency": _regency_name(village_code)
    }


def _hidden_side(label: str, nik: str, name: str) -> dict:
    return {
        "in_scope": False,
        "label": label,
        "worker_id": None,
        "nik": masking.mask_number(nik),
        "name": masking.mask_name(name),
        "birth_date": "",
        "sex": "",
        "village": label,
        "kk_number": "",
        "phone": "",
        "occupation": "",
        "heirs": [],
        "file": "",
    }


def candidate_side(user, worker, nik: str, *, heirs: bool = True) -> dict:
    """One side of a pair as `user` may see it: everything (masked by the one policy) when the
    person is in the user's scope; otherwise only that someone with this (masked) NIK is
    registered in a regency, with initials: no birth date, village, phone, KK or heirs, so a
    scan is no lookup tool for people outside one's scope."""
    if worker is None or not masking.in_scope(user, worker.village_id):
        label = _regency_label(worker.village_id) if worker is not None else ""
        return _hidden_side(label, nik, worker.name if worker is not None else "")
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
        "file": "",
    }


def incoming_region(candidate: DuplicateCandidate) -> str:
    """The scope region of a NIK conflict's side B: the village of the upload its row came
    from (the row's own village if the upload is gone)."""
    if candidate.upload_id is not None and candidate.upload is not None:
        return candidate.upload.village_id
    return str(candidate.incoming.get("village") or "")


def incoming_side(user, candidate: DuplicateCandidate) -> dict:
    """Side B of a NIK conflict: the identity the upload's row gave, under the same policy as a
    registered person, its scope region being the upload's village: in scope, shown (NIK and KK
    as `masking` allows); otherwise only the masked label, initials and masked NIK."""
    given = candidate.incoming or {}
    region = incoming_region(candidate)
    if not region or not masking.in_scope(user, region):
        label = _upload_label(region) if region else ""
        return _hidden_side(label, candidate.nik_b, given.get("name", ""))
    from lindung.regions.models import dotted
    from lindung.regions.selectors import region_names

    village = str(given.get("village") or "")
    village_name = region_names().name(village) if village else None
    birth = given.get("birth_date") or ""
    return {
        "in_scope": True,
        "label": "",
        "worker_id": None,
        "nik": masking.nik_for(user, region, candidate.nik_b),
        "name": given.get("name", ""),
        "birth_date": "-".join(reversed(birth.split("-"))) if birth else "—",
        "sex": given.get("sex", ""),
        "village": f"{village_name} ({dotted(village)})" if village_name else "—",
        "kk_number": masking.kk_for(user, region, given.get("kk_number")) or "—",
        "phone": "—",
        "occupation": "—",
        "heirs": [],
        "file": given.get("file", ""),
    }


def pair_sides(user, candidate: DuplicateCandidate, *, heirs: bool = True) -> tuple[dict, dict]:
    """Both sides of a pair as `user` may see them (pages and API alike)."""
    side_a = candidate_side(user, candidate.worker_a, candidate.nik_a, heirs=heirs)
    if candidate.from_upload:
        return side_a, incoming_side(user, candidate)
    return side_a, candidate_side(user, candidate.worker_b, candidate.nik_b, heirs=heirs)


def incoming_for(user, candidate: DuplicateCandidate) -> dict:
    """The API's `incoming` of a NIK conflict as `user` may see it: the row's identity with KK
    per the policy in scope; out of scope no name, birth date, KK, village or file in clear."""
    if not candidate.from_upload:
        return {}
    given = candidate.incoming or {}
    region = incoming_region(candidate)
    if region and masking.in_scope(user, region):
        return {
            **given,
            "kk_number": masking.kk_for(user, region, given.get("kk_number")),
            "upload": str(candidate.upload_id) if candidate.upload_id else None,
            "row": candidate.incoming_row,
            "label": "",
        }
    return {
        "name": masking.mask_name(given.get("name", "")),
        "birth_date": None,
        "sex": "",
        "kk_number": "",
        "village": "",
        "file": "",
        "upload": None,
        "row": None,
        "label": _upload_label(region) if region else "",
    }


def _side_regions(candidate: DuplicateCandidate) -> list[str | None]:
    """The scope region of each side: a worker's village, a conflict's upload village (and the
    village its row named, when another); None for a side without a worker (it renders like an
    out-of-scope side and is never decided)."""
    a = candidate.worker_a.village_id if candidate.worker_a is not None else None
    if candidate.from_upload:
        row_village = str((candidate.incoming or {}).get("village") or "")
        return [a, incoming_region(candidate) or None, *([row_village] if row_village else [])]
    return [a, candidate.worker_b.village_id if candidate.worker_b is not None else None]


def candidate_details(user, candidate: DuplicateCandidate) -> dict:
    """The matcher's findings (which fields agree) tell as much about the other person as the
    fields themselves, so they are shown only to whoever sees both people."""
    both = all(
        region is not None and masking.in_scope(user, region) for region in _side_regions(candidate)
    )
    return dict(candidate.details or {}) if both else {}


def can_decide(user, candidate: DuplicateCandidate) -> bool:
    """Only someone whose scope covers both people decides a pair (a merge moves heirs and
    history across regions; "different people" is final for both). For a NIK conflict: the
    registered worker's village and the upload's village."""
    return all(
        region is not None and can(user, Action.REVIEW, region)
        for region in _side_regions(candidate)
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
        _move_list_places(removed, survivor)
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
