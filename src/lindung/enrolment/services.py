"""Every write to participants: scoped, atomic, audited in the same transaction, set-based.

Who does what (separation of duties, `accounts/roles.py`): the regency enrols ready lists,
exports BPJS's registration file, reads BPJS's answer, ends and renews participations
(`Action.ENROL`); BPJS enters or corrects one person's KPJ (`Action.SET_KPJ`) and may also
read its own answer file in.

"One person is never in two programs' coverage for the same day" is kept twice: here, with the
people's worker rows locked (`select_for_update`) before their coverage is checked, so two
enrolments of the same person cannot both pass; and on PostgreSQL by an exclusion constraint
(migration 0002), which refuses even a raw INSERT.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lindung.accounts import masking
from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import can, restrict
from lindung.audit.services import record, snapshot
from lindung.common.errors import ApplicationError
from lindung.intake.guard import FileRefused
from lindung.programs import eligibility
from lindung.programs.models import (
    Outcome,
    Program,
    Submission,
    SubmissionPerson,
    SubmissionState,
)
from lindung.registry.models import Worker

from . import kpjfile
from .choices import EndReason, ParticipantState
from .models import Participant

BATCH = 2000
SHOWN_PEOPLE = 20
AUDITED = ("kpj", "state", "start_date", "end_date", "end_reason", "end_note")


def _require(actor, action: str, region_code: str) -> None:
    if not can(actor, action, region_code):
        raise PermissionDenied(
            _("Your role may not do this here (enrolment belongs to the regency admin).")
            if action == Action.ENROL
            else _("Only a BPJS officer may enter or correct a KPJ number.")
        )


# --- funders ------------------------------------------------------------------------------------


def resolve_funders(program: Program, people: list[tuple[int, str, int]]) -> dict[int, int]:
    """{worker id: funder id} for (worker id, village code, occupation id) triples.

    The rule: a funder pays for a person when the person's village lies inside the funder's
    `covers_region` (or it names none) and the person's occupation is among its
    `covers_occupations` (or it names none). Among several, the most specific wins: one naming
    occupations before one that does not (a company paying for its palm-oil farmers inside a
    regency that pays for everyone), then the narrower region (a village paying from its
    APBDes before the regency's APBD), then the one added first. Nobody is left to a guess: a
    person no funder covers is reported, never given a default payer.
    """
    funders = []
    for funder in program.funders.prefetch_related("covers_occupations").order_by("id"):
        occupations = {o.pk for o in funder.covers_occupations.all()}
        region = funder.covers_region_id or ""
        funders.append((funder.pk, region, occupations))
    # Most specific first, so the first match wins.
    funders.sort(key=lambda f: (not f[2], -len(f[1]), f[0]))
    out: dict[int, int] = {}
    for worker_id, village, occupation in people:
        for pk, region, occupations in funders:
            if village.startswith(region) and (not occupations or occupation in occupations):
                out[worker_id] = pk
                break
    return out


# --- coverage overlap ---------------------------------------------------------------------------


def overlapping(worker_ids, start: dt.date, end: dt.date, *, exclude_program: int | None = None):
    """Participations of these workers that cover a day of [start, end]."""
    # A row ended before its first day (end < start) never covered anything.
    qs = Participant.objects.filter(
        worker_id__in=worker_ids, start_date__lte=end, end_date__gte=start
    ).filter(end_date__gte=F("start_date"))
    if exclude_program is not None:
        qs = qs.exclude(program_id=exclude_program)
    return qs


def _lock_workers(worker_ids: list[int]) -> None:
    """Lock the people's registry rows (in id order, so two batches cannot deadlock): whoever
    checks a person's coverage next waits until this transaction has written theirs."""
    for i in range(0, len(worker_ids), 10_000):
        list(
            Worker.objects.select_for_update()
            .filter(pk__in=worker_ids[i : i + 10_000])
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _overlap_error(rows) -> ApplicationError:
    people = [
        _("%(name)s (already in '%(program)s', %(start)s to %(end)s)")
        % {
            "name": r["worker__name"],
            "program": r["program__name"],
            "start": r["start_date"].strftime("%d-%m-%Y"),
            "end": r["end_date"].strftime("%d-%m-%Y"),
        }
        for r in rows[:SHOWN_PEOPLE]
    ]
    return ApplicationError(
        _(
            "%(count)d person(s) are already protected by another program for days of this "
            "period, and one person is never in two programs for the same day: %(people)s. "
            "End their other participation first, or remove them from the list."
        )
        % {"count": len(rows), "people": "; ".join(people)},
        code="overlap",
        status=409,
        extra={"workers": [r["worker_id"] for r in rows]},
    )


COPIED = (
    "program", "worker", "submission_person", "renewed_from", "village", "funder",
    "declared_wage", "jkk", "jkm", "jht", "kpj", "state", "registered_at", "start_date",
    "end_date", "end_reason", "end_note", "enrol_batch", "kpj_assigned_at", "enrolled_by",
)  # fmt: skip


def _insert(participants: list[Participant]) -> None:
    """One bulk write: COPY on PostgreSQL (the exclusion constraints are still checked row by
    row), `bulk_create` on SQLite (`common.bulk.copy_rows` picks)."""
    from lindung.common.bulk import copy_rows

    attnames = [Participant._meta.get_field(f).attname for f in COPIED]
    rows = ([getattr(p, a) for a in attnames] for p in participants)
    try:
        import psycopg

        database_refusals = (IntegrityError, psycopg.errors.IntegrityError)
    except ImportError:  # SQLite-only installations
        database_refusals = (IntegrityError,)
    try:
        with transaction.atomic():
            copy_rows(Participant, COPIED, rows, batch=BATCH)
    except database_refusals as exc:
        # The database's own guard (PostgreSQL's exclusion constraint) caught what a concurrent
        # writer slipped past the check: said as the same conflict.
        raise ApplicationError(
            _(
                "Someone's coverage changed while this was being saved (a person would be in "
                "two programs on the same day). Look again and retry."
            ),
            code="overlap",
            status=409,
        ) from exc


# --- enrol --------------------------------------------------------------------------------------


@dataclass
class EnrolResult:
    batch: str
    enrolled: int
    already: int
    lists: list[int]


def _refuse_stale(submission: Submission, expected_state: str, version: int | None) -> None:
    if submission.state == expected_state == SubmissionState.READY and version in (
        None,
        submission.version,
    ):
        return
    raise ApplicationError(
        _(
            "This list changed while you were looking at it: it is now '%(state)s'. Only a "
            "list that is ready for enrolment can be enrolled; look at it again."
        )
        % {"state": submission.get_state_display()},
        code="stale",
        status=409,
        extra={"state": submission.state, "version": submission.version},
    )


@transaction.atomic
def participants_enrol(
    *,
    actor,
    program: Program,
    submission: Submission | None = None,
    expected_state: str = SubmissionState.READY,
    version: int | None = None,
) -> EnrolResult:
    """Turn the accepted people of a ready list (or of every ready list of the program in the
    actor's regions) into participants in state `registered`, covering the program's period.

    Idempotent: people already enrolled in this program are left as they are. Set-based: one
    bulk insert, one audit event for the batch, and each row keeps its batch and its list line.
    """
    if submission is not None:
        if submission.program_id != program.pk:
            raise ApplicationError(_("This list belongs to another program."), code="program")
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        _require(actor, Action.ENROL, submission.village_id)
        _refuse_stale(submission, expected_state, version)
        lists = [submission]
    else:
        _require(actor, Action.ENROL, program.owner_region_id)
        lists = list(
            restrict(Submission.objects.all(), actor, Action.ENROL)
            .select_for_update()
            .filter(program=program, state=SubmissionState.READY)
            .order_by("pk")
        )
        if not lists:
            raise ApplicationError(
                _("No list of this program is ready for enrolment in your regions."),
                code="nothing_ready",
            )
    list_ids = [s.pk for s in lists]
    people = list(
        SubmissionPerson.objects.filter(
            submission_id__in=list_ids, outcome=Outcome.ACCEPTED, removed_at__isnull=True
        )
        .exclude(worker_id__in=Participant.objects.filter(program=program).values("worker_id"))
        .values_list("pk", "worker_id", "submission__village_id", "worker__occupation_id")
    )
    already = (
        SubmissionPerson.objects.filter(
            submission_id__in=list_ids, outcome=Outcome.ACCEPTED, removed_at__isnull=True
        )
        .filter(worker_id__in=Participant.objects.filter(program=program).values("worker_id"))
        .count()
    )
    batch = uuid.uuid4()
    worker_ids = sorted({w for _p, w, _v, _o in people})
    _lock_workers(worker_ids)
    # The people as a subquery, not a list of ids: a regency's list may hold tens of thousands.
    incoming = SubmissionPerson.objects.filter(
        submission_id__in=list_ids, outcome=Outcome.ACCEPTED, removed_at__isnull=True
    ).values("worker_id")
    clashes = list(
        overlapping(
            incoming, program.coverage_start, program.coverage_end, exclude_program=program.pk
        ).values("worker_id", "worker__name", "program__name", "start_date", "end_date")
    )
    if clashes:
        raise _overlap_error(clashes)
    funders = resolve_funders(program, [(w, v, o) for _p, w, v, o in people])
    unfunded = [w for _p, w, _v, _o in people if w not in funders]
    if unfunded:
        names = Worker.objects.filter(pk__in=unfunded[:SHOWN_PEOPLE]).values_list("name", flat=True)
        raise ApplicationError(
            _(
                "No funder of the program pays for %(count)d person(s) (their village or "
                "occupation is outside every funder's coverage): %(names)s. Add or widen a "
                "funder of the program first."
            )
            % {"count": len(unfunded), "names": ", ".join(names)},
            code="no_funder",
        )
    now = timezone.now()
    rows = [
        Participant(
            program=program,
            worker_id=worker_id,
            submission_person_id=person_id,
            village_id=village,
            funder_id=funders[worker_id],
            # The program's declared wage, not the person's own income: the funder budgets and
            # pays on the program's basis (e.g. Rp1,000,000 → Rp16,800 a month), the same for
            # everyone it covers (see README: declared wage).
            declared_wage=program.wage_basis,
            jkk=program.jkk,
            jkm=program.jkm,
            jht=program.jht,
            state=ParticipantState.REGISTERED,
            registered_at=now,
            start_date=program.coverage_start,
            end_date=program.coverage_end,
            enrol_batch=batch,
            enrolled_by=actor if getattr(actor, "pk", None) else None,
        )
        for person_id, worker_id, village, _o in people
    ]
    _insert(rows)
    region = lists[0].village_id if len(lists) == 1 else program.owner_region_id
    record(
        actor=actor,
        action="enrolment.enrol",
        obj=program,
        region_code=region,
        after={"batch": str(batch), "enrolled": len(rows), "already": already, "lists": list_ids},
        row_count=len(rows),
    )
    return EnrolResult(batch=str(batch), enrolled=len(rows), already=already, lists=list_ids)


# --- ending -------------------------------------------------------------------------------------


def _end_row(participant: Participant, on: dt.date, reason: str, note: str, now) -> None:
    # Ending before the first covered day leaves a row that never covered a day.
    participant.end_date = max(on, participant.start_date - dt.timedelta(days=1))
    participant.state = ParticipantState.ENDED
    participant.end_reason = reason
    participant.end_note = note
    participant.ended_at = now


@transaction.atomic
def participant_end(
    *,
    actor,
    participant: Participant,
    on: dt.date,
    reason: str,
    note: str = "",
    expected_state: str = "",
) -> Participant:
    """End a participation on `on` (the last covered day) for `reason`."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    _require(actor, Action.ENROL, participant.village_id)
    if reason not in EndReason.values:
        message = _("Choose why the participation ends.")
        raise ApplicationError(message, code="reason", fields={"reason": [message]})
    if participant.state == ParticipantState.ENDED or (
        expected_state and expected_state != participant.state
    ):
        raise ApplicationError(
            _("This participation changed while you were looking at it: it is now '%(state)s'.")
            % {"state": participant.get_state_display()},
            code="stale",
            status=409,
            extra={"state": participant.state},
        )
    if on > participant.end_date:
        message = _("The participation already ends on %(end)s; it cannot end later than that.") % {
            "end": participant.end_date.strftime("%d-%m-%Y")
        }
        raise ApplicationError(message, code="end_date", fields={"on": [message]})
    if reason in (EndReason.DUPLICATE, EndReason.ARREARS) and not note.strip():
        message = _("Write why (e.g. the other record, or the unpaid months).")
        raise ApplicationError(message, code="note_required", fields={"note": [message]})
    before = snapshot(participant, AUDITED)
    _end_row(participant, on, reason, note.strip(), timezone.now())
    participant.save(update_fields=["end_date", "state", "end_reason", "end_note", "ended_at"])
    record(
        actor=actor,
        action="enrolment.end",
        obj=participant,
        region_code=participant.village_id,
        before=before,
        after=snapshot(participant, AUDITED),
        reason=note.strip(),
    )
    return participant


LIFE_REASONS = {"deceased": EndReason.DEATH, "moved": EndReason.MOVED_AWAY}


def participations_end_for_life_event(*, actor, worker_id: int, status: str, since) -> int:
    """The registry marked a person dead or moved away (`registry.signals.worker_marked`):
    every participation still covering `since` or later ends on that day. The registry checked
    that the actor may mark the person; the end is recorded in the person's participations'
    history under the same actor. Marking the person back as living in the village does not
    restart coverage: that is a new enrolment."""
    reason = LIFE_REASONS.get(status)
    if reason is None or since is None:
        return 0
    rows = list(
        Participant.objects.select_for_update()
        .filter(worker_id=worker_id, end_date__gte=since)
        .exclude(state=ParticipantState.ENDED)
    )
    now = timezone.now()
    note = _("Marked in the worker registry (%(status)s since %(since)s).") % {
        "status": reason.label,
        "since": since.strftime("%d-%m-%Y"),
    }
    for participant in rows:
        before = snapshot(participant, AUDITED)
        _end_row(participant, since, reason, note, now)
        participant.save(update_fields=["end_date", "state", "end_reason", "end_note", "ended_at"])
        record(
            actor=actor,
            action="enrolment.end",
            obj=participant,
            region_code=participant.village_id,
            before=before,
            after=snapshot(participant, AUDITED),
            reason=note,
        )
    return len(rows)


def participations_move_on_merge(*, actor, keep_id: int, remove_id: int) -> int:
    """Two records of one person are merged (`registry.signals.worker_merging`): the
    merged-away record's participations move to the kept one, so its coverage, KPJ and later
    invoices follow the person. When both records are in the same program, or covered on the
    same days, the merge is refused: which participation (and KPJ) stands is a decision for
    the regency and BPJS (end the other one as a duplicate on the participant page first)."""
    moving = list(Participant.objects.select_for_update().filter(worker_id=remove_id))
    if not moving:
        return 0
    kept = list(
        Participant.objects.select_for_update()
        .filter(worker_id=keep_id)
        .filter(end_date__gte=F("start_date"))
    )
    for p in moving:
        for k in kept:
            same_program = k.program_id == p.program_id
            overlap = p.covers_a_day and k.start_date <= p.end_date and p.start_date <= k.end_date
            if same_program or overlap:
                raise ApplicationError(
                    _(
                        "Both records are participants of '%(program)s' for the same days. "
                        "End one of the two participations as a duplicate first (its page), "
                        "then merge."
                    )
                    % {"program": p.program.name},
                    code="merge_participants",
                    status=409,
                )
    Participant.objects.filter(pk__in=[p.pk for p in moving]).update(worker_id=keep_id)
    for p in moving:
        record(
            actor=actor,
            action="enrolment.merge",
            obj=p,
            region_code=p.village_id,
            before={"worker": remove_id},
            after={"worker": keep_id},
        )
    return len(moving)


# --- KPJ ----------------------------------------------------------------------------------------


def _kpj_holder(kpj: str, worker_id: int) -> bool:
    """Is this KPJ already someone else's?"""
    return Participant.objects.filter(kpj=kpj).exclude(worker_id=worker_id).exists()


@transaction.atomic
def participant_set_kpj(
    *, actor, participant: Participant, kpj: str, start_date: dt.date | None = None, reason=""
) -> Participant:
    """A BPJS officer enters or corrects one person's KPJ (and the start of cover BPJS gave)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    _require(actor, Action.SET_KPJ, participant.village_id)
    value = kpjfile.clean_kpj(kpj)
    if value is None:
        message = _("A KPJ number has exactly 11 digits, e.g. 01234567890.")
        raise ApplicationError(message, code="kpj", fields={"kpj": [message]})
    if participant.kpj and participant.kpj != value and not reason.strip():
        message = _("Write why the KPJ number is corrected.")
        raise ApplicationError(message, code="reason_required", fields={"reason": [message]})
    if _kpj_holder(value, participant.worker_id):
        message = _("KPJ %(kpj)s already belongs to another person.") % {"kpj": value}
        raise ApplicationError(message, code="kpj_taken", fields={"kpj": [message]})
    program = participant.program
    if start_date is not None and not (
        program.coverage_start <= start_date <= participant.end_date
    ):
        message = _("The start of cover must fall between %(start)s and %(end)s.") % {
            "start": program.coverage_start.strftime("%d-%m-%Y"),
            "end": participant.end_date.strftime("%d-%m-%Y"),
        }
        raise ApplicationError(message, code="start_date", fields={"start_date": [message]})
    before = snapshot(participant, AUDITED)
    old = participant.kpj
    participant.kpj = value
    if start_date is not None:
        participant.start_date = start_date
    if participant.state == ParticipantState.REGISTERED:
        participant.state = ParticipantState.ACTIVE
    participant.kpj_assigned_at = timezone.now()
    try:
        with transaction.atomic():
            participant.save(update_fields=["kpj", "start_date", "state", "kpj_assigned_at"])
    except IntegrityError as exc:
        message = _("KPJ %(kpj)s already belongs to another person.") % {"kpj": value}
        raise ApplicationError(message, code="kpj_taken", fields={"kpj": [message]}) from exc
    # A KPJ is the person's, not the period's: a correction reaches their other participations
    # (earlier or renewed periods) that carry the old number, so no period keeps a wrong one.
    also = 0
    if old and old != value:
        also = (
            Participant.objects.filter(worker_id=participant.worker_id, kpj=old)
            .exclude(pk=participant.pk)
            .update(kpj=value)
        )
    record(
        actor=actor,
        action="enrolment.kpj_set",
        obj=participant,
        region_code=participant.village_id,
        before=before,
        after={**snapshot(participant, AUDITED), "other_participations": also},
        reason=reason.strip(),
    )
    return participant


@dataclass
class ImportReport:
    applied: bool
    rows: int = 0
    assigned: int = 0
    unchanged: int = 0
    batch: str = ""
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "applied": self.applied,
            "rows": self.rows,
            "assigned": self.assigned,
            "unchanged": self.unchanged,
            "batch": self.batch,
            "errors": self.errors,
        }


def _import_action(actor) -> str:
    for action in (Action.ENROL, Action.SET_KPJ):
        if role_allows(getattr(actor, "role", ""), action):
            return action
    raise PermissionDenied(_("Only the regency admin or a BPJS officer may read BPJS's answer."))


def _row_error(errors: list, row: int, nik_shown: str, code: str, message: str) -> None:
    errors.append({"row": row, "nik": nik_shown, "code": code, "message": message})


@transaction.atomic
def kpj_import(*, actor, program: Program, data: bytes) -> ImportReport:
    """Read BPJS's answer (XLSX or CSV: NIK, KPJ, optionally the start of cover) and give each
    matched participant of the program their KPJ, all or nothing: one bad row and nothing is
    applied, and every bad row is reported with its row number and what to fix."""
    action = _import_action(actor)
    _require(actor, action, program.owner_region_id)
    try:
        rows = kpjfile.read_kpj_file(data)
    except FileRefused as exc:
        raise ApplicationError(exc.message, code=exc.code) from exc
    region = program.owner_region_id
    show = (lambda nik: nik) if masking.sees_pii(actor, region) else masking.mask_number
    niks = {r.nik for r in rows}
    mine = restrict(Participant.objects.filter(program=program), actor, action)
    found: dict[str, dict] = {}
    nik_list = [n for n in niks if len(n) <= 16]
    for i in range(0, len(nik_list), 5000):
        for p in mine.filter(worker__nik__in=nik_list[i : i + 5000]).values(
            "pk", "worker_id", "worker__nik", "kpj", "state", "start_date", "end_date"
        ):
            found[p["worker__nik"]] = p
    errors: list[dict] = []
    by_nik: dict[str, tuple[int, str]] = {}  # nik → (first row, kpj)
    by_kpj: dict[str, tuple[int, str]] = {}  # kpj → (first row, nik)
    planned: dict[int, tuple] = {}  # participant pk → (kpj, start, row, worker id)
    for r in rows:
        nik_shown = show(r.nik) if r.nik.isdigit() else r.nik[:40]
        if not (len(r.nik) == 16 and r.nik.isascii() and r.nik.isdigit()):
            _row_error(errors, r.row, nik_shown, "nik", _("The NIK must have 16 digits."))
            continue
        kpj = kpjfile.clean_kpj(r.kpj, numeric=r.kpj_numeric)
        if kpj is None:
            _row_error(
                errors,
                r.row,
                nik_shown,
                "kpj",
                _(
                    "KPJ '%(kpj)s' is not 11 digits. If Excel dropped leading zeros, format the "
                    "column as Text and type the number again."
                )
                % {"kpj": r.kpj[:30]},
            )
            continue
        participant = found.get(r.nik)
        if participant is None:
            _row_error(
                errors,
                r.row,
                nik_shown,
                "not_found",
                _("This NIK is not a participant of this program (in your regions)."),
            )
            continue
        start = participant["start_date"]
        if r.start:
            start = kpjfile.parse_date(r.start)
            if start is None:
                _row_error(
                    errors,
                    r.row,
                    nik_shown,
                    "start",
                    _("The start date '%(value)s' is not a date (use DD-MM-YYYY).")
                    % {"value": r.start[:30]},
                )
                continue
            if not (program.coverage_start <= start <= participant["end_date"]):
                _row_error(
                    errors,
                    r.row,
                    nik_shown,
                    "start",
                    _("The start date %(date)s lies outside the period %(start)s to %(end)s.")
                    % {
                        "date": start.strftime("%d-%m-%Y"),
                        "start": program.coverage_start.strftime("%d-%m-%Y"),
                        "end": participant["end_date"].strftime("%d-%m-%Y"),
                    },
                )
                continue
        seen = by_nik.get(r.nik)
        if seen and seen[1] != kpj:
            _row_error(
                errors,
                r.row,
                nik_shown,
                "conflict",
                _("The same NIK is on row %(row)s with another KPJ (%(kpj)s).")
                % {"row": seen[0], "kpj": seen[1]},
            )
            continue
        other = by_kpj.get(kpj)
        if other and other[1] != r.nik:
            _row_error(
                errors,
                r.row,
                nik_shown,
                "conflict",
                _("KPJ %(kpj)s is also given to another NIK on row %(row)s.")
                % {"kpj": kpj, "row": other[0]},
            )
            continue
        if participant["kpj"] and participant["kpj"] != kpj:
            _row_error(
                errors,
                r.row,
                nik_shown,
                "kpj_differs",
                _(
                    "This person already has KPJ %(old)s. A BPJS officer corrects a KPJ on the "
                    "participant's page."
                )
                % {"old": participant["kpj"]},
            )
            continue
        by_nik.setdefault(r.nik, (r.row, kpj))
        by_kpj.setdefault(kpj, (r.row, r.nik))
        planned[participant["pk"]] = (kpj, start, r.row, participant["worker_id"])
    # A KPJ that already belongs to someone else (in any program).
    if planned:
        kpjs = {v[0] for v in planned.values()}
        holders: dict[str, set[int]] = {}
        kpj_list = list(kpjs)
        for i in range(0, len(kpj_list), 5000):
            for kpj, worker_id in Participant.objects.filter(
                kpj__in=kpj_list[i : i + 5000]
            ).values_list("kpj", "worker_id"):
                holders.setdefault(kpj, set()).add(worker_id)
        by_pk_nik = {p["pk"]: nik for nik, p in found.items()}
        for pk, (kpj, _start, row, worker_id) in list(planned.items()):
            if holders.get(kpj, set()) - {worker_id}:
                _row_error(
                    errors,
                    row,
                    show(by_pk_nik[pk]),
                    "kpj_taken",
                    _("KPJ %(kpj)s already belongs to another person.") % {"kpj": kpj},
                )
    report = ImportReport(applied=False, rows=len(rows))
    if errors:
        report.errors = sorted(errors, key=lambda e: e["row"])
        return report
    batch = uuid.uuid4()
    now = timezone.now()
    current = {p["pk"]: p for p in found.values()}
    changed = []
    for pk, (kpj, start, _row, _w) in planned.items():
        p = current[pk]
        if p["kpj"] == kpj and p["start_date"] == start:
            report.unchanged += 1
            continue
        state = p["state"]
        if state == ParticipantState.REGISTERED:
            state = ParticipantState.ACTIVE
        changed.append((pk, kpj, start, state))
    try:
        with transaction.atomic():
            _apply_kpjs(changed, now, batch)
    except IntegrityError as exc:
        raise ApplicationError(
            _("A KPJ number in the file was given to someone else meanwhile. Import again."),
            code="kpj_taken",
            status=409,
        ) from exc
    report.applied, report.assigned, report.batch = True, len(changed), str(batch)
    record(
        actor=actor,
        action="enrolment.kpj_import",
        obj=program,
        region_code=region,
        after={
            "batch": str(batch),
            "rows": len(rows),
            "assigned": len(changed),
            "unchanged": report.unchanged,
        },
        row_count=len(changed),
    )
    return report


def _apply_kpjs(rows: list[tuple], now, batch: uuid.UUID) -> None:
    """Set (id, kpj, start, state) on many participants in one statement: on PostgreSQL the
    rows go into a temporary table by COPY and one UPDATE … FROM joins them (a CASE per row,
    as `bulk_update` writes, grows quadratically: 145 s for 50,000 rows); SQLite runs one
    prepared UPDATE per row, which it executes in C."""
    if not rows:
        return
    from django.db import connection

    table = Participant._meta.db_table
    ops = connection.ops
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"UPDATE {table} SET kpj = %s, start_date = %s, state = %s, "
                "kpj_assigned_at = %s, kpj_batch = %s WHERE id = %s",
                [
                    (
                        kpj,
                        ops.adapt_datefield_value(start),
                        state,
                        ops.adapt_datetimefield_value(now),
                        batch.hex,  # SQLite keeps a UUID as 32 hex digits
                        pk,
                    )
                    for pk, kpj, start, state in rows
                ],
            )
            return
        cursor.execute(
            "CREATE TEMP TABLE enrolment_kpj_in (id bigint, kpj text, start_date date, "
            "state text) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY enrolment_kpj_in FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"UPDATE {table} p SET kpj = t.kpj, start_date = t.start_date, state = t.state, "
            "kpj_assigned_at = %s, kpj_batch = %s FROM enrolment_kpj_in t WHERE p.id = t.id",
            [now, batch],
        )
        cursor.execute("DROP TABLE enrolment_kpj_in")


# --- renewal ------------------------------------------------------------------------------------


@dataclass
class RenewReport:
    batch: str
    renewed: int
    already: int
    dropped: list[dict]


@transaction.atomic
def participants_renew(*, actor, from_program: Program, to_program: Program) -> RenewReport:
    """Carry the participants of one period into the next program of the same region, as one
    bulk action: eligibility is checked again on the NEW start date (age, occupation, region,
    life status, other coverage), and everyone who drops out is reported with why.

    Who is carried: participations that ran to the end of the old period (not ended for death,
    moving, age, duplicate or arrears), in the actor's regions. Their KPJ goes with them (one
    per person), so they are active from the new start when they had one.
    """
    _require(actor, Action.ENROL, to_program.owner_region_id)
    if to_program.owner_region_id != from_program.owner_region_id:
        raise ApplicationError(
            _("Renewal goes into a program of the same region."), code="renew_region"
        )
    if to_program.coverage_start <= from_program.coverage_end:
        raise ApplicationError(
            _("The next program must start after %(end)s, when this one ends.")
            % {"end": from_program.coverage_end.strftime("%d-%m-%Y")},
            code="renew_period",
        )
    carried = list(
        restrict(Participant.objects.filter(program=from_program), actor, Action.ENROL)
        .filter(end_date=from_program.coverage_end)
        .exclude(state=ParticipantState.ENDED, end_reason__in=_EARLY_ENDS)
        .select_related("worker")
        .order_by("pk")
    )
    in_next = set(
        Participant.objects.filter(program=to_program).values_list("worker_id", flat=True)
    )
    already = [p for p in carried if p.worker_id in in_next]
    todo = [p for p in carried if p.worker_id not in in_next]
    worker_ids = sorted(p.worker_id for p in todo)
    _lock_workers(worker_ids)
    lang = get_language() or "id"
    # The rules take list lines; a participation stands in for one (its id is the key).
    stand_ins = [SubmissionPerson(pk=p.pk, worker_id=p.worker_id, submission_id=0) for p in todo]
    reasons = eligibility.evaluate(to_program, stand_ins, lang=lang) if todo else {}
    clashes = {
        r["worker_id"]: r
        for r in overlapping(
            worker_ids,
            to_program.coverage_start,
            to_program.coverage_end,
            exclude_program=to_program.pk,
        ).values("worker_id", "program__name", "start_date", "end_date")
    }
    workers = {
        w["pk"]: w
        for w in Worker.objects.filter(pk__in=worker_ids).values(
            "pk", "village_id", "occupation_id"
        )
    }
    funders = resolve_funders(
        to_program, [(w, v["village_id"], v["occupation_id"]) for w, v in workers.items()]
    )
    batch = uuid.uuid4()
    now = timezone.now()
    dropped: list[dict] = []
    rows: list[Participant] = []
    for p in todo:
        why = list(reasons.get(p.pk, []))
        clash = clashes.get(p.worker_id)
        if clash and not any(r["code"] == "already_covered" for r in why):
            why.append(
                {
                    "code": "already_covered",
                    "message": eligibility.message("already_covered", lang).format(
                        program=clash["program__name"],
                        start=clash["start_date"].strftime("%d-%m-%Y"),
                        end=clash["end_date"].strftime("%d-%m-%Y"),
                    ),
                }
            )
        if p.worker_id not in funders:
            why.append(
                {"code": "no_funder", "message": _("No funder of the program pays for them.")}
            )
        if why:
            dropped.append(
                {
                    "participant_id": p.pk,
                    "worker_id": p.worker_id,
                    "name": p.worker.name,
                    "nik": masking.nik_for(actor, p.village_id, p.worker.nik),
                    "reasons": why,
                }
            )
            continue
        rows.append(
            Participant(
                program=to_program,
                worker_id=p.worker_id,
                renewed_from_id=p.pk,
                village_id=workers[p.worker_id]["village_id"],
                funder_id=funders[p.worker_id],
                declared_wage=to_program.wage_basis,
                jkk=to_program.jkk,
                jkm=to_program.jkm,
                jht=to_program.jht,
                kpj=p.kpj,
                state=ParticipantState.ACTIVE if p.kpj else ParticipantState.REGISTERED,
                registered_at=now,
                kpj_assigned_at=now if p.kpj else None,
                start_date=to_program.coverage_start,
                end_date=to_program.coverage_end,
                enrol_batch=batch,
                enrolled_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    _insert(rows)
    # The old period is over for everyone carried or dropped (their dates stay as they were).
    Participant.objects.filter(pk__in=[p.pk for p in todo + already]).exclude(
        state=ParticipantState.ENDED
    ).update(state=ParticipantState.ENDED, end_reason=EndReason.PERIOD_OVER, ended_at=now)
    record(
        actor=actor,
        action="enrolment.renew",
        obj=to_program,
        region_code=to_program.owner_region_id,
        after={
            "batch": str(batch),
            "from": from_program.code,
            "renewed": len(rows),
            "dropped": len(dropped),
            "already": len(already),
        },
        row_count=len(rows),
    )
    return RenewReport(batch=str(batch), renewed=len(rows), already=len(already), dropped=dropped)


_EARLY_ENDS = [
    EndReason.DEATH,
    EndReason.TURNED_65,
    EndReason.MOVED_AWAY,
    EndReason.DUPLICATE,
    EndReason.ARREARS,
]


# --- BPJS registration file ---------------------------------------------------------------------


def registration_file(
    *, actor, program: Program, village_code: str = "", fmt: str = "xlsx"
) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the registration file for the program, or one of
    its villages, as `actor` may see it; recorded as an access to personal data."""
    from lindung.audit import access
    from lindung.regions.models import canonical

    from . import exports
    from .selectors import participants_for

    if fmt not in ("xlsx", "csv"):
        message = _("Choose xlsx or csv.")
        raise ApplicationError(message, code="format", fields={"format": [message]})
    region = canonical(village_code) if village_code else program.owner_region_id
    if village_code and not region.startswith(program.owner_region_id):
        from django.http import Http404

        raise Http404
    if not (can(actor, Action.ENROL, region) or can(actor, Action.SET_KPJ, region)):
        raise PermissionDenied(
            _("The registration file is for the regency admin and BPJS officers.")
        )
    people = participants_for(actor, program, village=village_code)
    if not people.exists():
        raise ApplicationError(
            _("Nobody is enrolled here yet: enrol the ready lists first."), code="empty"
        )
    title = _("BPJS registration — %(program)s") % {"program": program.name}
    if fmt == "csv":
        content, kind = exports.registration_csv(people, actor), "text/csv; charset=utf-8"
    else:
        content = exports.registration_xlsx(people, actor, title)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    access.list_shown(
        actor,
        region_code=region,
        worker_ids=people.exclude(state=ParticipantState.ENDED).values_list("worker_id", flat=True),
        what=f"BPJS registration file {program.code} {village_code}".strip(),
        object_type="programs.program",
        object_id=program.pk,
    )
    name = f"pendaftaran-bpjs-{program.code}{'-' + region if village_code else ''}.{fmt}"
    return content, name, kind
