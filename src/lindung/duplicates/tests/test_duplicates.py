import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2, make_nik
from lindung.duplicates.models import DistinctPeople, DuplicateCandidate
from lindung.duplicates.services import duplicate_decide, duplicates_scan
from lindung.registry.models import Heir, Worker


@pytest.fixture
def pair(make_worker):
    born = dt.date(1980, 1, 1)
    a = make_worker(
        village=PALI_VILLAGE,
        nik=make_nik("161201", born, "L", 21),
        name="Muhammad Yusuf Hidayat",
        birth_date=born,
        heirs=[{"name": "Aisyah", "relationship": "spouse"}],
    )
    b = make_worker(
        village=PALI_VILLAGE_2,
        nik=make_nik("161201", born, "L", 27),
        name="M. Yusuf Hidayat",
        birth_date=born,
        phone="081234567890",
        heirs=[{"name": "Rafi", "relationship": "child"}],
    )
    return a, b


@pytest.fixture
def admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1612"])


def test_scan_finds_the_pair_and_prints_json_lines(pair, capsys):
    call_command("duplicates", "scan", "--region", "16.12", "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"nik_a": pair[0].nik, "nik_b": pair[1].nik, "kind": "probable", "score": lines[0]["score"]}
    ]
    assert AuditEvent.objects.filter(action="duplicates.scan").exists()


def test_scanning_again_does_not_duplicate_pairs(pair, admin):
    duplicates_scan(actor=admin, region_code="1612")
    duplicates_scan(actor=admin, region_code="1612")
    assert DuplicateCandidate.objects.count() == 1


def test_same_person_merges_heirs_and_fills_missing_fields(pair, admin):
    a, b = pair
    (candidate,) = duplicates_scan(actor=admin, region_code="1612")
    duplicate_decide(actor=admin, candidate=candidate, same=True, keep="a", reason="sama orang")
    assert not Worker.objects.filter(pk=b.pk).exists()
    a.refresh_from_db()
    assert a.phone == "+6281234567890"
    assert sorted(Heir.objects.filter(worker=a).values_list("name", flat=True)) == [
        "Aisyah",
        "Rafi",
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"duplicate.same", "worker.merge", "worker.merged_away"} <= actions
    candidate.refresh_from_db()
    assert candidate.status == "same" and candidate.nik_b == b.nik


def test_different_people_are_never_proposed_again(pair, admin):
    (candidate,) = duplicates_scan(actor=admin, region_code="1612")
    duplicate_decide(actor=admin, candidate=candidate, same=False, reason="beda orang")
    assert DistinctPeople.objects.count() == 1
    assert duplicates_scan(actor=admin, region_code="1612") == []
    assert Worker.objects.count() == 2


def test_reviewer_outside_the_region_cannot_scan_or_decide(pair, admin, make_user):
    (candidate,) = duplicates_scan(actor=admin, region_code="1612")
    outsider = make_user(Role.REGENCY_ADMIN, ["1503"])
    with pytest.raises(PermissionDenied):
        duplicates_scan(actor=outsider, region_code="1612")
    with pytest.raises(PermissionDenied):
        duplicate_decide(actor=outsider, candidate=candidate, same=False)


def test_adding_people_to_a_submission_runs_duplicate_detection(pair, make_program, make_user):
    from lindung.programs.selectors import people_of
    from lindung.programs.services import submission_add_workers, submission_for

    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    program = make_program()
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=operator, submission=submission, worker_ids=[pair[0].pk])
    assert DuplicateCandidate.objects.filter(status="open").count() == 1
    (person,) = people_of(submission)
    assert person.possible_duplicate is True


def test_merging_moves_the_removed_records_list_places_to_the_kept_one(pair, admin, make_program):
    from lindung.programs.models import SubmissionPerson
    from lindung.programs.services import submission_add_workers, submission_for

    a, b = pair
    program = make_program()
    submission = submission_for(actor=admin, program=program, village_code=PALI_VILLAGE_2)
    submission_add_workers(actor=admin, submission=submission, worker_ids=[b.pk])
    (candidate,) = duplicates_scan(actor=admin, region_code="1612")
    duplicate_decide(actor=admin, candidate=candidate, same=True, keep="a")
    assert list(SubmissionPerson.objects.values_list("worker_id", flat=True)) == [a.pk]


def test_deleting_a_person_on_a_list_is_refused_with_a_reason(pair, admin, make_program):
    from lindung.common.errors import ApplicationError
    from lindung.programs.services import submission_add_workers, submission_for
    from lindung.registry.services import worker_delete

    a, _b = pair
    program = make_program()
    submission = submission_for(actor=admin, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=admin, submission=submission, worker_ids=[a.pk])
    with pytest.raises(ApplicationError) as refused:
        worker_delete(actor=admin, worker=a, reason="x")
    assert refused.value.code == "protected"
    assert Worker.objects.filter(pk=a.pk).exists()
