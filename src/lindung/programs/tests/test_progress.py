"""Program progress (issue 11 §2) on a small, hand-countable fixture.

PALI program "pali-progress": data by 30-05-2025, coverage Jul–Dec 2025, at least 3 workers
per village (the article's 100, scaled down), no regency-wide target. PALI has 71 villages in
the official Kemendagri list (65 desa + 6 kelurahan). Lists:

| village | state     | sent on     | people (counted)                      |
|---------|-----------|-------------|---------------------------------------|
| V1      | submitted | 10-05-2025  | 3 (+1 removed, not counted)           |
| V2      | approved  | 02-06-2025  | 1 (+1 excluded by the regency)        |
| V3      | returned  | (was sent)  | 2 — returned: not sent                |
| V4      | draft     | —           | 1 — not sent                          |
| ME      | submitted | —           | a Muara Enim program: never counted   |

On 20-05-2025: sent 2 (V1, V2), on time 1 (V1), not sent 71 − 2 = 69, under the minimum 1 (V2),
people 3 + 1 = 4, target 3 × 71 = 213, reached 4 × 100 // 213 = 1 %, deadline in 10 days,
coverage ends in 225 days (11 + 30 + 31 + 31 + 30 + 31 + 30 + 31).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lindung.accounts.roles import Role
from lindung.conftest import MUARA_ENIM_VILLAGE, PALI_VILLAGE, PALI_VILLAGE_2

TODAY = dt.date(2025, 5, 20)


def _at(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def other_villages(n: int) -> list[str]:
    from lindung.regions.models import Region

    return list(
        Region.objects.filter(level=4, is_active=True, code__startswith="1612")
        .exclude(code__in=[PALI_VILLAGE, PALI_VILLAGE_2])
        .order_by("code")
        .values_list("code", flat=True)[:n]
    )


def make_list(program, village, state, people, *, sent=None, removed=0, excluded=0, notes=""):
    from lindung.programs.models import Submission, SubmissionPerson

    submission = Submission.objects.create(
        program=program, village_id=village, state=state, submitted_at=sent, notes=notes
    )
    rows = [SubmissionPerson(submission=submission, worker=w, eligible=True) for w in people]
    for row in rows[len(rows) - removed - excluded : len(rows) - excluded]:
        row.removed_at = timezone.now()
    for row in rows[len(rows) - excluded :]:
        row.outcome = "excluded"
    SubmissionPerson.objects.bulk_create(rows)
    return submission


def muara_enim_program(make_user, code="me-progress"):
    from lindung.programs.services import program_create

    return program_create(
        actor=make_user(Role.REGENCY_ADMIN, ["1603"]),
        code=code,
        name="Muara Enim Desa",
        owner_region_code="1603",
        coverage_start=dt.date(2025, 10, 1),
        coverage_end=dt.date(2025, 12, 31),
        occupation_codes=["petani"],
    )


@pytest.fixture
def pali(make_program, make_worker, make_user):
    """The table above; returns (program, Muara Enim program, {name: village code})."""
    v3, v4 = other_villages(2)
    program = make_program(
        code="pali-progress",
        name="Pekerja Rentan Desa PALI",
        start=dt.date(2025, 7, 1),
        end=dt.date(2025, 12, 31),
        data_deadline=dt.date(2025, 5, 30),
        min_per_village=3,
    )
    me = muara_enim_program(make_user)
    make_list(
        program, PALI_VILLAGE, "submitted", [make_worker() for _ in range(4)],
        sent=_at(dt.date(2025, 5, 10)), removed=1,
    )  # fmt: skip
    make_list(
        program, PALI_VILLAGE_2, "approved",
        [make_worker(village=PALI_VILLAGE_2) for _ in range(2)],
        sent=_at(dt.date(2025, 6, 2)), excluded=1,
    )  # fmt: skip
    make_list(
        program, v3, "returned", [make_worker(village=v3) for _ in range(2)],
        sent=_at(dt.date(2025, 5, 12)), notes="Lengkapi data ahli waris",
    )  # fmt: skip
    make_list(program, v4, "draft", [make_worker(village=v4)])
    make_list(me, MUARA_ENIM_VILLAGE, "submitted", [make_worker(village=MUARA_ENIM_VILLAGE)])
    return program, me, {"V1": PALI_VILLAGE, "V2": PALI_VILLAGE_2, "V3": v3, "V4": v4}


def test_regency_sees_the_hand_counted_progress_of_its_program(pali, regency_admin):
    from lindung.programs.progress import program_progress

    program, _me, v = pali
    p = program_progress(regency_admin, program, today=TODAY)
    assert (p.villages, p.sent, p.sent_on_time, p.not_sent) == (71, 2, 1, 69)
    assert (p.under_minimum, p.people, p.target, p.target_pct) == (1, 4, 213, 1)
    assert (p.deadline_days, p.end_days, p.sent_pct) == (10, 225, 2)
    pending = {x.code: x for x in p.pending}
    assert len(pending) == 69
    assert v["V1"] not in pending and v["V2"] not in pending
    assert pending[v["V3"]].state == "returned" and pending[v["V4"]].state == "draft"
    assert not any(code.startswith("1603") for code in pending)
    assert pending[v["V3"]].district  # named with its district, so the regency can chase it


def test_a_regency_wide_target_is_used_when_the_program_has_one(make_program, regency_admin):
    from lindung.programs.progress import program_progress

    program = make_program(target_workers=4390)
    p = program_progress(regency_admin, program, today=TODAY)
    assert (p.target, p.people, p.target_pct) == (4390, 0, 0)


def test_a_passed_deadline_counts_negative_days(pali, regency_admin):
    from lindung.programs.progress import program_progress

    p = program_progress(regency_admin, pali[0], today=dt.date(2025, 6, 4))
    assert p.deadline_days == -5 and p.deadline_passed and p.deadline_days_ago == 5


def test_an_operator_sees_only_their_own_village(pali, make_user):
    from lindung.programs.progress import program_progress

    program, _me, v = pali
    operator = make_user(Role.VILLAGE_OPERATOR, [v["V3"]])
    p = program_progress(operator, program, today=TODAY)
    assert (p.villages, p.sent, p.not_sent, p.people, p.target) == (1, 0, 1, 0, 3)
    assert [x.code for x in p.pending] == [v["V3"]]


def test_program_page_shows_progress_bars_and_villages_not_sent(pali, regency_admin, client_for):
    program, _me, v = pali
    response = client_for(regency_admin).get(f"/verifikasi/program/{program.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="progress"' in html and "<progress" in html
    assert "71" in html and 'id="not-sent"' in html
    from lindung.regions.models import Region

    assert Region.objects.get(code=v["V4"]).name in html


def test_program_page_of_another_regency_is_404_and_shows_no_progress(pali, make_user, client_for):
    _program, me, _v = pali
    other = make_user(Role.REGENCY_ADMIN, ["1606"])
    assert client_for(other).get(f"/verifikasi/program/{me.code}/").status_code == 404
    assert client_for(other).get("/verifikasi/program/pali-progress/").status_code == 404


def test_operator_program_page_lists_no_other_village(pali, make_user, client_for):
    from lindung.regions.models import Region

    program, _me, v = pali
    operator = make_user(Role.VILLAGE_OPERATOR, [v["V3"]])
    html = client_for(operator).get(f"/verifikasi/program/{program.code}/").content.decode()
    assert Region.objects.get(code=v["V3"]).name in html
    assert Region.objects.get(code=v["V4"]).name not in html


def test_program_page_query_count_does_not_grow_with_villages(pali, regency_admin, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program, _me, _v = pali
    client = client_for(regency_admin)
    url = f"/verifikasi/program/{program.code}/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    from lindung.programs.models import Submission

    for code in other_villages(12)[2:]:
        Submission.objects.create(program=program, village_id=code, state="submitted")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
