"""Another regency's claim is 404 on every page and API route; a village operator is 403;
lists of other regions hold nothing of it."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.claims.models import Claim

from .conftest import PDF

pytestmark = pytest.mark.django_db
OUTSIDERS = ["other_admin", "other_bpjs", "other_operator"]


def _page_calls(claim):
    doc = claim.documents.first()
    return [
        ("get", f"/klaim/{claim.pk}/", None),
        ("get", f"/klaim/{claim.pk}/dokumen/{doc.pk}/", None),
        ("post", f"/klaim/{claim.pk}/dokumen/", {"kind": "other"}),
        ("post", f"/klaim/{claim.pk}/ahli-waris/", {"expected_state": "filed"}),
        (
            "post",
            f"/klaim/{claim.pk}/status/",
            {"to": "rejected", "expected_state": "filed", "reason": "x"},
        ),
        (
            "post",
            f"/klaim/{claim.pk}/bayar/",
            {"amount": "1", "paid_on": "2025-12-01", "reference": "x"},
        ),
    ]


def _api_calls(claim):
    return [
        ("get", f"/api/claims/{claim.pk}", None),
        (
            "post",
            f"/api/claims/{claim.pk}/move",
            {"to": "rejected", "expected_state": "filed", "reason": "x"},
        ),
        (
            "put",
            f"/api/claims/{claim.pk}/heirs",
            {"expected_state": "filed", "heirs": [{"name": "X", "share_bp": 10000}]},
        ),
        (
            "post",
            f"/api/claims/{claim.pk}/payments",
            {"amount": 1, "paid_on": "2025-12-01", "reference": "x"},
        ),
        (
            "post",
            "/api/claims",
            {
                "participant_id": claim.participant_id,
                "claim_type": "jkm",
                "event_date": "2025-11-20",
            },
        ),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_regencys_claim_is_404_on_pages(jkm_claim, users, client_for, who):
    claim = jkm_claim()
    client = client_for(users[who])
    for method, url, body in _page_calls(claim):
        response = getattr(client, method)(url, body or {})
        expected = 403 if who == "other_operator" and url.endswith(f"/{claim.pk}/") else 404
        assert response.status_code in (expected, 404), (url, response.status_code)
        assert claim.worker.name not in response.content.decode()
    listing = client.get("/klaim/")
    assert listing.status_code in (200, 403)
    assert claim.worker.name not in listing.content.decode()
    claim.refresh_from_db()
    assert claim.state == "filed"


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_regencys_claim_is_404_in_the_api(jkm_claim, users, api_for, who):
    claim = jkm_claim()
    api = api_for(users[who])
    for method, url, body in _api_calls(claim):
        response = getattr(api, method)(
            url, data=json.dumps(body) if body else None, content_type="application/json"
        )
        assert response.status_code == 404, (url, response.status_code, response.content)
        assert claim.worker.name not in response.content.decode()
    upload = api.post(
        f"/api/claims/{claim.pk}/documents",
        {"kind": "other", "file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert upload.status_code == 404
    listing = api.get("/api/claims")
    assert listing.status_code in (200, 403)
    if listing.status_code == 200:
        assert listing.json()["count"] == 0
    assert Claim.objects.get(pk=claim.pk).state == "filed"


def test_a_village_operator_of_the_village_is_403(jkm_claim, users, client_for, api_for):
    claim = jkm_claim()
    client = client_for(users["operator"])
    assert client.get("/klaim/").status_code == 403
    assert client.get(f"/klaim/{claim.pk}/").status_code == 403
    assert client.get("/klaim/baru/").status_code == 403
    assert client.get("/klaim/register.xlsx").status_code == 403
    api = api_for(users["operator"])
    assert api.get(f"/api/claims/{claim.pk}").status_code == 403
    assert api.get("/api/claims").status_code == 403


def test_read_only_roles_see_the_claim_but_cannot_act(jkm_claim, users, client_for):
    claim = jkm_claim()
    for who in ("auditor", "head"):
        client = client_for(users[who])
        page = client.get(f"/klaim/{claim.pk}/")
        assert page.status_code == 200 and claim.worker.name in page.content.decode()
        assert 'name="to"' not in page.content.decode()
        moved = client.post(
            f"/klaim/{claim.pk}/status/",
            {"to": "documents_complete", "expected_state": "filed"},
        )
        assert moved.status_code == 403
    claim.refresh_from_db()
    assert claim.state == "filed"


def test_the_menu_shows_claims_to_those_who_see_them(users, client_for):
    assert 'href="/klaim/"' in client_for(users["bpjs"]).get("/").content.decode()
    assert 'href="/klaim/"' not in client_for(users["operator"]).get("/").content.decode()


@pytest.mark.parametrize("bad", ["0", "-1", str(2**70), "abc"])
def test_hostile_ids_are_404_not_500(users, client_for, api_for, bad):
    client = client_for(users["bpjs"])
    assert client.get(f"/klaim/{bad}/").status_code == 404
    assert api_for(users["bpjs"]).get(f"/api/claims/{bad}").status_code in (404, 422)
    assert client.get(f"/klaim/baru/?participant={bad}").status_code in (403, 404)
