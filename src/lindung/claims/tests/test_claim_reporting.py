"""A JKK claim's stage I and stage II reports judged against the dated, cited deadlines
(2 × 24 hours after the accident; 2 × 24 hours after the doctor's statement): shown on the page
and in the API, and a verifying officer acknowledges the warnings (a late report does not
forfeit the benefit)."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEvent
from lindung.claims import reporting
from lindung.claims.models import Claim
from lindung.claims.rulebook import BenefitRule
from lindung.claims.services import claim_file, claim_move
from lindung.common.errors import ApplicationError

from .conftest import documents_for

pytestmark = pytest.mark.django_db

ACCIDENT = dt.date(2025, 11, 10)
T = dt.time


def judged(**kw) -> reporting.Reporting:
    """The reports of an unsaved JKK claim with these dates and times."""
    claim = Claim(claim_type="jkk-stmb", event_date=ACCIDENT, **kw)
    return reporting.judge(claim)


def test_the_deadlines_are_dated_cited_rows():
    for code in ("jkk-report-stage1-hours", "jkk-report-stage2-hours"):
        row = BenefitRule.objects.get(code=code)
        assert (row.unit, row.value, row.valid_from) == ("hours", 48, dt.date(2015, 7, 1))
        assert "PP 44/2015" in row.citation and "2 × 24 jam" in row.citation


def test_stage_one_exactly_48_hours_after_the_accident_is_on_time():
    found = judged(
        event_time=T(9, 30),
        report_1_date=ACCIDENT + dt.timedelta(days=2),
        report_1_time=T(9, 30),
    ).stage1
    assert (found.status, found.minutes_after, found.late_minutes) == ("on_time", 48 * 60, 0)


def test_stage_one_48_hours_and_a_minute_after_is_late_by_one_minute():
    found = judged(
        event_time=T(9, 30),
        report_1_date=ACCIDENT + dt.timedelta(days=2),
        report_1_time=T(9, 31),
    ).stage1
    assert (found.status, found.late_minutes) == ("late", 1)
    assert "1 mnt" in found.message or "1 min" in found.message


def test_stage_one_late_by_a_day_and_three_hours_says_how_much():
    found = judged(
        event_time=T(8, 0),
        report_1_date=ACCIDENT + dt.timedelta(days=3),
        report_1_time=T(11, 0),
    ).stage1
    assert (found.status, found.late_minutes) == ("late", 27 * 60)


def test_dates_without_times_are_judged_only_where_the_dates_decide():
    next_day = judged(report_1_date=ACCIDENT + dt.timedelta(days=1)).stage1
    two_days = judged(report_1_date=ACCIDENT + dt.timedelta(days=2)).stage1
    three_days = judged(report_1_date=ACCIDENT + dt.timedelta(days=3)).stage1
    assert (next_day.status, two_days.status, three_days.status) == (
        "on_time",
        "uncertain",
        "late",
    )
    assert three_days.days_after == 3


def test_stage_two_missing_before_the_doctor_or_late_warns():
    missing = judged(report_1_date=ACCIDENT).stage2
    assert missing.status == "missing"
    before = judged(
        doctor_statement_date=ACCIDENT + dt.timedelta(days=20),
        report_2_date=ACCIDENT + dt.timedelta(days=19),
    ).stage2
    assert before.status == "before_doctor"
    same_day_earlier = judged(
        doctor_statement_date=ACCIDENT + dt.timedelta(days=20),
        doctor_statement_time=T(14, 0),
        report_2_date=ACCIDENT + dt.timedelta(days=20),
        report_2_time=T(13, 59),
    ).stage2
    assert same_day_earlier.status == "before_doctor"
    exactly = judged(
        doctor_statement_date=ACCIDENT + dt.timedelta(days=20),
        doctor_statement_time=T(14, 0),
        report_2_date=ACCIDENT + dt.timedelta(days=22),
        report_2_time=T(14, 0),
    ).stage2
    assert exactly.status == "on_time"
    late = judged(
        doctor_statement_date=ACCIDENT + dt.timedelta(days=20),
        doctor_statement_time=T(14, 0),
        report_2_date=ACCIDENT + dt.timedelta(days=22),
        report_2_time=T(14, 1),
    ).stage2
    assert (late.status, late.late_minutes) == ("late", 1)
    no_doctor = judged(report_2_date=ACCIDENT + dt.timedelta(days=5)).stage2
    assert no_doctor.status == "no_doctor_statement"


def test_a_jkm_claim_has_no_reports_to_judge():
    assert reporting.judge(Claim(claim_type="jkm", event_date=ACCIDENT)) is None


def test_a_later_rule_row_changes_the_deadline_for_later_accidents_only():
    BenefitRule.objects.filter(code="jkk-report-stage1-hours").update(
        valid_to=dt.date(2025, 11, 30)
    )
    BenefitRule.objects.create(
        code="jkk-report-stage1-hours",
        unit="hours",
        value=72,
        valid_from=dt.date(2025, 12, 1),
        citation="uji: aturan baru",
    )
    times = {"event_time": T(9, 0), "report_1_time": T(10, 0)}
    before = judged(report_1_date=ACCIDENT + dt.timedelta(days=2), **times).stage1
    assert before.status == "late"
    later = reporting.judge(
        Claim(
            claim_type="jkk-stmb",
            event_date=dt.date(2025, 12, 2),
            report_1_date=dt.date(2025, 12, 4),
            **times,
        )
    ).stage1
    assert later.status == "on_time"


@pytest.fixture
def late_claim(participant_of, users):
    """A JKK claim whose stage I came 48 h + 1 min after the accident, documents complete."""

    def make(**kw):
        claim = claim_file(
            actor=users["admin"],
            participant=participant_of(),
            claim_type="jkk-stmb",
            event_date=ACCIDENT,
            event_time=T(7, 0),
            report_1_date=ACCIDENT + dt.timedelta(days=2),
            report_1_time=T(7, 1),
            doctor_statement_date=ACCIDENT + dt.timedelta(days=10),
            report_2_date=ACCIDENT + dt.timedelta(days=11),
            at_work=True,
            **kw,
        )
        documents_for(users["admin"], claim)
        claim_move(
            actor=users["admin"], claim=claim, to="documents_complete", expected_state="filed"
        )
        claim.refresh_from_db()
        return claim

    return make


def test_verifying_a_late_reported_claim_needs_the_officers_acknowledgement(late_claim, users):
    claim = late_claim()
    with pytest.raises(ApplicationError) as refused:
        claim_move(
            actor=users["bpjs"], claim=claim, to="verified", expected_state="documents_complete"
        )
    assert refused.value.code == "reporting_unacknowledged"
    assert "terlambat" in refused.value.message or "late" in refused.value.message
    claim = claim_move(
        actor=users["bpjs"],
        claim=claim,
        to="verified",
        expected_state="documents_complete",
        acknowledge_reporting=True,
    )
    assert claim.state == "verified"
    event = AuditEvent.objects.get(action="claim.verified", object_id=str(claim.pk))
    assert event.after_values()["reporting_acknowledged"] == ["stage1_late"]


def test_a_claim_reported_on_time_needs_no_acknowledgement(participant_of, users):
    claim = claim_file(
        actor=users["admin"],
        participant=participant_of(),
        claim_type="jkk-stmb",
        event_date=ACCIDENT,
        event_time=T(7, 0),
        report_1_date=ACCIDENT + dt.timedelta(days=2),
        report_1_time=T(7, 0),
        doctor_statement_date=ACCIDENT + dt.timedelta(days=10),
        report_2_date=ACCIDENT + dt.timedelta(days=11),
    )
    documents_for(users["admin"], claim)
    claim_move(actor=users["admin"], claim=claim, to="documents_complete", expected_state="filed")
    claim.refresh_from_db()
    claim = claim_move(
        actor=users["bpjs"], claim=claim, to="verified", expected_state="documents_complete"
    )
    assert claim.state == "verified"


def test_a_stage_one_report_before_the_accident_is_refused(participant_of, users):
    with pytest.raises(ApplicationError) as refused:
        claim_file(
            actor=users["admin"],
            participant=participant_of(),
            claim_type="jkk-stmb",
            event_date=ACCIDENT,
            event_time=T(7, 0),
            report_1_date=ACCIDENT,
            report_1_time=T(6, 59),
        )
    assert refused.value.fields == {"report_1_time": [refused.value.message]}


def test_the_page_and_the_api_show_the_late_report(late_claim, users, client_for, api_for):
    claim = late_claim()
    page = client_for(users["bpjs"]).get(f"/klaim/{claim.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="reporting"' in html and "report-late" in html
    assert 'name="acknowledge_reporting"' in html
    detail = api_for(users["bpjs"]).get(f"/api/claims/{claim.pk}").json()
    assert detail["reporting"]["stage1"]["status"] == "late"
    assert detail["reporting"]["stage1"]["late_minutes"] == 1
    assert detail["reporting"]["stage2"]["status"] == "on_time"  # a day after, whatever the hours
    assert detail["reporting"]["needs_acknowledgement"] is True


def test_the_api_verifies_with_the_acknowledgement_and_the_page_without_it_refuses(
    late_claim, users, client_for, api_for
):
    claim = late_claim()
    body = {"to": "verified", "expected_state": "documents_complete"}
    refused = api_for(users["bpjs"]).post(
        f"/api/claims/{claim.pk}/move", body, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "acknowledge_reporting" in refused.json()["fields"]
    page = client_for(users["bpjs"]).post(f"/klaim/{claim.pk}/status/", body, follow=True)
    assert "flash error" in page.content.decode()
    claim.refresh_from_db()
    assert claim.state == "documents_complete"
    done = api_for(users["bpjs"]).post(
        f"/api/claims/{claim.pk}/move",
        {**body, "acknowledge_reporting": True},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "verified"
    wrong_type = api_for(users["bpjs"]).post(
        f"/api/claims/{claim.pk}/move",
        {**body, "acknowledge_reporting": "\x00"},
        content_type="application/json",
    )
    assert wrong_type.status_code in (400, 422)
