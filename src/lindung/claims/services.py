"""Every write of a claim: filed, documents, heirs' shares, transitions, payments, scholarship
places. Each is keyword-only, atomic, checked against the role table and the transition table,
and audited in the same transaction (issue 10 §2, §3, §5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.masking import mask_account
from lindung.accounts.roles import Action
from lindung.accounts.scoping import require
from lindung.audit.services import record
from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_BIGINT, MAX_NOTE, has_hidden_characters, has_nul
from lindung.common.text import number
from lindung.enrolment.models import Participant
from lindung.registry.models import Heir, LifeStatus, Relationship, Worker

from . import calculator, reporting
from . import heirs as heir_rules
from .choices import (
    CHECKLIST,
    DEATH_TYPES,
    EXTENSIONS,
    HEIR_TYPES,
    JKK_TYPES,
    MAGIC,
    MAX_DOCUMENT_BYTES,
    MAX_SCHOLARSHIP_CHILDREN,
    OPEN_STATES,
    SHARES_TOTAL,
    ClaimState,
    ClaimType,
    DocumentKind,
    SchoolLevel,
)
from .models import (
    Claim,
    ClaimDocument,
    ClaimHeir,
    ClaimPayment,
    ScholarshipPlace,
    ScholarshipYear,
)
from .transitions import MOVE_ACTIONS, TRANSITIONS

S = ClaimState


def _error(message: str, code: str, field: str | None = None, status: int = 400):
    return ApplicationError(
        message, code=code, fields={field: [message]} if field else None, status=status
    )


def _text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if has_nul(value) or has_hidden_characters(value):
        raise _error(_("This text holds characters that are not allowed."), "text", field)
    if len(value) > limit:
        raise _error(_("At most %(max_length)s characters.") % {"max_length": limit}, "text", field)
    return value


def _region(claim: Claim) -> str:
    return claim.participant.village_id


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("participant").get(pk=claim.pk)


def files_dir() -> Path:
    """Where claim documents are kept: MEDIA_ROOT when set, else the instance's var folder."""
    root = getattr(settings, "MEDIA_ROOT", "") or (Path(settings.VAR_DIR) / "media")
    return Path(root) / "claims"


# --- filing -------------------------------------------------------------------------------------


@transaction.atomic
def claim_file(
    *,
    actor,
    participant: Participant,
    claim_type: str,
    event_date: dt.date,
    place: str = "",
    cause: str = "",
    report_1_date: dt.date | None = None,
    doctor_statement_date: dt.date | None = None,
    report_2_date: dt.date | None = None,
    at_work: bool = False,
    event_time: dt.time | None = None,
    report_1_time: dt.time | None = None,
    doctor_statement_time: dt.time | None = None,
    report_2_time: dt.time | None = None,
) -> Claim:
    """File a claim for a participation. Nothing about eligibility is typed: the benefit is
    computed at verification from the rules in force on `event_date`."""
    participant = Participant.objects.select_related("program", "worker").get(pk=participant.pk)
    require(actor, Action.FILE_CLAIM, participant.village_id)
    if claim_type not in ClaimType.values:
        raise _error(_("Choose the kind of claim."), "claim_type", "claim_type")
    if event_date > timezone.localdate():
        raise _error(_("The event date cannot be in the future."), "event_date", "event_date")
    if event_date < participant.worker.birth_date:
        raise _error(
            _("The event date cannot be before the person's birth date."),
            "event_date",
            "event_date",
        )
    place = _text(place, "place", 200)
    cause = _text(cause, "cause", MAX_NOTE)
    if claim_type in JKK_TYPES:
        for field, day in (
            ("report_1_date", report_1_date),
            ("doctor_statement_date", doctor_statement_date),
            ("report_2_date", report_2_date),
        ):
            if day is not None and (day < event_date or day > timezone.localdate()):
                raise _error(
                    _("A report date lies between the accident and today."), "report_date", field
                )
        if report_1_date and report_2_date and report_2_date < report_1_date:
            raise _error(
                _("The stage II report comes after the stage I report."),
                "report_date",
                "report_2_date",
            )
        # A time means nothing without its date (the report's timing is judged on both).
        report_1_time = report_1_time if report_1_date else None
        doctor_statement_time = doctor_statement_time if doctor_statement_date else None
        report_2_time = report_2_time if report_2_date else None
        if (
            event_time
            and report_1_time
            and report_1_date == event_date
            and report_1_time < event_time
        ):
            raise _error(
                _("The stage I report cannot come before the accident."),
                "report_date",
                "report_1_time",
            )
    else:
        report_1_date = doctor_statement_date = report_2_date = None
        event_time = report_1_time = doctor_statement_time = report_2_time = None
        at_work = False
    open_same = Claim.objects.filter(
        participant=participant, claim_type=claim_type, state__in=OPEN_STATES
    )
    if claim_type != ClaimType.SCHOLARSHIP and open_same.exists():
        raise _error(
            _("A claim of this kind is already open for this participant."),
            "already_open",
            status=409,
        )
    claim = Claim.objects.create(
        participant=participant,
        program=participant.program,
        worker=participant.worker,
        claim_type=claim_type,
        event_date=event_date,
        place=place,
        cause=cause,
        report_1_date=report_1_date,
        doctor_statement_date=doctor_statement_date,
        report_2_date=report_2_date,
        event_time=event_time,
        report_1_time=report_1_time,
        doctor_statement_time=doctor_statement_time,
        report_2_time=report_2_time,
        at_work=at_work,
        wage=participant.declared_wage,
        filed_at=timezone.now(),
        filed_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        action="claim.file",
        obj=claim,
        region_code=participant.village_id,
        after={
            "state": claim.state,
            "claim_type": claim_type,
            "event_date": event_date.isoformat(),
            "participant": participant.pk,
        },
    )
    return claim


# --- documents ----------------------------------------------------------------------------------


def sniff(data: bytes) -> str | None:
    """The file's kind by its first bytes (PDF, JPEG or PNG), never by its name."""
    return next((kind for magic, kind in MAGIC.items() if data.startswith(magic)), None)


def _clean_filename(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or has_nul(name) or has_hidden_characters(name) or len(name) > 200:
        raise _error(
            _("The file name is empty, too long or holds characters that are not allowed."),
            "filename",
            "file",
        )
    if any(ord(ch) < 32 for ch in name):
        raise _error(_("The file name holds control characters."), "filename", "file")
    return name


@transaction.atomic
def claim_document_add(
    *, actor, claim: Claim, kind: str, data: bytes, filename: str
) -> ClaimDocument:
    """Attach a scanned document (PDF, JPEG or PNG, checked by content) to an open claim."""
    claim = _locked(claim)
    require(actor, Action.FILE_CLAIM, _region(claim))
    if claim.state not in (S.FILED, S.DOCUMENTS_COMPLETE):
        raise _error(
            _("Documents can be added only before the claim is verified."),
            "state",
            status=409,
        )
    if kind not in (*CHECKLIST[claim.claim_type], DocumentKind.OTHER):
        raise _error(_("This document is not on the claim's checklist."), "kind", "kind")
    name = _clean_filename(filename)
    if not data:
        raise _error(_("The file is empty."), "empty", "file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _error(
            _("The file is larger than %(mb)s MB; scan it at a lower resolution.")
            % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
            "too_large",
            "file",
        )
    content_type = sniff(data)
    if content_type is None:
        raise _error(
            _("Only PDF, JPEG or PNG files are accepted (checked by their content)."),
            "file_type",
            "file",
        )
    stored = f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
    folder = files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / stored
    path.write_bytes(data)
    try:
        document = ClaimDocument.objects.create(
            claim=claim,
            kind=kind,
            original_name=name,
            stored_name=stored,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_at=timezone.now(),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        record(
            actor=actor,
            action="claim.document_add",
            obj=claim,
            region_code=_region(claim),
            after={"kind": kind, "file": name, "size": len(data), "content_type": content_type},
        )
    except Exception:
        path.unlink(missing_ok=True)  # no row, no file
        raise
    return document


def document_path(document: ClaimDocument) -> Path:
    return files_dir() / document.stored_name


def missing_documents(claim: Claim) -> list[str]:
    """The checklist's kinds that have no file yet."""
    have = set(claim.documents.values_list("kind", flat=True))
    return [kind for kind in CHECKLIST[claim.claim_type] if kind not in have]


# --- heirs --------------------------------------------------------------------------------------


def ranked_heirs(registered: list[Heir]) -> dict[int, dict]:
    """Each registered heir's class, whether their class is the entitled one, and why
    (`heirs.entitlement`: a lower class receives only when nobody of a higher one exists)."""
    answer = heir_rules.entitlement(registered)
    members = {m.id for m in answer.members}
    out = {}
    for heir in registered:
        number = heir_rules.heir_class_of(heir.relationship) or heir_rules.NO_HEIRS
        entitled = heir.pk in members
        out[heir.pk] = {
            "heir_class": number,
            "entitled": entitled,
            "why": answer.reason
            if entitled
            else _("Class %(n)s receives nothing while class %(first)s exists.")
            % {"n": number, "first": answer.heir_class},
        }
    return out


def _digits(value: str, field: str, limit: int) -> str:
    text = "".join((value or "").split()).replace("-", "").replace(".", "")
    if text and (not text.isdecimal() or len(text) > limit):
        raise _error(_("Write the account number in digits only."), "bank_account", field)
    return text


@transaction.atomic
def claim_heirs_set(
    *, actor, claim: Claim, heirs: list[dict], expected_state: str
) -> list[ClaimHeir]:
    """Record who receives the claim and the split the heirs' statement gives (basis points,
    adding up to 10,000). Each is a registered heir of the worker in the highest class present,
    or — only when the worker has no heirs — whoever arranged the burial, typed in."""
    claim = _locked(claim)
    require(actor, Action.FILE_CLAIM, _region(claim))
    _refuse_stale(claim, expected_state)
    if claim.state not in (S.FILED, S.DOCUMENTS_COMPLETE):
        raise _error(
            _("The heirs can be changed only before the claim is verified."), "state", status=409
        )
    if claim.claim_type not in HEIR_TYPES:
        raise _error(_("This kind of claim is paid to the participant."), "no_heirs")
    if not heirs:
        raise _error(_("Name at least one heir."), "heirs", "heirs")
    if len(heirs) > 50:
        raise _error(_("At most 50 heirs."), "heirs", "heirs")
    registered = {h.pk: h for h in Heir.objects.filter(worker_id=claim.worker_id)}
    ranked = ranked_heirs(list(registered.values()))
    rows, total, seen = [], 0, set()
    for i, item in enumerate(heirs):
        field = f"heirs.{i}"
        share = item.get("share_bp")
        if not isinstance(share, int) or isinstance(share, bool) or not 1 <= share <= SHARES_TOTAL:
            raise _error(
                _("Each share is from 1 to 10,000 basis points (0.01 to 100 percent)."),
                "share",
                f"{field}.share_bp",
            )
        total += share
        heir_id = item.get("heir_id")
        bank_name = _text(item.get("bank_name", ""), f"{field}.bank_name", 60)
        account = _digits(item.get("bank_account", ""), f"{field}.bank_account", 30)
        if heir_id is not None:
            heir = registered.get(heir_id)
            if heir is None:
                raise _error(
                    _("This person is not a registered heir of the worker."),
                    "unknown_heir",
                    f"{field}.heir_id",
                )
            if heir_id in seen:
                raise _error(_("An heir is named twice."), "twice", f"{field}.heir_id")
            seen.add(heir_id)
            if not ranked[heir_id]["entitled"]:
                raise _error(
                    _(
                        "%(name)s is not entitled: an heir of a higher class exists "
                        "(PP 44/2015 Art. 37(5))."
                    )
                    % {"name": heir.name},
                    "not_entitled",
                    f"{field}.heir_id",
                )
            rows.append(
                ClaimHeir(
                    claim=claim,
                    heir=heir,
                    name=heir.name,
                    relationship=heir.relationship,
                    heir_class=ranked[heir_id]["heir_class"],
                    share_bp=share,
                    bank_name=bank_name,
                    bank_account=account,
                )
            )
        else:
            if registered:
                raise _error(
                    _("The worker has registered heirs: choose them, not someone typed in."),
                    "heirs_exist",
                    f"{field}.heir_id",
                )
            name = _text(item.get("name", ""), f"{field}.name", 150)
            if not name:
                raise _error(_("Write the name."), "name", f"{field}.name")
            rows.append(
                ClaimHeir(
                    claim=claim,
                    name=name,
                    relationship=heir_rules.BURIAL_ORGANISER,
                    heir_class=heir_rules.NO_HEIRS,
                    share_bp=share,
                    bank_name=bank_name,
                    bank_account=account,
                )
            )
    if total != SHARES_TOTAL:
        raise _error(
            _("The shares add up to %(total)s %%; they must add up to 100 %%.")
            % {"total": f"{total / 100:g}"},
            "shares_total",
            "heirs",
        )
    before = [
        {"name": h.name, "share_bp": h.share_bp, "bank_account": mask_account(h.bank_account)}
        for h in claim.heirs.all()
    ]
    claim.heirs.all().delete()
    ClaimHeir.objects.bulk_create(rows)
    claim.version += 1
    claim.save(update_fields=["version"])
    record(
        actor=actor,
        action="claim.heirs_set",
        obj=claim,
        region_code=_region(claim),
        before={"heirs": before},
        after={
            "heirs": [
                {
                    "name": r.name,
                    "share_bp": r.share_bp,
                    "bank_account": mask_account(r.bank_account),
                }
                for r in rows
            ]
        },
    )
    return list(claim.heirs.all())


# --- transitions --------------------------------------------------------------------------------


def _known_state(value: str, field: str) -> str:
    if value not in S.values:
        raise _error(_("Unknown state %(state)s.") % {"state": value[:40]}, "state", field)
    return value


def _refuse_stale(claim: Claim, expected_state: str) -> None:
    if not expected_state:
        message = _("Say which state of the claim you saw (expected_state).")
        raise _error(message, "expected_state_required", "expected_state")
    if claim.state == expected_state:
        return
    raise ApplicationError(
        _(
            "This claim changed while you were looking at it: it is now '%(state)s'. "
            "Look at it again before deciding."
        )
        % {"state": claim.get_state_display()},
        code="stale",
        status=409,
        extra={"state": claim.state},
    )


def moves_for(user, claim: Claim) -> list[str]:
    """The states this user may move the claim to now: the page shows only those buttons."""
    from lindung.accounts.scoping import can

    return [
        to
        for (before, to), action in TRANSITIONS.items()
        if before == claim.state
        and to != S.PAID
        and can(user, action, _region(claim))
        and not (to == S.APPROVED and claim.verified_by_id == getattr(user, "pk", None))
    ]


def _compute(claim: Claim) -> calculator.Result:
    # The details the calculator's `facts_for_worker` knows (see its docstring).
    details = {"claim_date": timezone.localtime(claim.filed_at).date(), "wage": claim.wage}
    if claim.claim_type in JKK_TYPES:
        details.update(
            at_work=claim.at_work,
            reported_stage1=claim.report_1_date,
            reported_stage2=claim.report_2_date,
        )
    if claim.claim_type == ClaimType.SCHOLARSHIP:
        details.update(_scholarship_details(claim))
    facts = calculator.facts_for_worker(claim.worker, claim.claim_type, claim.event_date, **details)
    # Who is entitled is decided among the worker's registered heirs, not the ones chosen.
    heirs = list(Heir.objects.filter(worker_id=claim.worker_id).order_by("id"))
    return calculator.compute(facts, heirs=heirs if claim.claim_type in DEATH_TYPES else None)


def _end_on_death(actor, claim: Claim) -> None:
    """An approved death claim: the worker is marked deceased through the registry (which
    ends their participations through the enrolment service), and any participation still
    open ends on the day of death."""
    from lindung.enrolment.services import participations_end_for_life_event
    from lindung.registry.services import worker_mark

    worker = Worker.objects.get(pk=claim.worker_id)
    if worker.life_status != LifeStatus.DECEASED:
        worker_mark(
            actor=actor,
            worker=worker,
            status=LifeStatus.DECEASED,
            since=claim.event_date,
            reason=_("Death claim #%(id)s approved.") % {"id": claim.pk},
        )
    participations_end_for_life_event(
        actor=actor, worker_id=worker.pk, status=LifeStatus.DECEASED, since=claim.event_date
    )


@transaction.atomic
def claim_move(
    *,
    actor,
    claim: Claim,
    to: str,
    expected_state: str,
    reason: str = "",
    acknowledge_reporting: bool = False,
) -> Claim:
    """Move the claim from `expected_state` (what the actor saw) to `to`, if the step exists,
    belongs to the actor's role and its conditions hold. Verifying a JKK claim whose reports
    were late, uncertain or missing needs `acknowledge_reporting` (see `reporting.py`: the
    regulation warns, it does not forfeit the benefit)."""
    if not expected_state:
        message = _("Say which state of the claim you saw (expected_state).")
        raise _error(message, "expected_state_required", "expected_state")
    to, expected_state = _known_state(to, "to"), _known_state(expected_state, "expected_state")
    action = TRANSITIONS.get((expected_state, to))
    if action is None or to == S.PAID:
        raise _error(
            _("A claim that is '%(state)s' cannot become '%(to)s'.")
            % {"state": S(expected_state).label, "to": S(to).label},
            "transition",
        )
    claim = _locked(claim)
    require(actor, action, _region(claim))
    _refuse_stale(claim, expected_state)
    reason = _text(reason, "reason", MAX_NOTE)
    now = timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    before = {"state": claim.state, "payable": claim.payable}
    after_extra: dict = {}
    if to == S.DOCUMENTS_COMPLETE:
        missing = missing_documents(claim)
        if missing:
            raise _error(
                _("Documents missing: %(kinds)s.")
                % {"kinds": ", ".join(str(DocumentKind(k).label) for k in missing)},
                "documents_missing",
            )
        if claim.claim_type in HEIR_TYPES and not claim.heirs.exists():
            raise _error(
                _("Record the heirs and their shares from the heirs' statement first."),
                "heirs_missing",
            )
        claim.documents_completed_at, claim.documents_completed_by = now, who
    elif to == S.VERIFIED:
        if claim.claim_type in HEIR_TYPES and not claim.heirs.exists():
            raise _error(_("Record the heirs and their shares first."), "heirs_missing")
        judged = reporting.judge(claim)
        if judged is not None and judged.needs_acknowledgement:
            if not acknowledge_reporting:
                raise _error(
                    _(
                        "The accident's reports need your attention: %(warnings)s Tick that "
                        "you have read this to verify the claim."
                    )
                    % {"warnings": " ".join(judged.warnings)},
                    "reporting_unacknowledged",
                    "acknowledge_reporting",
                )
            after_extra["reporting_acknowledged"] = judged.codes()
        result = _compute(claim)
        claim.computed = result.as_dict()
        claim.payable = result.payable
        claim.verified_at, claim.verified_by = now, who
    elif to == S.APPROVED:
        if claim.verified_by_id is not None and claim.verified_by_id == getattr(actor, "pk", None):
            raise ApplicationError(
                _("You verified this claim yourself, so another officer must approve it."),
                code="own_verification",
                status=403,
            )
        if claim.payable <= 0:
            raise _error(
                _("Nothing is payable on this claim (see the reasons): reject it instead."),
                "nothing_payable",
            )
        claim.approved_at, claim.approved_by = now, who
    elif to == S.REJECTED:
        if not reason:
            raise _error(_("Write why the claim is rejected."), "reason_required", "reason")
        if claim.payments.exists():
            raise _error(
                _("Payments have been recorded on this claim: it cannot be rejected."),
                "paid_already",
                status=409,
            )
        claim.rejection_reason = reason
        claim.rejected_at, claim.rejected_by = now, who
    claim.state = to
    claim.version += 1
    claim.save()
    record(
        actor=actor,
        action=MOVE_ACTIONS[to],
        obj=claim,
        region_code=_region(claim),
        before=before,
        after={"state": to, "payable": claim.payable, **after_extra},
        reason=reason,
    )
    if to == S.APPROVED and claim.claim_type in DEATH_TYPES:
        _end_on_death(actor, claim)
    return claim


# --- payments -----------------------------------------------------------------------------------


def heir_dues(claim: Claim) -> dict[int, int]:
    """What each heir is owed: the payable amount split by the shares, whole rupiah; the
    rupiah left over by rounding go to the heir with the largest share (first named)."""
    heirs = list(claim.heirs.all())
    dues = {h.pk: claim.payable * h.share_bp // SHARES_TOTAL for h in heirs}
    if heirs:
        first = max(heirs, key=lambda h: (h.share_bp, -h.pk))
        dues[first.pk] += claim.payable - sum(dues.values())
    return dues


def paid_total(claim: Claim) -> int:
    return claim.payments.aggregate(s=Sum("amount"))["s"] or 0


@transaction.atomic
def claim_payment_record(
    *,
    actor,
    claim: Claim,
    amount: int,
    paid_on: dt.date,
    reference: str,
    claim_heir_id: int | None = None,
    bank_name: str = "",
    bank_account: str = "",
) -> ClaimPayment:
    """Record money paid to one heir (or to the participant). Never more than the payable
    amount, nor more than the heir's share; the claim is paid when the payments reach it."""
    claim = _locked(claim)
    require(actor, Action.PAY_CLAIM, _region(claim))
    if claim.state != S.APPROVED:
        raise ApplicationError(
            _("Only an approved claim is paid; this one is '%(state)s'.")
            % {"state": claim.get_state_display()},
            code="stale",
            status=409,
            extra={"state": claim.state},
        )
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_BIGINT:
        raise _error(_("The amount is a whole rupiah amount."), "amount", "amount")
    if paid_on > timezone.localdate() or paid_on < claim.event_date:
        raise _error(_("The payment date lies between the event and today."), "paid_on", "paid_on")
    reference = _text(reference, "reference", 60)
    if not reference:
        raise _error(_("Write the transfer reference."), "reference", "reference")
    if claim.payments.filter(reference=reference).exists():
        raise _error(
            _("This reference is already recorded on this claim."), "reference_taken", status=409
        )
    already = paid_total(claim)
    if already + amount > claim.payable:
        raise _error(
            _("That is more than what remains payable (%(left)s).")
            % {"left": "Rp" + number(claim.payable - already)},
            "over_payable",
            "amount",
        )
    heir = None
    if claim.claim_type in HEIR_TYPES:
        heir = claim.heirs.filter(pk=claim_heir_id).first() if claim_heir_id else None
        if heir is None:
            raise _error(_("Choose the heir who was paid."), "heir", "claim_heir_id")
        heir_paid = heir.payments.aggregate(s=Sum("amount"))["s"] or 0
        if heir_paid + amount > heir_dues(claim)[heir.pk]:
            raise _error(
                _("That is more than %(name)s's share.") % {"name": heir.name},
                "over_share",
                "amount",
            )
    bank_name = _text(bank_name, "bank_name", 60) or (heir.bank_name if heir else "")
    account = _digits(bank_account, "bank_account", 30) or (heir.bank_account if heir else "")
    payment = ClaimPayment.objects.create(
        claim=claim,
        claim_heir=heir,
        amount=amount,
        bank_name=bank_name,
        bank_account=account,
        paid_on=paid_on,
        reference=reference,
        recorded_at=timezone.now(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        action="claim.payment_record",
        obj=claim,
        region_code=_region(claim),
        after={
            "amount": amount,
            "to": heir.name if heir else "",
            "bank_account": mask_account(account),
            "reference": reference,
            "paid_on": paid_on.isoformat(),
        },
    )
    if already + amount == claim.payable:
        claim.state = S.PAID
        claim.paid_at = timezone.now()
        claim.paid_by = actor if getattr(actor, "pk", None) else None
        claim.version += 1
        claim.save()
        record(
            actor=actor,
            action=MOVE_ACTIONS[S.PAID],
            obj=claim,
            region_code=_region(claim),
            before={"state": S.APPROVED},
            after={"state": S.PAID, "paid": claim.payable},
        )
    return payment


# --- scholarship places -------------------------------------------------------------------------


def death_date_of(participant: Participant) -> dt.date | None:
    """The day the participant died: an approved or paid death claim's event date, else the
    registry's mark."""
    claim = (
        Claim.objects.filter(
            participant=participant,
            claim_type__in=DEATH_TYPES,
            state__in=(S.APPROVED, S.PAID),
        )
        .order_by("event_date")
        .first()
    )
    if claim is not None:
        return claim.event_date
    worker = participant.worker
    if worker.life_status == LifeStatus.DECEASED:
        return worker.life_status_date
    return None


def _check_child(participant: Participant, child: Heir, died: dt.date) -> None:
    if child.worker_id != participant.worker_id or child.relationship != Relationship.CHILD:
        raise _error(_("Choose a child registered as the worker's heir."), "child", "child_id")
    if child.created_at is None or timezone.localtime(child.created_at).date() >= died:
        raise _error(
            _(
                "%(name)s was registered as an heir on or after the death: a scholarship child "
                "must have been registered before it (Permenaker 5/2021 Art. 102)."
            )
            % {"name": child.name},
            "registered_after_death",
            "child_id",
        )


@transaction.atomic
def scholarship_place_add(*, actor, participant: Participant, child: Heir) -> ScholarshipPlace:
    """Give a child of a deceased participant one of the (at most two) scholarship places."""
    participant = (
        Participant.objects.select_for_update().select_related("worker").get(pk=participant.pk)
    )
    require(actor, Action.FILE_CLAIM, participant.village_id)
    died = death_date_of(participant)
    if died is None:
        raise _error(
            _("Scholarships follow a death: approve the death claim first."), "not_deceased"
        )
    _check_child(participant, child, died)
    places = ScholarshipPlace.objects.filter(participant=participant)
    if places.filter(child=child).exists():
        raise _error(_("This child already holds a place."), "twice", "child_id")
    if places.count() >= MAX_SCHOLARSHIP_CHILDREN:
        raise _error(
            _("At most %(n)s children receive a scholarship (Permenaker 5/2021 Art. 102).")
            % {"n": MAX_SCHOLARSHIP_CHILDREN},
            "third_child",
            "child_id",
        )
    place = ScholarshipPlace.objects.create(
        participant=participant, child=child, created_at=timezone.now()
    )
    record(
        actor=actor,
        action="claim.scholarship_place_add",
        obj=place,
        region_code=participant.village_id,
        after={"child": child.name, "participant": participant.pk},
    )
    return place


@transaction.atomic
def scholarship_place_move(
    *, actor, place: ScholarshipPlace, substitute: Heir, expected_child_id: int | None = None
) -> ScholarshipPlace:
    """Move a place once to a substitute child (also registered before the death).
    `expected_child_id`: the child the actor saw holding the place (409 if it moved since)."""
    place = (
        ScholarshipPlace.objects.select_for_update()
        .select_related("participant__worker", "child")
        .get(pk=place.pk)
    )
    require(actor, Action.FILE_CLAIM, place.participant.village_id)
    if expected_child_id is not None and place.child_id != expected_child_id:
        raise _error(
            _("This place changed while you were looking at it: look at it again."),
            "stale",
            status=409,
        )
    if place.moved_from_id is not None:
        raise _error(
            _("This place has moved once already; it cannot move again."),
            "moved_once",
            status=409,
        )
    died = death_date_of(place.participant)
    _check_child(place.participant, substitute, died)
    if ScholarshipPlace.objects.filter(participant=place.participant, child=substitute).exists():
        raise _error(_("This child already holds a place."), "twice", "child_id")
    before = {"child": place.child.name}
    place.moved_from = place.child
    place.child = substitute
    place.moved_at = timezone.now()
    place.save()
    record(
        actor=actor,
        action="claim.scholarship_place_move",
        obj=place,
        region_code=place.participant.village_id,
        before=before,
        after={"child": substitute.name},
    )
    return place


@transaction.atomic
def scholarship_year_record(
    *, actor, place: ScholarshipPlace, school_year: int, level: str, grade: int = 1
) -> ScholarshipYear:
    """Track a place's level and school year (claimed every year)."""
    place = (
        ScholarshipPlace.objects.select_for_update().select_related("participant").get(pk=place.pk)
    )
    require(actor, Action.FILE_CLAIM, place.participant.village_id)
    if isinstance(school_year, bool) or not isinstance(school_year, int):
        raise _error(_("Give the year the school year starts."), "school_year", "school_year")
    if isinstance(grade, bool) or not isinstance(grade, int):
        raise _error(_("The grade is from 1 to 12."), "grade", "grade")
    if level not in SchoolLevel.values:
        raise _error(_("Choose the school level."), "level", "level")
    if not 1990 <= school_year <= timezone.localdate().year + 1:
        raise _error(_("Give the year the school year starts."), "school_year", "school_year")
    if not 1 <= grade <= 12:
        raise _error(_("The grade is from 1 to 12."), "grade", "grade")
    claimed = (
        ScholarshipYear.objects.filter(place=place, school_year=school_year, claim__isnull=False)
        .exclude(claim__state=S.REJECTED)
        .exists()
    )
    if claimed:
        raise _error(
            _("This school year is claimed already: its level cannot change."),
            "year_claimed",
            "school_year",
            status=409,
        )
    year, _created = ScholarshipYear.objects.update_or_create(
        place=place,
        school_year=school_year,
        defaults={
            "level": level,
            "grade": grade,
            "recorded_at": timezone.now(),
            "child_id": place.child_id,
            "claim": None,
        },
    )
    record(
        actor=actor,
        action="claim.scholarship_year",
        obj=place,
        region_code=place.participant.village_id,
        after={"school_year": school_year, "level": level, "grade": grade},
    )
    return year


# Scholarship claims: one school year of one child per claim --------------------------------------

# The calculator's word for each school level (its rule codes: scholarship-pt, …).
CALCULATOR_LEVEL = {"tk": "tk", "sd": "sd", "smp": "smp", "sma": "sma", "university": "pt"}


def current_school_year(day: dt.date) -> int:
    """The year the school year running on `day` started (Indonesia's starts in July)."""
    return day.year if day.month >= 7 else day.year - 1


def death_claim_of(participant: Participant) -> Claim | None:
    return (
        Claim.objects.filter(
            participant=participant, claim_type__in=DEATH_TYPES, state__in=(S.APPROVED, S.PAID)
        )
        .order_by("event_date")
        .first()
    )


@transaction.atomic
def scholarship_year_claim(*, actor, place: ScholarshipPlace, school_year: int) -> Claim:
    """File the scholarship claim of one recorded school year of a place: a claim of its own
    (documents, heirs, verification, approval, payment as any claim), dated on the death so the
    rules in force then apply. A school year more than `scholarship-back-pay-years` before the
    running one is not paid back (Permenaker 5/2021 as amended by Permenaker 1/2025)."""
    place = (
        ScholarshipPlace.objects.select_for_update()
        .select_related("participant__worker", "child")
        .get(pk=place.pk)
    )
    participant = place.participant
    require(actor, Action.FILE_CLAIM, participant.village_id)
    if isinstance(school_year, bool) or not isinstance(school_year, int):
        raise _error(_("Give the year the school year starts."), "school_year", "school_year")
    year = ScholarshipYear.objects.filter(place=place, school_year=school_year).first()
    if year is None:
        raise _error(
            _("Record the child's level for this school year first."),
            "year_unknown",
            "school_year",
        )
    if year.claim_id is not None and year.claim.state != S.REJECTED:
        raise _error(
            _("School year %(year)s is claimed already (claim #%(id)s).")
            % {"year": f"{school_year}/{school_year + 1}", "id": year.claim_id},
            "year_claimed",
            "school_year",
            status=409,
        )
    died = death_date_of(participant)
    if died is None:
        raise _error(
            _("Scholarships follow a death: approve the death claim first."), "not_deceased"
        )
    running = current_school_year(timezone.localdate())
    back = calculator.load_rulebook().need("scholarship-back-pay-years", died)
    if school_year > running:
        raise _error(
            _("School year %(year)s has not started yet.")
            % {"year": f"{school_year}/{school_year + 1}"},
            "year_future",
            "school_year",
        )
    if school_year < running - back.value:
        raise _error(
            _(
                "School year %(year)s is more than %(n)s school years back: it is not paid "
                "back (%(citation)s)."
            )
            % {"year": f"{school_year}/{school_year + 1}", "n": back.value,
               "citation": back.citation},
            "too_late",
            "school_year",
        )  # fmt: skip
    if dt.date(school_year + 1, 6, 30) < died:
        raise _error(
            _("School year %(year)s ended before the death: no scholarship is due for it.")
            % {"year": f"{school_year}/{school_year + 1}"},
            "before_death",
            "school_year",
        )
    child = year.child or place.child
    claim = claim_file(
        actor=actor,
        participant=participant,
        claim_type=ClaimType.SCHOLARSHIP,
        event_date=died,
        cause=_("Scholarship for %(child)s, school year %(year)s, %(level)s")
        % {
            "child": child.name,
            "year": f"{school_year}/{school_year + 1}",
            "level": year.get_level_display(),
        },
    )
    year.claim = claim
    year.child = child
    year.save(update_fields=["claim", "child"])
    record(
        actor=actor,
        action="claim.scholarship_year_claim",
        obj=place,
        region_code=participant.village_id,
        after={"claim": claim.pk, "school_year": school_year, "level": year.level},
    )
    return claim


def _scholarship_details(claim: Claim) -> dict:
    """The child, level and years paid before for a scholarship claim's school year, and
    whether the death it follows was a work accident (no minimum membership then)."""
    years = list(
        ScholarshipYear.objects.filter(claim=claim).select_related("place", "child").order_by("id")
    )
    children = []
    for year in years:
        child = year.child or Heir.objects.get(pk=year.place.child_id)
        paid_before = (
            ScholarshipYear.objects.filter(
                child_id=child.pk, level=year.level, claim__state__in=(S.APPROVED, S.PAID)
            )
            .exclude(claim=claim)
            .count()
        )
        children.append(
            calculator.Child(
                level=CALCULATOR_LEVEL[year.level],
                heir_id=child.pk,
                years=1,
                years_paid=paid_before,
                registered_on=timezone.localtime(child.created_at).date()
                if child.created_at
                else None,
            )
        )
    death = death_claim_of(claim.participant)
    cause = "jkk-death" if death is not None and death.claim_type == ClaimType.JKK_DEATH else "jkm"
    return {"children": children, "scholarship_cause": cause}
