"""Each rule with people just inside and just outside it."""

import datetime as dt

import pytest

from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE
from lindung.programs.models import Outcome, SubmissionPerson
from lindung.programs.services import submission_add_workers, submission_for

START = dt.date(2025, 10, 1)


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])


def codes_for(program, operator, worker):
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=operator, submission=submission, worker_ids=[worker.pk])
    person = SubmissionPerson.objects.get(submission=submission, worker=worker)
    return [r["code"] for r in person.reasons]


def born(years_before: int, days: int) -> dt.date:
    return START.replace(year=START.year - years_before) + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("birth", "eligible"),
    [
        (born(65, -1), False),  # 65th birthday the day before coverage starts
        (born(65, 0), False),  # 65th birthday on the first day of coverage
        (born(65, 1), True),  # 65th birthday the day after: still 64 at the start
    ],
)
def test_age_cap_of_65_at_the_start_of_coverage(
    make_program, make_worker, operator, birth, eligible
):
    program = make_program()
    worker = make_worker(birth_date=birth)
    codes = codes_for(program, operator, worker)
    assert ("age_too_old" not in codes) is eligible


def test_a_program_can_set_a_lower_cap(make_program, make_worker, operator):
    program = make_program(rules={"age_max_exclusive": 60})
    assert "age_too_old" in codes_for(program, operator, make_worker(birth_date=born(60, 0)))


@pytest.mark.parametrize(("birth", "eligible"), [(born(18, 0), True), (born(18, 1), False)])
def test_minimum_working_age(make_program, make_worker, operator, birth, eligible):
    codes = codes_for(make_program(), operator, make_worker(birth_date=birth))
    assert ("age_too_young" not in codes) is eligible


def test_occupation_must_be_on_the_programs_list(make_program, make_worker, operator):
    program = make_program()
    assert "occupation_not_eligible" in codes_for(
        program, operator, make_worker(occupation_code="nelayan")
    )
    assert codes_for(program, operator, make_worker(occupation_code="petani")) == []


def _accept_in(program, operator, worker, regency_admin, bpjs):
    from lindung.programs.services import people_decide, submission_move

    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=operator, submission=submission, worker_ids=[worker.pk])
    submission_move(actor=operator, submission=submission, to="submitted", expected_state="draft")
    submission_move(
        actor=regency_admin, submission=submission, to="approved", expected_state="submitted"
    )
    people_decide(actor=bpjs, submission=submission, person_ids=None, accept=True)


@pytest.mark.parametrize(
    ("other_start", "other_end", "overlaps"),
    [
        (dt.date(2025, 7, 1), dt.date(2025, 9, 30), False),  # ends the day before: touching
        (dt.date(2025, 7, 1), dt.date(2025, 10, 1), True),  # ends on the first day
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), False),  # starts the day after
        (dt.date(2025, 12, 31), dt.date(2026, 3, 31), True),  # starts on the last day
    ],
)
def test_not_covered_twice_in_overlapping_periods(
    make_program, make_worker, operator, regency_admin, make_user, other_start, other_end, overlaps
):
    bpjs = make_user(Role.BPJS_OFFICER, ["1603", "1612"])
    worker = make_worker()
    earlier = make_program(start=other_start, end=other_end)
    _accept_in(earlier, operator, worker, regency_admin, bpjs)
    assert SubmissionPerson.objects.get(worker=worker).outcome == Outcome.ACCEPTED
    codes = codes_for(make_program(start=START, end=dt.date(2025, 12, 31)), operator, worker)
    assert ("already_covered" in codes) is overlaps


def test_domicile_outside_the_programs_region(make_program, make_user):
    program = make_program(region="161202")  # a district of PALI the village is not in
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    from lindung.common.errors import ApplicationError

    with pytest.raises(ApplicationError):
        submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)


def test_poverty_list_when_the_program_requires_it(make_program, make_worker, operator):
    from lindung.programs.models import PovertyRecord

    program = make_program(rules={"require_poverty_list": True, "poverty_max_decile": 4})
    poor = make_worker()
    richer = make_worker()
    PovertyRecord.objects.create(nik=poor.nik, decile=3, year=2025)
    PovertyRecord.objects.create(nik=richer.nik, decile=6, year=2025)
    assert "not_in_poverty_list" not in codes_for(program, operator, poor)
    assert "not_in_poverty_list" in codes_for(program, operator, richer)


def test_reasons_are_sentences_in_indonesian(make_program, make_worker, operator):
    program = make_program()
    worker = make_worker(birth_date=born(70, 0))
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=operator, submission=submission, worker_ids=[worker.pk])
    (reason,) = SubmissionPerson.objects.get(worker=worker).reasons
    assert reason["message"].startswith("Usia 70 tahun pada awal perlindungan (01-10-2025)")


def test_a_nik_the_population_registry_does_not_know_makes_the_person_ineligible(
    make_program, make_worker, operator, regency_admin, make_user, settings
):
    import threading
    from http.server import HTTPServer

    from lindung.programs.services import identities_check, submission_move
    from lindung.registry.tests.test_dukcapil import FakeDukcapil

    server = HTTPServer(("127.0.0.1", 0), FakeDukcapil)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.LINDUNG_DUKCAPIL_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.LINDUNG_DUKCAPIL_KEY = "rahasia"
    try:
        program = make_program()
        worker = make_worker()  # not in the fake registry
        submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
        submission_add_workers(actor=operator, submission=submission, worker_ids=[worker.pk])
        submission_move(
            actor=operator, submission=submission, to="submitted", expected_state="draft"
        )
        submission_move(
            actor=regency_admin, submission=submission, to="approved", expected_state="submitted"
        )
        bpjs = make_user(Role.BPJS_OFFICER, ["1612"])
        assert identities_check(actor=bpjs, submission=submission)["counts"] == {"not_found": 1}
        person = SubmissionPerson.objects.get(worker=worker)
        assert not person.eligible and person.reasons[-1]["code"] == "dukcapil_not_found"
    finally:
        server.shutdown()


def test_poverty_list_import_command(db, tmp_path):
    from django.core.management import call_command

    from lindung.programs.models import PovertyRecord

    path = tmp_path / "dtsen.csv"
    path.write_text("NIK;Desil\n1612015705800008;3\n1612015705800008;2\nsalah;4\n")
    call_command("poverty", "import", str(path), "--year", "2025")
    assert list(PovertyRecord.objects.values_list("nik", "decile")) == [("1612015705800008", 2)]


def test_a_worker_who_moved_out_of_the_programs_region_becomes_ineligible(
    make_program, make_worker, operator
):
    from lindung.programs.services import submission_recheck
    from lindung.registry.models import Worker

    program = make_program()
    worker = make_worker()
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=operator, submission=submission, worker_ids=[worker.pk])
    assert SubmissionPerson.objects.get(worker=worker).eligible
    Worker.objects.filter(pk=worker.pk).update(village_id="1503012001")  # moved to Sarolangun
    submission_recheck(actor=operator, submission=submission)
    person = SubmissionPerson.objects.get(worker=worker)
    assert [r["code"] for r in person.reasons] == ["outside_region"]


def test_a_nik_that_no_longer_matches_the_birth_date_is_invalid(
    make_program, make_worker, operator
):
    from lindung.registry.models import Worker

    program = make_program()
    worker = make_worker()
    other_day = 28 if worker.birth_date.day != 28 else 27
    Worker.objects.filter(pk=worker.pk).update(birth_date=worker.birth_date.replace(day=other_day))
    assert codes_for(program, operator, worker) == ["nik_invalid"]


def test_import_command_with_program_puts_people_on_the_village_list(make_program, tmp_path):
    import datetime as dt

    from django.core.management import call_command

    from lindung.conftest import make_nik
    from lindung.programs.models import Submission

    program = make_program(code="pali-cli")
    path = tmp_path / "d.csv"
    nik = make_nik("161201", dt.date(1980, 1, 5), "L", 3)
    path.write_text(f"NIK;Nama Lengkap;Pekerjaan\n{nik};Budi;Petani\n")
    call_command(
        "import", str(path), "--village", PALI_VILLAGE, "--commit", "--program", program.code
    )
    submission = Submission.objects.get(program=program)
    assert submission.people.count() == 1 and submission.people.get().eligible


def _with_registry_job(make_worker, registry_code: int):
    # The worker form and API take the e-KTP code as the occupation too.
    worker = make_worker(occupation_code=str(registry_code))
    assert worker.occupation.registry_code == registry_code
    return worker


@pytest.mark.parametrize(
    ("registry_code", "code", "words"),
    [
        (5, "formal_employment", "adalah pekerjaan formal"),  # PEGAWAI NEGERI SIPIL
        (15, "formal_employment", "adalah pekerjaan formal"),  # KARYAWAN SWASTA
        (3, "not_working", "berarti tidak bekerja"),  # PELAJAR/MAHASISWA
        (2, "not_working", "berarti tidak bekerja"),  # MENGURUS RUMAH TANGGA
    ],
)
def test_formal_employees_and_people_not_working_are_not_eligible_for_informal_programs(
    make_program, make_worker, operator, registry_code, code, words
):
    program = make_program(occupations=[])  # every occupation on the list: the class decides
    worker = _with_registry_job(make_worker, registry_code)
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=operator, submission=submission, worker_ids=[worker.pk])
    person = SubmissionPerson.objects.get(submission=submission, worker=worker)
    assert [r["code"] for r in person.reasons] == [code]
    assert words in person.reasons[0]["message"]
    assert person.reasons[0]["message"].startswith(f"Pekerjaan '{worker.occupation.name_id}'")


def test_informal_registry_jobs_are_eligible(make_program, make_worker, operator):
    program = make_program(occupations=[])
    for registry_code in (88, 19, 9):  # WIRASWASTA, BURUH HARIAN LEPAS, PETANI/PEKEBUN
        assert codes_for(program, operator, _with_registry_job(make_worker, registry_code)) == []


def test_a_program_may_admit_formal_employees_and_people_not_working(
    make_program, make_worker, operator
):
    program = make_program(occupations=[], rules={"admit_formal_and_not_working": True})
    assert codes_for(program, operator, _with_registry_job(make_worker, 5)) == []
    assert codes_for(program, operator, _with_registry_job(make_worker, 4)) == []
