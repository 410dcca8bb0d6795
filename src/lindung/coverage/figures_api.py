"""Coverage figures over the API: `/api/coverage/{region_code}` and its ranking, trend and
village ecosystem. Region codes are Kemendagri codes (`16.12` or `1612`), `ID` for Indonesia;
a region outside the token's scope is 404, like one that does not exist. Reads only the
pre-aggregated figures (`coverage.figures`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router

from lindung.common.api import answers
from lindung.common.errors import ApplicationError
from lindung.common.inputs import MAX_INT, Text

from . import figures

router = Router(tags=["coverage figures"])


def _day(text: str | None) -> dt.date:
    if not text:
        from .refresh import today

        return today()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ApplicationError(
            _("date: YYYY-MM-DD"), code="invalid_date", fields={"date": ["YYYY-MM-DD"]}
        ) from exc
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ApplicationError(
            _("date: YYYY-MM-DD"), code="invalid_date", fields={"date": ["YYYY-MM-DD"]}
        )
    return day


@router.get(
    "/{region_code}",
    response=answers({200: dict}),
    summary="Coverage figures of a region on a date (protected, coverage %, breakdowns, rank)",
)
def coverage_figures(
    request,
    region_code: Text(16),
    date: Text(10) | None = None,
    program_id: int | None = None,
    funder_kind: Text(20) | None = None,
    occupation_group: Text(20) | None = None,
):
    if program_id is not None and not 1 <= program_id <= MAX_INT:
        program_id = -1  # matches nothing: a count of zero, never an overflow
    return figures.figures(
        request.auth,
        region_code,
        _day(date),
        program_id=program_id,
        funder_kind=funder_kind,
        occupation_group=occupation_group,
    )


@router.get(
    "/{region_code}/ranking",
    response=answers({200: dict}),
    summary="The regions below a region ranked by coverage % (then by count)",
)
def coverage_ranking(request, region_code: Text(16), date: Text(10) | None = None):
    return figures.ranking(request.auth, region_code, _day(date))


@router.get(
    "/{region_code}/trend",
    response=answers({200: list[dict]}),
    summary="Protected and coverage % at each month end",
)
def coverage_trend(request, region_code: Text(16), months: int = 12):
    return figures.trend(request.auth, region_code, months=max(1, min(months, 120)))


@router.get(
    "/{region_code}/ecosystem",
    response=answers({200: dict}),
    summary="Village officials against those protected; villages and regencies at 100 %",
)
def coverage_ecosystem(request, region_code: Text(16), date: Text(10) | None = None):
    return figures.ecosystem(request.auth, region_code, _day(date))
