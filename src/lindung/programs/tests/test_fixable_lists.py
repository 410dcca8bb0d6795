"""Issue 8 §2: lists that can be fixed. The village removes people (kept, with who and why),
marks people who moved away or died, and the regency cannot send ineligible people to BPJS."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2
from lindung.programs.models import Outcome, Submission, SubmissionPerson
from lindung.programs.services import (
    people_remove,
    submission_add_workers,
    submission_for,
    submission_move,
)
from lindung.registry.models import Worker

TOO_OLD = dt.date(1950, 1, 1)  # 75 at the start of coverage: over the cap of 65


def api(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


@pytest.fixture
def people(make_user, regency_admin):
    return {
        "operator": make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]),
        "other_operator": make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE_2]),
        "regency": regency_admin,
        "bpjs": make_user(Role.BPJS_OFFICER, ["1612"]),
    }


@pytest.fixture
def draft(make_program, make_worker, people):
    """A draft list of three eligible people of the operator's village."""
    program = make_program()
    submission = submission_for(
        actor=people["operator"], program=program, village_code=PALI_VILLAGE
    )
    ids = [make_worker(name=f"Warga {n}").pk for n in range(3)]
    submission_add_workers(actor=people["operator"], submission=submission, worker_ids=ids)
    return Submission.objects.get(pk=submission.pk)


def person_ids(submission, n=None):
    ids = list(submission.people.order_by("id").values_list("pk", flat=True))
    return ids if n is None else ids[:n]


# --- removing people from a list ---------------------------------------------------------------


def test_village_operator_removes_people_with_a_reason_and_the_rows_are_kept(draft, people):
    gone = person_ids(draft, 2)
    response = post(
        api(people["operator"]),
        f"/api/submissions/{draft.pk}/remove",
        {"person_ids": gone, "reason": "Catatan kabupaten: hapus 2 orang (pindah)"},
    )
    assert response.status_code == 200
    assert response.json()["people"] == 1  # counts exclude removed people
    removed = SubmissionPerson.objects.filter(pk__in=gone)
    assert removed.count() == 2  # kept, not deleted
    assert {p.removed_by_id for p in removed} == {people["operator"].pk}
    assert all(p.removed_at and "pindah" in p.removed_reason for p in removed)
    event = AuditEvent.objects.get(action="submission.remove")
    assert event.actor_id == people["operator"].pk and event.row_count == 2


def test_regency_sees_who_was_removed_and_why(draft, people, client_for):
    people_remove(
        actor=people["operator"],
        submission=draft,
        person_ids=person_ids(draft, 1),
        reason="Meninggal dunia",
    )
    page = client_for(people["regency"]).get(f"/verifikasi/usulan/{draft.pk}/?removed=yes")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Meninggal dunia" in body and "Warga" in body
    listing = api(people["regency"]).get(f"/api/submissions/{draft.pk}/people?removed=true")
    assert [p["removed_reason"] for p in listing.json()["items"]] == ["Meninggal dunia"]


def test_removed_person_added_again_is_back_on_the_list(draft, people):
    gone = person_ids(draft, 1)
    people_remove(actor=people["operator"], submission=draft, person_ids=gone, reason="salah")
    worker_id = SubmissionPerson.objects.get(pk=gone[0]).worker_id
    submission_add_workers(actor=people["operator"], submission=draft, worker_ids=[worker_id])
    assert SubmissionPerson.objects.get(pk=gone[0]).removed_at is None


def test_removing_needs_a_reason(draft, people):
    response = post(
        api(people["operator"]),
        f"/api/submissions/{draft.pk}/remove",
        {"person_ids": person_ids(draft, 1), "reason": "  "},
    )
    assert response.status_code == 400
    assert "alasan" in response.json()["message"].lower()
    assert not SubmissionPerson.objects.filter(removed_at__isnull=False).exists()


def test_another_villages_operator_cannot_remove_people_404(draft, people):
    response = post(
        api(people["other_operator"]),
        f"/api/submissions/{draft.pk}/remove",
        {"person_ids": person_ids(draft), "reason": "x"},
    )
    assert response.status_code == 404
    assert not SubmissionPerson.objects.filter(removed_at__isnull=False).exists()


def test_regency_admin_cannot_remove_people_from_a_village_list(draft, people):
    response = post(
        api(people["regency"]),
        f"/api/submissions/{draft.pk}/remove",
        {"person_ids": person_ids(draft), "reason": "tidak layak"},
    )
    assert response.status_code == 403
    assert not SubmissionPerson.objects.filter(removed_at__isnull=False).exists()


def test_removing_from_a_list_that_moved_meanwhile_is_409(draft, people):
    seen = {"expected_state": draft.state, "version": draft.version}
    submission_move(
        actor=people["operator"], submission=draft, to="submitted", expected_state="draft"
    )
    response = post(
        api(people["operator"]),
        f"/api/submissions/{draft.pk}/remove",
        {"person_ids": person_ids(draft, 1), "reason": "hapus", **seen},
    )
    assert response.status_code == 409
    assert response.json()["state"] == "submitted"
    assert "berubah" in response.json()["message"]
    assert not SubmissionPerson.objects.filter(removed_at__isnull=False).exists()


def test_a_submitted_list_cannot_be_changed_by_the_village(draft, people):
    submission_move(
        actor=people["operator"], submission=draft, to="submitted", expected_state="draft"
    )
    response = post(
        api(people["operator"]),
        f"/api/submissions/{draft.pk}/remove",
        {"person_ids": person_ids(draft, 1), "reason": "hapus"},
    )
    assert response.status_code == 400 and response.json()["code"] == "locked"


def test_return_note_hapus_3_orang_is_acted_on_through_the_page(
    make_program, make_worker, people, client_for
):
    """The regency returns the list with "hapus 3 orang"; the village ticks three people and
    removes them on the page, then submits again."""
    program = make_program()
    submission = submission_for(
        actor=people["operator"], program=program, village_code=PALI_VILLAGE
    )
    ids = [make_worker().pk for _ in range(5)]
    submission_add_workers(actor=people["operator"], submission=submission, worker_ids=ids)
    submission_move(
        actor=people["operator"], submission=submission, to="submitted", expected_state="draft"
    )
    submission_move(
        actor=people["regency"],
        submission=submission,
        to="returned",
        expected_state="submitted",
        notes="hapus 3 orang",
    )
    village = client_for(people["operator"])
    page = f"/verifikasi/usulan/{submission.pk}/"
    body = village.get(page).content.decode()
    assert 'value="remove"' in body
    seen = dict(re.findall(r'name="(expected_state|version)" value="([^"]*)"', body))
    response = village.post(
        page,
        {
            **seen,
            "action": "remove",
            "person": person_ids(submission, 3),
            "remove_reason": "Sesuai catatan kabupaten",
        },
    )
    assert response.status_code == 302
    shown = village.get(page).content.decode()
    assert "3 orang dihapus dari daftar" in shown
    assert on_list_count(submission) == 2
    submission_move(
        actor=people["operator"], submission=submission, to="submitted", expected_state="returned"
    )


def on_list_count(submission) -> int:
    return submission.people.filter(removed_at__isnull=True).count()


# --- moved away or deceased ----------------------------------------------------------------------


def test_regency_admin_marks_a_person_deceased_and_they_drop_out_of_eligibility(
    draft, people, client_for
):
    worker = Worker.objects.get(pk=draft.people.order_by("id").first().worker_id)
    admin = client_for(people["regency"])
    response = admin.post(
        f"/pekerja/{worker.pk}/status/",
        {"status": "deceased", "since": "2025-09-01", "reason": "Surat kematian desa 12/2025"},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert (worker.life_status, worker.life_status_date) == ("deceased", dt.date(2025, 9, 1))
    assert Worker.objects.filter(pk=worker.pk).exists()  # never a hard delete
    event = AuditEvent.objects.get(action="worker.mark")
    assert event.changes["life_status"] == ["active", "deceased"]
    page = admin.get(f"/pekerja/{worker.pk}/").content.decode()
    assert "Meninggal" in page and "Surat kematian desa 12/2025" in page

    from lindung.programs.services import submission_recheck

    submission_recheck(actor=people["operator"], submission=draft)
    person = draft.people.get(worker=worker)
    assert not person.eligible
    assert person.reasons[0]["code"] == "deceased"
    assert "meninggal dunia (01-09-2025)" in person.reasons[0]["message"]


def test_moved_away_needs_a_reason_and_operator_without_change_gets_403(
    make_worker, people, client_for, make_user
):
    worker = make_worker()
    admin = client_for(people["regency"])
    admin.post(f"/pekerja/{worker.pk}/status/", {"status": "moved", "reason": ""})
    worker.refresh_from_db()
    assert worker.life_status == "active"
    other = client_for(make_user(Role.REGENCY_ADMIN, ["1503"]))
    assert other.post(f"/pekerja/{worker.pk}/status/", {"status": "moved"}).status_code == 404
    auditor = client_for(make_user(Role.AUDITOR, ["16"]))
    response = auditor.post(f"/pekerja/{worker.pk}/status/", {"status": "moved", "reason": "x"})
    assert response.status_code in (403, 404)
    worker.refresh_from_db()
    assert worker.life_status == "active"


# --- the regency cannot send ineligible people on to BPJS ----------------------------------------


def test_approving_excludes_ineligible_people_with_their_reason(
    make_program, make_worker, people, client_for
):
    program = make_program()
    submission = submission_for(
        actor=people["operator"], program=program, village_code=PALI_VILLAGE
    )
    ok = make_worker().pk
    old = make_worker(birth_date=TOO_OLD).pk
    submission_add_workers(actor=people["operator"], submission=submission, worker_ids=[ok, old])
    submission_move(
        actor=people["operator"], submission=submission, to="submitted", expected_state="draft"
    )
    submission_move(
        actor=people["regency"], submission=submission, to="approved", expected_state="submitted"
    )
    excluded = submission.people.get(worker_id=old)
    assert excluded.outcome == Outcome.EXCLUDED
    assert excluded.reasons[0]["code"] == "age_too_old"
    assert submission.people.get(worker_id=ok).outcome == Outcome.PENDING
    event = AuditEvent.objects.get(action="submission.approved")
    assert event.changes["excluded"] == [None, 1]
    # BPJS decides only the people sent on; the village sees the excluded person and why.
    from lindung.programs.services import people_decide

    people_decide(actor=people["bpjs"], submission=submission, person_ids=None, accept=True)
    submission_move(
        actor=people["bpjs"], submission=submission, to="verified", expected_state="approved"
    )
    page = client_for(people["operator"]).get(f"/verifikasi/usulan/{submission.pk}/")
    body = page.content.decode()
    assert "Dikeluarkan oleh kabupaten" in body and "Usia 75 tahun" in body


def test_a_list_with_nobody_eligible_cannot_be_approved(make_program, make_worker, people):
    program = make_program()
    submission = submission_for(
        actor=people["operator"], program=program, village_code=PALI_VILLAGE
    )
    ids = [make_worker(birth_date=TOO_OLD).pk for _ in range(4)]
    submission_add_workers(actor=people["operator"], submission=submission, worker_ids=ids)
    submission_move(
        actor=people["operator"], submission=submission, to="submitted", expected_state="draft"
    )
    response = post(
        api(people["regency"]),
        f"/api/submissions/{submission.pk}/move",
        {"to": "approved", "expected_state": "submitted"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "none_eligible"
    assert "0 dari 4" in response.json()["message"]
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert set(submission.people.values_list("outcome", flat=True)) == {Outcome.PENDING}


def test_several_people_on_the_poverty_list_are_all_found(make_program, make_worker, people):
    """The demo's PAKE KELAMBU lists failed to load once more than one person was on DTSEN:
    the NIKs were read as rows of characters."""
    from lindung.programs.models import PovertyRecord

    program = make_program(rules={"require_poverty_list": True, "poverty_max_decile": 3})
    poor = [make_worker(), make_worker()]
    for worker in poor:
        PovertyRecord.objects.create(nik=worker.nik, decile=2, year=2025)
    submission = submission_for(
        actor=people["operator"], program=program, village_code=PALI_VILLAGE
    )
    submission_add_workers(
        actor=people["operator"], submission=submission, worker_ids=[w.pk for w in poor]
    )
    assert list(submission.people.values_list("eligible", flat=True)) == [True, True]


def test_approval_judges_todays_facts_a_person_who_died_since_the_check_is_excluded(draft, people):
    submission_move(
        actor=people["operator"], submission=draft, to="submitted", expected_state="draft"
    )
    from lindung.registry.services import worker_mark

    died = Worker.objects.get(pk=draft.people.order_by("id").first().worker_id)
    worker_mark(actor=people["regency"], worker=died, status="deceased", reason="Surat desa")
    submission_move(
        actor=people["regency"], submission=draft, to="approved", expected_state="submitted"
    )
    person = draft.people.get(worker=died)
    assert (person.outcome, person.reasons[0]["code"]) == (Outcome.EXCLUDED, "deceased")
    assert draft.people.filter(outcome=Outcome.PENDING).count() == 2
