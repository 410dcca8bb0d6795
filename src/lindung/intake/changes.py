"""The per-person audit rows of an import commit, written set-based.

Each registered person an import changes or gives an heir gets their own audit event (filed
under the worker, so the worker's history page shows it) with per-field before/after values, next
to the one batch `intake.commit` event. People an import registers get no event each: their row
says where they came from (`Worker.source_upload_id`, `source_row`, set by the commit's INSERT)
and their history page starts with it; the batch event names the file, who and when. The events
are written with one `INSERT … SELECT` per kind over the staged rows joined to the registry, in
the commit's transaction, before the registry rows change (the "before" values are read from
them): no Python loop over a million people.

The `changes` JSON is built by the database. PostgreSQL: `jsonb_build_object` with NULL for an
unchanged field, then `jsonb_strip_nulls`. SQLite: `json_object` likewise, then
`json_patch('{}', …)`, which drops members whose value is null (RFC 7396 merge-patch), the same
result. The audit table's triggers refuse only UPDATE and DELETE, so these INSERTs are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from lindung.audit import context
from lindung.common.bulk import is_postgres


@dataclass(frozen=True)
class Field:
    key: str  # as the audit trail names it (same keys as registry.services.WORKER_AUDITED)
    column: str
    after: str  # SQL for the value the commit writes, over staged row `s` and worker `w`


# What an import may change of a registered person, and how the commit computes the new value
# (an empty cell never erases). Name, birth date and sex are not here: an import never writes
# them (see matching.identity_differs).
UPDATABLE = (
    Field("kk_number", "kk_number", "COALESCE(NULLIF(s.kk_number, ''), w.kk_number)"),
    Field("birth_place", "birth_place", "COALESCE(NULLIF(s.birth_place, ''), w.birth_place)"),
    Field("address", "address", "COALESCE(NULLIF(s.address, ''), w.address)"),
    Field("phone", "phone", "COALESCE(NULLIF(s.phone, ''), w.phone)"),
    Field("occupation", "occupation_id", "s.occupation_id"),
    Field("monthly_income", "monthly_income", "COALESCE(s.monthly_income, w.monthly_income)"),
)


# The registered person must still be the one the check saw: same birth date and sex, and not
# changed since the check (a reviewer may have corrected their name meanwhile). A row failing
# this is not written, and the commit's count check then undoes the whole commit.
def still_as_checked(worker: str = "w") -> str:
    """SQL over staged row `s` and `worker`; takes the check's time as its one parameter."""
    return (
        f"{worker}.birth_date = s.birth_date AND {worker}.sex = s.sex AND {worker}.updated_at <= %s"
    )


def _differs(a: str, b: str) -> str:
    return f"({a}) IS DISTINCT FROM ({b})" if is_postgres() else f"({a}) IS NOT ({b})"


def _object(pairs: list[tuple[str, str]]) -> str:
    """A JSON object of the non-NULL values among `pairs` (key, SQL expression)."""
    if is_postgres():
        members = ", ".join(f"'{key}', {expr}" for key, expr in pairs)
        return f"jsonb_strip_nulls(jsonb_build_object({members}))"
    members = ", ".join(f"'{key}', json({expr})" for key, expr in pairs)
    return f"json_patch('{{}}', json_object({members}))"


def _array(*exprs: str) -> str:
    function = "jsonb_build_array" if is_postgres() else "json_array"
    return f"{function}({', '.join(exprs)})"


def _insert_events(select_sql: str, params: list) -> int:
    """INSERT the audit rows a SELECT yields (columns in the order below); returns how many."""
    columns = (
        "occurred_at, actor_id, actor_username, action, channel, request_id, object_type, "
        "object_id, object_repr, region_code, changes, reason, row_count"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO audit_auditevent ({columns}) {select_sql}", params)
        return cursor.rowcount


def _common(actor_id, actor_username: str, action: str, now) -> tuple[str, list]:
    """The leading SELECT columns every event shares, and their parameters."""
    ctx = context.current()
    sql = (
        "%s, %s, %s, %s, %s, %s, 'registry.worker', CAST(w.id AS VARCHAR(64)), "
        "SUBSTR(w.name, 1, 200), w.village_id"
    )
    return sql, [now, actor_id, actor_username, action, ctx.channel, ctx.request_id]


def _source(filename: str) -> tuple[str, list]:
    """The audit reason: which file and row the change came from ("daftar.xlsx:12")."""
    return "%s || ':' || CAST(s.row_number AS VARCHAR(12))", [filename[:200]]


def record_updates(*, upload_key, actor_id, actor_username: str, filename: str, now, checked):
    """One `worker.update` event per registered person whose fields this import changes."""
    common, params = _common(actor_id, actor_username, "worker.update", now)
    reason, reason_params = _source(filename)
    changed = [
        (f.key, f"CASE WHEN {_differs(f.after, 'w.' + f.column)} "
         f"THEN {_array('w.' + f.column, f.after)} END")
        for f in UPDATABLE
    ]  # fmt: skip
    any_change = " OR ".join(_differs(f.after, "w." + f.column) for f in UPDATABLE)
    sql = f"""SELECT {common}, {_object(changed)}, {reason}, NULL
              FROM intake_stagedrow s JOIN registry_worker w ON w.id = s.worker_id
              WHERE s.upload_id = %s AND s.status = 'update' AND {still_as_checked()}
                AND ({any_change})"""
    return _insert_events(sql, [*params, *reason_params, upload_key, checked])


# Staged heirs the commit adds: a name and relationship, not yet among the worker's heirs.
NEW_HEIRS = """s.upload_id = %s AND s.status IN ('new', 'update') AND s.heir_name <> ''
    AND s.heir_relationship <> ''
    AND NOT EXISTS (SELECT 1 FROM registry_heir h WHERE h.worker_id = s.worker_id
                    AND LOWER(h.name) = LOWER(s.heir_name))"""


def record_heirs(*, upload_key, actor_id, actor_username: str, filename: str, now):
    """One `worker.heir_add` event per heir this import adds to a registered person (run before
    the heirs' INSERT). The heirs of people the import registers are part of their first state,
    which their source row accounts for."""
    common, params = _common(actor_id, actor_username, "worker.heir_add", now)
    reason, reason_params = _source(filename)
    after = _object(
        [
            ("name", _array("NULL", "s.heir_name")),
            ("relationship", _array("NULL", "s.heir_relationship")),
            ("nik", _array("NULL", "s.heir_nik")),
        ]
    )
    sql = f"""SELECT {common}, {after}, {reason}, NULL
              FROM intake_stagedrow s JOIN registry_worker w ON w.id = s.worker_id
              WHERE {NEW_HEIRS} AND s.status = 'update'"""
    return _insert_events(sql, [*params, *reason_params, upload_key])
