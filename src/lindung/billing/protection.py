"""The one answer to "was person P protected on date D, under which program, and how?"

Claims, dashboards and the public check all call `protection_on` (one person) or
`protection_all` (everyone at once, one query, the same rules; a test compares the two on
random data). The rules, stated once:

- **Covered on D**: a participation with a KPJ whose coverage [start_date, end_date] holds D
  (`enrolment.selectors.covered_on`). None: not protected, and the reason says why (not yet
  started, no KPJ yet, ended with its end reason, or no participation at all).
- **Unpaid months on D**: the participation's contribution months from its first month up to
  the last month whose due date (the 15th, next working day) is *before* D, that are not fully
  paid by payments made on or before D. A month never invoiced is unpaid too: the
  contribution is due whether or not an invoice was issued.
- **Arrears** (PP 44/2015 Art. 39, 42; Permenaker 5/2021 Art. 92, 98): more than 3
  consecutive unpaid months → not protected (no JKK/JKM benefit, membership ends); otherwise
  any unpaid month → protected with arrears (benefits paid after deducting them: the months and
  the amount are named); none → protected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.enrolment.models import Participant

from .invoicing import month_index, month_of_index
from .rates import due_date

PROTECTED = "protected"
WITH_ARREARS = "protected_with_arrears"
NOT_PROTECTED = "not_protected"
# The words for each answer, one list for the command line and the pages.
STATUS_WORDS = {
    PROTECTED: gettext_lazy("protected"),
    WITH_ARREARS: gettext_lazy("protected with arrears"),
    NOT_PROTECTED: gettext_lazy("not protected"),
}

# The arrears rule as data with its citation: months of consecutive arrears still protected.
ARREARS_MAX_MONTHS = 3
ARREARS_CITATION = "PP 44/2015 Art. 39, 42; Permenaker 5/2021 Art. 92, 98"
PAID_CITATION = "PP 44/2015 Art. 24(3–4); Permenaker 5/2021 Art. 41–44"
COVER_CITATION = "PP 44/2015 Art. 1, 24; Permenaker 5/2021 (cover from the KPJ, for the period)"


@dataclass
class Protection:
    date: dt.date
    status: str
    reason: str
    citation: str
    program: str | None = None
    participant_id: int | None = None
    kpj: str | None = None
    village: str | None = None
    arrears_months: list[str] = field(default_factory=list)
    arrears_amount: int | None = 0
    run: int = 0  # the longest run of consecutive unpaid months

    def as_dict(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        return d


def last_due_index(day: dt.date) -> int:
    """The index of the last contribution month whose due date is before `day`."""
    this = month_index(day)
    return this if due_date(day) < day else this - 1


def longest_run(months: list[int], paid: set[int]) -> int:
    run = best = 0
    for m in months:
        run = 0 if m in paid else run + 1
        best = max(best, run)
    return best


def _not_covered(worker_id: int, day: dt.date) -> Protection:
    rows = list(
        Participant.objects.filter(worker_id=worker_id)
        .select_related("program")
        .order_by("-start_date")
    )
    ended = [p for p in rows if p.end_date < day and p.end_date >= p.start_date]
    later = [p for p in rows if p.start_date > day]
    no_kpj = [p for p in rows if p.start_date <= day <= p.end_date and not p.kpj]
    base = {"date": day, "status": NOT_PROTECTED, "citation": COVER_CITATION}
    if no_kpj:
        p = no_kpj[0]
        return Protection(
            **base, program=p.program.code, participant_id=p.pk,
            reason=_("Registered for %(program)s but BPJS has not issued the KPJ yet: cover "
                     "starts with the KPJ.") % {"program": p.program.name},
        )  # fmt: skip
    if ended:
        p = ended[0]
        if p.end_reason:
            reason = _("Participation in %(program)s ended on %(date)s: %(why)s.") % {
                "program": p.program.name,
                "date": p.end_date.strftime("%d-%m-%Y"),
                "why": p.get_end_reason_display(),
            }
        else:
            reason = _("The period of %(program)s ended on %(date)s and was not renewed.") % {
                "program": p.program.name,
                "date": p.end_date.strftime("%d-%m-%Y"),
            }
        return Protection(
            **base, program=p.program.code, participant_id=p.pk, kpj=p.kpj, reason=reason
        )
    if later:
        p = later[-1]
        return Protection(
            **base, program=p.program.code, participant_id=p.pk, kpj=p.kpj,
            reason=_("Cover under %(program)s starts on %(date)s.")
            % {"program": p.program.name, "date": p.start_date.strftime("%d-%m-%Y")},
        )  # fmt: skip
    return Protection(**base, reason=_("Not a participant of any program on this date."))


# "Protected on D?" for one person in ONE statement of fixed text: the participations covering
# D (the (worker, dates) index) with their program, and for each the lines of months due before
# D with what was paid on them by D (the (participant, month) unique index, then the allocation
# index). Written as SQL rather than two ORM queries because building those queries cost more
# than running them (a few milliseconds of Python against a tenth of a millisecond of
# PostgreSQL). The order is the participations' default one (program, village, id).
_ONE_SQL = """
    SELECT p.id, p.kpj, p.village_id, p.start_date, p.end_date, pr.code, pr.name,
           l.id, l.month_index, l.amount,
           (SELECT COALESCE(SUM(a.amount), 0)
              FROM billing_paymentallocation a
              JOIN billing_payment pay ON pay.id = a.payment_id
             WHERE a.line_id = l.id AND pay.paid_on <= %s)
    FROM enrolment_participant p
    JOIN programs_program pr ON pr.id = p.program_id
    LEFT JOIN billing_invoiceline l ON l.participant_id = p.id AND l.month_index <= %s
    WHERE p.worker_id = %s AND p.start_date <= %s AND p.end_date >= %s
    ORDER BY pr.coverage_start DESC, pr.name, p.village_id, p.id, l.month_index
"""


@dataclass
class _Line:
    pk: int
    amount: int
    paid: int


def protection_on(worker_id: int, day: dt.date) -> Protection:
    """Was this worker protected on `day`, under which program, and how? (one person)"""
    with connection.cursor() as cursor:
        cursor.execute(_ONE_SQL, [day, last_due_index(day), worker_id, day, day])
        rows = cursor.fetchall()
    # The first covering participation with a KPJ (no KPJ yet: not covered, see _not_covered).
    pid = next((r[0] for r in rows if r[1]), None)
    if pid is None:
        return _not_covered(worker_id, day)
    mine = [r for r in rows if r[0] == pid]
    kpj, village, start, end, program_code, program_name = mine[0][1:7]
    first = month_index(start)
    last = min(month_index(end), last_due_index(day))
    months = list(range(first, last + 1))
    lines = {
        r[8]: _Line(pk=r[7], amount=r[9], paid=r[10])
        for r in mine
        if r[7] is not None and first <= r[8] <= last
    }
    paid_by_line = {line.pk: line.paid for line in lines.values()}
    paid = {m for m, line in lines.items() if paid_by_line.get(line.pk, 0) >= line.amount}
    unpaid = [m for m in months if m not in paid]
    run = longest_run(months, paid)
    base = {
        "date": day,
        "program": program_code,
        "participant_id": pid,
        "kpj": kpj,
        "village": village,
        "arrears_months": [f"{month_of_index(m):%Y-%m}" for m in unpaid],
        "run": run,
    }
    amount: int | None = 0
    p = None  # loaded only to price a month never invoiced (rare)
    for m in unpaid:
        if m in lines:
            amount += lines[m].amount - paid_by_line.get(lines[m].pk, 0)
        else:
            if p is None:
                p = Participant.objects.select_related("funder", "worker__occupation").get(pk=pid)
            amount = _priced(p, month_of_index(m), amount)
    base["arrears_amount"] = amount
    if run > ARREARS_MAX_MONTHS:
        return Protection(
            **base, status=NOT_PROTECTED, citation=ARREARS_CITATION,
            reason=_("%(n)s consecutive months unpaid (more than %(max)s): no JKK/JKM benefit, "
                     "membership ended.") % {"n": run, "max": ARREARS_MAX_MONTHS},
        )  # fmt: skip
    if unpaid:
        return Protection(
            **base, status=WITH_ARREARS, citation=ARREARS_CITATION,
            reason=_("Protected under %(program)s with %(n)s unpaid month(s): benefits are paid "
                     "after deducting the arrears.")
            % {"program": program_name, "n": len(unpaid)},
        )  # fmt: skip
    return Protection(
        **base, status=PROTECTED, citation=PAID_CITATION,
        reason=_("Protected under %(program)s; contributions paid up to date.")
        % {"program": program_name},
    )  # fmt: skip


def _priced(p: Participant, month: dt.date, amount: int | None) -> int | None:
    """A month never invoiced is owed at the rule in force for it; None when no rule prices it."""
    if amount is None:
        return None
    from lindung.common.errors import ApplicationError

    from .rates import contribution
    from .selectors import payer_of, ruleset, sector_of

    try:
        c = contribution(
            ruleset(),
            month=month,
            income=p.declared_wage,
            components=[c for c in ("jkk", "jkm", "jht") if getattr(p, c)],
            payer=payer_of(p.funder),
            sector=sector_of(getattr(p.worker.occupation, "code", None)),
        )
    except ApplicationError:
        return None
    return amount + c.total


def _month_index_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int - 1)"
    return (
        f"(CAST(strftime('%%Y', {column}) AS INTEGER) * 12 "
        f"+ CAST(strftime('%%m', {column}) AS INTEGER) - 1)"
    )


def protection_sql(
    day: dt.date, only: str = "", only_params: list | tuple = ()
) -> tuple[str, list]:
    """The SQL of `protection_all` (and its parameters), for callers that need the answer
    inside a larger statement (coverage counts millions of people without bringing them into
    Python). Rows: worker_id, pid, program_id, village_id, unpaid, run, status: ONE row per
    person covered on `day`, the participation `protection_on` picks (the latest program start,
    then program name, village and id). `only`: an extra condition on the participations `p`
    (e.g. `p.village_id IN (...)`) with its `only_params`."""
    last_due = last_due_index(day)
    start_i, end_i = _month_index_sql("p.start_date"), _month_index_sql("p.end_date")
    sql = f"""
        WITH cov AS (
            SELECT p.id AS pid, p.worker_id, p.program_id, p.village_id, {start_i} AS first_i,
                   CASE WHEN {end_i} < %s THEN {end_i} ELSE %s END AS last_i,
                   ROW_NUMBER() OVER (PARTITION BY p.worker_id
                                      ORDER BY pr.coverage_start DESC, pr.name, p.village_id,
                                               p.id) AS pick
            FROM enrolment_participant p
            JOIN programs_program pr ON pr.id = p.program_id
            WHERE p.kpj IS NOT NULL AND p.start_date <= %s AND p.end_date >= %s {only}
        ),
        paid AS (
            -- settled_on summarises the allocations (invoicing.settle_lines): a line was fully
            -- paid by day D exactly when it was settled on or before D.
            SELECT l.participant_id AS pid, l.month_index AS mi
            FROM cov
            JOIN billing_invoiceline l ON l.participant_id = cov.pid
                 AND l.month_index >= cov.first_i AND l.month_index <= cov.last_i
            WHERE cov.pick = 1 AND l.settled_on <= %s
        ),
        gaps AS (
            SELECT paid.pid, paid.mi,
                   CASE WHEN LAG(paid.mi) OVER w IS NULL THEN paid.mi - cov.first_i
                        ELSE paid.mi - LAG(paid.mi) OVER w - 1 END AS gap
            FROM paid JOIN cov ON cov.pid = paid.pid
            WINDOW w AS (PARTITION BY paid.pid ORDER BY paid.mi)
        ),
        agg AS (
            SELECT pid, COUNT(*) AS npaid, MAX(mi) AS maxmi, MAX(gap) AS maxgap
            FROM gaps GROUP BY pid
        ),
        runs AS (
            SELECT cov.worker_id, cov.pid, cov.program_id, cov.village_id,
                   CASE WHEN cov.last_i < cov.first_i THEN 0
                        ELSE cov.last_i - cov.first_i + 1 - COALESCE(agg.npaid, 0) END AS unpaid,
                   CASE WHEN cov.last_i < cov.first_i THEN 0
                        WHEN agg.pid IS NULL THEN cov.last_i - cov.first_i + 1
                        WHEN cov.last_i - agg.maxmi > agg.maxgap THEN cov.last_i - agg.maxmi
                        ELSE agg.maxgap END AS run
            FROM cov LEFT JOIN agg ON agg.pid = cov.pid
            WHERE cov.pick = 1
        )
        SELECT worker_id, pid, program_id, village_id, unpaid, run,
               CASE WHEN run > %s THEN '{NOT_PROTECTED}'
                    WHEN unpaid > 0 THEN '{WITH_ARREARS}'
                    ELSE '{PROTECTED}' END AS status
        FROM runs
    """
    params = [last_due, last_due, day, day, *only_params, day, ARREARS_MAX_MONTHS]
    return sql, params


def protection_all(day: dt.date, worker_ids: list[int] | None = None) -> dict[int, dict]:
    """The same answer for many people at once, in ONE query: {worker_id: {status, program_id,
    participant_id, unpaid, run}} for everyone covered on `day`; anyone absent is not protected
    (no coverage that day). Same rules as `protection_on`, the same participation picked when
    a person's programs overlap (`protection_sql`)."""
    only = ""
    if worker_ids is not None:
        if not worker_ids:
            return {}
        only = f"AND p.worker_id IN ({', '.join(['%s'] * len(worker_ids))})"
    sql, params = protection_sql(day, only, list(worker_ids or []))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # For this one statement (SET LOCAL ends with the transaction): at a million people
            # its sorts and hashes spill to disk in the default 4 MB of work memory, and JIT
            # compiling its 72 functions costs a second it never wins back.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return {
            w: {"participant_id": pid, "program_id": prog, "unpaid": unpaid, "run": run,
                "status": status}
            for w, pid, prog, _village, unpaid, run, status in cursor.fetchall()
        }  # fmt: skip


def protection_for(user, nik: str, day: dt.date) -> dict:
    """The answer as the CLI and the API give it, for `user` (None: the server's operator on
    the command line): 404 when the person is unknown or outside the user's regions; the NIK
    masked per the one masking policy, the KPJ always masked.
    `{nik, date, status, program, kpj_masked, reason, citation, arrears_months, ...}`"""
    from django.http import Http404

    from lindung.accounts.masking import mask_number, nik_for
    from lindung.registry.models import Worker
    from lindung.registry.selectors import workers_for

    nik = (nik or "").strip()
    if not (nik.isdigit() and len(nik) == 16):
        from lindung.common.errors import ApplicationError

        raise ApplicationError(
            _("A NIK has 16 digits."), code="invalid_nik", fields={"nik": [_("16 digits.")]}
        )
    workers = Worker.objects.all() if user is None else workers_for(user)
    worker = workers.filter(nik=nik).first()
    if worker is None:
        raise Http404
    answer = protection_on(worker.pk, day)
    region = answer.village or worker.village_id
    return {
        "nik": nik if user is None else nik_for(user, region, nik),
        "date": day.isoformat(),
        "status": answer.status,
        "program": answer.program,
        "kpj_masked": mask_number(answer.kpj) if answer.kpj else None,
        "reason": answer.reason,
        "citation": answer.citation,
        "arrears_months": answer.arrears_months,
        "arrears_amount": answer.arrears_amount,
    }
