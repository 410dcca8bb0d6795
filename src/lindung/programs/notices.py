"""What each action on programs and village lists did, in one sentence for the person who did it.

Every success message of the pages (and the `message` of the API's action answers) comes from
here: what happened, to which list, and how many people — never a bare "Saved.".
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lindung.common.text import date_text, number

from .models import Submission, SubmissionState

S = SubmissionState


def _people(n: int) -> str:
    return ngettext("%(n)s person", "%(n)s people", n) % {"n": number(n)}


def moved(submission: Submission, people: int, excluded: int = 0) -> str:
    """After a step of the flow, e.g. "List of Paduraksa village submitted to the regency
    (22 people)"."""
    village = submission.village.name
    to = submission.state
    args = {"village": village, "people": _people(people), "excluded": _people(excluded)}
    if to == S.SUBMITTED:
        return _("List of %(village)s village submitted to the regency (%(people)s).") % args
    if to == S.APPROVED and excluded:
        return (
            _(
                "List of %(village)s village approved (%(people)s); "
                "%(excluded)s left out as ineligible."
            )
            % args
        )
    if to == S.APPROVED:
        return _("List of %(village)s village approved (%(people)s).") % args
    if to == S.RETURNED:
        return _("List of %(village)s village returned to the village (%(people)s).") % args
    if to == S.VERIFIED:
        return _("List of %(village)s village verified by BPJS (%(people)s).") % args
    if to == S.READY:
        return _("List of %(village)s village is ready for enrolment (%(people)s).") % args
    return _("List of %(village)s village moved (%(people)s).") % args


def added(submission: Submission, n: int, on_list: int, upload_name: str = "") -> str:
    args = {
        "people": _people(n),
        "village": submission.village.name,
        "total": _people(on_list),
        "file": upload_name,
    }
    if upload_name:
        return (
            _("%(people)s from %(file)s added to the list of %(village)s village (now %(total)s).")
            % args
        )
    return _("%(people)s added to the list of %(village)s village (now %(total)s).") % args


def rechecked(submission: Submission, eligible: int, on_list: int) -> str:
    return _(
        "Eligibility of the list of %(village)s village checked again: "
        "%(eligible)s of %(total)s eligible."
    ) % {
        "village": submission.village.name,
        "eligible": number(eligible),
        "total": _people(on_list),
    }


def removed(submission: Submission, n: int) -> str:
    return _("%(people)s removed from the list of %(village)s village.") % {
        "people": _people(n),
        "village": submission.village.name,
    }


def decided(submission: Submission, n: int, accept: bool) -> str:
    args = {"people": _people(n), "village": submission.village.name}
    if accept:
        return _("%(people)s of the list of %(village)s village accepted by BPJS.") % args
    return _("%(people)s of the list of %(village)s village rejected by BPJS.") % args


def identities(submission: Submission, result: dict) -> str:
    """The population-registry check: how many NIKs, with what outcome, and against what — when
    no Dukcapil service is configured only the NIK's structure was checked, and this says so."""
    counts = result.get("counts", {})
    checked = sum(counts.values())
    problems = checked - counts.get("valid", 0) - counts.get("unavailable", 0)
    args = {
        "people": _people(checked),
        "village": submission.village.name,
        "problems": number(problems),
        "unavailable": number(counts.get("unavailable", 0)),
    }
    if result.get("structure_only"):
        text = _(
            "NIKs of %(people)s on the list of %(village)s village checked on structure rules "
            "only (no Dukcapil service is configured): %(problems)s with problems."
        )
    else:
        text = _(
            "NIKs of %(people)s on the list of %(village)s village checked with Dukcapil: "
            "%(problems)s with problems, %(unavailable)s not answered (try again later)."
        )
    return text % args


def identities_last(result: dict | None) -> str:
    """For the list's page: when the last NIK check ran and against what."""
    if not result:
        return ""
    args = {"when": result["checked_at_text"]}
    if result.get("structure_only"):
        return (
            _(
                "NIKs last checked %(when)s on structure rules only: no Dukcapil service is "
                "configured, so names and birth dates were not compared with the population "
                "registry."
            )
            % args
        )
    return _("NIKs last checked with Dukcapil %(when)s.") % args


def program_created(program) -> str:
    return _("Program %(name)s created (coverage %(start)s to %(end)s).") % {
        "name": program.name,
        "start": date_text(program.coverage_start),
        "end": date_text(program.coverage_end),
    }


def list_opened(submission: Submission) -> str:
    return _("List of %(village)s village for %(program)s opened.") % {
        "village": submission.village.name,
        "program": submission.program.name,
    }
