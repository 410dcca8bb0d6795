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
import json
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lindung.accounts.roles import Action
from lindung.accounts.scoping import region_q, require
from lindung.audit.services import record
from lindung.common.bulk import copy_rows, is_postgres
from lindung.common.errors import ApplicationError
from lindung.regions.models import HistoricalCode, Level, Region, canonical
from lindung.registry.models import Occupation

from .messages import text
from .models import RowStatus, StagedRow, Upload, UploadStatus
from .reader import FileRefused, read_table
from .validate import Lookups, validate

# A fixed advisory-lock key: commits are short set-based statements, so running them one at a
# time costs little and rules out two uploads inserting the same NIK at once.
_COMMIT_LOCK = 0x4C494E44  # "LIND"

_STAGED_FIELDS = (
    "upload",
    "row_number",
    "status",
    "errors",
    "nik",
    "kk_number",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "village_code",
    "phone",
    "occupation_id",
    "monthly_income",
    "heir_name",
    "heir_relationship",
    "heir_nik",
)


def _lang() -> str:
    return get_language() or "id"


def occupation_keys() -> dict[str, int]:
    """Every way a spreadsheet may name an occupation: code, Indonesian or English name."""
    keys: dict[str, int] = {}
    for occ in Occupation.objects.filter(is_active=True):
        for label in (occ.code, occ.name_id, occ.name_en):
            keys["".join(ch for ch in label.lower() if ch.isalnum())] = occ.pk
    return keys


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
) -> Upload:
    """Read, validate and stage a file. A refused file is recorded with its reason and raises
    `ApplicationError`; the registry is never touched here."""
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
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        filename=Path(filename).name[:255] or "upload",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    upload.stored_path = _store(data, upload)
    try:
        table = read_table(data, filename)
    except FileRefused as refused:
        upload.status, upload.message = UploadStatus.REJECTED, refused.message
        upload.save(update_fields=["stored_path", "status", "message"])
        record(
            actor=actor,
            action="intake.refuse",
            obj=upload,
            region_code=village.code,
            after={"code": refused.code, "file": upload.filename},
        )
        raise ApplicationError(refused.message, code=refused.code) from refused
    result = validate(table.frame, build_lookups(actor, village, reference_date), lang=_lang())
    with transaction.atomic():
        copy_rows(StagedRow, _STAGED_FIELDS, _staged_values(upload, result))
        _match_registry(upload)
        upload.header_map = table.header_map
        upload.status = UploadStatus.STAGED
        upload.counts = count_rows(upload)
        upload.save()
        record(
            actor=actor,
            action="intake.stage",
            obj=upload,
            region_code=village.code,
            after={"file": upload.filename, **upload.counts},
            row_count=upload.counts["rows"],
        )
    return upload


def _staged_values(upload: Upload, result):
    errors_by_row = {
        row: group.select("column", "code", "message").to_dicts()
        for (row,), group in result.errors.group_by("row_number")
    }
    columns = result.rows.select(
        "row_number",
        "status",
        "nik",
        "kk_number",
        "name",
        "birth_place",
        "birth_date",
        "sex",
        "address",
        "village_code",
        pl.col("phone").fill_null(""),
        "occupation_id",
        "monthly_income",
        "heir_name",
        pl.col("heir_relationship").fill_null(""),
        "heir_nik",
    )
    for row in columns.iter_rows():
        (number, status, nik, kk, name, place, born, sex, address, village, phone, occupation,
         income, heir, relationship, heir_nik) = row  # fmt: skip
        state = {"ok": RowStatus.NEW, "duplicate": RowStatus.DUPLICATE}.get(
            status, RowStatus.REJECTED
        )
        clean = state == RowStatus.NEW
        yield (
            upload.pk,
            number,
            state,
            errors_by_row.get(number, []),
            (nik or "")[:16],
            (kk or "")[:16] if clean else "",
            (name or "")[:150],
            (place or "")[:80],
            born if clean else None,
            sex if clean else "",
            (address or "")[:255],
            (village or "")[:10],
            phone if clean else "",
            occupation,
            income if clean else None,
            (heir or "")[:150],
            relationship if clean else "",
            (heir_nik or "")[:16] if clean else "",
        )


def _match_registry(upload: Upload) -> None:
    """Set-based: which clean rows are already registered, and are they new, changed or equal.

    A NIK registered in another village is refused (moving a person is the regency admin's
    decision, not a side effect of an upload); empty cells never erase stored values.
    """
    params = [_db_id(upload)]
    uid = "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE intake_stagedrow SET worker_id = w.id
                FROM registry_worker w
                WHERE intake_stagedrow.upload_id = {uid} AND intake_stagedrow.status IN
                      ('new', 'update', 'unchanged') AND w.nik = intake_stagedrow.nik""",
            params,
        )
        cursor.execute(
            f"""UPDATE intake_stagedrow SET status = 'rejected', errors = %s
                FROM registry_worker w
                WHERE intake_stagedrow.upload_id = {uid} AND intake_stagedrow.worker_id = w.id
                  AND intake_stagedrow.status IN ('new', 'update', 'unchanged')
                  AND w.village_id <> intake_stagedrow.village_code""",
            [
                json.dumps(
                    [
                        {
                            "column": "nik",
                            "code": "registered_elsewhere",
                            "message": text("registered_elsewhere", _lang()),
                        }
                    ]
                ),
                *params,
            ],
        )
        same = " AND ".join(
            f"COALESCE(NULLIF(intake_stagedrow.{col}, ''), w.{col}) = w.{col}"
            for col in ("kk_number", "name", "birth_place", "address", "phone")
        )
        cursor.execute(
            f"""UPDATE intake_stagedrow SET status = CASE WHEN EXISTS (
                    SELECT 1 FROM registry_worker w
                    WHERE w.id = intake_stagedrow.worker_id
                      AND {same}
                      AND w.occupation_id = intake_stagedrow.occupation_id
                      AND (intake_stagedrow.monthly_income IS NULL
                           OR w.monthly_income = intake_stagedrow.monthly_income)
                      AND (intake_stagedrow.heir_name = '' OR EXISTS (
                           SELECT 1 FROM registry_heir h WHERE h.worker_id = w.id
                             AND LOWER(h.name) = LOWER(intake_stagedrow.heir_name)))
                ) THEN 'unchanged' ELSE 'update' END
                WHERE upload_id = {uid} AND worker_id IS NOT NULL
                  AND status IN ('new', 'update', 'unchanged')""",
            params,
        )
        cursor.execute(
            f"""UPDATE intake_stagedrow SET status = 'new'
                WHERE upload_id = {uid} AND worker_id IS NULL
                  AND status IN ('update', 'unchanged')""",
            params,
        )


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


def count_rows(upload: Upload) -> dict[str, int]:
    from django.db.models import Count

    by = dict(StagedRow.objects.filter(upload=upload).values_list("status").annotate(n=Count("id")))
    return {
        "rows": sum(by.values()),
        "accepted": by.get(RowStatus.NEW, 0),
        "updated": by.get(RowStatus.UPDATE, 0),
        "unchanged": by.get(RowStatus.UNCHANGED, 0),
        "duplicates": by.get(RowStatus.DUPLICATE, 0),
        "rejected": by.get(RowStatus.REJECTED, 0),
    }


def upload_commit(*, actor, upload: Upload) -> Upload:
    """Apply every accepted row of a staged upload in one transaction."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        require(actor, Action.CREATE, upload.village_id)
        if upload.status == UploadStatus.COMMITTED:
            return upload
        if upload.status != UploadStatus.STAGED:
            raise ApplicationError(
                _("This upload cannot be committed: %(status)s.")
                % {"status": upload.get_status_display()},
                code="not_staged",
            )
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_COMMIT_LOCK])
        _match_registry(upload)
        now = timezone.now()
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        uid = _db_id(upload)
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO registry_worker (nik, kk_number, name, birth_place, birth_date, sex,
                       address, village_id, phone, occupation_id, monthly_income, created_at,
                       updated_at, created_by_id)
                   SELECT nik, kk_number, name, birth_place, birth_date, sex, address,
                       village_code, phone, occupation_id, monthly_income, %s, %s, %s
                   FROM intake_stagedrow WHERE upload_id = %s AND status = 'new'""",
                [now, now, actor_id, uid],
            )
            inserted = cursor.rowcount
            cursor.execute(
                """UPDATE registry_worker SET
                       kk_number = COALESCE(NULLIF(s.kk_number, ''), registry_worker.kk_number),
                       name = s.name,
                       birth_place = COALESCE(NULLIF(s.birth_place, ''),
                                              registry_worker.birth_place),
                       address = COALESCE(NULLIF(s.address, ''), registry_worker.address),
                       phone = COALESCE(NULLIF(s.phone, ''), registry_worker.phone),
                       occupation_id = s.occupation_id,
                       monthly_income = COALESCE(s.monthly_income, registry_worker.monthly_income),
                       updated_at = %s
                   FROM intake_stagedrow s
                   WHERE s.upload_id = %s AND s.status = 'update'
                     AND registry_worker.id = s.worker_id""",
                [now, uid],
            )
            updated = cursor.rowcount
            _fault_point("intake.commit.after_write")
            # Provenance: every staged row points at the worker it created or changed.
            cursor.execute(
                """UPDATE intake_stagedrow SET worker_id = w.id FROM registry_worker w
                   WHERE intake_stagedrow.upload_id = %s AND intake_stagedrow.status = 'new'
                     AND w.nik = intake_stagedrow.nik""",
                [uid],
            )
            cursor.execute(
                """INSERT INTO registry_heir (worker_id, name, nik, relationship, birth_date, phone)
                   SELECT s.worker_id, s.heir_name, s.heir_nik, s.heir_relationship, NULL, ''
                   FROM intake_stagedrow s
                   WHERE s.upload_id = %s AND s.status IN ('new', 'update') AND s.heir_name <> ''
                     AND s.heir_relationship <> ''
                     AND NOT EXISTS (SELECT 1 FROM registry_heir h WHERE h.worker_id = s.worker_id
                                     AND LOWER(h.name) = LOWER(s.heir_name))""",
                [uid],
            )
            heirs = cursor.rowcount
        upload.status = UploadStatus.COMMITTED
        upload.committed_at = now
        upload.counts = {**count_rows(upload), "inserted": inserted, "changed": updated}
        upload.save(update_fields=["status", "committed_at", "counts"])
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
