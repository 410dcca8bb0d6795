"""Duplicate review across regions (issue 7 §4): after a scan, Muara Enim's admin opened a pair
showing a PALI worker's name, birth date, village, unmasked phone and heir, while that worker's
own page was 404 for them. A user sees of the other side only what their scope allows, and only
someone whose scope covers both people decides the pair."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from lindung.accounts import masking
from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.conftest import MUARA_ENIM_VILLAGE, PALI_VILLAGE, make_nik
from lindung.duplicates.models import CandidateStatus, DuplicateCandidate
from lindung.duplicates.services import duplicates_scan
from lindung.registry.models import Worker

BORN = dt.date(1980, 1, 1)
PALI_PHONE = "081298765432"
PALI_NAME = "M. Yusuf Hidayat"
PALI_HEIR = "Rafiqah Zahra"
REFUSAL = "diputuskan oleh petugas yang wilayahnya mencakup kedua orang"


@pytest.fixture
def cross_pair(make_worker):
    """One person registered in Muara Enim and, with the district digits of the NIK changed,
    again in PALI (the probable-duplicate pass for wrong region digits finds them)."""
    muara_enim = make_worker(
        village=MUARA_ENIM_VILLAGE,
        nik=make_nik("160301", BORN, "L", 21),
        name="Muhammad Yusuf Hidayat",
        birth_date=BORN,
    )
    pali = make_worker(
        village=PALI_VILLAGE,
        nik=make_nik("161201", BORN, "L", 21),
        name=PALI_NAME,
        birth_date=BORN,
        phone=PALI_PHONE,
        heirs=[{"name": PALI_HEIR, "relationship": "child"}],
    )
    return muara_enim, pali


@pytest.fixture
def muara_enim_admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1603"], username="admin-muara-enim")


def _api(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _leaks(text: str, pali: Worker) -> list[str]:
    pali_village = pali.village.name
    return [
        shown
        for shown in (PALI_NAME, pali.nik, PALI_PHONE, PALI_PHONE[-10:], PALI_HEIR, pali_village)
        if shown in text
    ]


def test_muara_enim_admin_sees_only_a_masked_pali_person_in_the_pair(
    cross_pair, muara_enim_admin, client_for
):
    muara_enim, pali = cross_pair
    found = duplicates_scan(actor=muara_enim_admin, region_code="1603")
    assert len(found) == 1
    candidate = found[0]
    client = client_for(muara_enim_admin)

    listing = client.get("/verifikasi/duplikat/").content.decode()
    page = client.get(f"/verifikasi/duplikat/{candidate.pk}/").content.decode()
    assert muara_enim.name in page and muara_enim.nik in page
    for shown in (listing, page):
        assert _leaks(shown, pali) == []
        assert "PENUKAL ABAB LEMATANG ILIR" in shown.upper()
    # The birth date shows once: on the Muara Enim side only.
    assert page.count(BORN.strftime("%d-%m-%Y")) == 1
    assert masking.mask_number(pali.nik) in page

    # The PALI worker's own page stays out of reach.
    assert client.get(f"/pekerja/{pali.pk}/").status_code == 404


def test_the_pair_api_masks_the_other_side_and_its_findings(cross_pair, muara_enim_admin):
    muara_enim, pali = cross_pair
    api = _api(muara_enim_admin)
    scanned = api.post(
        "/api/duplicates/scan", {"region_code": "1603"}, content_type="application/json"
    )
    assert scanned.status_code == 200
    (pair,) = scanned.json()
    one = api.get(f"/api/duplicates/{pair['id']}").json()
    listed = api.get("/api/duplicates").json()["items"]
    for body in (pair, one, *listed):
        assert _leaks(str(body), pali) == []
        side = "b" if body["worker_a_id"] == muara_enim.pk else "a"
        assert body[f"worker_{side}_id"] is None
        assert body[f"nik_{side}"] == masking.mask_number(pali.nik)
        assert "Kabupaten" in body[f"label_{side}"] or "KAB" in body[f"label_{side}"].upper()
        assert body["details"] == {} and body["decidable"] is False
    assert api.get(f"/api/workers/{pali.pk}").status_code == 404


def test_muara_enim_admin_cannot_decide_a_pair_reaching_into_pali(
    cross_pair, muara_enim_admin, client_for
):
    muara_enim, pali = cross_pair
    (candidate,) = duplicates_scan(actor=muara_enim_admin, region_code="1603")

    api = _api(muara_enim_admin)
    for same in (True, False):
        response = api.post(
            f"/api/duplicates/{candidate.pk}/decide",
            {"same": same, "keep": "a", "reason": "sama"},
            content_type="application/json",
        )
        assert response.status_code == 403
        assert REFUSAL in response.json()["message"]

    page = client_for(muara_enim_admin).post(
        f"/verifikasi/duplikat/{candidate.pk}/", {"decision": "keep_a", "reason": "sama"}
    )
    assert page.status_code == 403 and REFUSAL in page.content.decode()

    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN
    assert Worker.objects.filter(pk__in=[muara_enim.pk, pali.pk]).count() == 2
    assert pali.heirs.count() == 1


def test_a_reviewer_covering_both_regencies_sees_and_decides_the_pair(
    cross_pair, muara_enim_admin, make_user, client_for
):
    duplicates_scan(actor=muara_enim_admin, region_code="1603")
    candidate = DuplicateCandidate.objects.get()
    officer = make_user(Role.BPJS_OFFICER, ["1603", "1612"])
    page = client_for(officer).get(f"/verifikasi/duplikat/{candidate.pk}/").content.decode()
    assert PALI_NAME in page and PALI_HEIR in page
    response = _api(officer).post(
        f"/api/duplicates/{candidate.pk}/decide",
        {"same": False, "reason": "beda orang"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert DuplicateCandidate.objects.get().status == CandidateStatus.DIFFERENT


def test_opening_a_cross_region_pair_records_only_the_side_shown_in_full(
    cross_pair, muara_enim_admin, client_for
):
    from lindung.audit.models import AuditEvent

    muara_enim, _pali = cross_pair
    (candidate,) = duplicates_scan(actor=muara_enim_admin, region_code="1603")
    client_for(muara_enim_admin).get(f"/verifikasi/duplikat/{candidate.pk}/")
    (event,) = AuditEvent.objects.filter(action="pii.view")
    assert event.changes == {"workers": [None, [muara_enim.pk]]}
    assert event.actor_username == muara_enim_admin.username


# --- NIK conflicts from uploads (issue 7 §1 meets §4) ------------------------------------------

CONFLICT_BORN = dt.date(1977, 9, 17)
REGISTERED = "Ahmad Hakim"
INCOMING = "Rudi Hartono"
CONFLICT_KK = "1603019999990002"


def _conflict(make_worker, make_user, *, upload_village: str, worker_village: str):
    """A worker registered in `worker_village`; an operator of `upload_village` uploads a row
    giving that NIK another name: a NIK conflict pair (A registered, B the row)."""
    from lindung.intake.services import upload_stage

    nik = make_nik(worker_village[:6], CONFLICT_BORN, "L", 27)
    registered = make_worker(
        village=worker_village,
        nik=nik,
        name=REGISTERED,
        birth_date=CONFLICT_BORN,
        phone=PALI_PHONE,
        heirs=[{"name": PALI_HEIR, "relationship": "child"}],
    )
    operator = make_user(Role.VILLAGE_OPERATOR, [upload_village])
    header = "NIK;Nama Lengkap;Tgl Lahir;L/P;No KK;Pekerjaan"
    data = f"{header}\n{nik};{INCOMING};17-09-1977;L;{CONFLICT_KK};Petani\n".encode()
    upload_stage(actor=operator, data=data, filename="daftar.csv", village_code=upload_village)
    pair = DuplicateCandidate.objects.get(kind="conflict")
    assert pair.worker_a_id == registered.pk and pair.worker_b_id is None
    return registered, pair


def test_muara_enim_admin_cannot_see_or_decide_a_conflict_with_a_pali_person(
    make_worker, make_user, muara_enim_admin, client_for
):
    """Muara Enim's upload gave the NIK of a PALI worker another name: Muara Enim's admin sees
    their row (side B) and only a masked label for the PALI person, and cannot decide (403)."""
    pali, pair = _conflict(
        make_worker, make_user, upload_village=MUARA_ENIM_VILLAGE, worker_village=PALI_VILLAGE
    )
    client = client_for(muara_enim_admin)
    listing = client.get("/verifikasi/duplikat/").content.decode()
    page = client.get(f"/verifikasi/duplikat/{pair.pk}/").content.decode()
    for shown in (listing, page):
        assert REGISTERED not in shown and PALI_PHONE not in shown and PALI_HEIR not in shown
        assert pali.village.name not in shown
        assert "seseorang yang terdaftar di" in shown
        assert "PENUKAL ABAB LEMATANG ILIR" in shown.upper()
        assert masking.mask_name(REGISTERED) in shown
        assert INCOMING in shown  # their own row
    assert REFUSAL in page

    body = _api(muara_enim_admin).get(f"/api/duplicates/{pair.pk}").json()
    assert REGISTERED not in str(body) and PALI_PHONE not in str(body)
    assert body["worker_a_id"] is None and body["name_a"] == masking.mask_name(REGISTERED)
    assert body["nik_a"] == masking.mask_number(pali.nik)
    assert "PENUKAL ABAB LEMATANG ILIR" in body["label_a"].upper()
    assert body["label_b"] == "" and body["name_b"] == INCOMING
    assert body["incoming"]["name"] == INCOMING and body["incoming"]["kk_number"] == CONFLICT_KK
    assert body["decidable"] is False and body["details"] == {}

    decided = _api(muara_enim_admin).post(
        f"/api/duplicates/{pair.pk}/decide",
        {"same": True, "keep": "b", "reason": "KTP"},
        content_type="application/json",
    )
    assert decided.status_code == 403 and REFUSAL in decided.json()["message"]
    posted = client.post(f"/verifikasi/duplikat/{pair.pk}/", {"decision": "keep_b"})
    assert posted.status_code == 403
    pair.refresh_from_db()
    pali.refresh_from_db()
    assert pair.status == CandidateStatus.OPEN and pali.name == REGISTERED


def test_pali_admin_sees_the_pali_person_but_not_muara_enim_s_row_in_clear(
    make_worker, make_user, client_for
):
    """The same pair for PALI's admin: their worker in full, the Muara Enim row masked; the
    decision needs a scope covering the upload's village too (here a BPJS officer's)."""
    pali, pair = _conflict(
        make_worker, make_user, upload_village=MUARA_ENIM_VILLAGE, worker_village=PALI_VILLAGE
    )
    pali_admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    page = client_for(pali_admin).get(f"/verifikasi/duplikat/{pair.pk}/").content.decode()
    assert REGISTERED in page and pali.nik in page
    assert INCOMING not in page and CONFLICT_KK not in page and "daftar.csv" not in page
    assert masking.mask_name(INCOMING) in page and "MUARA ENIM" in page.upper()
    body = _api(pali_admin).get(f"/api/duplicates/{pair.pk}").json()
    assert body["name_a"] == REGISTERED and body["name_b"] == masking.mask_name(INCOMING)
    assert INCOMING not in str(body) and CONFLICT_KK not in str(body)
    assert body["incoming"]["kk_number"] == "" and body["incoming"]["file"] == ""
    assert "MUARA ENIM" in body["label_b"].upper() and body["decidable"] is False
    denied = _api(pali_admin).post(
        f"/api/duplicates/{pair.pk}/decide",
        {"same": False, "reason": "beda"},
        content_type="application/json",
    )
    assert denied.status_code == 403

    officer = make_user(Role.BPJS_OFFICER, ["1603", "1612"])
    decided = _api(officer).post(
        f"/api/duplicates/{pair.pk}/decide",
        {"same": True, "keep": "b", "reason": "KTP dilihat"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    pali.refresh_from_db()
    assert pali.name == INCOMING


def test_pali_admin_sees_and_decides_a_conflict_within_pali(
    make_worker, make_user, muara_enim_admin, client_for
):
    """A PALI upload conflicting with a PALI worker: PALI's admin sees both sides and decides;
    Muara Enim's admin does not even find the pair."""
    pali, pair = _conflict(
        make_worker, make_user, upload_village=PALI_VILLAGE, worker_village=PALI_VILLAGE
    )
    assert client_for(muara_enim_admin).get(f"/verifikasi/duplikat/{pair.pk}/").status_code == 404
    assert _api(muara_enim_admin).get("/api/duplicates").json()["items"] == []

    pali_admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    client = client_for(pali_admin)
    page = client.get(f"/verifikasi/duplikat/{pair.pk}/").content.decode()
    assert REGISTERED in page and INCOMING in page and CONFLICT_KK in page
    assert "daftar.csv" in page and REFUSAL not in page
    body = _api(pali_admin).get(f"/api/duplicates/{pair.pk}").json()
    assert body["decidable"] is True and body["details"]["disagree"] == ["name"]
    assert body["incoming"]["name"] == INCOMING and body["incoming"]["row"] == 2
    response = client.post(
        f"/verifikasi/duplikat/{pair.pk}/", {"decision": "keep_b", "reason": "KTP dilihat"}
    )
    assert response.status_code == 302
    pali.refresh_from_db()
    assert pali.name == INCOMING
