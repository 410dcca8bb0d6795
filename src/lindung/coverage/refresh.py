"""Keeping the coverage figures fresh: counting people into `CountedPerson` rows, villages into
`Cell`/`Total` rows, and rolling them up to districts, regencies, provinces and Indonesia.

How a change reaches a dashboard:
1. Any write to participants, invoice lines (a line becoming paid) or workers marks the people
   it touches in `DirtyWorker`, by database triggers in the same transaction (migration
   `0005_figures_dirty_worker_triggers`). Triggers rather than one line in each service:
   enrolment, KPJ import, renewal, payments and intake write set-based (COPY, `update()`), a
   trigger sees them all, including paths written later, and cannot be forgotten.
2. The background worker (`refresh_every`, started by `lindung worker`) calls `refresh_dirty`
   every `REFRESH_SECONDS`: it recounts those people for today, applies the difference between
   their new and old rows to their villages' cells (a batch costs what its people cost, not
   what their villages hold), and rebuilds the district, regency, province and Indonesia rows
   above the villages that changed, so a change shows within a minute. A new day counts
   everyone once (`refresh_all`): protection depends on the date (due dates pass, periods end).
   `mark_dirty` asks for whole villages to be recounted (`DirtyVillage`).
3. Snapshots: today's rows are replaced as the day moves on; month ends are kept for trends
   (their cells only: the people's rows are kept for the live day).

Which village a person counts in: the village of the participation that covers them on the
day (reports group by it, as invoices do), otherwise the village they are registered in.
Who is counted: every registered worker living in the village (`life_status` active) plus
anyone protected; statuses come from `billing.protection.protection_sql`, the one
"protected on D?" rule, one row per person (a person in two programs counts once).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from lindung.billing.protection import NOT_PROTECTED, PROTECTED, WITH_ARREARS, protection_sql
from lindung.registry.models import Worker

from .models import CountedPerson, DirtyVillage, DirtyWorker, Snapshot

log = logging.getLogger("lindung.coverage")

REFRESH_SECONDS = 30
# Village-official roles (registry occupation codes): the "village ecosystem" from the village
# head down to RT/RW heads and linmas. Guru ngaji and other community roles are not officials.
OFFICIAL_ROLES = (
    "kepala-desa",
    "perangkat-desa",
    "bpd",
    "aparatur-non-perangkat",
    "operator-desa",
    "ketua-rt-rw",
    "linmas",
)
# Age bands on the day (years completed): (code, lowest age, highest age).
AGE_BANDS = (
    ("u25", 0, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
    ("65+", 65, 200),
)
CODE_LENGTH = {0: 0, 1: 2, 2: 4, 3: 6, 4: 10}
DIMENSIONS = (
    "program_id",
    "funder_kind",
    "occupation_group",
    "official",
    "sex",
    "age_band",
)
_CHUNK = 2000  # villages per statement on SQLite (bound-parameter limits)


def is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def today() -> dt.date:
    return timezone.localdate()


def mark_dirty(villages) -> None:
    """Mark villages for recounting (the triggers do this for every data change; call it for
    anything else that changes a village's figures)."""
    codes = sorted({v for v in villages if v})
    if not codes:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO coverage_dirtyvillage (village, version) VALUES (%s, 1) "
            "ON CONFLICT (village) DO UPDATE SET version = coverage_dirtyvillage.version + 1",
            [[c] for c in codes],
        )


def _in(column: str, values: list) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _age_sql() -> str:
    if connection.vendor == "postgresql":
        return "date_part('year', age(%s::date, w.birth_date))::int"
    return (
        "(CAST(strftime('%%Y', %s) AS INTEGER) - CAST(strftime('%%Y', w.birth_date) AS INTEGER)"
        " - (strftime('%%m-%%d', %s) < strftime('%%m-%%d', w.birth_date)))"
    )


def _band_sql() -> str:
    whens = " ".join(f"WHEN age <= {hi} THEN '{code}'" for code, _lo, hi in AGE_BANDS)
    return f"CASE {whens} ELSE '{AGE_BANDS[-1][0]}' END"


def _people_sql(day: dt.date, ids: bool) -> tuple[str, list]:
    """A SELECT of every counted person on `day` (`ids`: only the workers in the temporary
    table `coverage_ids`): worker_id, region (the village they count in), program_id,
    funder_kind, occupation_group, official, sex, age_band, status. Counted: every registered
    worker living in a village plus anyone protected, one row per person."""
    only, wfilter = "", ""
    if ids:
        only = "AND p.worker_id IN (SELECT id FROM coverage_ids)"
        wfilter = "WHERE w.id IN (SELECT id FROM coverage_ids)"
    prot_sql, prot_params = protection_sql(day, only, [])
    age_params = [day] if connection.vendor == "postgresql" else [day, day]
    officials = ", ".join(f"'{c}'" for c in OFFICIAL_ROLES)
    sql = f"""
        WITH prot AS ({prot_sql}),
        people AS (
            SELECT w.id AS worker_id, COALESCE(prot.village_id, w.village_id) AS home, w.sex,
                   w.life_status, w.occupation_id, prot.program_id, prot.pid, prot.status,
                   {_age_sql()} AS age
            FROM registry_worker w
            LEFT JOIN prot ON prot.worker_id = w.id
            {wfilter}
        )
        SELECT people.worker_id, people.home AS region, people.program_id,
               COALESCE(f.kind, '') AS funder_kind, COALESCE(o."group", '') AS occupation_group,
               COALESCE(o.code IN ({officials}), false) AS official, people.sex,
               {_band_sql()} AS age_band, COALESCE(people.status, '{NOT_PROTECTED}') AS status
        FROM people
        LEFT JOIN enrolment_participant pp ON pp.id = people.pid
        LEFT JOIN programs_funder f ON f.id = pp.funder_id
        LEFT JOIN registry_occupation o ON o.id = people.occupation_id
        WHERE people.status IN ('{PROTECTED}', '{WITH_ARREARS}') OR people.life_status = 'active'
    """
    return sql, [*prot_params, *age_params]


_PERSON_COLUMNS = (
    "worker_id, region, program_id, funder_kind, occupation_group, official, sex, age_band, status"
)
_KEY = ("region", *DIMENSIONS)
# A person's status as the three counts of a cell.
_COUNTS = (
    f"CASE WHEN status = '{PROTECTED}' THEN 1 ELSE 0 END",
    f"CASE WHEN status = '{WITH_ARREARS}' THEN 1 ELSE 0 END",
    f"CASE WHEN status = '{NOT_PROTECTED}' THEN 1 ELSE 0 END",
)


def _cells_from_people(cursor, day: dt.date) -> None:
    """Insert every village cell (level 4) of `day` from the counted people of the day."""
    dims = ", ".join(DIMENSIONS)
    sums = ", ".join(f"SUM({c})" for c in _COUNTS)
    cursor.execute(
        f"""INSERT INTO coverage_cell (day, level, region, parent, {dims},
                                       protected, with_arrears, not_protected)
            SELECT day, 4, region, SUBSTR(region, 1, 6), {dims}, {sums}
            FROM coverage_countedperson WHERE day = %s
            GROUP BY day, region, {dims}""",
        [day],
    )


def _temp(cursor, name: str, select: str = "", params=(), columns: str = "") -> None:
    """(Re)create a temporary table: from a SELECT, or with `columns`. Dropped first, not ON
    COMMIT DROP: a refresh inside a caller's transaction (tests, a command) may run twice."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    if select:
        cursor.execute(f"CREATE TEMP TABLE {name} AS {select}", list(params))
    else:
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns})")
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {name}")  # temp tables have no statistics until asked


def _roll_up(cursor, day: dt.date, level: int, regions: list[str] | None) -> None:
    """Replace the cells and totals of `regions` at `level` (None: all) from the level below."""
    dims = ", ".join(DIMENSIONS)
    parent = f"SUBSTR(parent, 1, {CODE_LENGTH[level - 1]})" if level > 0 else "''"
    where, params = "", []
    if regions is not None:
        where, params = _in("parent", regions)
        where = "AND " + where
    cursor.execute(
        f"""INSERT INTO coverage_cell (day, level, region, parent, {dims},
                                       protected, with_arrears, not_protected)
            SELECT day, {level}, parent, {parent}, {dims},
                   SUM(protected), SUM(with_arrears), SUM(not_protected)
            FROM coverage_cell WHERE day = %s AND level = {level + 1} {where}
            GROUP BY day, parent, {dims}""",
        [day, *params],
    )


_TOTAL_COLUMNS = (
    "protected, with_arrears, not_protected, officials, officials_protected, "
    "villages_with_officials, villages_all_officials"
)


def _village_totals(cursor, day: dt.date, villages: list[str] | None) -> None:
    where, params = "", []
    if villages is not None:
        where, params = _in("region", villages)
        where = "AND " + where
    officials = "CASE WHEN official THEN {} ELSE 0 END"
    cursor.execute(
        f"""INSERT INTO coverage_total (day, level, region, parent, {_TOTAL_COLUMNS})
            SELECT day, 4, region, parent, p, a, n, o, op,
                   CASE WHEN o > 0 THEN 1 ELSE 0 END,
                   CASE WHEN o > 0 AND op = o THEN 1 ELSE 0 END
            FROM (SELECT day, region, MIN(parent) AS parent, SUM(protected) AS p,
                         SUM(with_arrears) AS a, SUM(not_protected) AS n,
                         SUM({officials.format("protected + with_arrears + not_protected")}) AS o,
                         SUM({officials.format("protected + with_arrears")}) AS op
                  FROM coverage_cell WHERE day = %s AND level = 4 {where}
                  GROUP BY day, region) v""",
        [day, *params],
    )


def _roll_up_totals(cursor, day: dt.date, level: int, regions: list[str] | None) -> None:
    where, params = "", []
    if regions is not None:
        where, params = _in("parent", regions)
        where = "AND " + where
    parent = f"SUBSTR(parent, 1, {CODE_LENGTH[level - 1]})" if level > 0 else "''"
    sums = ", ".join(f"SUM({c.strip()})" for c in _TOTAL_COLUMNS.split(","))
    cursor.execute(
        f"""INSERT INTO coverage_total (day, level, region, parent, {_TOTAL_COLUMNS})
            SELECT day, {level}, parent, {parent}, {sums}
            FROM coverage_total WHERE day = %s AND level = {level + 1} {where}
            GROUP BY day, parent""",
        [day, *params],
    )


def _delete(
    cursor,
    day: dt.date,
    level: int,
    regions: list[str] | None,
    tables=("coverage_cell", "coverage_total"),
) -> None:
    for table in tables:
        if regions is None:
            cursor.execute(f"DELETE FROM {table} WHERE day = %s AND level = %s", [day, level])
        else:
            where, params = _in("region", regions)
            cursor.execute(
                f"DELETE FROM {table} WHERE day = %s AND level = %s AND {where}",
                [day, level, *params],
            )


def _tune(cursor) -> None:
    """Settings for counting, and one refresh at a time: a refresh applies differences to the
    cells, so two at once (the worker and `lindung coverage refresh`) must not both apply the
    same one. The second waits for the first, then reads what it wrote and finds nothing left
    to apply. (SQLite: one writer at a time already.)"""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('lindung.coverage.refresh'))")
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL jit = off")


def _chunks(values: list) -> list[list]:
    if connection.vendor == "postgresql":
        return [values]
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def _fill_ids(cursor, day: dt.date, workers: list[int], villages: list[str]) -> None:
    """The temporary table `coverage_ids`: the workers given, plus everyone who lives, takes
    part or was counted in the villages given."""
    _temp(cursor, "coverage_ids", columns="id bigint PRIMARY KEY")
    if workers and connection.vendor == "postgresql":
        cursor.execute(
            "INSERT INTO coverage_ids SELECT DISTINCT unnest(%s::bigint[])", [sorted(set(workers))]
        )
    elif workers:
        cursor.executemany(
            "INSERT OR IGNORE INTO coverage_ids VALUES (%s)", [[w] for w in sorted(set(workers))]
        )
    for chunk in _chunks(sorted(set(villages))) if villages else []:
        w_in, w_par = _in("village_id", chunk)
        c_in, c_par = _in("region", chunk)
        cursor.execute(
            f"""INSERT INTO coverage_ids
                SELECT id FROM registry_worker WHERE {w_in}
                UNION SELECT worker_id FROM enrolment_participant WHERE {w_in}
                UNION SELECT worker_id FROM coverage_countedperson WHERE day = %s AND {c_in}
                EXCEPT SELECT id FROM coverage_ids""",
            [*w_par, *w_par, day, *c_par],
        )
    if connection.vendor == "postgresql":
        cursor.execute("ANALYZE coverage_ids")


def _apply_delta(cursor, day: dt.date) -> list[str]:
    """Recount the people in `coverage_ids` and apply the difference between their new rows
    and the rows counted before to the village cells (level 4); store their new rows. Returns
    the villages whose cells changed."""
    dims = ", ".join(DIMENSIONS)
    key = ", ".join(_KEY)
    people_sql, people_params = _people_sql(day, ids=True)
    _temp(cursor, "coverage_new", people_sql, people_params)
    sums = ", ".join(f"SUM(sign * {c}) AS d{i}" for i, c in enumerate(_COUNTS, 1))
    # Per cell: the people's new rows counted in, their old rows counted out; cells that do
    # not change are left out.
    _temp(
        cursor,
        "coverage_change",
        f"""SELECT {key}, d1 AS dp, d2 AS da, d3 AS dn FROM (
                SELECT {key}, {sums}
                FROM (SELECT 1 AS sign, {key}, status FROM coverage_new
                      UNION ALL
                      SELECT -1 AS sign, {key}, status FROM coverage_countedperson
                      WHERE day = %s AND worker_id IN (SELECT id FROM coverage_ids)) x
                GROUP BY {key}) s
            WHERE d1 <> 0 OR d2 <> 0 OR d3 <> 0""",
        [day],
    )

    def same(cell: str) -> str:  # `cell` is the changed cell d (its program may be NULL)
        return " AND ".join(
            f"COALESCE({cell}.program_id, 0) = COALESCE(d.program_id, 0)"
            if col == "program_id"
            else f"{cell}.{col} = d.{col}"
            for col in _KEY
        )

    cursor.execute(
        f"""UPDATE coverage_cell SET protected = coverage_cell.protected + d.dp,
                   with_arrears = coverage_cell.with_arrears + d.da,
                   not_protected = coverage_cell.not_protected + d.dn
            FROM coverage_change d
            WHERE coverage_cell.day = %s AND coverage_cell.level = 4
              AND {same("coverage_cell")}""",
        [day],
    )
    d_dims = ", ".join(f"d.{c}" for c in DIMENSIONS)
    cursor.execute(
        f"""INSERT INTO coverage_cell (day, level, region, parent, {dims},
                                       protected, with_arrears, not_protected)
            SELECT %s, 4, d.region, SUBSTR(d.region, 1, 6), {d_dims},
                   d.dp, d.da, d.dn
            FROM coverage_change d
            WHERE NOT EXISTS (SELECT 1 FROM coverage_cell c
                              WHERE c.day = %s AND c.level = 4 AND {same("c")})""",
        [day, day],
    )
    cursor.execute("SELECT DISTINCT region FROM coverage_change")
    villages = sorted(r[0] for r in cursor.fetchall())
    for chunk in _chunks(villages) if villages else []:
        where, params = _in("region", chunk)
        cursor.execute(
            f"""DELETE FROM coverage_cell WHERE day = %s AND level = 4 AND {where}
                AND protected = 0 AND with_arrears = 0 AND not_protected = 0""",
            [day, *params],
        )
    cursor.execute(
        "DELETE FROM coverage_countedperson WHERE day = %s "
        "AND worker_id IN (SELECT id FROM coverage_ids)",
        [day],
    )
    cursor.execute(
        f"INSERT INTO coverage_countedperson (day, {_PERSON_COLUMNS}) "
        f"SELECT %s, {_PERSON_COLUMNS} FROM coverage_new",
        [day],
    )
    for name in ("coverage_change", "coverage_new", "coverage_ids"):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return villages


def refresh_people(day: dt.date, workers: list[int] = (), villages: list[str] = ()) -> list[str]:
    """Recount the people given (and everyone of the villages given) on `day`, apply the
    change to their villages' cells and roll it up to every region above them. Costs what
    the people cost, not what their villages hold: 10,000 changes scattered over thousands
    of villages touch 10,000 people. Returns the villages whose figures changed."""
    if not workers and not villages:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        _fill_ids(cursor, day, list(workers), list(villages))
        changed = _apply_delta(cursor, day)
        for chunk in _chunks(changed) if changed else []:
            _delete(cursor, day, 4, chunk, tables=("coverage_total",))
            _village_totals(cursor, day, chunk)
        for level in (3, 2, 1, 0):
            regions = sorted({v[: CODE_LENGTH[level]] for v in changed})
            if not regions:
                break
            _delete(cursor, day, level, regions)
            _roll_up(cursor, day, level, regions)
            _roll_up_totals(cursor, day, level, regions)
        _stamp(day, complete=None)
    return changed


def refresh_villages(day: dt.date, villages: list[str]) -> list[str]:
    """Recount everyone of `villages` on `day` (and the regions above them)."""
    return refresh_people(day, villages=villages)


def refresh_all(day: dt.date | None = None, *, keep_people: bool = True) -> dt.date:
    """Count every person on `day` (default today), then every village and region from them.
    `keep_people=False` drops the people's rows afterwards (a month end kept for trends: no
    dirty refresh applies to it)."""
    day = day or today()
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        for level in (4, 3, 2, 1, 0):
            _delete(cursor, day, level, None)
        cursor.execute("DELETE FROM coverage_countedperson WHERE day = %s", [day])
        people_sql, people_params = _people_sql(day, ids=False)
        cursor.execute(
            f"INSERT INTO coverage_countedperson (day, {_PERSON_COLUMNS}) "
            f"SELECT %s, {_PERSON_COLUMNS} FROM ({people_sql}) people",
            [day, *people_params],
        )
        _cells_from_people(cursor, day)
        _village_totals(cursor, day, None)
        for level in (3, 2, 1, 0):
            _roll_up(cursor, day, level, None)
            _roll_up_totals(cursor, day, level, None)
        if not keep_people:
            cursor.execute("DELETE FROM coverage_countedperson WHERE day = %s", [day])
        _stamp(day, complete=True)
    return day


def _stamp(day: dt.date, *, complete: bool | None) -> None:
    defaults = {"refreshed_at": timezone.now()}
    if complete is not None:
        defaults["complete"] = complete
    Snapshot.objects.update_or_create(day=day, defaults=defaults)


def prune(keep: dt.date) -> int:
    """Drop snapshots older than `keep` that are not month ends (a trend reads month ends), and
    the people counted on any day before `keep` (only the live day takes dirty refreshes)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM coverage_countedperson WHERE day < %s", [keep])
    old = [
        d
        for d in Snapshot.objects.filter(day__lt=keep).values_list("day", flat=True)
        if not is_month_end(d)
    ]
    if not old:
        return 0
    with connection.cursor() as cursor:
        for table in ("coverage_cell", "coverage_total"):
            where, params = _in("day", old)
            cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
    Snapshot.objects.filter(day__in=old).delete()
    return len(old)


def refresh_dirty(day: dt.date | None = None) -> int:
    """Recount the people and villages marked since the last refresh (for today: the first
    refresh of a day counts everyone). Returns how many villages changed (-1: all counted)."""
    day = day or today()
    people = list(DirtyWorker.objects.values_list("worker_id", "version"))
    villages = list(DirtyVillage.objects.values_list("village", "version"))
    counted = CountedPerson.objects.filter(day=day).exists()
    if not Snapshot.objects.filter(day=day, complete=True).exists() or (
        not counted and Worker.objects.exists()
    ):
        refresh_all(day)
        if day == today():
            prune(day)
            _ensure_last_month_end(day)
        _clear(people, villages)
        return -1
    if not people and not villages:
        return 0
    changed = refresh_people(day, [w for w, _ in people], [v for v, _ in villages])
    _clear(people, villages)
    return len(changed)


def _ensure_last_month_end(day: dt.date) -> None:
    """The month end before `day` keeps its snapshot even if no refresh ran on that day."""
    last = day.replace(day=1) - dt.timedelta(days=1)
    if not Snapshot.objects.filter(day=last, complete=True).exists():
        refresh_all(last, keep_people=False)


def _clear(people: list[tuple[int, int]], villages: list[tuple[str, int]]) -> None:
    """Delete the marks counted, not those written again meanwhile (a higher version)."""
    with connection.cursor() as cursor:
        if people:
            cursor.executemany(
                "DELETE FROM coverage_dirtyworker WHERE worker_id = %s AND version = %s",
                [list(m) for m in people],
            )
        if villages:
            cursor.executemany(
                "DELETE FROM coverage_dirtyvillage WHERE village = %s AND version = %s",
                [list(m) for m in villages],
            )


def refresh_every(seconds: float = REFRESH_SECONDS, *, stop=None):
    """Run `refresh_dirty` every `seconds` in a daemon thread of the background worker;
    returns the thread (set `stop`, a threading.Event, to end it). A failure is logged and
    retried next round: figures must never take the worker down."""
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.wait(seconds):
            try:
                close_old_connections()
                n = refresh_dirty()
                if n:
                    log.info("coverage figures refreshed (%s villages; -1 = all)", n)
            except Exception:
                log.exception("refreshing coverage figures failed")
            finally:
                connection.close()

    thread = threading.Thread(target=loop, name="coverage-refresh", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
