"""Keeping the coverage figures fresh: counting villages into `Cell`/`Total` rows and rolling
them up to districts, regencies, provinces and Indonesia.

How a change reaches a dashboard:
1. Any write to participants, invoice lines (a line becoming paid) or workers marks the
   villages it touches in `DirtyVillage`, by database triggers in the same transaction
   (migration `0003_figures_dirty_triggers`). Triggers rather than one line in each service:
   enrolment, KPJ import, renewal, payments and intake write set-based (COPY, `update()`), a
   trigger sees them all, including paths written later, and cannot be forgotten.
2. The background worker (`refresh_every`, started by `lindung worker`) calls `refresh_dirty`
   every `REFRESH_SECONDS`: it recounts those villages for today in one statement and then
   their district, regency, province and Indonesia rows from the rows below them, so a change
   shows within a minute. A new day recounts everything once (`refresh_all`): protection
   depends on the date (due dates pass, periods end).
3. Snapshots: today's rows are replaced as the day moves on; month ends are kept for trends.

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

from .models import DirtyVillage, Snapshot

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


def _count_villages(cursor, day: dt.date, villages: list[str] | None) -> None:
    """Insert the village cells (level 4) of `day` for `villages` (None: all)."""
    only, only_params, wfilter, wparams, home, home_params = "", [], "", [], "", []
    if villages is not None:
        # Written as IN (… UNION …) rather than OR so each side uses its village index: a
        # handful of dirty villages must not scan ten million participants.
        p_in, p_par = _in("village_id", villages)
        w_in, w_par = _in("w2.village_id", villages)
        only = (
            f"AND p.id IN (SELECT id FROM enrolment_participant WHERE {p_in} "
            f"UNION ALL SELECT p2.id FROM enrolment_participant p2 "
            f"JOIN registry_worker w2 ON w2.id = p2.worker_id WHERE {w_in})"
        )
        only_params = [*p_par, *w_par]
        w3, w3par = _in("village_id", villages)
        wfilter = (
            f"WHERE w.id IN (SELECT id FROM registry_worker WHERE {w3} "
            f"UNION ALL SELECT worker_id FROM prot)"
        )
        wparams = w3par
        h, hpar = _in("home", villages)
        home, home_params = f"AND {h}", hpar
    prot_sql, prot_params = protection_sql(day, only, only_params)
    age = _age_sql()
    age_params = [day] if connection.vendor == "postgresql" else [day, day]
    officials = ", ".join(f"'{c}'" for c in OFFICIAL_ROLES)
    sql = f"""
        INSERT INTO coverage_cell (day, level, region, parent, program_id, funder_kind,
                                   occupation_group, official, sex, age_band,
                                   protected, with_arrears, not_protected)
        WITH prot AS ({prot_sql}),
        people AS (
            SELECT COALESCE(prot.village_id, w.village_id) AS home, w.sex, w.life_status,
                   w.occupation_id, prot.program_id, prot.pid, prot.status, {age} AS age
            FROM registry_worker w
            LEFT JOIN prot ON prot.worker_id = w.id
            {wfilter}
        )
        SELECT %s, 4, people.home, SUBSTR(people.home, 1, 6), people.program_id,
               COALESCE(f.kind, ''), COALESCE(o."group", ''),
               COALESCE(o.code IN ({officials}), false), people.sex, {_band_sql()},
               SUM(CASE WHEN people.status = '{PROTECTED}' THEN 1 ELSE 0 END),
               SUM(CASE WHEN people.status = '{WITH_ARREARS}' THEN 1 ELSE 0 END),
               SUM(CASE WHEN people.status IS NULL OR people.status = '{NOT_PROTECTED}'
                        THEN 1 ELSE 0 END)
        FROM people
        LEFT JOIN enrolment_participant pp ON pp.id = people.pid
        LEFT JOIN programs_funder f ON f.id = pp.funder_id
        LEFT JOIN registry_occupation o ON o.id = people.occupation_id
        WHERE (people.status IN ('{PROTECTED}', '{WITH_ARREARS}') OR people.life_status = 'active')
              {home}
        GROUP BY people.home, people.program_id, COALESCE(f.kind, ''), COALESCE(o."group", ''),
                 COALESCE(o.code IN ({officials}), false), people.sex, {_band_sql()}
    """
    cursor.execute(sql, [*prot_params, *age_params, *wparams, day, *home_params])


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


def _delete(cursor, day: dt.date, level: int, regions: list[str] | None) -> None:
    for table in ("coverage_cell", "coverage_total"):
        if regions is None:
            cursor.execute(f"DELETE FROM {table} WHERE day = %s AND level = %s", [day, level])
        else:
            where, params = _in("region", regions)
            cursor.execute(
                f"DELETE FROM {table} WHERE day = %s AND level = %s AND {where}",
                [day, level, *params],
            )


def _tune(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL jit = off")


def refresh_villages(day: dt.date, villages: list[str]) -> None:
    """Recount `villages` on `day` and the rows of every region above them."""
    villages = sorted(set(villages))
    if not villages:
        return
    chunks = (
        [villages]
        if connection.vendor == "postgresql"
        else [villages[i : i + _CHUNK] for i in range(0, len(villages), _CHUNK)]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        for chunk in chunks:
            _delete(cursor, day, 4, chunk)
            _count_villages(cursor, day, chunk)
            _village_totals(cursor, day, chunk)
        for level in (3, 2, 1, 0):
            regions = sorted({v[: CODE_LENGTH[level]] for v in villages})
            _delete(cursor, day, level, regions)
            _roll_up(cursor, day, level, regions)
            _roll_up_totals(cursor, day, level, regions)
        _stamp(day, complete=None)


def refresh_all(day: dt.date | None = None) -> dt.date:
    """Recount every village on `day` (default today) and every region above them."""
    day = day or today()
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        for level in (4, 3, 2, 1, 0):
            _delete(cursor, day, level, None)
        _count_villages(cursor, day, None)
        _village_totals(cursor, day, None)
        for level in (3, 2, 1, 0):
            _roll_up(cursor, day, level, None)
            _roll_up_totals(cursor, day, level, None)
        _stamp(day, complete=True)
    return day


def _stamp(day: dt.date, *, complete: bool | None) -> None:
    defaults = {"refreshed_at": timezone.now()}
    if complete is not None:
        defaults["complete"] = complete
    Snapshot.objects.update_or_create(day=day, defaults=defaults)


def prune(keep: dt.date) -> int:
    """Drop snapshots older than `keep` that are not month ends (a trend reads month ends)."""
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
    """Recount the villages marked since the last refresh (for today: the first refresh of a
    day recounts everything). Returns how many villages were recounted."""
    day = day or today()
    marks = list(DirtyVillage.objects.values_list("village", "version"))
    if not Snapshot.objects.filter(day=day, complete=True).exists():
        refresh_all(day)
        if day == today():
            prune(day)
            _ensure_last_month_end(day)
        _clear(marks)
        return -1
    if not marks:
        return 0
    refresh_villages(day, [v for v, _ in marks])
    _clear(marks)
    return len(marks)


def _ensure_last_month_end(day: dt.date) -> None:
    """The month end before `day` keeps its snapshot even if no refresh ran on that day."""
    last = day.replace(day=1) - dt.timedelta(days=1)
    if not Snapshot.objects.filter(day=last, complete=True).exists():
        refresh_all(last)


def _clear(marks: list[tuple[str, int]]) -> None:
    """Delete the marks counted, not those written again meanwhile (a higher version)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "DELETE FROM coverage_dirtyvillage WHERE village = %s AND version = %s",
            [list(m) for m in marks],
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
