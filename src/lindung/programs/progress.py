"""Program progress: which villages have sent their list by the data deadline, which have not,
which sent fewer people than the program's minimum, how far the target is reached and how many
days are left (issue 11 §2). Read-only and region-scoped: a user sees the villages of their own
regions only, so a village operator sees their own village and nothing of the others.

Definitions:
- the villages of a program are the active villages of the official Kemendagri list under the
  program's owner region (PALI: 71 = 65 desa + 6 kelurahan, not the 75 its article implies);
- a village has *sent* when its list has left the village (submitted, approved, verified or
  ready); *on time* when it was last sent on or before the program's data deadline; a list
  that is still a draft, or was returned to the village, has not been sent;
- under the minimum: a sent list with fewer people on it than `Program.min_per_village`;
- the target is `Program.target_workers`; a program without one but with a minimum per village
  (PALI: ≥ 100 workers per village) aims at the minimum times the villages; reached = people on
  the sent lists, not removed and not rejected or excluded;
- days left are counted from `today` (the local date) to the deadline and to the end of the
  coverage period; negative when passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from lindung.accounts.scoping import region_q, scope_prefixes
from lindung.regions.models import Level, Region

from .models import Program, Submission, SubmissionState

SENT_STATES = (
    SubmissionState.SUBMITTED,
    SubmissionState.APPROVED,
    SubmissionState.VERIFIED,
    SubmissionState.READY,
)
# People who count towards the target: on a sent list, not taken off it, not turned down.
_COUNTED = Q(people__removed_at__isnull=True) & ~Q(people__outcome__in=["rejected", "excluded"])


@dataclass
class PendingVillage:
    code: str
    name: str
    district: str
    state: str  # "" when the village has no list at all
    state_label: str


@dataclass
class Progress:
    program: Program
    villages: int  # in the official list, within the user's scope
    sent: int
    sent_on_time: int
    not_sent: int
    under_minimum: int
    people: int
    target: int | None
    deadline_days: int | None
    end_days: int
    pending: list[PendingVillage] = field(default_factory=list)

    @property
    def sent_pct(self) -> int:
        return _pct(self.sent, self.villages)

    @property
    def target_pct(self) -> int | None:
        return _pct(self.people, self.target) if self.target else None

    @property
    def deadline_passed(self) -> bool:
        return self.deadline_days is not None and self.deadline_days < 0

    @property
    def deadline_days_ago(self) -> int | None:
        return -self.deadline_days if self.deadline_passed else None

    @property
    def end_days_ago(self) -> int:
        return -self.end_days


def _pct(part: int, whole: int | None) -> int:
    """Whole per cent, rounded down (a bar never shows 100 before it is done)."""
    if not whole:
        return 0
    return min(100, part * 100 // whole)


def _villages(user, program: Program):
    """The active villages of the program's region the user covers (one query)."""
    prefix = program.owner_region_id
    qs = Region.objects.filter(level=Level.VILLAGE, is_active=True, code__startswith=prefix)
    return qs.filter(region_q(user, "code"))


def program_progress(user, program: Program, *, today: dt.date | None = None) -> Progress:
    """The progress of one program the user may see (fetch it with `program_for_user`)."""
    today = today or timezone.localdate()
    villages = list(
        _villages(user, program).values_list("code", "name", "parent__name").order_by("code")
    )
    lists = {
        row["village_id"]: row
        for row in Submission.objects.filter(
            program=program, village_id__in=[v[0] for v in villages]
        )
        .values("village_id", "state", "submitted_at")
        .annotate(n=Count("people", filter=_COUNTED))
    }
    labels = dict(SubmissionState.choices)
    sent = on_time = under = people = 0
    pending = []
    for code, name, district in villages:
        row = lists.get(code)
        if row and row["state"] in SENT_STATES:
            sent += 1
            people += row["n"]
            when = row["submitted_at"]
            if program.data_deadline is None or (
                when is not None and timezone.localdate(when) <= program.data_deadline
            ):
                on_time += 1
            if program.min_per_village and row["n"] < program.min_per_village:
                under += 1
        else:
            state = row["state"] if row else ""
            pending.append(
                PendingVillage(code, name, district or "", state, str(labels.get(state, "")))
            )
    return Progress(
        program=program,
        villages=len(villages),
        sent=sent,
        sent_on_time=on_time,
        not_sent=len(villages) - sent,
        under_minimum=under,
        people=people,
        target=_target(user, program, len(villages)),
        deadline_days=(program.data_deadline - today).days if program.data_deadline else None,
        end_days=(program.coverage_end - today).days,
        pending=pending,
    )


def _target(user, program: Program, villages: int) -> int | None:
    """The program's target as far as the user sees it: the whole target only for a user who
    covers the whole program region; a minimum per village scales with the villages seen."""
    if program.target_workers:
        prefixes = scope_prefixes(user)
        whole = prefixes is None or any(program.owner_region_id.startswith(p) for p in prefixes)
        if whole:
            return program.target_workers
    if program.min_per_village:
        return program.min_per_village * villages
    return None


def not_sent_by_program(user, programs: list[Program]) -> dict[int, tuple[int, int]]:
    """{program id: (villages not sent, villages)} for several programs in a fixed number of
    queries (two), whatever the number of programs or villages: the regency's to-do."""
    if not programs:
        return {}
    q = Q()
    for p in {p.owner_region_id for p in programs}:
        q |= Q(code__startswith=p)
    codes = list(
        Region.objects.filter(level=Level.VILLAGE, is_active=True)
        .filter(q)
        .filter(region_q(user, "code"))
        .values_list("code", flat=True)
    )
    sent = dict(
        Submission.objects.filter(program__in=programs, state__in=SENT_STATES)
        .filter(region_q(user, "village__code"))
        .values("program_id")
        .annotate(n=Count("id"))
        .values_list("program_id", "n")
    )
    out = {}
    for program in programs:
        total = sum(1 for c in codes if c.startswith(program.owner_region_id))
        out[program.pk] = (max(0, total - sent.get(program.pk, 0)), total)
    return out
