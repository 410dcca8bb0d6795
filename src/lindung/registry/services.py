"""Every write to the registry: validated, scoped, atomic and audited in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from lindung.accounts.roles import Action
from lindung.accounts.scoping import require
from lindung.audit.services import record, snapshot
from lindung.common.errors import ApplicationError

from .models import Heir, Occupation, OccupationGroup, WorkClass, Worker
from .validation import Cleaned, HeirInput, WorkerInput, clean_heirs, clean_worker

WORKER_AUDITED = (
    "nik",
    "kk_number",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "village",
    "phone",
    "occupation",
    "monthly_income",
)
HEIR_AUDITED = ("name", "nik", "relationship", "birth_date", "phone")


def _raise_if_invalid(*cleaned: Cleaned) -> None:
    errors: dict[str, list[str]] = {}
    for c in cleaned:
        for name, messages in c.errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ApplicationError(
            _("The data has %(count)d problem(s); see the fields.") % {"count": len(errors)},
            code="validation",
            fields=errors,
        )


def _nik_taken(nik: str, *, exclude_pk: int | None = None) -> bool:
    qs = Worker.objects.filter(nik=nik)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _duplicate_nik_error() -> ApplicationError:
    # Says the NIK exists without saying where: the other record may be outside the user's scope.
    message = _(
        "This NIK is already registered in Lindung. Search for it before adding the person again; "
        "if it belongs to another village, ask the regency admin."
    )
    return ApplicationError(message, code="duplicate_nik", fields={"nik": [message]})


def _audit_worker(actor, action: str, worker: Worker, before=None, after=None, reason="") -> None:
    record(
        actor=actor,
        action=action,
        obj=worker,
        region_code=worker.village_id,
        before=before,
        after=after,
        reason=reason,
    )


@transaction.atomic
def worker_create(*, actor, data: WorkerInput, heirs: list[HeirInput] | None = None) -> Worker:
    cleaned = clean_worker(data)
    heirs_cleaned = clean_heirs(heirs or [], worker_nik=cleaned.values.get("nik"))
    _raise_if_invalid(cleaned, heirs_cleaned)
    require(actor, Action.CREATE, cleaned.values["village_id"])
    if _nik_taken(cleaned.values["nik"]):
        raise _duplicate_nik_error()
    worker = Worker(**cleaned.values, created_by=actor if actor and actor.pk else None)
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError as exc:  # a concurrent create of the same NIK won the race
        raise _duplicate_nik_error() from exc
    _audit_worker(actor, "worker.create", worker, after=snapshot(worker, WORKER_AUDITED))
    _apply_heirs(actor, worker, heirs_cleaned.values["heirs"], replace=False)
    return worker


@transaction.atomic
def worker_update(
    *, actor, worker: Worker, data: WorkerInput, heirs: list[HeirInput] | None = None
) -> Worker:
    """Change a worker; `heirs`, when given, is the complete new list (missing ones are removed)."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    require(actor, Action.CHANGE, worker.village_id)
    cleaned = clean_worker(data)
    heirs_cleaned = clean_heirs(heirs or [], worker_nik=cleaned.values.get("nik"))
    _raise_if_invalid(cleaned, heirs_cleaned)
    # Moving a person to a village outside one's scope would hand them to someone else unseen.
    require(actor, Action.CHANGE, cleaned.values["village_id"])
    if _nik_taken(cleaned.values["nik"], exclude_pk=worker.pk):
        raise _duplicate_nik_error()
    before = snapshot(worker, WORKER_AUDITED)
    for name, value in cleaned.values.items():
        setattr(worker, name, value)
    after = snapshot(worker, WORKER_AUDITED)
    if before != after:
        worker.save()
        _audit_worker(actor, "worker.update", worker, before=before, after=after)
    if heirs is not None:
        _apply_heirs(actor, worker, heirs_cleaned.values["heirs"], replace=True)
    return worker


@transaction.atomic
def worker_delete(*, actor, worker: Worker, reason: str = "") -> None:
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    require(actor, Action.DELETE, worker.village_id)
    before = snapshot(worker, WORKER_AUDITED)
    before["heirs"] = [snapshot(h, HEIR_AUDITED) for h in worker.heirs.all()]
    _audit_worker(actor, "worker.delete", worker, before=before, reason=reason)
    try:
        with transaction.atomic():
            worker.delete()
    except ProtectedError as exc:
        # Lists of programs keep the people they verified: removal goes through those first.
        raise ApplicationError(
            _(
                "This person is on a program list; remove them from the list (or merge the "
                "duplicate through the review queue) instead of deleting."
            ),
            code="protected",
        ) from exc


@transaction.atomic
def worker_mark(
    *, actor, worker: Worker, status: str, since: dt.date | None = None, reason: str = ""
) -> Worker:
    """Mark a registered person as moved away or deceased (or back to living in the village):
    never a delete, so past lists and history keep them; eligibility refuses them from now on."""
    from .models import LifeStatus

    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    require(actor, Action.CHANGE, worker.village_id)
    if status not in LifeStatus.values:
        message = _("Choose moved away or deceased.")
        raise ApplicationError(message, code="status", fields={"status": [message]})
    if status != LifeStatus.ACTIVE and not reason.strip():
        message = _("Write why (e.g. the letter or who reported it).")
        raise ApplicationError(message, code="reason_required", fields={"reason": [message]})
    if since and since > dt.date.today():
        message = _("The date cannot be in the future.")
        raise ApplicationError(message, code="since", fields={"since": [message]})
    if since and worker.birth_date and since < worker.birth_date:
        message = _("The date cannot be before the person's birth date.")
        raise ApplicationError(message, code="since", fields={"since": [message]})
    if worker.life_status == LifeStatus.DECEASED and status != LifeStatus.ACTIVE:
        # A death is final: marking it again (or "moved" after it) would rewrite its date.
        # Only a correction back to "lives in the village" (a wrong report) moves it on.
        raise ApplicationError(
            _("This person is already marked deceased; correct the mark first if it was wrong."),
            code="already_deceased",
            status=409,
            extra={"life_status": worker.life_status},
        )
    before = {"life_status": worker.life_status, "since": str(worker.life_status_date or "")}
    worker.life_status = status
    worker.life_status_date = since or (None if status == LifeStatus.ACTIVE else dt.date.today())
    worker.life_status_reason = reason.strip()
    worker.save(update_fields=["life_status", "life_status_date", "life_status_reason"])
    after = {"life_status": status, "since": str(worker.life_status_date or "")}
    _audit_worker(actor, "worker.mark", worker, before=before, after=after, reason=reason.strip())
    from .signals import worker_marked

    worker_marked.send(
        sender=Worker, worker=worker, status=status, since=worker.life_status_date, actor=actor
    )
    return worker


IDENTITY = ("name", "birth_date", "sex")


@transaction.atomic
def worker_identity_correct(
    *, actor, worker: Worker, name: str, birth_date, sex: str, reason: str
) -> Worker:
    """Correct who a registered person is (name, birth date, sex): a reviewer's decision on a NIK
    conflict, never a side effect of an import. Audited with before and after."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    require(actor, Action.CHANGE, worker.village_id)
    name = " ".join((name or "").split())
    if not name or len(name) > Worker._meta.get_field("name").max_length or sex not in ("L", "P"):
        raise ApplicationError(_("This identity cannot be recorded."), code="identity_invalid")
    before = snapshot(worker, IDENTITY)
    worker.name, worker.birth_date, worker.sex = name, birth_date, sex
    after = snapshot(worker, IDENTITY)
    if before != after:
        worker.save(update_fields=[*IDENTITY, "updated_at"])
        _audit_worker(
            actor, "worker.identity_correct", worker, before=before, after=after, reason=reason
        )
    return worker


MERGE_FILLED = ("kk_number", "birth_place", "address", "phone", "monthly_income")


@transaction.atomic
def worker_merge(*, actor, keep: Worker, remove: Worker, reason: str = "") -> Worker:
    """One person registered twice: keep one record, bring over the other's heirs and the
    fields the kept record lacks, record both sides in the audit trail, remove the other."""
    keep = Worker.objects.select_for_update().get(pk=keep.pk)
    remove = Worker.objects.select_for_update().get(pk=remove.pk)
    require(actor, Action.CHANGE, keep.village_id)
    require(actor, Action.CHANGE, remove.village_id)
    removed = snapshot(remove, WORKER_AUDITED)
    removed["heirs"] = [snapshot(h, HEIR_AUDITED) for h in remove.heirs.all()]
    before = snapshot(keep, WORKER_AUDITED)
    for name in MERGE_FILLED:
        if getattr(keep, name) in ("", None) and getattr(remove, name) not in ("", None):
            setattr(keep, name, getattr(remove, name))
    keep.save()
    known = {h.name.strip().lower() for h in keep.heirs.all()}
    for heir in remove.heirs.all():
        if heir.name.strip().lower() not in known:
            heir.worker = keep
            heir.save(update_fields=["worker"])
            _audit_heir(actor, "worker.heir_add", keep, heir, None, snapshot(heir, HEIR_AUDITED))
    record(
        actor=actor,
        action="worker.merge",
        obj=keep,
        region_code=keep.village_id,
        before=before,
        after=snapshot(keep, WORKER_AUDITED),
        reason=reason or f"merged {remove.nik}",
    )
    _audit_worker(actor, "worker.merged_away", remove, before=removed, reason=f"into {keep.nik}")
    from .signals import worker_merging

    worker_merging.send(sender=Worker, keep=keep, remove=remove, actor=actor)
    remove.delete()
    return keep


def _apply_heirs(actor, worker: Worker, rows: list[dict], *, replace: bool) -> None:
    existing = {h.pk: h for h in worker.heirs.all()}
    kept: set[int] = set()
    for row in rows:
        heir_id = row.pop("id", None)
        if heir_id is not None:
            heir = existing.get(heir_id)
            if heir is None:
                raise ApplicationError(_("Unknown heir %(id)s for this worker.") % {"id": heir_id})
            kept.add(heir_id)
            before = snapshot(heir, HEIR_AUDITED)
            for name, value in row.items():
                setattr(heir, name, value)
            after = snapshot(heir, HEIR_AUDITED)
            if before != after:
                heir.save()
                _audit_heir(actor, "worker.heir_update", worker, heir, before, after)
        else:
            heir = Heir.objects.create(worker=worker, **row)
            _audit_heir(actor, "worker.heir_add", worker, heir, None, snapshot(heir, HEIR_AUDITED))
    if replace:
        for heir_id, heir in existing.items():
            if heir_id not in kept:
                _audit_heir(
                    actor, "worker.heir_remove", worker, heir, snapshot(heir, HEIR_AUDITED), None
                )
                heir.delete()


def _audit_heir(actor, action, worker: Worker, heir: Heir, before, after) -> None:
    # Heir events are filed under their worker, so the worker's history shows them.
    record(
        actor=actor,
        action=action,
        obj=worker,
        object_repr=f"{worker.name} — {heir.name}",
        region_code=worker.village_id,
        before=before,
        after=after,
    )


@transaction.atomic
def occupations_seed(*, actor=None) -> int:
    """Create the program roles and registry jobs that are missing; never renames an edited one.

    Re-runnable (`lindung setup`): a program role that is a registry job gets the registry code
    and class once; registry jobs are created only when no entry holds their code yet.
    """
    from .occupations import ROLE_IS_REGISTRY_JOB, SEED, registry_jobs, registry_slug

    jobs = {job.code: job for job in registry_jobs()}
    created = 0
    for order, (code, name_id, name_en, group, informal) in enumerate(SEED):
        _, was_created = Occupation.objects.get_or_create(
            code=code,
            defaults={
                "name_id": name_id,
                "name_en": name_en,
                "group": group,
                "is_informal": informal,
                "sort_order": (order + 1) * 10,
            },
        )
        created += was_created
    for role, registry_code in ROLE_IS_REGISTRY_JOB.items():
        Occupation.objects.filter(code=role, registry_code__isnull=True).exclude(
            pk__in=Occupation.objects.filter(registry_code=registry_code).values("pk")
        ).update(registry_code=registry_code, work_class=jobs[registry_code].work_class)
    held = set(
        Occupation.objects.filter(registry_code__isnull=False).values_list(
            "registry_code", flat=True
        )
    )
    missing = [job for job in jobs.values() if job.code not in held]
    Occupation.objects.bulk_create(
        [
            Occupation(
                code=registry_slug(job.code),
                # As printed on e-KTP and KK, so operators recognise their own word.
                name_id=job.name,
                name_en=job.name_en,
                group=OccupationGroup.REGISTRY,
                registry_code=job.code,
                work_class=job.work_class,
                is_informal=job.work_class == WorkClass.INFORMAL,
                sort_order=1000 + job.code,
            )
            for job in missing
        ],
        ignore_conflicts=True,
    )
    created += len(missing)
    if created:
        record(
            actor=actor,
            action="occupation.seed",
            object_type="registry.occupation",
            object_repr="occupations",
            row_count=created,
        )
    return created
