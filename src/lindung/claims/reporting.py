"""Were a work accident's reports on time? (issue 10 §2; DOMAIN.md §3)

Stage I is due at most `jkk-report-stage1-hours` (2 × 24) after the accident; stage II at most
`jkk-report-stage2-hours` (2 × 24) after the doctor's statement that the worker recovered, is
disabled or died, and never before it — stage II is the request for the cash benefits. Both
deadlines are dated, cited `BenefitRule` rows looked up by the accident's date.

What a late report does (PP 44/2015 as amended by PP 82/2019; Permenaker 5/2021): the
regulation sets the deadlines and makes the report an obligation, but it does not say that a
late report forfeits the benefit; the only lapse it sets for a JKK claim is 5 years after the
accident (PP 82/2019 Art. 26, rule `jkk-lapse-years`, applied by the calculator). So Lindung
does not refuse a late claim: the claim page and the API show each finding, and the BPJS
officer who verifies the claim must acknowledge them (`claim_move(..., acknowledge_reporting=
True)`), which the audit trail records. A missing stage II is a warning of the same kind: BPU
cash benefits follow stage II, and the checklist already asks for its document.

Without the times of day, a report two calendar days after the accident may be on time or not
(47 or 49 hours): it is "uncertain" until the times are recorded; one day after is on time, three
days after is late whatever the hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .calculator import RuleBook, load_rulebook
from .choices import JKK_TYPES

ON_TIME, LATE, UNCERTAIN, MISSING = "on_time", "late", "uncertain", "missing"
BEFORE_DOCTOR, NO_DOCTOR = "before_doctor", "no_doctor_statement"


@dataclass(frozen=True)
class Stage:
    """One report judged: its status, how long after its start it came (minutes, when the
    times are known), how late (minutes), and the sentence that says so."""

    status: str
    message: str
    citation: str
    minutes_after: int | None = None
    late_minutes: int | None = None
    days_after: int | None = None

    @property
    def warns(self) -> bool:
        return self.status != ON_TIME

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "message": self.message,
            "citation": self.citation,
            "minutes_after": self.minutes_after,
            "late_minutes": self.late_minutes,
            "days_after": self.days_after,
        }


@dataclass(frozen=True)
class Reporting:
    stage1: Stage
    stage2: Stage
    warnings: list[str] = field(default_factory=list)

    @property
    def needs_acknowledgement(self) -> bool:
        return bool(self.warnings)

    def codes(self) -> list[str]:
        """Stable codes of the findings that warn, for the audit trail."""
        stages = (("stage1", self.stage1), ("stage2", self.stage2))
        return [f"{name}_{stage.status}" for name, stage in stages if stage.warns]

    def as_dict(self) -> dict:
        return {
            "stage1": self.stage1.as_dict(),
            "stage2": self.stage2.as_dict(),
            "warnings": self.warnings,
            "needs_acknowledgement": self.needs_acknowledgement,
        }


def duration(minutes: int) -> str:
    """'2 hari 3 jam 5 menit' style: days, hours and minutes that are not zero."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s d") % {"n": days})
    if hours:
        parts.append(_("%(n)s h") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)s min") % {"n": mins})
    return " ".join(parts)


def _gap(
    start: dt.date,
    start_time: dt.time | None,
    end: dt.date,
    end_time: dt.time | None,
    limit_hours: int,
) -> tuple[str, int | None, int | None, int]:
    """(status, minutes after, minutes late, calendar days after) of a report due
    `limit_hours` after `start`. Exactly the limit is on time; a minute more is late."""
    days = (end - start).days
    if start_time is not None and end_time is not None:
        minutes = int(
            (dt.datetime.combine(end, end_time) - dt.datetime.combine(start, start_time))
            // dt.timedelta(minutes=1)
        )
        late = minutes - limit_hours * 60
        return (LATE if late > 0 else ON_TIME), minutes, max(late, 0), days
    # Dates only: the gap lies strictly between (days - 1) and (days + 1) whole days.
    if (days + 1) * 24 <= limit_hours:
        return ON_TIME, None, None, days
    if (days - 1) * 24 >= limit_hours:
        return LATE, None, None, days
    return UNCERTAIN, None, None, days


def judge(claim, book: RuleBook | None = None) -> Reporting | None:
    """The reports of a JKK claim judged against the rules in force on the accident's date;
    None for the other kinds of claim."""
    if claim.claim_type not in JKK_TYPES:
        return None
    book = book or load_rulebook()
    rule1 = book.need("jkk-report-stage1-hours", claim.event_date)
    rule2 = book.need("jkk-report-stage2-hours", claim.event_date)
    limit1 = duration(rule1.value * 60)
    limit2 = duration(rule2.value * 60)

    if claim.report_1_date is None:
        stage1 = Stage(
            MISSING,
            _("Stage I report not recorded (due within %(limit)s of the accident).")
            % {"limit": limit1},
            rule1.citation,
        )
    else:
        status, minutes, late, days = _gap(
            claim.event_date,
            claim.event_time,
            claim.report_1_date,
            claim.report_1_time,
            rule1.value,
        )
        if status == ON_TIME:
            message = _("Stage I reported on time (within %(limit)s of the accident).") % {
                "limit": limit1
            }
        elif status == LATE and late is not None:
            message = _(
                "Stage I reported %(late)s late: %(after)s after the accident, the limit is "
                "%(limit)s."
            ) % {"late": duration(late), "after": duration(minutes), "limit": limit1}
        elif status == LATE:
            message = _(
                "Stage I reported late: %(days)s days after the accident, the limit is %(limit)s."
            ) % {"days": days, "limit": limit1}
        else:
            message = _(
                "Stage I reported %(days)s days after the accident: on time or late by hours "
                "(limit %(limit)s). Record the times of the accident and of the report."
            ) % {"days": days, "limit": limit1}
        stage1 = Stage(status, message, rule1.citation, minutes, late, days)

    doctor = claim.doctor_statement_date
    if claim.report_2_date is None:
        stage2 = Stage(
            MISSING,
            _(
                "Stage II report not recorded: it follows the doctor's statement (within "
                "%(limit)s) and requests the cash benefits."
            )
            % {"limit": limit2},
            rule2.citation,
        )
    elif doctor is None:
        stage2 = Stage(
            NO_DOCTOR,
            _("Stage II reported, but the doctor's statement it follows is not recorded."),
            rule2.citation,
        )
    else:
        status, minutes, late, days = _gap(
            doctor,
            claim.doctor_statement_time,
            claim.report_2_date,
            claim.report_2_time,
            rule2.value,
        )
        if days < 0 or (minutes is not None and minutes < 0):
            stage2 = Stage(
                BEFORE_DOCTOR,
                _("Stage II reported before the doctor's statement it must follow."),
                rule2.citation,
                minutes,
                None,
                days,
            )
        else:
            if status == ON_TIME:
                message = _(
                    "Stage II reported on time (within %(limit)s of the doctor's statement)."
                ) % {"limit": limit2}
            elif status == LATE and late is not None:
                message = _(
                    "Stage II reported %(late)s late: %(after)s after the doctor's statement, "
                    "the limit is %(limit)s."
                ) % {"late": duration(late), "after": duration(minutes), "limit": limit2}
            elif status == LATE:
                message = _(
                    "Stage II reported late: %(days)s days after the doctor's statement, the "
                    "limit is %(limit)s."
                ) % {"days": days, "limit": limit2}
            else:
                message = _(
                    "Stage II reported %(days)s days after the doctor's statement: on time or "
                    "late by hours (limit %(limit)s). Record the times."
                ) % {"days": days, "limit": limit2}
            stage2 = Stage(status, message, rule2.citation, minutes, late, days)
    warnings = [s.message for s in (stage1, stage2) if s.warns]
    return Reporting(stage1, stage2, warnings)
