"""Enrolment services: enrol, end, KPJ by hand, renewal, and the one-coverage-a-day rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.common.errors import ApplicationError
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2
from lindung.enrolment import services
from lindung.enrolment.choices import EndReason, ParticipantState
from lindung.enrolment.models import Participant
from lindung.programs.models import SubmissionState

pytestmark = pytest.mark.django_db


def test_a_ready_list_becomes_registered_participants_in_one_audited_batch(
    make_program, make_worker, ready_list, regency_admin
):
    program = make_program(jht=True)
    workers = [make_worker() for _ in range(4)]
    submission = ready_list(program, workers)
    result = services.participants_enrol(
        actor=regency_admin, program=program, submission=submission, version=5
    )
    assert (result.enrolled, result.already) == (4, 0)
    rows = Participant.objects.filter(program=program)
    assert rows.count() == 4
    p = rows.first()
    assert p.state == ParticipantState.REGISTERED and p.kpj is None
    assert (p.start_date, p.end_date) == (program.coverage_start, program.coverage_end)
    assert p.declared_wage == 1_000_000 and (p.jkk, p.jkm, p.jht) == (True, True, True)
    assert p.funder.name == "APBD PALI" and p.village_id == PALI_VILLAGE
    # Per-row provenance: the list line and the batch named in the one audit event.
    assert p.submission_person.submission_id == submission.pk
    event = AuditEvent.objects.get(action="enrolment.enrol")
    assert event.row_count == 4 and event.changes["batch"][1] == str(p.enrol_batch)


def test_enrolling_twice_adds_nobody(enrolled, regency_admin):
    program, _workers, _submission = enrolled
    again = services.participants_enrol(actor=regency_admin, program=program)
    assert (again.enrolled, again.already) == (0, 3)
    assert Participant.objects.filter(program=program).count() == 3


def test_a_list_that_is_no_longer_ready_is_refused_as_stale(
    make_program, make_worker, ready_list, regency_admin
):
    program = make_program()
    submission = ready_list(program, [make_worker()], state=SubmissionState.RETURNED)
    with pytest.raises(ApplicationError) as exc:
        services.participants_enrol(actor=regency_admin, program=program, submission=submission)
    assert exc.value.status == 409 and exc.value.extra["state"] == "returned"


def test_a_list_seen_at_another_version_is_refused_as_stale(
    make_program, make_worker, ready_list, regency_admin
):
    program = make_program()
    submission = ready_list(program, [make_worker()])
    with pytest.raises(ApplicationError) as exc:
        services.participants_enrol(
            actor=regency_admin, program=program, submission=submission, version=4
        )
    assert exc.value.status == 409


@pytest.mark.parametrize(
    "role,regions",
    [
        (Role.VILLAGE_OPERATOR, [PALI_VILLAGE]),
        (Role.BPJS_OFFICER, ["1612"]),
        (Role.REGENCY_ADMIN, ["1603"]),
    ],
)
def test_only_the_regency_admin_of_the_region_enrols(
    role, regions, make_user, make_program, make_worker, ready_list
):
    program = make_program()
    submission = ready_list(program, [make_worker()])
    with pytest.raises(PermissionDenied):
        services.participants_enrol(
            actor=make_user(role, regions), program=program, submission=submission
        )
    assert not Participant.objects.exists()


def test_all_ready_lists_of_a_program_at_once(make_program, make_worker, ready_list, regency_admin):
    program = make_program()
    ready_list(program, [make_worker(), make_worker()])
    ready_list(program, [make_worker(village=PALI_VILLAGE_2)], village=PALI_VILLAGE_2)
    ready_list(
        program,
        [make_worker(village="1612011003")],
        village="1612011003",
        state=SubmissionState.VERIFIED,
    )
    result = services.participants_enrol(actor=regency_admin, program=program)
    assert result.enrolled == 3 and len(result.lists) == 2


def test_one_person_is_never_in_two_programs_on_the_same_day(
    enrolled, make_program, ready_list, regency_admin
):
    _program, workers, _s = enrolled
    overlapping = make_program(start=dt.date(2025, 12, 1), end=dt.date(2026, 2, 28))
    submission = ready_list(overlapping, workers[:1])
    with pytest.raises(ApplicationError) as exc:
        services.participants_enrol(actor=regency_admin, program=overlapping, submission=submission)
    assert exc.value.code == "overlap" and exc.value.status == 409
    assert workers[0].name in exc.value.message
    assert not Participant.objects.filter(program=overlapping).exists()
    # The next day after the period ends is free.
    touching = make_program(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    s2 = ready_list(touching, workers[:1], village=PALI_VILLAGE)
    assert (
        services.participants_enrol(actor=regency_admin, program=touching, submission=s2).enrolled
        == 1
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints: PostgreSQL")
def test_postgresql_refuses_a_raw_insert_of_overlapping_coverage(enrolled, make_program):
    _program, workers, _s = enrolled
    p = Participant.objects.filter(worker=workers[0]).first()
    other = make_program(start=dt.date(2025, 11, 1), end=dt.date(2026, 1, 31))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO enrolment_participant (program_id, worker_id, village_id, funder_id, "
            "declared_wage, jkk, jkm, jht, state, registered_at, start_date, end_date, "
            "end_reason, end_note, enrol_batch) VALUES (%s, %s, %s, %s, 1000000, true, true, "
            "false, 'registered', now(), '2025-11-01', '2026-01-31', '', '', gen_random_uuid())",
            [other.pk, p.worker_id, p.village_id, other.funders.first().pk],
        )
    # A KPJ belongs to one person, and has 11 digits.
    q = Participant.objects.filter(program=p.program)
    first, second = list(q[:2])
    q.filter(pk=first.pk).update(kpj="01234567890")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=second.pk).update(kpj="01234567890")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=second.pk).update(kpj="0123456789x")


def test_the_most_specific_funder_pays(make_program, make_worker, ready_list, regency_admin):
    program = make_program(
        funders=[
            {"kind": "apbd", "name": "APBD PALI"},
            {"kind": "apbdes", "name": "APBDes Talang Ubi", "covers_region_code": PALI_VILLAGE},
            {"kind": "csr", "name": "PT Sawit", "occupation_codes": ["ojek"]},
        ]
    )
    farmer = make_worker()
    rider = make_worker(occupation_code="ojek")
    elsewhere = make_worker(village=PALI_VILLAGE_2)
    ready_list(program, [farmer, rider])
    ready_list(program, [elsewhere], village=PALI_VILLAGE_2)
    services.participants_enrol(actor=regency_admin, program=program)
    paid_by = dict(Participant.objects.values_list("worker_id", "funder__name"))
    assert paid_by == {
        farmer.pk: "APBDes Talang Ubi",
        rider.pk: "PT Sawit",
        elsewhere.pk: "APBD PALI",
    }


def test_people_no_funder_covers_are_refused_by_name(
    make_program, make_worker, ready_list, regency_admin
):
    program = make_program(
        funders=[{"kind": "apbdes", "name": "APBDes 2", "covers_region_code": PALI_VILLAGE_2}]
    )
    worker = make_worker()
    submission = ready_list(program, [worker])
    with pytest.raises(ApplicationError) as exc:
        services.participants_enrol(actor=regency_admin, program=program, submission=submission)
    assert exc.value.code == "no_funder" and worker.name in exc.value.message


# --- ending ---------------------------------------------------------------------------------------


def test_ending_a_participation_keeps_the_days_before(enrolled, regency_admin):
    program, workers, _s = enrolled
    p = Participant.objects.get(program=program, worker=workers[0])
    services.participant_end(
        actor=regency_admin, participant=p, on=dt.date(2025, 11, 10), reason=EndReason.DEATH
    )
    p.refresh_from_db()
    assert (p.state, p.end_reason, p.end_date) == ("ended", "death", dt.date(2025, 11, 10))
    event = AuditEvent.objects.get(action="enrolment.end")
    assert event.changes["end_date"] == ["2025-12-31", "2025-11-10"]
    with pytest.raises(ApplicationError) as exc:
        services.participant_end(
            actor=regency_admin, participant=p, on=dt.date(2025, 11, 1), reason=EndReason.DEATH
        )
    assert exc.value.status == 409


def test_ending_before_the_start_leaves_no_covered_day(enrolled, regency_admin):
    program, workers, _s = enrolled
    p = Participant.objects.get(program=program, worker=workers[0])
    services.participant_end(
        actor=regency_admin, participant=p, on=dt.date(2025, 9, 1), reason=EndReason.MOVED_AWAY
    )
    p.refresh_from_db()
    assert not p.covers_a_day
    assert not services.overlapping([p.worker_id], dt.date(2025, 1, 1), dt.date(2026, 1, 1))


def test_a_participation_cannot_be_ended_after_its_period(enrolled, regency_admin, make_user):
    program, workers, _s = enrolled
    p = Participant.objects.get(program=program, worker=workers[0])
    with pytest.raises(ApplicationError):
        services.participant_end(
            actor=regency_admin, participant=p, on=dt.date(2026, 2, 1), reason=EndReason.DEATH
        )
    with pytest.raises(ApplicationError):
        services.participant_end(
            actor=regency_admin, participant=p, on=dt.date(2025, 11, 1), reason="bored"
        )
    with pytest.raises(PermissionDenied):
        services.participant_end(
            actor=make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]),
            participant=p,
            on=dt.date(2025, 11, 1),
            reason=EndReason.DEATH,
        )


def test_a_death_marked_in_the_registry_ends_coverage_from_that_day(enrolled, make_user):
    from lindung.registry.services import worker_mark

    program, workers, _s = enrolled
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    worker_mark(
        actor=operator,
        worker=workers[1],
        status="deceased",
        since=dt.date(2025, 11, 20),
        reason="Surat keterangan kematian desa",
    )
    p = Participant.objects.get(program=program, worker=workers[1])
    assert (p.state, p.end_reason, p.end_date) == ("ended", "death", dt.date(2025, 11, 20))
    event = AuditEvent.objects.get(action="enrolment.end", object_id=str(p.pk))
    assert event.actor == operator
    # The others are untouched.
    assert Participant.objects.filter(program=program, state="registered").count() == 2


# --- KPJ by hand ----------------------------------------------------------------------------------


def test_a_bpjs_officer_enters_and_corrects_a_kpj_with_before_and_after(
    enrolled, bpjs, regency_admin
):
    program, workers, _s = enrolled
    p = Participant.objects.get(program=program, worker=workers[0])
    services.participant_set_kpj(actor=bpjs, participant=p, kpj="0123 4567 890")
    p.refresh_from_db()
    assert (p.kpj, p.state) == ("01234567890", "active")
    with pytest.raises(ApplicationError) as exc:
        services.participant_set_kpj(actor=bpjs, participant=p, kpj="01234567891")
    assert exc.value.code == "reason_required"
    services.participant_set_kpj(actor=bpjs, participant=p, kpj="01234567891", reason="salah ketik")
    event = AuditEvent.objects.filter(action="enrolment.kpj_set").order_by("-id").first()
    assert event.changes["kpj"] == ["01234567890", "01234567891"]
    with pytest.raises(PermissionDenied):
        services.participant_set_kpj(actor=regency_admin, participant=p, kpj="01234567892")


@pytest.mark.parametrize("kpj", ["1234567890", "123456789012", "=1+1", "0123456789O", ""])
def test_a_kpj_that_is_not_eleven_digits_is_refused(enrolled, bpjs, kpj):
    program, workers, _s = enrolled
    p = Participant.objects.get(program=program, worker=workers[0])
    with pytest.raises(ApplicationError) as exc:
        services.participant_set_kpj(actor=bpjs, participant=p, kpj=kpj)
    assert exc.value.code == "kpj"


def test_a_kpj_of_another_person_is_refused(enrolled, bpjs):
    program, workers, _s = enrolled
    a, b = (Participant.objects.get(program=program, worker=w) for w in workers[:2])
    services.participant_set_kpj(actor=bpjs, participant=a, kpj="01234567890")
    with pytest.raises(ApplicationError) as exc:
        services.participant_set_kpj(actor=bpjs, participant=b, kpj="01234567890")
    assert exc.value.code == "kpj_taken"


# --- renewal --------------------------------------------------------------------------------------


def test_renewal_rechecks_age_on_the_new_start_and_reports_who_drops_out(
    make_program, make_worker, ready_list, regency_admin, bpjs
):
    old = make_program()
    # 65 on 15 Dec 2025: under 65 at the old start (1 Oct 2025), 65 at the new one.
    turning = make_worker(birth_date=dt.date(1960, 12, 15))
    staying = make_worker()
    died = make_worker()
    ready_list(old, [turning, staying, died])
    services.participants_enrol(actor=regency_admin, program=old)
    p_staying = Participant.objects.get(program=old, worker=staying)
    services.participant_set_kpj(actor=bpjs, participant=p_staying, kpj="01234567890")
    services.participant_end(
        actor=regency_admin,
        participant=Participant.objects.get(program=old, worker=died),
        on=dt.date(2025, 11, 1),
        reason=EndReason.DEATH,
    )
    new = make_program(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    report = services.participants_renew(actor=regency_admin, from_program=old, to_program=new)
    assert report.renewed == 1
    assert [d["worker_id"] for d in report.dropped] == [turning.pk]
    assert report.dropped[0]["reasons"][0]["code"] == "age_too_old"
    renewed = Participant.objects.get(program=new)
    assert (renewed.worker, renewed.kpj, renewed.state) == (staying, "01234567890", "active")
    assert renewed.renewed_from_id == p_staying.pk
    p_staying.refresh_from_db()
    assert (p_staying.state, p_staying.end_reason) == ("ended", "period_over")
    # Again: nobody twice.
    again = services.participants_renew(actor=regency_admin, from_program=old, to_program=new)
    assert again.renewed == 0


def test_a_corrected_kpj_reaches_the_person_s_other_periods(
    make_program, make_worker, ready_list, regency_admin, bpjs
):
    old = make_program()
    person, other = make_worker(), make_worker()
    ready_list(old, [person, other])
    services.participants_enrol(actor=regency_admin, program=old)
    first = Participant.objects.get(program=old, worker=person)
    services.participant_set_kpj(actor=bpjs, participant=first, kpj="01234567890")
    new = make_program(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    services.participants_renew(actor=regency_admin, from_program=old, to_program=new)
    renewed = Participant.objects.get(program=new, worker=person)
    services.participant_set_kpj(
        actor=bpjs, participant=renewed, kpj="01234567899", reason="salah ketik di BPJS"
    )
    assert set(Participant.objects.filter(worker=person).values_list("kpj", flat=True)) == {
        "01234567899"
    }
    assert not Participant.objects.filter(worker=other).exclude(kpj=None).exists()
    event = AuditEvent.objects.filter(action="enrolment.kpj_set").order_by("-id").first()
    assert event.changes["other_participations"] == [None, 1]


def test_renewal_goes_forward_in_the_same_region_only(make_program, regency_admin, make_user):
    old = make_program()
    with pytest.raises(ApplicationError):
        services.participants_renew(
            actor=regency_admin,
            from_program=old,
            to_program=make_program(start=dt.date(2025, 12, 1), end=dt.date(2026, 3, 31)),
        )
    with pytest.raises(PermissionDenied):
        services.participants_renew(
            actor=make_user(Role.BPJS_OFFICER, ["1612"]),
            from_program=old,
            to_program=make_program(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)),
        )


# --- merging two records of one person ------------------------------------------------------------


def test_merging_two_records_moves_the_participation_to_the_kept_one(
    enrolled, make_worker, regency_admin
):
    from lindung.programs.services import list_places_move
    from lindung.registry.services import worker_merge

    program, workers, _s = enrolled
    other_record = make_worker(name=workers[0].name)
    # As the duplicate review does it: list places first, then the records.
    list_places_move(removed=workers[0], survivor=other_record)
    worker_merge(actor=regency_admin, keep=other_record, remove=workers[0], reason="same person")
    p = Participant.objects.get(program=program, worker=other_record)
    assert AuditEvent.objects.filter(action="enrolment.merge", object_id=str(p.pk)).exists()


def test_merging_two_participants_of_the_same_days_is_refused_with_a_reason(
    enrolled, regency_admin
):
    from lindung.registry.services import worker_merge

    _program, workers, _s = enrolled
    with pytest.raises(ApplicationError) as exc:
        worker_merge(actor=regency_admin, keep=workers[1], remove=workers[0], reason="same")
    assert exc.value.code == "merge_participants" and exc.value.status == 409


def test_only_participations_with_a_kpj_cover_a_day(enrolled, bpjs):
    from lindung.enrolment.selectors import covered_on

    _program, workers, _s = enrolled
    day = dt.date(2025, 11, 1)
    assert not covered_on(day).exists()
    p = Participant.objects.get(worker=workers[0])
    services.participant_set_kpj(
        actor=bpjs, participant=p, kpj="01234567890", start_date=dt.date(2025, 11, 2)
    )
    assert not covered_on(day).exists()
    assert list(covered_on(dt.date(2025, 11, 2))) == [p]
    assert not covered_on(dt.date(2026, 1, 1)).exists()
