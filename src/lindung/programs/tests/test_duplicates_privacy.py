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
from lindung.programs.duplicates import duplicates_scan
from lindung.programs.models import CandidateStatus, DuplicateCandidate
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
