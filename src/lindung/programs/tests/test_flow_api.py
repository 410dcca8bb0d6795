"""A whole submission, from the village's upload to "ready for enrolment", through the API."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, make_nik

OK = make_nik("161201", dt.date(1980, 5, 17), "P", 8)
OLD = make_nik("161201", dt.date(1950, 2, 2), "L", 9)  # 75 at the start of coverage
FISHER = make_nik("161201", dt.date(1990, 1, 1), "L", 10)


def client_of(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, url, data):
    response = client.post(url, data, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return response.json()


@pytest.fixture
def people(make_user):
    return {
        "operator": client_of(make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])),
        "regency": client_of(make_user(Role.REGENCY_ADMIN, ["1612"])),
        "bpjs": client_of(make_user(Role.BPJS_OFFICER, ["1603", "1612"])),
    }


def test_a_list_goes_from_village_to_ready_for_enrolment(people):
    op, regency, bpjs = people["operator"], people["regency"], people["bpjs"]
    post(
        regency,
        "/api/programs",
        {
            "code": "pali-2025",
            "name": "Perlindungan Pekerja Rentan Desa PALI 2025",
            "owner_region_code": "16.12",
            "coverage_start": "2025-10-01",
            "coverage_end": "2025-12-31",
            "legal_basis": "Keputusan Bupati PALI 118/KPTS/DPMD III/2025",
            "min_per_village": 100,
            "data_deadline": "2025-05-30",
            "occupation_codes": ["petani", "ojek"],
        },
    )
    assert [p["code"] for p in op.get("/api/programs").json()] == ["pali-2025"]
    content = (
        "NIK;Nama Lengkap;Pekerjaan\n"
        f"{OK};Siti Aminah;Petani\n{OLD};Pak Tua;Petani\n{FISHER};Andi;Nelayan\n"
    ).encode()
    upload = op.post(
        "/api/uploads",
        {"file": SimpleUploadedFile("d.csv", content), "village_code": PALI_VILLAGE},
    ).json()
    post(op, f"/api/uploads/{upload['id']}/commit", {})
    sub = post(op, "/api/programs/pali-2025/submissions", {"village_code": PALI_VILLAGE})
    sid = sub["id"]
    sub = post(op, f"/api/submissions/{sid}/people", {"upload_id": upload["id"]})
    assert (sub["people"], sub["eligible"]) == (3, 1)
    post(op, f"/api/submissions/{sid}/move", {"to": "submitted", "expected_state": "draft"})

    # The regency returns it: the village must deal with the fisher.
    returned = post(
        regency,
        f"/api/submissions/{sid}/move",
        {"to": "returned", "expected_state": "submitted", "notes": "Cek nelayan"},
    )
    assert returned["state"] == "returned" and returned["notes"] == "Cek nelayan"
    people_list = op.get(f"/api/submissions/{sid}/people?eligible=no").json()["items"]
    reasons = {p["name"]: [r["code"] for r in p["reasons"]] for p in people_list}
    assert reasons == {"Pak Tua": ["age_too_old"], "Andi": ["occupation_not_eligible"]}

    # The operator corrects Andi's occupation, checks again, and submits again.
    andi = next(p for p in people_list if p["name"] == "Andi")
    worker = op.get(f"/api/workers/{andi['worker_id']}").json()
    worker.update(occupation_code="ojek", village_code=worker["village_code"])
    assert (
        op.put(
            f"/api/workers/{andi['worker_id']}", worker, content_type="application/json"
        ).status_code
        == 200
    )
    assert post(op, f"/api/submissions/{sid}/recheck", {})["eligible"] == 2
    post(op, f"/api/submissions/{sid}/move", {"to": "submitted", "expected_state": "returned"})
    post(regency, f"/api/submissions/{sid}/move", {"to": "approved", "expected_state": "submitted"})

    # Issue 8 §2: the regency's approval excluded the ineligible person (Pak Tua) with the
    # rules' reasons, so BPJS checks and accepts only the two sent on.
    checked = post(bpjs, f"/api/submissions/{sid}/check-identities", {})
    assert checked["counts"] == {"valid": 2}
    # No Dukcapil service in the tests: the answer says only the NIK's structure was checked.
    assert checked["source"] == "offline" and checked["structure_only"] is True
    assert "structure" in checked["message"] or "struktur" in checked["message"]
    assert checked["checked_at"][:4].isdigit()  # ISO in the API
    post(bpjs, f"/api/submissions/{sid}/decide", {"accept": True})
    post(bpjs, f"/api/submissions/{sid}/decide", {"accept": False})
    verified = post(
        bpjs, f"/api/submissions/{sid}/move", {"to": "verified", "expected_state": "approved"}
    )
    assert (verified["accepted"], verified["rejected"], verified["excluded"]) == (2, 0, 1)
    ready = post(
        bpjs, f"/api/submissions/{sid}/move", {"to": "ready", "expected_state": "verified"}
    )
    assert ready["state"] == "ready"

    seen_by_village = op.get(f"/api/submissions/{sid}/people?outcome=excluded").json()["items"]
    assert [p["name"] for p in seen_by_village] == ["Pak Tua"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "submission.submitted", "submission.returned", "submission.approved",
        "submission.accept", "submission.reject", "submission.verified", "submission.ready",
    } <= actions  # fmt: skip


def test_wrong_moves_are_refused_with_a_reason(people):
    op, regency = people["operator"], people["regency"]
    post(
        regency,
        "/api/programs",
        {"code": "p", "name": "P", "owner_region_code": "1612",
         "coverage_start": "2025-10-01", "coverage_end": "2025-12-31"},
    )  # fmt: skip
    sid = post(op, "/api/programs/p/submissions", {"village_code": PALI_VILLAGE})["id"]
    empty = op.post(
        f"/api/submissions/{sid}/move",
        {"to": "submitted", "expected_state": "draft"},
        content_type="application/json",
    )
    assert empty.status_code == 400 and empty.json()["code"] == "empty"
    skip = regency.post(
        f"/api/submissions/{sid}/move",
        {"to": "verified", "expected_state": "draft"},
        content_type="application/json",
    )
    assert skip.status_code == 400 and skip.json()["code"] == "transition"
    self_approve = op.post(
        f"/api/submissions/{sid}/move",
        {"to": "approved", "expected_state": "draft"},
        content_type="application/json",
    )
    assert self_approve.status_code == 400  # draft → approved is not a move at all
