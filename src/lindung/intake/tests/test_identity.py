"""Issue 7 §1: an import never rewrites who a person is.

NIK 1603011709770027 belongs to Ahmad Hakim. A list giving that NIK to "Rudi Hartono" used to
rename him, change his KK and hand his heirs to Rudi, with only `intake.commit {updated: 1}` in
the audit trail. Now such a row is a NIK conflict: refused, explained with the registered name
masked, queued for the duplicate review; fields an import may change are audited per person and
per field and shown on the worker's history page.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.common.errors import ApplicationError
from lindung.conftest import MUARA_ENIM_VILLAGE
from lindung.duplicates.models import DuplicateCandidate
from lindung.duplicates.services import duplicate_decide, duplicates_scan
from lindung.intake.models import StagedRow
from lindung.intake.services import upload_commit, upload_stage
from lindung.intake.spreadsheets import annotated_file
from lindung.registry.models import Heir, Worker

AHMAD_NIK = "1603011709770027"
AHMAD_KK = "1603010101770001"
OTHER_KK = "1603019999990002"
HEADER = "NIK;Nama Lengkap;Tgl Lahir;L/P;No KK;Pekerjaan;No HP;Alamat;Nama Ahli Waris;Hubungan"
MASKED = "A*** H***"


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def row(name="Ahmad Hakim", *, born="17-09-1977", sex="L", kk="", phone="", address="", heir=""):
    heir_cells = f"{heir};Anak" if heir else ";"
    return f"{AHMAD_NIK};{name};{born};{sex};{kk};Petani;{phone};{address};{heir_cells}"


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [MUARA_ENIM_VILLAGE])


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1603"])


@pytest.fixture
def ahmad(make_worker):
    return make_worker(
        village=MUARA_ENIM_VILLAGE,
        nik=AHMAD_NIK,
        name="Ahmad Hakim",
        kk_number=AHMAD_KK,
        phone="081234567890",
        address="Dusun 1",
        heirs=[{"name": "Aminah", "relationship": "spouse"}],
    )


def stage(actor, *rows: str):
    return upload_stage(
        actor=actor, data=csv_bytes(*rows), filename="daftar.csv", village_code=MUARA_ENIM_VILLAGE
    )


def identity_of(worker: Worker) -> tuple:
    worker.refresh_from_db()
    heirs = sorted(Heir.objects.filter(worker=worker).values_list("name", flat=True))
    return worker.name, worker.birth_date, worker.sex, worker.kk_number, heirs


def test_an_upload_giving_a_registered_nik_another_name_is_refused_and_queued(operator, ahmad):
    before = identity_of(ahmad)
    upload = stage(operator, row("Rudi Hartono", kk=OTHER_KK, heir="Budi"))
    staged = StagedRow.objects.get(upload=upload)
    assert staged.status == "rejected"
    assert [e["code"] for e in staged.errors] == ["nik_identity_conflict"]
    message = staged.errors[0]["message"]
    assert f"NIK ini terdaftar atas nama {MASKED}; hubungi Dukcapil / kabupaten" in message
    assert "Ahmad" not in message  # the registered name is masked
    assert upload.counts["conflicts"] == 1 and upload.counts["updated"] == 0

    upload = upload_commit(actor=operator, upload=upload)
    assert upload.counts["changed"] == 0 and upload.counts["inserted"] == 0
    assert identity_of(ahmad) == before  # name, KK and heirs untouched
    commit = AuditEvent.objects.get(action="intake.commit")
    assert commit.changes["updated"] == [None, 0]
    assert not AuditEvent.objects.filter(action="worker.update").exists()

    pair = DuplicateCandidate.objects.get()
    assert (pair.kind, pair.status, pair.worker_a_id, pair.worker_b_id) == (
        "conflict",
        "open",
        ahmad.pk,
        None,
    )
    assert pair.upload_id == upload.pk and pair.incoming_row == 2
    assert pair.incoming["name"] == "Rudi Hartono" and pair.incoming["kk_number"] == OTHER_KK
    assert pair.details["disagree"] == ["name"]


def test_the_annotated_file_and_the_api_say_the_row_is_a_nik_conflict(operator, ahmad):
    upload = stage(operator, row("Rudi Hartono", kk=OTHER_KK))
    content, _name, _type = annotated_file(upload, "id")
    text = content.decode("utf-8-sig")
    assert "DITOLAK" in text and f"NIK ini terdaftar atas nama {MASKED}" in text

    _token, raw = api_token_create(actor=operator, user=operator, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = api.get(f"/api/uploads/{upload.pk}").json()
    assert body["counts"]["conflicts"] == 1 and body["counts"]["rejected"] == 1
    rows = api.get(f"/api/uploads/{upload.pk}/rows").json()
    assert rows["items"][0]["errors"][0]["code"] == "nik_identity_conflict"


def test_the_upload_page_shows_the_conflict_count(operator, ahmad, client_for):
    upload = stage(operator, row("Rudi Hartono"))
    page = client_for(operator).get(f"/unggah/{upload.pk}/").content.decode()
    assert "NIK ini terdaftar atas nama" in page
    assert "1 baris memberikan nama, tanggal lahir, atau jenis kelamin lain" in page


@pytest.mark.parametrize("spelling", ["AHMAD  HAKIM", "Ahmad Hakim.", "ahmad hakim", "Ahmad-Hakim"])
def test_case_spacing_and_punctuation_are_not_conflicts(operator, ahmad, spelling):
    upload = stage(operator, row(spelling, phone="0813 1111 2222"))
    staged = StagedRow.objects.get(upload=upload)
    assert staged.status == "update" and staged.errors == []
    upload_commit(actor=operator, upload=upload)
    ahmad.refresh_from_db()
    assert ahmad.name == "Ahmad Hakim"  # the registered spelling stays
    assert ahmad.phone == "+6281311112222"
    assert not DuplicateCandidate.objects.exists()


def test_a_same_name_row_changing_nothing_is_unchanged(operator, ahmad):
    upload = stage(operator, row("AHMAD HAKIM"))
    assert StagedRow.objects.get(upload=upload).status == "unchanged"


@pytest.mark.parametrize("field,legacy", [("birth_date", dt.date(1977, 9, 18)), ("sex", "P")])
def test_a_registered_nik_with_another_birth_date_or_sex_is_a_conflict(
    operator, ahmad, field, legacy
):
    # A record from before the NIK checks, whose birth date or sex disagrees with the list's.
    Worker.objects.filter(pk=ahmad.pk).update(**{field: legacy})
    before = identity_of(ahmad)
    upload = stage(operator, row("Ahmad Hakim", phone="0813 1111 2222"))
    staged = StagedRow.objects.get(upload=upload)
    assert staged.status == "rejected"
    assert staged.errors[0]["code"] == "nik_identity_conflict"
    upload_commit(actor=operator, upload=upload)
    assert identity_of(ahmad) == before
    assert Worker.objects.get(pk=ahmad.pk).phone == "+6281234567890"
    assert DuplicateCandidate.objects.get().details["disagree"] == [field]


def test_allowed_changes_are_audited_per_person_and_field_and_shown_in_history(
    operator, ahmad, client_for
):
    upload = stage(
        operator, row("Ahmad Hakim", phone="0813 1111 2222", address="Dusun 2", heir="Budi")
    )
    upload_commit(actor=operator, upload=upload)
    event = AuditEvent.objects.get(action="worker.update", object_id=str(ahmad.pk))
    assert event.object_type == "registry.worker" and event.channel == "system"
    assert event.changes == {
        "address": ["Dusun 1", "Dusun 2"],
        "phone": ["+6281234567890", "+6281311112222"],
    }
    assert event.actor_id == operator.pk and event.region_code == MUARA_ENIM_VILLAGE
    assert event.reason == "daftar.csv:2"
    heir = AuditEvent.objects.get(action="worker.heir_add", actor=operator)
    assert heir.changes == {
        "name": [None, "Budi"],
        "nik": [None, ""],
        "relationship": [None, "child"],
    }
    page = client_for(operator).get(f"/pekerja/{ahmad.pk}/").content.decode()
    assert "Dusun 1" in page and "Dusun 2" in page and "Budi" in page
    assert "daftar.csv:2" in page


def test_new_workers_from_an_import_have_their_source_in_their_history(operator, client_for):
    upload = stage(operator, row("Ahmad Hakim", heir="Budi"))
    upload_commit(actor=operator, upload=upload)
    worker = Worker.objects.get(nik=AHMAD_NIK)
    # The source is on the worker's own row; no audit row per new person (one batch event).
    assert (worker.source_upload_id, worker.source_row) == (upload.pk, 2)
    assert not AuditEvent.objects.filter(object_type="registry.worker").exists()
    commit = AuditEvent.objects.get(action="intake.commit")
    assert commit.changes["inserted"] == [None, 1] and commit.actor_id == operator.pk
    assert list(worker.heirs.values_list("name", flat=True)) == ["Budi"]

    page = client_for(operator).get(f"/pekerja/{worker.pk}/").content.decode()
    history = page[page.index("<h2>Riwayat</h2>") :]
    body = history[history.index("<tbody>") :]
    first = body[: body.index("</tr>")]
    assert "Didaftarkan dari unggahan daftar.csv, baris 2" in first
    assert operator.username in first and f"/unggah/{upload.pk}/" in first
    assert "Belum ada riwayat" not in history

    # A later import changing the person keeps the source and adds its own entry below it.
    upload_commit(
        actor=operator, upload=stage(operator, row("Ahmad Hakim", phone="0813 1111 2222"))
    )
    worker.refresh_from_db()
    assert (worker.source_upload_id, worker.source_row) == (upload.pk, 2)
    assert AuditEvent.objects.filter(action="worker.update", object_id=str(worker.pk)).exists()


def test_workers_registered_by_hand_have_no_import_source(operator, ahmad, client_for):
    assert ahmad.source_upload_id is None and ahmad.source_row is None
    page = client_for(operator).get(f"/pekerja/{ahmad.pk}/").content.decode()
    assert "Didaftarkan dari unggahan" not in page


def test_commit_applies_nothing_when_the_identity_changed_since_the_check(
    operator, ahmad, reviewer
):
    upload = stage(operator, row("Ahmad Hakim", phone="0813 1111 2222"))
    from lindung.registry.services import worker_identity_correct

    worker_identity_correct(
        actor=reviewer,
        worker=ahmad,
        name="Ahmad Hakim Siregar",
        birth_date=ahmad.birth_date,
        sex="L",
        reason="KTP checked",
    )
    with pytest.raises(ApplicationError) as moved:
        upload_commit(actor=operator, upload=upload)
    assert moved.value.code == "registry_changed"
    assert Worker.objects.get(pk=ahmad.pk).phone == "+6281234567890"
    assert not AuditEvent.objects.filter(action="worker.update").exists()
    # Checked again: the list's "Ahmad Hakim" is no longer the registered name.
    staged = StagedRow.objects.get(upload=upload)
    assert staged.status == "rejected" and staged.errors[0]["code"] == "nik_identity_conflict"


def test_only_a_reviewer_decision_changes_the_registered_identity(
    operator, ahmad, reviewer, client_for
):
    stage(operator, row("Rudi Hartono", kk=OTHER_KK))
    pair = DuplicateCandidate.objects.get()
    page = client_for(reviewer).get(f"/verifikasi/duplikat/{pair.pk}/").content.decode()
    assert "Rudi Hartono" in page and "Ahmad Hakim" in page and "daftar.csv" in page
    assert "hanya keputusan Anda yang dapat mengubah nama" in page

    # A scan of the region keeps the conflict waiting.
    duplicates_scan(actor=reviewer, region_code="1603")
    assert DuplicateCandidate.objects.filter(pk=pair.pk, status="open").exists()

    _token, raw = api_token_create(actor=reviewer, user=reviewer, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    listed = api.get("/api/duplicates").json()
    found = next(item for item in listed["items"] if item["id"] == pair.pk)
    assert found["name_b"] == "Rudi Hartono" and found["incoming"]["row"] == 2

    duplicate_decide(actor=reviewer, candidate=pair, same=True, keep="b", reason="KTP dilihat")
    ahmad.refresh_from_db()
    assert ahmad.name == "Rudi Hartono" and ahmad.kk_number == AHMAD_KK
    event = AuditEvent.objects.get(action="worker.identity_correct")
    assert event.changes == {"name": ["Ahmad Hakim", "Rudi Hartono"]}
    assert event.reason == "KTP dilihat"


def test_a_different_people_decision_leaves_the_registered_person_as_is(operator, ahmad, reviewer):
    before = identity_of(ahmad)
    stage(operator, row("Rudi Hartono"))
    pair = DuplicateCandidate.objects.get()
    duplicate_decide(actor=reviewer, candidate=pair, same=False, reason="NIK salah ketik")
    assert identity_of(ahmad) == before
    assert DuplicateCandidate.objects.get().status == "different"


def test_the_same_conflict_uploaded_again_is_queued_once(operator, ahmad):
    stage(operator, row("Rudi Hartono"))
    stage(operator, row("RUDI HARTONO"))
    assert DuplicateCandidate.objects.count() == 1


def test_an_operator_cannot_decide_a_nik_conflict(operator, ahmad):
    from django.core.exceptions import PermissionDenied

    stage(operator, row("Rudi Hartono"))
    pair = DuplicateCandidate.objects.get()
    with pytest.raises(PermissionDenied):
        duplicate_decide(actor=operator, candidate=pair, same=True, keep="b")
    assert identity_of(ahmad)[0] == "Ahmad Hakim"


def test_the_import_command_reports_conflicts(operator, ahmad, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "daftar.csv"
    path.write_bytes(csv_bytes(row("Rudi Hartono")))
    call_command("import", str(path), "--village", MUARA_ENIM_VILLAGE, "--json", "--commit")
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["conflicts"] == 1 and report["updated"] == 0
    assert Worker.objects.get(pk=ahmad.pk).name == "Ahmad Hakim"


def test_a_conflict_with_a_person_of_another_village_names_no_one(operator, make_worker):
    from lindung.conftest import PALI_VILLAGE

    elsewhere = make_worker(village=PALI_VILLAGE, nik=AHMAD_NIK, name="Ahmad Hakim")
    upload = stage(operator, row("Rudi Hartono"))
    staged = StagedRow.objects.get(upload=upload)
    assert staged.status == "rejected"
    assert [e["code"] for e in staged.errors] == ["nik_identity_conflict"]
    assert MASKED not in staged.errors[0]["message"]
    assert "desa lain" in staged.errors[0]["message"]
    pair = DuplicateCandidate.objects.get()
    assert pair.worker_a_id == elsewhere.pk and pair.region_code == PALI_VILLAGE
    assert "village" in pair.details["disagree"]


def test_keeping_the_registered_identity_on_the_review_page_changes_nothing(
    operator, ahmad, reviewer, client_for
):
    before = identity_of(ahmad)
    stage(operator, row("Rudi Hartono", kk=OTHER_KK))
    pair = DuplicateCandidate.objects.get()
    response = client_for(reviewer).post(
        f"/verifikasi/duplikat/{pair.pk}/", {"decision": "keep_a", "reason": "salah ketik NIK"}
    )
    assert response.status_code == 302
    assert identity_of(ahmad) == before
    pair.refresh_from_db()
    assert pair.status == "same" and pair.decided_by_id == reviewer.pk
    assert AuditEvent.objects.get(action="duplicate.nik_conflict").changes["kept"] == [
        None,
        "registered",
    ]
