"""Reading participants, always through the one scoping helper."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lindung.accounts.roles import Action
from lindung.accounts.scoping import get_for_user, restrict
from lindung.programs.models import (
    Outcome,
    Program,
    Submission,
    SubmissionPerson,
    SubmissionState,
)
from lindung.regions.models import canonical

from .models import Participant


def participants_for(
    user,
    program: Program | None = None,
    *,
    village: str = "",
    state: str = "",
    q: str = "",
    action: str = Action.VIEW,
) -> QuerySet[Participant]:
    qs = restrict(Participant.objects.all(), user, action).select_related(
        "worker", "village", "funder", "program"
    )
    if program is not None:
        qs = qs.filter(program=program)
    if village:
        qs = qs.filter(village_id=canonical(village))
    if state:
        qs = qs.filter(state=state)
    if q:
        q = q.strip()
        # A KPJ (11 digits) or a full NIK (16) is looked up exactly; anything else by name.
        if q.isdigit() and len(q) == 11:
            qs = qs.filter(kpj=q)
        elif q.isdigit() and len(q) == 16:
            qs = qs.filter(worker__nik=q)
        else:
            qs = qs.filter(Q(worker__name__icontains=q))
    return qs.order_by("village_id", "worker__name", "id")


def participant_for_user(user, pk: int, action: str = Action.VIEW) -> Participant:
    return get_for_user(
        Participant.objects.select_related("worker", "village", "funder", "program"),
        user,
        action,
        pk=pk,
    )


def ready_lists(user, program: Program) -> QuerySet[Submission]:
    """The program's lists that are ready for enrolment, in the user's regions, each with
    `to_enrol`: its accepted people not yet participants of the program (the same people
    `participants_enrol` would add), so a list already enrolled does not look pending."""
    pending = (
        SubmissionPerson.objects.filter(
            submission=OuterRef("pk"), outcome=Outcome.ACCEPTED, removed_at__isnull=True
        )
        .exclude(worker_id__in=Participant.objects.filter(program=program).values("worker_id"))
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        restrict(Submission.objects.all(), user)
        .filter(program=program, state=SubmissionState.READY)
        .annotate(to_enrol=Coalesce(Subquery(pending), 0))
        .select_related("village")
        .order_by("village__name")
    )


def counts_by_state(user, program: Program) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        restrict(Participant.objects.filter(program=program), user)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["state"]: r["n"] for r in rows}


def covered_on(day, worker_ids=None) -> QuerySet[Participant]:
    """Participations that cover `day` with a KPJ issued: the set the "protected on date D?"
    answer starts from (billing then looks at payments). Served by the (worker, start, end)
    index for one person, and set-based for everyone at once. A registered row (no KPJ yet)
    covers nothing: cover starts when BPJS issues the KPJ."""
    qs = Participant.objects.filter(start_date__lte=day, end_date__gte=day, kpj__isnull=False)
    return qs if worker_ids is None else qs.filter(worker_id__in=worker_ids)


def membership_start(worker_id: int, day) -> object | None:
    """The first day of the unbroken membership that covers `day`: the participation (with a
    KPJ) covering it, and before it every participation that ended the day before the next one
    started (a renewal, or another program taking over). None when nothing covers `day`. The
    benefit rules count consecutive months of membership from here (Permenaker 1/2025 Art. 97A)."""
    import datetime as dt

    rows = (
        Participant.objects.filter(worker_id=worker_id, kpj__isnull=False, start_date__lte=day)
        .order_by("-start_date")
        .values_list("start_date", "end_date")
    )
    start = None
    for first, last in rows:
        if last < first:
            continue  # never covered a day
        if start is None:
            if last < day:
                return None
            start = first
        elif last >= start - dt.timedelta(days=1):
            start = min(start, first)
        else:
            break
    return start
