"""Programs and the village → regency → BPJS approval flow of their submissions.

Every transition is one service, checked against `TRANSITIONS`, with the submission row locked
(`select_for_update`) and an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import can, require
from lindung.audit.services import record
from lindung.common.errors import ApplicationError
from lindung.common.inputs import is_program_code
from lindung.duplicates.services import refresh_candidates
from lindung.intake.models import RowStatus, StagedRow, Upload, UploadStatus
from lindung.regions.models import Region, canonical
from lindung.registry.models import Occupation, Worker

from . import eligibility
from .models import (
    EligibilityRules,
    Outcome,
    Program,
    ProgramStatus,
    Submission,
    SubmissionPerson,
    SubmissionState,
)

S = SubmissionState
# (from, to): the one action, and so the one role, that takes the step (separation of duties).
# Superadmin holds every action but is still bound by `VOUCHING` below.
TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): Action.SUBMIT,  # the village submits
    (S.RETURNED, S.SUBMITTED): Action.SUBMIT,  # … again, after fixing
    (S.SUBMITTED, S.APPROVED): Action.APPROVE_REGENCY,  # the regency approves
    (S.SUBMITTED, S.RETURNED): Action.APPROVE_REGENCY,  # … or returns it with notes
    (S.APPROVED, S.RETURNED): Action.VERIFY_BPJS,  # BPJS sends rejected people back for correction
    (S.APPROVED, S.VERIFIED): Action.VERIFY_BPJS,  # BPJS has decided every person
    (S.VERIFIED, S.READY): Action.VERIFY_BPJS,  # ready for enrolment
}
# Steps that vouch for a list: never taken by the person who submitted it (four eyes), whatever
# their role. Returning a list vouches for nothing, so the submitter may still do that.
VOUCHING = frozenset({(S.SUBMITTED, S.APPROVED), (S.APPROVED, S.VERIFIED), (S.VERIFIED, S.READY)})
# People can be added or removed only while the village holds the list.
EDITABLE = (S.DRAFT, S.RETURNED)
# The audit code of each step; literal codes, so the test of audit labels finds every one.
MOVE_ACTIONS = {
    S.SUBMITTED: "submission.submitted",
    S.APPROVED: "submission.approved",
    S.RETURNED: "submission.returned",
    S.VERIFIED: "submission.verified",
    S.READY: "submission.ready",
}


def _funder_add(
    program: Program,
    *,
    kind: str,
    name: str,
    covers_region_code: str = "",
    occupation_codes: list[str] = (),
    budget: int | None = None,
) -> None:
    from .models import Funder, FunderKind

    if kind not in FunderKind.values:
        raise ApplicationError(_("Unknown funder kind %(kind)s.") % {"kind": kind}, code="funder")
    region = None
    if covers_region_code:
        region = Region.objects.filter(code=canonical(covers_region_code)).first()
        if region is None or not region.code.startswith(program.owner_region_id):
            raise ApplicationError(
                _("A funder can only pay for people inside the program's region."), code="funder"
            )
    funder = Funder.objects.create(
        program=program, kind=kind, name=name, covers_region=region, budget=budget
    )
    funder.covers_occupations.set(Occupation.objects.filter(code__in=occupation_codes))


@transaction.atomic
def program_create(
    *,
    actor,
    code: str,
    name: str,
    owner_region_code: str,
    coverage_start: dt.date,
    coverage_end: dt.date,
    occupation_codes: list[str] = (),
    rules: dict | None = None,
    funders: list[dict] = (),
    **fields,
) -> Program:
    if not is_program_code(code):
        raise ApplicationError(
            _(
                "Program code %(code)s may only hold letters, digits, '.', '-' and '_' (1 to 40 "
                "characters, starting with a letter or digit), e.g. muba-2026."
            )
            % {"code": code},
            code="code",
            fields={"code": [_("Use letters, digits, '.', '-' or '_' only.")]},
        )
    region = Region.objects.filter(code=canonical(owner_region_code)).first()
    if region is None:
        raise ApplicationError(_("Unknown region %(code)s.") % {"code": owner_region_code})
    require(actor, Action.REVIEW, region.code)
    if coverage_end < coverage_start:
        raise ApplicationError(_("Coverage must end after it starts."), code="period")
    if Program.objects.filter(code=code).exists():
        raise ApplicationError(_("Program code %(code)s is taken.") % {"code": code}, code="code")
    program = Program.objects.create(
        code=code,
        name=name,
        owner_region=region,
        coverage_start=coverage_start,
        coverage_end=coverage_end,
        status=ProgramStatus.ACTIVE,
        **fields,
    )
    program.eligible_occupations.set(Occupation.objects.filter(code__in=occupation_codes))
    EligibilityRules.objects.create(program=program, valid_from=coverage_start, **(rules or {}))
    for funder in funders:
        _funder_add(program, **funder)
    record(
        actor=actor,
        action="program.create",
        obj=program,
        region_code=region.code,
        after={"code": code, "name": name, "from": str(coverage_start), "to": str(coverage_end)},
    )
    return program


def submission_for(*, actor, program: Program, village_code: str) -> Submission:
    """The village's list for the program (created as a draft on first use)."""
    village = Region.objects.filter(code=canonical(village_code), level=4).first()
    if village is None or not village.code.startswith(program.owner_region_id):
        raise ApplicationError(_("This village is not in the program's region."), code="region")
    require(actor, Action.CREATE, village.code)
    submission, created = Submission.objects.get_or_create(program=program, village=village)
    if created:
        record(actor=actor, action="submission.create", obj=submission, region_code=village.code)
    return submission


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("program").get(pk=submission.pk)


def _evaluate(submission: Submission, people: list[SubmissionPerson]) -> None:
    reasons = eligibility.evaluate(submission.program, people, lang=get_language() or "id")
    now = timezone.now()
    for person in people:
        person.reasons = reasons.get(person.pk, [])
        person.eligible = not person.reasons
        person.checked_at = now
    # Most people pass every rule: one UPDATE per 2,000 of them, a row-by-row one (CASE per
    # row, slow to build and to run) only for those with reasons.
    passed = [p.pk for p in people if p.eligible]
    for i in range(0, len(passed), 2000):
        SubmissionPerson.objects.filter(pk__in=passed[i : i + 2000]).update(
            reasons=[], eligible=True, checked_at=now
        )
    SubmissionPerson.objects.bulk_update(
        [p for p in people if not p.eligible], ["reasons", "eligible", "checked_at"], 2000
    )


@transaction.atomic
def submission_add_workers(*, actor, submission: Submission, worker_ids: list[int]) -> int:
    """Put registered workers of the village on the list and check their eligibility."""
    submission = _locked(submission)
    require(actor, Action.CREATE, submission.village_id)
    if submission.state not in EDITABLE:
        raise ApplicationError(_("The list is with the regency or BPJS now."), code="locked")
    ids = list(
        Worker.objects.filter(pk__in=worker_ids, village_id=submission.village_id).values_list(
            "pk", flat=True
        )
    )
    existing = set(submission.people.values_list("worker_id", flat=True))
    new = [SubmissionPerson(submission=submission, worker_id=i) for i in ids if i not in existing]
    SubmissionPerson.objects.bulk_create(new, batch_size=2000)
    # Someone removed earlier and added again is back on the list (their removal stays audited).
    back = submission.people.filter(worker_id__in=ids, removed_at__isnull=False)
    back_ids = list(back.values_list("worker_id", flat=True))
    restored = back.update(removed_at=None, removed_by=None, removed_reason="")
    checked = [p.worker_id for p in new] + back_ids
    _evaluate(submission, list(submission.people.filter(worker_id__in=checked)))
    # Duplicate detection runs on every submission: the village against its province.
    refresh_candidates(actor=actor, region=submission.village_id)
    record(
        actor=actor,
        action="submission.add",
        obj=submission,
        region_code=submission.village_id,
        after={"added": len(new), "restored": restored},
        row_count=len(new) + restored,
    )
    return len(new) + restored


def submission_add_upload(*, actor, submission: Submission, upload: Upload) -> int:
    """Put the people of a committed upload on the list."""
    if upload.status != UploadStatus.COMMITTED or upload.village_id != submission.village_id:
        raise ApplicationError(
            _("Only a saved upload of this village can be submitted."), code="upload"
        )
    niks = StagedRow.objects.filter(
        upload=upload, status__in=[RowStatus.NEW, RowStatus.UPDATE, RowStatus.UNCHANGED]
    ).values_list("nik", flat=True)
    ids = list(Worker.objects.filter(nik__in=list(niks)).values_list("pk", flat=True))
    return submission_add_workers(actor=actor, submission=submission, worker_ids=ids)


@transaction.atomic
def submission_recheck(*, actor, submission: Submission) -> Submission:
    """Check everyone's eligibility again (after corrections); rejected people go back to
    waiting for BPJS while the village still holds the list."""
    submission = _locked(submission)
    require(actor, Action.CREATE, submission.village_id)
    if submission.state not in EDITABLE:
        raise ApplicationError(_("The list is with the regency or BPJS now."), code="locked")
    people = list(on_list(submission))
    _evaluate(submission, people)
    # Rejected by BPJS or excluded by the regency: with corrections they may go again.
    submission.people.filter(outcome__in=[Outcome.REJECTED, Outcome.EXCLUDED]).update(
        outcome=Outcome.PENDING, outcome_reason=""
    )
    record(
        actor=actor, action="submission.recheck", obj=submission, region_code=submission.village_id
    )
    return submission


def _known_state(value: str, field: str) -> str:
    if value not in S.values:
        raise ApplicationError(
            _("Unknown list state '%(state)s'; use one of: %(states)s.")
            % {"state": value, "states": ", ".join(S.values)},
            code="state",
            fields={field: [_("Unknown list state.")]},
        )
    return value


def _is_submitter(user, submission: Submission) -> bool:
    return submission.submitted_by_id is not None and submission.submitted_by_id == user.pk


def _refuse_own_list(actor, submission: Submission) -> None:
    if _is_submitter(actor, submission):
        raise ApplicationError(
            _("You submitted this list yourself, so someone else must approve or verify it."),
            code="own_submission",
            status=403,
        )


def _refuse_stale(submission: Submission, expected_state: str, version: int | None) -> None:
    """The decision was made on what the user saw; if the list moved since, it is refused
    (409) with the state it is in now, so the user can look again."""
    if submission.state == expected_state and version in (None, submission.version):
        return
    raise ApplicationError(
        _(
            "This list changed while you were looking at it: it is now '%(state)s'. "
            "Look at it again before deciding."
        )
        % {"state": submission.get_state_display()},
        code="stale",
        status=409,
        extra={"state": submission.state, "version": submission.version},
    )


def moves_for(user, submission: Submission) -> set[str]:
    """The states this user may move the list to now: the page shows only those buttons."""
    return {
        to
        for (before, to), action in TRANSITIONS.items()
        if before == submission.state
        and can(user, action, submission.village_id)
        and not ((before, to) in VOUCHING and _is_submitter(user, submission))
    }


def blocked_as_submitter(user, submission: Submission) -> bool:
    """The user's role could vouch for the list now, but they submitted it themselves."""
    return _is_submitter(user, submission) and any(
        before == submission.state and can(user, action, submission.village_id)
        for (before, to), action in TRANSITIONS.items()
        if (before, to) in VOUCHING
    )


def may_decide_people(user, submission: Submission) -> bool:
    return (
        submission.state == S.APPROVED
        and can(user, Action.VERIFY_BPJS, submission.village_id)
        and not _is_submitter(user, submission)
    )


@transaction.atomic
def submission_move(
    *,
    actor,
    submission: Submission,
    to: str,
    expected_state: str,
    version: int | None = None,
    notes: str = "",
) -> Submission:
    """Move the list from `expected_state` (what the actor saw; `version` pins it exactly) to
    `to`. The step must exist, belong to the actor's role, and not vouch for their own list."""
    if not expected_state:
        message = _("Say which state of the list you saw (expected_state).")
        raise ApplicationError(
            message, code="expected_state_required", fields={"expected_state": [message]}
        )
    to, expected_state = _known_state(to, "to"), _known_state(expected_state, "expected_state")
    action = TRANSITIONS.get((expected_state, to))
    if action is None:
        raise ApplicationError(
            _("A list that is '%(state)s' cannot become '%(to)s'.")
            % {"state": S(expected_state).label, "to": S(to).label},
            code="transition",
        )
    submission = _locked(submission)
    require(actor, action, submission.village_id)
    _refuse_stale(submission, expected_state, version)
    if (expected_state, to) in VOUCHING:
        _refuse_own_list(actor, submission)
    people = on_list(submission)
    if to == S.SUBMITTED and not people.exists():
        raise ApplicationError(_("The list is empty."), code="empty")
    if to == S.RETURNED and not notes.strip():
        raise ApplicationError(_("Write what the village must fix."), code="notes_required")
    if to == S.VERIFIED and people.filter(outcome=Outcome.PENDING).exists():
        raise ApplicationError(
            _("Decide every person (accept or reject) before finishing verification."),
            code="pending_people",
        )
    excluded = _exclude_ineligible(submission) if to == S.APPROVED else 0
    before = submission.state
    now = timezone.now()
    submission.state = to
    submission.version += 1
    if to == S.SUBMITTED:
        submission.submitted_at, submission.submitted_by = now, actor
    elif to == S.APPROVED:
        submission.approved_at, submission.approved_by = now, actor
    elif to == S.VERIFIED:
        submission.verified_at, submission.verified_by = now, actor
    if to == S.RETURNED:
        submission.notes = notes.strip()
    submission.save()
    record(
        actor=actor,
        action=MOVE_ACTIONS[to],
        obj=submission,
        region_code=submission.village_id,
        before={"state": before, "version": submission.version - 1},
        after={
            "state": to,
            "version": submission.version,
            **({"excluded": excluded} if excluded else {}),
        },
        reason=notes,
    )
    return submission


def _exclude_ineligible(submission: Submission) -> int:
    """On approval, people who fail eligibility are not sent on to BPJS: they are marked
    excluded, keeping their reasons for the village. Chosen over refusing the whole list, so
    one ineligible person does not hold back everyone else; a list with nobody eligible is
    refused outright with the count, since approving it would send BPJS nothing."""
    people = on_list(submission)
    # Judge on today's facts, not the village's last check: someone may have died, moved or
    # joined another program since.
    _evaluate(submission, list(people))
    total = people.count()
    eligible = people.filter(eligible=True).count()
    if eligible == 0:
        raise ApplicationError(
            _(
                "Nobody on this list is eligible (0 of %(n)d), so it cannot be approved. "
                "Return it to the village with notes instead."
            )
            % {"n": total},
            code="none_eligible",
        )
    return people.filter(eligible=False).update(outcome=Outcome.EXCLUDED, outcome_reason="")


def on_list(submission: Submission):
    """The people on the list now: those the village removed stay as rows, but off the list."""
    return submission.people.filter(removed_at__isnull=True)


@transaction.atomic
def people_remove(
    *,
    actor,
    submission: Submission,
    person_ids: list[int],
    reason: str,
    expected_state: str | None = None,
    version: int | None = None,
) -> int:
    """The village takes people off its draft or returned list, with a reason. The rows are
    kept (who, when, why) and shown to the regency; adding the person again restores them.
    Only the village's role (SUBMIT) removes: the regency sends a list back with notes instead,
    so the village stays the author of its list."""
    submission = _locked(submission)
    require(actor, Action.SUBMIT, submission.village_id)
    if expected_state:
        _refuse_stale(submission, _known_state(expected_state, "expected_state"), version)
    if submission.state not in EDITABLE:
        raise ApplicationError(_("The list is with the regency or BPJS now."), code="locked")
    if not reason.strip():
        message = _("Give the reason for removing these people.")
        raise ApplicationError(message, code="reason_required", fields={"reason": [message]})
    people = on_list(submission).filter(pk__in=person_ids)
    if not people.exists():
        raise ApplicationError(_("Tick the people to remove."), code="nobody")
    changed = people.update(
        removed_at=timezone.now(), removed_by=actor, removed_reason=reason.strip()
    )
    record(
        actor=actor,
        action="submission.remove",
        obj=submission,
        region_code=submission.village_id,
        after={"removed": changed, "person_ids": sorted(person_ids)[:1000]},
        reason=reason.strip(),
        row_count=changed,
    )
    return changed


@transaction.atomic
def people_decide(
    *,
    actor,
    submission: Submission,
    person_ids: list[int] | None,
    accept: bool,
    reason: str = "",
    expected_state: str | None = None,
    version: int | None = None,
) -> int:
    """BPJS's decision for many people at once (`person_ids=None`: every pending eligible
    person when accepting, every pending ineligible one when rejecting). Deciding people is
    part of verifying, so the list's submitter may not do it; `expected_state`/`version`,
    when given, refuse a decision made on a list that has moved since."""
    submission = _locked(submission)
    require(actor, Action.VERIFY_BPJS, submission.village_id)
    if expected_state:
        _refuse_stale(submission, _known_state(expected_state, "expected_state"), version)
    _refuse_own_list(actor, submission)
    if submission.state != S.APPROVED:
        raise ApplicationError(
            _("People are verified once the regency has approved the list."), code="state"
        )
    if not accept and not reason.strip() and person_ids is not None:
        raise ApplicationError(_("Give the reason for rejecting."), code="reason_required")
    people = on_list(submission).filter(outcome=Outcome.PENDING)
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    else:
        people = people.filter(eligible=accept)
    if accept:
        people = people.filter(eligible=True)  # an ineligible person cannot be accepted
        changed = people.update(outcome=Outcome.ACCEPTED, outcome_reason="")
    else:
        changed = people.update(
            outcome=Outcome.REJECTED, outcome_reason=reason.strip() or _("Does not meet the rules.")
        )
    record(
        actor=actor,
        action="submission.accept" if accept else "submission.reject",
        obj=submission,
        region_code=submission.village_id,
        after={"people": changed},
        reason=reason,
        row_count=changed,
    )
    return changed


@transaction.atomic
def identities_check(*, actor, submission: Submission) -> dict:
    """Check every pending person's NIK, name and birth date with the population registry
    (cached; offline = structure rules). A failed check makes the person ineligible with the
    reason; "unavailable" changes nothing and is counted, so the reviewer can try later.

    Returns the counts per outcome, the source and when it ran; `structure_only` says that no
    Dukcapil service is configured, so only the NIK's structure was checked."""
    from lindung.registry.dukcapil import VALID, adapter, check_nik

    submission = _locked(submission)
    require(actor, Action.VERIFY_BPJS, submission.village_id)
    if submission.state != S.APPROVED:
        raise ApplicationError(
            _("People are verified once the regency has approved the list."), code="state"
        )
    service = adapter()
    lang = get_language() or "id"
    counts: dict[str, int] = {}
    changed = []
    for person in on_list(submission).filter(outcome=Outcome.PENDING).select_related("worker"):
        w = person.worker
        result = check_nik(w.nik, w.name, w.birth_date, service=service)
        counts[result.status] = counts.get(result.status, 0) + 1
        code = f"dukcapil_{result.status}"
        if result.status != VALID and code in eligibility.MESSAGES:
            person.reasons = [r for r in person.reasons if not r["code"].startswith("dukcapil_")]
            person.reasons.append({"code": code, "message": eligibility.message(code, lang)})
            person.eligible = False
            changed.append(person)
    SubmissionPerson.objects.bulk_update(changed, ["reasons", "eligible"], 2000)
    event = record(
        actor=actor,
        action="submission.identities",
        obj=submission,
        region_code=submission.village_id,
        after={"source": service.source, **counts},
    )
    return identities_result(event.after_values(), event.occurred_at)


def identities_result(after: dict, checked_at) -> dict:
    """A NIK check's answer, from the values its audit event keeps."""
    source = after.get("source", "")
    return {
        "counts": {k: v for k, v in after.items() if k != "source"},
        "source": source,
        "structure_only": source != "dukcapil",
        "checked_at": checked_at.isoformat(),
    }


def identities_last(submission: Submission) -> dict | None:
    """The list's last NIK check (from its audit trail): source, counts and when it ran."""
    from lindung.audit.selectors import last_event

    event = last_event(submission, "submission.identities")
    if event is None:
        return None
    return {
        **identities_result(event.after_values(), event.occurred_at),
        "checked_at_text": formats.date_format(
            timezone.localtime(event.occurred_at), "SHORT_DATETIME_FORMAT"
        ),
    }


POVERTY_SOURCES = ("DTSEN", "DTKS", "P3KE")
POVERTY_YEARS = (2015, 2100)


def poverty_upload(*, actor, data: bytes, source: str = "DTSEN", year: int) -> dict:
    """A poverty list uploaded from the web by a regency (the page's service; the command line
    loads whole lists as the system). Returns `{"stored", "read", "skipped": [{"row",
    "reason"}]}`; a file that cannot be used at all raises `ApplicationError` saying why.

    Scope: poverty rows are keyed by NIK alone and every program reads them, so a regency may
    only load people of its own regions: a NIK whose region digits fall in the uploader's
    scope, or a person registered in one of their villages (someone whose NIK still carries
    the code of the regency their district was split from, or who moved in). Any other row
    is skipped with that reason, so a regency cannot change another regency's eligibility."""
    from lindung.accounts.scoping import restrict, scope_prefixes
    from lindung.intake.guard import FileRefused

    from .poverty import out_of_scope_reason, read_poverty_list

    if not getattr(actor, "is_authenticated", False) or not role_allows(
        actor.role, Action.LOAD_POVERTY
    ):
        raise PermissionDenied
    if source not in POVERTY_SOURCES:
        message = _("Choose the source of the list.")
        raise ApplicationError(message, code="source", fields={"source": [message]})
    if not POVERTY_YEARS[0] <= year <= POVERTY_YEARS[1]:
        message = _("Write the year of the list, e.g. 2025.")
        raise ApplicationError(message, code="year", fields={"year": [message]})
    try:
        good, skipped = read_poverty_list(data)
    except FileRefused as exc:
        raise ApplicationError(exc.message, code=exc.code, fields={"file": [exc.message]}) from exc
    prefixes = scope_prefixes(actor)
    if prefixes is not None:
        import polars as pl

        by_code = pl.any_horizontal(
            [pl.col("nik").str.starts_with(p) for p in prefixes] or [pl.lit(False)]
        )
        outside = good.filter(~by_code)
        registered = set()
        niks = outside["nik"].to_list()
        for start in range(0, len(niks), 900):
            registered.update(
                restrict(Worker.objects, actor)
                .filter(nik__in=niks[start : start + 900])
                .values_list("nik", flat=True)
            )
        allowed = by_code | pl.col("nik").is_in(list(registered))
        reason = out_of_scope_reason()
        skipped += [{"row": r, "reason": reason} for r in good.filter(~allowed)["row"].to_list()]
        good = good.filter(allowed)
    stored = poverty_import(
        actor=actor, rows=good.select("nik", "decile").iter_rows(), source=source, year=year
    )
    skipped.sort(key=lambda s: s["row"])
    return {"stored": stored, "read": stored + len(skipped), "skipped": skipped}


@transaction.atomic
def poverty_import(*, actor, rows, source: str, year: int) -> int:
    """Load (nik, decile) pairs of a socio-economic list (e.g. DTSEN), replacing that list's
    earlier rows for the same NIKs. Returns how many rows were stored."""
    from lindung.common.bulk import copy_rows

    from .models import PovertyRecord

    rows = [(nik, decile) for nik, decile in rows]
    niks = [nik for nik, _decile in rows]
    for start in range(0, len(niks), 900):
        PovertyRecord.objects.filter(
            source=source, year=year, nik__in=niks[start : start + 900]
        ).delete()
    stored = copy_rows(
        PovertyRecord,
        ("nik", "decile", "source", "year"),
        ((nik, decile, source, year) for nik, decile in rows),
    )
    record(
        actor=actor,
        action="poverty.import",
        object_type="programs.povertyrecord",
        object_repr=f"{source} {year}",
        after={"rows": stored},
        row_count=stored,
    )
    return stored


def list_places_move(*, removed: Worker, survivor: Worker) -> None:
    """The kept record of a merge takes the merged-away record's places on program lists (where
    it is not on that list already); the double entries go. Called by the duplicate review
    inside its merge transaction, which records the audit event."""
    places = SubmissionPerson.objects.filter(worker=removed)
    already = set(
        SubmissionPerson.objects.filter(worker=survivor).values_list("submission_id", flat=True)
    )
    places.filter(submission_id__in=already).delete()
    places.exclude(submission_id__in=already).update(worker=survivor)
