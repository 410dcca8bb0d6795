"""Reading programs and submissions, scoped like everything else."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from lindung.accounts.roles import Action
from lindung.accounts.scoping import get_for_user, restrict, scope_prefixes
from lindung.duplicates.selectors import open_pairs_with

from .models import Program, Submission, SubmissionPerson


def programs_for(user) -> QuerySet[Program]:
    """Programs whose region contains, or lies inside, one of the user's regions: a village
    operator sees the regency's program their village takes part in."""
    prefixes = scope_prefixes(user)
    if prefixes is None:
        return Program.objects.select_related("owner_region")
    ancestors = {p[:n] for p in prefixes for n in (2, 4, 6, 10) if n <= len(p)}
    q = Q(owner_region__code__in=ancestors)
    for prefix in prefixes:
        q |= Q(owner_region__code__startswith=prefix)
    return (
        Program.objects.filter(q).select_related("owner_region")
        if prefixes
        else Program.objects.none()
    )


def program_for_user(user, code: str) -> Program:
    program = programs_for(user).filter(code=code).first()
    if program is None:
        from django.http import Http404

        raise Http404
    return program


# People the village removed stay as rows (who, when, why) but count for nothing.
ON_LIST = Q(people__removed_at__isnull=True)


def _with_counts() -> QuerySet[Submission]:
    """Lists with their people counted in the same query (lists, pages and the API read these)."""
    return Submission.objects.select_related("program", "village", "village__parent").annotate(
        n_people=Count("people", filter=ON_LIST),
        n_eligible=Count("people", filter=ON_LIST & Q(people__eligible=True)),
        n_accepted=Count("people", filter=ON_LIST & Q(people__outcome="accepted")),
        n_rejected=Count("people", filter=ON_LIST & Q(people__outcome="rejected")),
        n_excluded=Count("people", filter=ON_LIST & Q(people__outcome="excluded")),
        n_removed=Count("people", filter=Q(people__removed_at__isnull=False)),
    )


def submissions_for(user, program: Program | None = None) -> QuerySet[Submission]:
    qs = restrict(_with_counts(), user)
    return qs.filter(program=program) if program is not None else qs


def submission_for_user(user, pk: int, action: str = Action.VIEW) -> Submission:
    return get_for_user(_with_counts(), user, action, pk=pk)


def people_of(
    submission: Submission, *, outcome: str = "", eligible: str = "", removed: bool = False
) -> QuerySet:
    """The people on the list, or (`removed`) those the village took off it, with why."""
    open_pairs = open_pairs_with(OuterRef("worker_id"))
    qs = (
        SubmissionPerson.objects.filter(submission=submission, removed_at__isnull=not removed)
        .select_related("worker", "worker__occupation", "removed_by")
        .annotate(possible_duplicate=Exists(open_pairs))
    )
    if outcome:
        qs = qs.filter(outcome=outcome)
    if eligible in ("yes", "no"):
        qs = qs.filter(eligible=eligible == "yes")
    return qs.order_by("worker__name", "id")
