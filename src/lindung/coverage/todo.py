"""What each user has to do next: the top of every home page (issue 11 §2).

One function per role; each answers a list of `Item`s (text, count, link), most urgent first.
Every read is region-scoped through the selectors (or `accounts.scoping`), and each function
makes a fixed number of queries, whatever the number of villages, lists or programs: items are
grouped per program by the database, never counted one program at a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lindung.accounts.roles import Role
from lindung.accounts.scoping import restrict, scope_prefixes
from lindung.programs.models import ProgramStatus, Submission, SubmissionState
from lindung.programs.progress import not_sent_by_program
from lindung.programs.selectors import ON_LIST as Q_ON_LIST
from lindung.programs.selectors import programs_for

from . import figures

# Invoices falling due within this many days are shown before they are overdue.
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Item:
    text: str
    count: int | None
    link: str
    urgent: bool = False


def _date(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _deadline_words(deadline: dt.date | None, today: dt.date) -> str:
    if deadline is None:
        return ""
    days = (deadline - today).days
    if days < 0:
        return ngettext(
            "deadline %(date)s, passed %(n)d day ago",
            "deadline %(date)s, passed %(n)d days ago",
            -days,
        ) % {"date": _date(deadline), "n": -days}
    return ngettext(
        "deadline %(date)s, %(n)d day left", "deadline %(date)s, %(n)d days left", days
    ) % {"date": _date(deadline), "n": days}


def _program_link(code: str) -> str:
    return reverse("programs:program", args=[code])


# --- village operator --------------------------------------------------------------------------


def village_operator(user, today: dt.date) -> list[Item]:
    """Lists returned to the village (with the regency's reason), lists still in draft with the
    deadline, and open programs the village has no list for yet."""
    items: list[Item] = []
    lists = list(
        restrict(Submission.objects.all(), user)
        .filter(state__in=[SubmissionState.RETURNED, SubmissionState.DRAFT])
        .select_related("program", "village")
        .annotate(n=Count("people", filter=Q_ON_LIST))
        .order_by("-state", "program__data_deadline", "program__name")  # returned first
    )
    for s in lists:
        deadline = _deadline_words(s.program.data_deadline, today)
        if s.state == SubmissionState.RETURNED:
            text = _("List for %(program)s (%(village)s) returned: %(reason)s") % {
                "program": s.program.name,
                "village": s.village.name,
                "reason": s.notes or _("no reason given"),
            }
        else:
            text = _("List for %(program)s (%(village)s) not submitted yet") % {
                "program": s.program.name,
                "village": s.village.name,
            }
        if deadline:
            text = f"{text} · {deadline}"
        items.append(
            Item(
                text,
                s.n,
                reverse("programs:submission", args=[s.pk]),
                urgent=s.state == SubmissionState.RETURNED
                or bool(s.program.data_deadline and s.program.data_deadline < today),
            )
        )
    started = restrict(Submission.objects.all(), user).values("program_id")
    for program in (
        programs_for(user)
        .filter(status=ProgramStatus.ACTIVE)
        .exclude(pk__in=started)
        .order_by("data_deadline", "name")
    ):
        text = _("No list yet for %(program)s") % {"program": program.name}
        deadline = _deadline_words(program.data_deadline, today)
        items.append(
            Item(f"{text} · {deadline}" if deadline else text, None, _program_link(program.code))
        )
    return items


# --- regency admin -------------------------------------------------------------------------------


def regency_admin(user, today: dt.date) -> list[Item]:
    items = _lists_waiting(user, SubmissionState.SUBMITTED, _("lists waiting for your approval"))
    programs = list(
        programs_for(user).filter(status=ProgramStatus.ACTIVE).order_by("data_deadline", "name")
    )
    missing = not_sent_by_program(user, programs)
    for program in programs:
        n, total = missing.get(program.pk, (0, 0))
        if not n:
            continue
        text = _("%(program)s: villages not yet submitted (of %(total)s)") % {
            "program": program.name,
            "total": total,
        }
        deadline = _deadline_words(program.data_deadline, today)
        items.append(
            Item(
                f"{text} · {deadline}" if deadline else text,
                n,
                _program_link(program.code) + "#progress",
                urgent=bool(program.data_deadline and program.data_deadline < today),
            )
        )
    items += _invoices(user, today)
    items += _claims(user, ["filed"], _("claims waiting for their documents"))
    return items


def _lists_waiting(user, state: str, words: str) -> list[Item]:
    """Lists in `state`, one item per program (one grouped query)."""
    rows = (
        restrict(Submission.objects.filter(state=state), user)
        .values("program__code", "program__name")
        .annotate(n=Count("id"))
        .order_by("program__name")
    )
    return [
        Item(f"{r['program__name']}: {words}", r["n"], _program_link(r["program__code"]), True)
        for r in rows
    ]


def _invoices(user, today: dt.date) -> list[Item]:
    """Unpaid invoices overdue or due within `DUE_SOON_DAYS`, per program."""
    from lindung.billing.selectors import can_plan, invoices_with_paid

    if not can_plan(user):
        return []
    rows = (
        invoices_with_paid(user)
        .filter(due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .filter(paid__lt=F("total"))
        .values_list("program__code", "program__name", "due_date")
    )
    grouped: dict[tuple[str, str], list[int]] = {}
    for code, name, due in rows:
        counts = grouped.setdefault((code, name), [0, 0])
        counts[0 if due < today else 1] += 1
    items = []
    for (code, name), (overdue, soon) in sorted(grouped.items(), key=lambda kv: kv[0][1]):
        link = reverse("billing:program_invoices", args=[code])
        if overdue:
            items.append(
                Item(_("%(program)s: invoices overdue") % {"program": name}, overdue, link, True)
            )
        if soon:
            text = _("%(program)s: invoices due within %(days)d days") % {
                "program": name,
                "days": DUE_SOON_DAYS,
            }
            items.append(Item(text, soon, link))
    return items


def _claims(user, states: list[str], words: str, urgent: bool = True) -> list[Item]:
    from lindung.claims.models import Claim
    from lindung.claims.selectors import may_see_claims

    if not may_see_claims(user):
        return []
    n = restrict(Claim.objects.filter(state__in=states), user).count()
    if not n:
        return []
    link = reverse("claims:list") + "?" + urlencode({"state": states[0]})
    return [Item(words, n, link, urgent)]


# --- BPJS officer --------------------------------------------------------------------------------


def bpjs_officer(user, today: dt.date) -> list[Item]:
    from lindung.enrolment.choices import ParticipantState
    from lindung.enrolment.models import Participant

    items = _lists_waiting(user, SubmissionState.APPROVED, _("lists to verify"))
    items += _lists_waiting(user, SubmissionState.VERIFIED, _("verified lists to mark ready"))
    items += _claims(user, ["documents_complete"], _("claims to verify"))
    items += _claims(user, ["verified"], _("claims to approve"))
    items += _claims(user, ["approved"], _("approved claims to pay"))
    rows = (
        restrict(Participant.objects.filter(state=ParticipantState.REGISTERED), user)
        .values("program__code", "program__name")
        .annotate(n=Count("id"))
        .order_by("program__name")
    )
    for r in rows:
        link = reverse("enrolment:participants", args=[r["program__code"]])
        items.append(
            Item(
                _("%(program)s: KPJ numbers missing") % {"program": r["program__name"]},
                r["n"],
                link + "?" + urlencode({"state": ParticipantState.REGISTERED}),
            )
        )
    return items


# --- read-only roles -----------------------------------------------------------------------------


def _region_link(code: str) -> str:
    """The coverage dashboard of the region."""
    from .dashboard import dashboard_url

    return dashboard_url("" if code == figures.INDONESIA_CODE else code)


def _pct(pct: str) -> str:
    from .dashboard import decimal_comma

    return decimal_comma(pct)


def follower(user, today: dt.date) -> list[Item]:
    """Regional heads, the BPJS regional office, auditors (and the superadmin): per region of
    theirs, coverage %, the rank among its siblings and the change since the oldest month end
    kept (read-only: nothing to act on, figures to follow)."""
    prefixes = scope_prefixes(user)
    codes = [figures.INDONESIA_CODE] if prefixes is None else prefixes
    items = []
    for code in codes[:MAX_REGIONS]:
        try:
            f = figures.figures(user, code, today)
            line = figures.trend(user, code, months=12, until=today)
        except Http404:
            continue
        parts = [
            _("Coverage of %(region)s: %(pct)s %%")
            % {"region": f["name"], "pct": _pct(f["coverage_pct"])}
            if f["coverage_pct"] is not None
            else _("Coverage of %(region)s: no working-population figure on file")
            % {"region": f["name"]}
        ]
        if f["rank"]:
            parts.append(_("rank %(rank)d of %(of)d") % f["rank"])
        change = _change(line)
        if change:
            parts.append(change)
        last = next((p for p in reversed(line) if p["protected"]), None)
        if not f["protected"] and last is not None:
            parts.append(
                _("nobody protected today; last %(n)s protected on %(date)s")
                % {"n": last["protected"], "date": _date(dt.date.fromisoformat(last["date"]))}
            )
        items.append(Item(" · ".join(parts), f["protected"], _region_link(code)))
        items += _best_below(user, code, today)
    return items


# The regions just below one of the user's (regencies of a province…) shown with their own
# coverage % on the home page: the best few with a working-population figure.
BEST_BELOW = 3


def _best_below(user, code: str, today: dt.date) -> list[Item]:
    if len(code) >= 10:
        return []  # a village has nothing below it
    ranked = figures.ranking(user, code, today)["regions"]
    items = []
    for r in [r for r in ranked if r["coverage_pct"] is not None][:BEST_BELOW]:
        text = _("%(region)s: coverage %(pct)s %%, rank %(rank)d of %(of)d") % {
            "region": r["name"],
            "pct": _pct(r["coverage_pct"]),
            "rank": r["rank"],
            "of": len(ranked),
        }
        items.append(Item(text, r["protected"], _region_link(r["region"])))
    return items


# A regional head follows one province or a few regencies; more regions than this are listed on
# the dashboards, not on the home page (keeps the page's query count bounded).
MAX_REGIONS = 5


def _change(line: list[dict]) -> str:
    """The change in coverage between the first and the last point of a trend, in points."""
    points = [p for p in line if p["coverage_pct"] is not None]
    if len(points) < 2:
        return ""
    from decimal import Decimal

    first, last = Decimal(points[0]["coverage_pct"]), Decimal(points[-1]["coverage_pct"])
    diff = last - first
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    return _("%(sign)s%(diff)s points since %(date)s") % {
        "sign": sign,
        "diff": _pct(str(abs(diff))),
        "date": _date(dt.date.fromisoformat(points[0]["date"])),
    }


# --- entry point ---------------------------------------------------------------------------------

BY_ROLE = {
    Role.VILLAGE_OPERATOR: village_operator,
    Role.REGENCY_ADMIN: regency_admin,
    Role.BPJS_OFFICER: bpjs_officer,
    Role.BPJS_REGIONAL: follower,
    Role.REGIONAL_HEAD: follower,
    Role.AUDITOR: follower,
    Role.SUPERADMIN: follower,
}


def todo_for(user, today: dt.date | None = None) -> list[Item]:
    """The user's to-do, urgent items first; empty when there is nothing to do."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    compute = BY_ROLE.get(user.role)
    if compute is None:
        return []
    items = compute(user, today or timezone.localdate())
    return sorted(items, key=lambda i: not i.urgent)  # stable: the role's order within each
