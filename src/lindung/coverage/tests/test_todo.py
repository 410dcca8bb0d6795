"""Every home page starts with the user's to-do (issue 11 §2).

The fixture is the one of `programs/tests/test_progress.py` (PALI program, data by 30-05-2025,
lists: V1 submitted, V2 approved, V3 returned with a reason, V4 draft; a Muara Enim program
with one submitted list), plus, for billing and claims, made directly:
- PALI: one invoice overdue (due 15-05-2025, unpaid), one due 25-05-2025 (unpaid), one paid;
- two PALI participants without a KPJ (registered), one with a KPJ;
- PALI claims: one filed (documents to complete), one documents complete (to verify), one
  approved (to pay).
Today is 20-05-2025.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE
from lindung.programs.tests.test_progress import (  # noqa: F401
    TODAY,
    make_list,
    muara_enim_program,
    other_villages,
    pali,
)


@pytest.fixture(autouse=True)
def _english():
    """Texts are asserted in their English msgids; the pages themselves answer in Indonesian."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _participant(program, worker, state="registered", kpj=None):
    from lindung.enrolment.models import Participant

    return Participant.objects.create(
        program=program,
        worker=worker,
        village_id=worker.village_id,
        funder=program.funders.first(),
        declared_wage=1_000_000,
        kpj=kpj,
        state=state,
        registered_at=timezone.now(),
        start_date=program.coverage_start,
        end_date=program.coverage_end,
        enrol_batch=uuid.uuid4(),
    )


def _invoice(program, month: dt.date, due: dt.date, total: int):
    from lindung.billing.models import Invoice

    return Invoice.objects.create(
        program=program,
        funder=program.funders.first(),
        region_id=program.owner_region_id,
        month=month,
        month_index=month.year * 12 + month.month - 1,
        due_date=due,
        total=total,
        issued_at=timezone.now(),
    )


@pytest.fixture
def busy(pali, make_worker):  # noqa: F811
    from lindung.claims.models import Claim

    program, me, v = pali
    _invoice(program, dt.date(2025, 4, 1), dt.date(2025, 5, 15), 16_800)
    _invoice(program, dt.date(2025, 5, 1), dt.date(2025, 5, 25), 16_800)
    # Paid in full: a zero total needs no payment (issued for a month nobody was covered).
    _invoice(program, dt.date(2025, 3, 1), dt.date(2025, 4, 15), 0)
    people = [make_worker() for _ in range(3)]
    parts = [_participant(program, w) for w in people[:2]]
    parts.append(_participant(program, people[2], state="active", kpj="00000000001"))
    for state, part in zip(["filed", "documents_complete", "approved"], parts, strict=True):
        Claim.objects.create(
            participant=part,
            program=program,
            worker=part.worker,
            claim_type="jkm",
            event_date=dt.date(2025, 5, 1),
            state=state,
            filed_at=timezone.now(),
        )
    return program, me, v


def texts(items):
    return [(i.text, i.count) for i in items]


def test_operator_sees_the_returned_list_with_its_reason_and_the_deadline(busy, make_user):
    from lindung.coverage.todo import todo_for

    _program, _me, v = busy
    items = todo_for(make_user(Role.VILLAGE_OPERATOR, [v["V3"]]), TODAY)
    assert len(items) == 1
    item = items[0]
    assert "Lengkapi data ahli waris" in item.text and "30-05-2025" in item.text
    assert "10" in item.text  # days left
    assert item.count == 2 and item.urgent and item.link.startswith("/verifikasi/usulan/")


def test_operator_of_a_draft_village_is_told_to_submit(busy, make_user):
    from lindung.coverage.todo import todo_for

    _program, _me, v = busy
    items = todo_for(make_user(Role.VILLAGE_OPERATOR, [v["V4"]]), TODAY)
    assert [i.count for i in items] == [1]
    assert "Pekerja Rentan Desa PALI" in items[0].text


def test_operator_without_a_list_is_told_to_start_one(busy, make_user):
    from lindung.coverage.todo import todo_for

    village = other_villages(3)[2]
    items = todo_for(make_user(Role.VILLAGE_OPERATOR, [village]), TODAY)
    assert len(items) == 1 and items[0].count is None
    assert items[0].link == "/verifikasi/program/pali-progress/"


def test_operator_of_a_village_that_sent_its_list_has_nothing_to_do(busy, make_user, client_for):
    user = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    from lindung.coverage.todo import todo_for

    assert todo_for(user, TODAY) == []
    html = client_for(user).get("/").content.decode()
    assert "Tidak ada yang perlu dikerjakan" in html


def test_regency_admin_sees_approvals_villages_not_sent_invoices_and_claims(busy, regency_admin):
    from lindung.coverage.todo import todo_for

    items = todo_for(regency_admin, TODAY)
    got = {text.split(" · ")[0]: n for text, n in texts(items)}
    assert got["Pekerja Rentan Desa PALI: lists waiting for your approval"] == 1
    key = next(k for k in got if "villages not yet submitted" in k)
    assert got[key] == 69 and "71" in key
    assert got["Pekerja Rentan Desa PALI: invoices overdue"] == 1
    assert got["Pekerja Rentan Desa PALI: invoices due within 14 days"] == 1
    assert got["claims waiting for their documents"] == 1
    assert not any("Muara Enim" in text for text, _n in texts(items))
    assert items[0].urgent  # urgent first


def test_bpjs_officer_sees_lists_to_verify_claims_to_decide_and_missing_kpj(busy, bpjs):
    from lindung.coverage.todo import todo_for

    got = dict(texts(todo_for(bpjs, TODAY)))
    assert got["Pekerja Rentan Desa PALI: lists to verify"] == 1
    assert got["claims to verify"] == 1
    assert got["approved claims to pay"] == 1
    assert got["Pekerja Rentan Desa PALI: KPJ numbers missing"] == 2
    assert "claims to approve" not in got  # none verified


def test_another_regencys_program_never_appears(busy, make_user):
    from lindung.coverage.todo import todo_for

    me_admin = make_user(Role.REGENCY_ADMIN, ["1603"])
    me_bpjs = make_user(Role.BPJS_OFFICER, ["1603"])
    for user in (me_admin, me_bpjs):
        for text, _n in texts(todo_for(user, TODAY)):
            assert "PALI" not in text
    got = dict(texts(todo_for(me_admin, TODAY)))
    assert got["Muara Enim Desa: lists waiting for your approval"] == 1


def test_regional_head_sees_coverage_rank_and_trend(town, make_user):  # noqa: F811
    """Figures fixture: 8 protected in PALI and Muara Enim on 10-10-2025 (w1, w2, w4, w7, w8,
    w10, w11 with arrears, w12); South Sumatra's working population 800: 1.00 % on 10-10; the
    month end before is `figures`' own (tested there), the change is the difference."""
    from lindung.coverage.refresh import refresh_all
    from lindung.coverage.todo import todo_for
    from lindung.regions.models import WorkforceDenominator

    WorkforceDenominator.objects.create(
        region_id="16", year=2025, working_population=800, source="test"
    )
    WorkforceDenominator.objects.create(
        region_id="1612", year=2025, working_population=400, source="test"
    )
    refresh_all(dt.date(2025, 9, 30))
    refresh_all(dt.date(2025, 10, 10))
    from lindung.coverage import figures

    head = make_user(Role.REGIONAL_HEAD, ["16"])
    f = figures.figures(head, "16", dt.date(2025, 10, 10))
    before = figures.figures(head, "16", dt.date(2025, 9, 30))
    items = todo_for(head, dt.date(2025, 10, 10))
    assert len(items) == 2
    item = items[0]
    assert item.count == f["protected"] == 8
    assert "1,00 %" in item.text and f["coverage_pct"] == "1.00"  # the decimal comma
    assert f"rank 1 of {f['rank']['of']}" in item.text
    from decimal import Decimal

    diff = Decimal(f["coverage_pct"]) - Decimal(before["coverage_pct"])
    assert "+" + str(diff).replace(".", ",") in item.text
    # PALI, the one regency with a figure: 7 protected (w1, w2, w4, w7, w8, w10, w11) of 400.
    below = items[1]
    assert below.count == 7 and "1,75 %" in below.text
    assert "rank 1 of 17" in below.text  # South Sumatra's 17 regencies and cities


def test_read_only_roles_without_figures_are_told_so(db, make_user):
    from lindung.coverage.todo import todo_for

    for role in (Role.BPJS_REGIONAL, Role.AUDITOR, Role.REGIONAL_HEAD):
        items = todo_for(make_user(role, ["16"]), TODAY)
        assert len(items) == 1 and "no working-population figure" in items[0].text


@pytest.mark.parametrize(
    "role,regions",
    [
        (Role.VILLAGE_OPERATOR, None),
        (Role.REGENCY_ADMIN, ["1612"]),
        (Role.BPJS_OFFICER, ["1612"]),
        (Role.REGIONAL_HEAD, ["16"]),
        (Role.BPJS_REGIONAL, ["16"]),
        (Role.AUDITOR, ["16"]),
        (Role.SUPERADMIN, []),
    ],
)
def test_home_page_query_count_does_not_grow_with_villages_or_programs(
    busy, make_user, make_program, make_worker, client_for, role, regions
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _program, _me, v = busy
    user = make_user(role, regions if regions is not None else [v["V3"]])
    client = client_for(user)
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        response = client.get("/")
    assert response.status_code == 200 and 'id="todo-title"' in response.content.decode()
    more = make_program(code="pali-more", name="PALI more", data_deadline=dt.date(2025, 6, 1))
    for code in other_villages(8)[2:]:
        make_list(more, code, "submitted", [make_worker(village=code)])
    make_list(more, v["V3"], "returned", [make_worker(village=v["V3"])], notes="x")
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_home_page_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_hostile_program_names_are_escaped_on_home(make_program, regency_admin, client_for):
    make_program(code="x-hostile", name="<script>alert(1)</script>")
    html = client_for(regency_admin).get("/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


from lindung.coverage.tests.figures_fixture import town  # noqa: E402, F401


def test_a_regional_head_whose_programs_ended_is_told_when_people_were_last_protected(
    town,  # noqa: F811
    make_user,
):
    from lindung.coverage.refresh import refresh_all
    from lindung.coverage.todo import todo_for

    refresh_all(dt.date(2025, 10, 31))  # the town's programs run until 31-12-2025
    refresh_all(dt.date(2026, 3, 31))
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    (first, *_rest) = todo_for(head, dt.date(2026, 3, 31))
    assert first.count == 0
    assert "nobody protected today; last 8 protected on 31-10-2025" in first.text
