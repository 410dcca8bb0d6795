"""Reading duplicate candidate pairs: what a user may see of them, always region-scoped."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lindung.accounts import masking
from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import can, region_q, scope_prefixes
from lindung.regions.models import canonical

from .models import CandidateStatus, DuplicateCandidate


def open_candidates_in(region: str):
    return (
        DuplicateCandidate.objects.filter(
            status=CandidateStatus.OPEN, region_code__startswith=canonical(region)
        )
        .select_related("worker_a", "worker_b", "upload")
        .order_by("-score", "id")
    )


def open_pairs_with(worker) -> QuerySet[DuplicateCandidate]:
    """Open pairs with this worker on either side (`worker` may be an `OuterRef`, so a list of
    people can be annotated with whether each has a pair waiting)."""
    return DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).filter(
        Q(worker_a=worker) | Q(worker_b=worker)
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
