"""Intake: stage an uploaded list, then commit it to the registry in one transaction.

Staging reads and validates the whole file (polars), stores every row with its outcome, and
matches NIKs against the registry with one set-based statement. Committing re-does that match
inside the commit transaction (another upload may have landed meanwhile), then inserts new
workers and updates changed ones with `INSERT … SELECT` / `UPDATE … FROM` over the staged rows:
all accepted rows or none, whatever happens to the process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lindung.accounts.roles import Action
from lindung.accounts.scoping import region_q, require
from lindung.accounts.system import person_or_none
from lindung.audit.services import record
from lindung.common.bulk import is_postgres
from lindung.common.errors import ApplicationError
from lindung.duplicates.services import nik_conflicts_from_upload
from lindung.regions.models import HistoricalCode, Level, Region, canonical
from lindung.registry import selectors as registry_selectors

from . import changes, leases
from .matching import classify
from .models import RowStatus, StagedRow, Upload, UploadStatus
from .reader import FileRefused, read_stored, read_table
from .staging import staged_frame, write_staged
from .validate import Lookups, validate

# A fixed advisory-lock key: commits are short set-based statements, so running them one at a
# time costs little and rules out two uploads inserting the same NIK at once.
_COMMIT_LOCK = 0x4C494E44  # "LIND"

log = logging.getLogger(__name__)


def _lang() -> str:
    return get_language() or "id"


def occupation_keys() -> dict[str, int]:
    """Every way a spreadsheet may name an occupation (the registry's one matcher)."""
    return registry_selectors.occupation_keys()


def build_lookups(user, village: Region, reference_date: dt.date | None = None) -> Lookups:
    codes = Region.objects.filter(level__lt=Level.VILLAGE).values_list("code", flat=True)
    current = set(codes)
    historical = set(HistoricalCode.objects.values_list("old_code", flat=True))
    known = current | historical
    villages = set(
        Region.objects.filter(region_q(user, "code"), level=Level.VILLAGE, is_active=True)
        .filter(code__startswith=village.code[:4])
        .values_list("code", flat=True)
    )
    return Lookups(
        province_codes={c for c in known if len(c) == 2},
        regency_codes={c for c in known if len(c) == 4},
        district_codes={c for c in known if len(c) == 6},
        village_codes_in_scope=villages,
        occupations=occupation_keys(),
        occupation_suggestions=registry_selectors.occupation_suggestions,
        not_working_occupations=registry_selectors.not_working_occupation_ids(),
        default_village=village.code,
        reference_date=reference_date or timezone.localdate(),
    )


def _store(data: bytes, upload: Upload) -> str:
    folder = Path(settings.UPLOAD_DIR) / str(upload.pk)
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in upload.filename)[-120:]
    path = folder / (safe or "upload")
    path.write_bytes(data)
    return str(path)


def upload_stage(
    *,
    actor,
    data: bytes,
    filename: str,
    village_code: str,
    program_code: str = "",
    reference_date: dt.date | None = None,
    on_step=None,
) -> Upload:
    """Receive, read, validate and stage a file in one go (the CLI, the API, small web files).

    A refused file is recorded with its reason and raises `ApplicationError`; the registry is
    never touched here.
    """
    upload = upload_receive(
        actor=actor,
        data=data,
        filename=filename,
        village_code=village_code,
        program_code=program_code,
    )
    return upload_check(actor=actor, upload=upload, reference_date=reference_date, on_step=on_step)


def upload_receive(
    *, actor, data: bytes, filename: str, village_code: str, program_code: str = ""
) -> Upload:
    """Keep the file and create the upload (status "received"); checking comes next."""
    village = Region.objects.filter(code=canonical(village_code), level=Level.VILLAGE).first()
    if village is None:
        raise ApplicationError(
            _("Village code %(code)s is not a village in the Kemendagri list.")
            % {"code": village_code},
            code="village_unknown",
        )
    require(actor, Action.CREATE, village.code)
    upload = Upload.objects.create(
        village=village,
        program_code=program_code,
        uploaded_by=person_or_none(actor),
        filename=Path(filename).name[:255] or "upload",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    upload.stored_path = _store(data, upload)
    upload.save(update_fields=["stored_path"])
    return upload


def _step(upload: Upload, step: str, on_step) -> None:
    """Progress for the page (polled) and the command line (a progress bar)."""
    Upload.objects.filter(pk=upload.pk).update(progress=step)
    if on_step:
        on_step(step)


def upload_check(*, actor, upload: Upload, reference_date=None, on_step=None) -> Upload:
    """Read and check a received upload and stage its rows (under the upload's lease, so that a
    process dying here leaves an upload the page shows as stalled, not one checked forever)."""
    require(actor, Action.CREATE, upload.village_id)
    with leases.held(upload, "check"):
        return _check(actor, upload, reference_date, on_step)


def _check(actor, upload: Upload, reference_date, on_step) -> Upload:
    _step(upload, "reading", on_step)
    _fault_point("intake.check.reading")
    try:
        table = _read_guarded(upload)
    except FileRefused as refused:
        upload.status, upload.message, upload.progress = UploadStatus.REJECTED, refused.message, ""
        upload.save(update_fields=["status", "message", "progress"])
        record(
            actor=actor,
            action="intake.refuse",
            obj=upload,
            region_code=upload.village_id,
            after={"code": refused.code, "file": upload.filename},
        )
        raise ApplicationError(refused.message, code=refused.code) from refused
    _check_and_stage(actor, upload, table, reference_date, on_step)
    return upload


def _read_guarded(upload: Upload):
    """The stored file through the guarded reader. Anything the reader did not foresee is a
    refusal of the file too: the upload must never be left "reading" with a server error."""
    try:
        return read_table(read_stored(upload.stored_path), upload.filename)
    except FileRefused:
        raise
    except Exception as exc:
        log.exception("reader failed on upload %s", upload.pk)
        raise FileRefused(
            _("The file cannot be read (%(error)s). Save it again from Excel as .xlsx or CSV.")
            % {"error": type(exc).__name__},
            "unreadable",
        ) from exc


def upload_fail(*, upload: Upload, message: str) -> None:
    """Record that checking or saving stopped with an unexpected error (background work)."""
    Upload.objects.filter(pk=upload.pk).exclude(status=UploadStatus.COMMITTED).update(
        status=UploadStatus.FAILED, message=message[:2000], progress=""
    )


def _check_and_stage(actor, upload: Upload, table, reference_date=None, on_step=None) -> None:
    lang = _lang()
    _step(upload, "checking", on_step)
    result = validate(table.frame, build_lookups(actor, upload.village, reference_date), lang=lang)
    _step(upload, "matching", on_step)
    checked_at = timezone.now()  # before the match: a later change to a worker is noticed
    rows, refused = classify(result.rows, lang=lang)
    errors = pl.concat([result.errors, refused]).sort("row_number")
    frame = staged_frame(str(_db_id(upload)), rows, errors)
    counts = {**counts_of(frame), "conflicts": int(rows["identity_conflict"].sum())}
    _step(upload, "staging", on_step)
    with transaction.atomic():
        StagedRow.objects.filter(upload=upload).delete()
        write_staged(frame)
        nik_conflicts_from_upload(
            actor=actor, upload=upload, rows=rows.filter(pl.col("identity_conflict"))
        )
        upload.header_map = table.header_map
        upload.status = UploadStatus.STAGED
        upload.counts = counts
        upload.message = ""
        upload.progress = ""
        upload.checked_at = checked_at
        upload.save()
        record(
            actor=actor,
            action="intake.stage",
            obj=upload,
            region_code=upload.village_id,
            after={"file": upload.filename, **counts},
            row_count=counts["rows"],
        )


def counts_of(frame: pl.DataFrame) -> dict[str, int]:
    by = dict(frame.group_by("status").len().iter_rows())
    return {
        "rows": frame.height,
        "accepted": by.get(RowStatus.NEW, 0),
        "updated": by.get(RowStatus.UPDATE, 0),
        "unchanged": by.get(RowStatus.UNCHANGED, 0),
        "duplicates": by.get(RowStatus.DUPLICATE, 0),
        "rejected": by.get(RowStatus.REJECTED, 0),
    }


def upload_recheck(*, actor, upload: Upload) -> Upload:
    """The user's "check again": refused while live work on the upload is still running (a
    stalled one may be checked again: its worker is gone)."""
    require(actor, Action.CREATE, upload.village_id)
    upload.refresh_from_db()
    if leases.is_busy(upload):
        raise ApplicationError(
            _("This upload is being checked or saved right now. Wait until it is done."),
            code="busy",
        )
    return upload_restage(actor=actor, upload=upload)


def upload_restage(*, actor, upload: Upload) -> Upload:
    """Check a staged or failed upload again from its stored file (the registry may have
    changed since, or the staged rows were lost in a database crash)."""
    require(actor, Action.CREATE, upload.village_id)
    if upload.status == UploadStatus.COMMITTED:
        raise ApplicationError(_("This upload is already saved."), code="committed")
    if upload.status == UploadStatus.CANCELLED:
        raise ApplicationError(
            _("This upload was cancelled. Upload the file again."), code="cancelled"
        )
    return upload_check(actor=actor, upload=upload)


def _fault_point(name: str) -> None:
    """Crash here when LINDUNG_FAULT names this point: lets a test kill a real import process
    in the middle of its commit (the process dies as with SIGKILL: no cleanup, no rollback
    call; the database must undo the open transaction by itself)."""
    import os

    if os.environ.get("LINDUNG_FAULT") == name:
        os._exit(137)


def _db_id(upload: Upload):
    """The upload's key as the database stores it (SQLite keeps UUIDs as 32 hex characters)."""
    return Upload._meta.pk.get_db_prep_value(upload.pk, connection)


def _db_time(value: dt.datetime):
    """A datetime as the database stores it, for raw SQL (SQLite compares them as text)."""
    return connection.ops.adapt_datetimefield_value(value)


class _RegistryMoved(Exception):
    pass


def upload_commit(*, actor, upload: Upload) -> Upload:
    """Apply every accepted row of a staged upload in one transaction.

    When the registry changed for these NIKs since the check, nothing is applied: the upload is
    checked again and the operator reviews the new result before saving.
    """
    try:
        return _commit(actor, upload)
    except (_RegistryMoved, IntegrityError):
        # IntegrityError: a NIK checked as new was registered meanwhile (unique index).
        upload_restage(actor=actor, upload=upload)
        raise ApplicationError(
            _(
                "Some of these people were registered or changed by someone else since the "
                "check. The file was checked again: review the result and save again."
            ),
            code="registry_changed",
        ) from None


def _commit(actor, upload: Upload) -> Upload:
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        require(actor, Action.CREATE, upload.village_id)
        if upload.status == UploadStatus.COMMITTED:
            return upload
        if is_expired(upload):
            upload.status = UploadStatus.EXPIRED  # refused below; uploads_expire drops its rows
        if upload.status != UploadStatus.STAGED:
            raise ApplicationError(
                _("This upload cannot be committed: %(status)s.")
                % {"status": upload.get_status_display()},
                code="not_staged",
            )
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_COMMIT_LOCK])
        staged = StagedRow.objects.filter(upload=upload).count()
        if staged != upload.counts.get("rows"):
            # Staged rows went missing (e.g. a database crash emptied the unlogged staging
            # table): never report success on a partial set. The stored file can be re-checked.
            upload.status, upload.message = (
                UploadStatus.FAILED,
                _("The checked rows of this upload were lost; check the file again before saving."),
            )
            upload.save(update_fields=["status", "message"])
            return upload
        now = timezone.now()
        person = person_or_none(actor)
        who = {
            "upload_key": _db_id(upload),
            "actor_id": getattr(person, "pk", None),
            "actor_username": person.get_username() if person else "",
            "filename": upload.filename,
            "now": _db_time(now),
        }
        # A worker changed after the check is not written (the counts below then undo all).
        checked = _db_time(upload.checked_at or now)
        uid = who["upload_key"]
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO registry_worker (nik, kk_number, name, birth_place, birth_date, sex,
                       address, village_id, phone, occupation_id, monthly_income, created_at,
                       updated_at, created_by_id, source_upload_id, source_row)
                   SELECT nik, kk_number, name, birth_place, birth_date, sex, address,
                       village_code, phone, occupation_id, monthly_income, %s, %s, %s,
                       upload_id, row_number
                   FROM intake_stagedrow WHERE upload_id = %s AND status = 'new'
                   ORDER BY nik""",
                [who["now"], who["now"], who["actor_id"], uid],
            )
            inserted = cursor.rowcount
            # Per-person before/after, read from the registry before it changes.
            changes.record_updates(**who, checked=checked)
            # Never name, birth date or sex: an import does not rewrite who a person is.
            cursor.execute(
                f"""UPDATE registry_worker SET
                       kk_number = COALESCE(NULLIF(s.kk_number, ''), registry_worker.kk_number),
                       birth_place = COALESCE(NULLIF(s.birth_place, ''),
                                              registry_worker.birth_place),
                       address = COALESCE(NULLIF(s.address, ''), registry_worker.address),
                       phone = COALESCE(NULLIF(s.phone, ''), registry_worker.phone),
                       occupation_id = s.occupation_id,
                       monthly_income = COALESCE(s.monthly_income, registry_worker.monthly_income),
                       updated_at = %s
                   FROM intake_stagedrow s
                   WHERE s.upload_id = %s AND s.status = 'update'
                     AND registry_worker.id = s.worker_id
                     AND {changes.still_as_checked("registry_worker")}""",
                [who["now"], uid, checked],
            )
            updated = cursor.rowcount
            _fault_point("intake.commit.after_write")
            if inserted != upload.counts["accepted"] or updated != upload.counts["updated"]:
                # Someone registered, removed or changed some of these people since the check:
                # undo everything and let the operator look at the fresh result.
                raise _RegistryMoved
            # Provenance of new workers: the staged row with their NIK (NIKs are unique).
            cursor.execute(
                """UPDATE intake_stagedrow SET worker_id = (
                       SELECT w.id FROM registry_worker w WHERE w.nik = intake_stagedrow.nik)
                   WHERE upload_id = %s AND status = 'new' AND heir_name <> ''""",
                [uid],
            )
            # New people carry their source (upload, row) on their own row: no event each.
            changes.record_heirs(**who)
            cursor.execute(
                f"""INSERT INTO registry_heir
                       (worker_id, name, nik, relationship, birth_date, phone)
                   SELECT s.worker_id, s.heir_name, s.heir_nik, s.heir_relationship, NULL, ''
                   FROM intake_stagedrow s WHERE {changes.NEW_HEIRS}""",
                [uid],
            )
            heirs = cursor.rowcount
        upload.status = UploadStatus.COMMITTED
        upload.committed_at = now
        upload.progress = ""
        upload.counts = {**upload.counts, "inserted": inserted, "changed": updated}
        upload.save(update_fields=["status", "committed_at", "counts", "progress"])
        record(
            actor=actor,
            action="intake.commit",
            obj=upload,
            region_code=upload.village_id,
            after={
                "file": upload.filename,
                "inserted": inserted,
                "updated": updated,
                "heirs": heirs,
            },
            row_count=inserted + updated,
        )
    return upload


def _drop_staged(upload: Upload, status: str) -> int:
    """End an unsaved upload: its staged rows go (they were never applied), the upload row and
    its stored file stay as history, so the operator can still download what they sent."""
    removed, _by_model = StagedRow.objects.filter(upload=upload).delete()
    upload.status, upload.progress = status, ""
    upload.save(update_fields=["status", "progress"])
    return removed


@transaction.atomic
def upload_cancel(*, actor, upload: Upload) -> Upload:
    """The operator cancels a checked upload instead of saving it. A saved upload cannot be
    cancelled (its people are in the registry: they are corrected there), nor one being
    checked or saved right now."""
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    require(actor, Action.CREATE, upload.village_id)
    if upload.status == UploadStatus.COMMITTED:
        raise ApplicationError(
            _(
                "This upload is already saved to the registry, so it cannot be cancelled. "
                "Correct or mark the people in the registry instead."
            ),
            code="committed",
            status=409,
        )
    if upload.status in (UploadStatus.CANCELLED, UploadStatus.EXPIRED):
        return upload
    if leases.is_busy(upload):
        raise ApplicationError(
            _("This upload is being checked or saved right now. Wait until it is done."),
            code="busy",
            status=409,
        )
    before = upload.status
    rows = _drop_staged(upload, UploadStatus.CANCELLED)
    record(
        actor=actor,
        action="upload.cancel",
        obj=upload,
        region_code=upload.village_id,
        before={"status": before},
        after={"status": UploadStatus.CANCELLED, "staged_rows_removed": rows},
        row_count=rows,
    )
    return upload


def staged_deadline() -> dt.datetime:
    """Uploads checked before this moment and still unsaved have expired."""
    return timezone.now() - dt.timedelta(hours=settings.LINDUNG_UPLOAD_STAGED_HOURS)


def is_expired(upload: Upload) -> bool:
    staged_at = upload.checked_at or upload.created_at
    return upload.status == UploadStatus.STAGED and staged_at < staged_deadline()


def uploads_expire(region_prefix: str = "") -> int:
    """Expire every upload left staged longer than LINDUNG_UPLOAD_STAGED_HOURS: applied lazily
    when uploads are listed or opened (and by `lindung setup`), so no scheduler is needed.
    Few uploads expire at a time, so one short transaction each keeps locks brief."""
    deadline = staged_deadline()
    stale = Upload.objects.filter(status=UploadStatus.STAGED, checked_at__lt=deadline)
    if region_prefix:
        stale = stale.filter(village_id__startswith=region_prefix)
    expired = 0
    for pk in list(stale.values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            upload = Upload.objects.select_for_update().get(pk=pk)
            if not is_expired(upload) or leases.is_busy(upload):
                continue
            rows = _drop_staged(upload, UploadStatus.EXPIRED)
            record(
                actor=None,
                action="upload.expire",
                obj=upload,
                region_code=upload.village_id,
                before={"status": UploadStatus.STAGED},
                after={"status": UploadStatus.EXPIRED, "staged_rows_removed": rows},
                reason=f"LINDUNG_UPLOAD_STAGED_HOURS={settings.LINDUNG_UPLOAD_STAGED_HOURS}",
                row_count=rows,
            )
            expired += 1
    return expired


def uploads_sweep(*, max_rounds: int = 50) -> int:
    """Expire every due upload, not only the first 200: what the background worker runs on a
    timer, so staged rows do not wait for someone to open the uploads page. Bounded, because
    an upload a task still holds is skipped and would otherwise be met again forever."""
    total = 0
    for _round in range(max_rounds):
        expired = uploads_expire()
        total += expired
        if expired == 0:
            break
    return total


def uploads_sweep_every(seconds: float, *, stop=None):
    """Run `uploads_sweep` every `seconds` in a daemon thread of the calling process (the
    background worker): returns the thread; set `stop` (a threading.Event) to end it.

    A failed sweep is logged and retried next time: expiry must never take the worker down."""
    import logging
    import threading

    from django.db import close_old_connections, connection

    stop = stop or threading.Event()
    log = logging.getLogger("lindung.intake")

    def loop() -> None:
        while not stop.wait(seconds):
            try:
                close_old_connections()
                swept = uploads_sweep()
                if swept:
                    log.info("expired %d staged uploads", swept)
            except Exception:  # logged; the next round tries again
                log.exception("sweeping expired uploads failed")
            finally:
                connection.close()  # this thread's own connection

    thread = threading.Thread(target=loop, name="uploads-sweep", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
