"""The claim register: claims per program and region with totals by type and state, filters,
the XLSX export (NIKs masked for those who may not see them), and filing from a participant."""

from __future__ import annotations

import io

import pytest

from .conftest import JKM_TOTAL, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_claims(jkm_claim, users):
    paid = jkm_claim()
    move(users["admin"], paid, "documents_complete")
    move(users["bpjs"], paid, "verified")
    waiting = jkm_claim()
    return paid, waiting


def test_register_totals_by_type_and_state(two_claims, users, client_for):
    page = client_for(users["admin"]).get("/klaim/")
    assert page.status_code == 200
    totals = page.context["totals"]
    assert totals["count"] == 2
    assert totals["payable"] == JKM_TOTAL
    by_state = {str(label): (n, amount) for label, n, amount in totals["by_state"]}
    assert by_state["Diverifikasi"] == (1, JKM_TOTAL)
    assert by_state["Diajukan"] == (1, 0)
    body = page.content.decode()
    assert "Rp42.000.000" in body


def test_register_filters_by_state_program_and_nik(two_claims, users, client_for):
    paid, waiting = two_claims
    client = client_for(users["admin"])
    filtered = client.get("/klaim/?state=verified").context["page"].object_list
    assert [c.pk for c in filtered] == [paid.pk]
    by_program = client.get(f"/klaim/?program={waiting.program.code}").context["page"]
    assert [c.pk for c in by_program.object_list] == [waiting.pk]
    by_nik = client.get(f"/klaim/?q={paid.worker.nik}").context["page"].object_list
    assert [c.pk for c in by_nik] == [paid.pk]
    assert client.get("/klaim/?state=nonsense&type=x&village=abc").status_code == 200
    assert client.get("/klaim/?q=%00").status_code == 400  # the edge refuses NUL bytes


def test_register_export_masks_niks_for_read_only_roles(two_claims, users, client_for):
    from python_calamine import CalamineWorkbook

    paid, _waiting = two_claims
    for who, full in (("admin", True), ("head", False)):
        response = client_for(users[who]).get("/klaim/register.xlsx")
        assert response.status_code == 200
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
        text = str(rows.to_python())
        assert (paid.worker.nik in text) is full, who
        assert paid.worker.nik[:4] + "*" * 12 in text or full


def test_register_query_count_does_not_grow_with_claims(jkm_claim, users, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    jkm_claim()
    client = client_for(users["admin"])
    with CaptureQueriesContext(connection) as one:
        client.get("/klaim/")
    for _ in range(3):
        jkm_claim()
    with CaptureQueriesContext(connection) as four:
        client.get("/klaim/")
    assert len(four.captured_queries) <= len(one.captured_queries) + 1


def test_filing_from_a_participant_found_by_kpj(participant_of, users, client_for):
    participant = participant_of(paid=False)
    client = client_for(users["admin"])
    found = client.get(f"/klaim/baru/?q={participant.kpj}")
    assert participant.worker.name in found.content.decode()
    response = client.post(
        "/klaim/baru/",
        {
            "participant": participant.pk,
            "claim_type": "jkm",
            "event_date": "2025-11-20",
            "place": "Talang Ubi",
        },
    )
    assert response.status_code == 302
    claim = participant.claims.get()
    assert claim.state == "filed" and claim.filed_by == users["admin"]
    # A participant of another regency is not found and cannot be claimed for.
    other = client_for(users["other_admin"])
    assert (
        participant.worker.name
        not in other.get(f"/klaim/baru/?q={participant.kpj}").content.decode()
    )
    assert (
        other.post(
            "/klaim/baru/",
            {"participant": participant.pk, "claim_type": "jkm", "event_date": "2025-11-20"},
        ).status_code
        == 404
    )


def test_filing_refuses_nonsense_input(participant_of, users, client_for):
    participant = participant_of(paid=False)
    client = client_for(users["admin"])
    for data in (
        {"claim_type": "jkm", "event_date": "2999-01-01"},
        {"claim_type": "bogus", "event_date": "2025-11-20"},
        {"claim_type": "jkm", "event_date": "2025-11-20", "place": "x\x00y"},
        {"claim_type": "jkm", "event_date": "2025-11-20", "place": "x" * 5000},
    ):
        response = client.post("/klaim/baru/", {"participant": participant.pk, **data})
        assert response.status_code == 400, data
    assert not participant.claims.exists()
