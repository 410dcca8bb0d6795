"""The scholarship page of a deceased participant: places for at most two children registered
before the death, a place moved once, a child's level per school year, one claim per school
year computed by the rules (at most 3 school years paid back), and what was paid per child per
year — with the abuse cases: another region 404, a role that may not file 403, a third child
refused in Indonesian, a stale move 409, hostile numbers 400."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lindung.claims.models import Claim, ScholarshipPlace
from lindung.claims.services import (
    claim_heirs_set,
    claim_payment_record,
    current_school_year,
    scholarship_place_add,
    scholarship_year_record,
)
from lindung.registry.models import Heir

from .conftest import documents_for, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def deceased(jkm_claim, users):
    """An approved JKM death with three children registered long before it."""
    claim = jkm_claim()
    for name in ("Anak Dua", "Anak Tiga"):
        Heir.objects.create(worker_id=claim.worker_id, name=name, relationship="child")
    Heir.objects.filter(worker_id=claim.worker_id).update(
        created_at=timezone.make_aware(dt.datetime(2024, 1, 1))
    )
    move(users["admin"], claim, "documents_complete")
    move(users["bpjs"], claim, "verified")
    move(users["bpjs2"], claim, "approved")
    children = list(
        Heir.objects.filter(worker_id=claim.worker_id, relationship="child").order_by("pk")
    )
    return claim.participant, children


def url(participant) -> str:
    return f"/klaim/beasiswa/{participant.pk}/"


def test_the_page_shows_places_and_forms_to_the_regency(deceased, users, client_for):
    participant, (a, *_rest) = deceased
    scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    client = client_for(users["admin"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url(participant))
    assert page.status_code == 200
    html = page.content.decode()
    assert a.name in html and 'id="place-form"' in html and "year-form" in html
    assert len(queries) <= 25, [q["sql"] for q in queries]
    # The death claim links to the page.
    death = Claim.objects.get(participant=participant, claim_type="jkm")
    assert url(participant) in client.get(f"/klaim/{death.pk}/").content.decode()


def test_places_through_the_page_and_a_third_child_refused_in_indonesian(
    deceased, users, client_for
):
    participant, (a, b, c) = deceased
    client = client_for(users["admin"])
    for child in (a, b):
        done = client.post(f"/klaim/beasiswa/{participant.pk}/tempat/", {"child": child.pk})
        assert done.status_code == 302
    third = client.post(
        f"/klaim/beasiswa/{participant.pk}/tempat/",
        {"child": c.pk},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert third.status_code == 400
    assert "Paling banyak 2 anak" in third.content.decode()
    assert ScholarshipPlace.objects.filter(participant=participant).count() == 2


def test_other_region_gets_404_and_other_roles_403(deceased, users, client_for):
    participant, (a, *_rest) = deceased
    place = scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    other = client_for(users["other_admin"])
    assert other.get(url(participant)).status_code == 404
    add = other.post(f"/klaim/beasiswa/{participant.pk}/tempat/", {"child": a.pk})
    assert add.status_code == 404
    assert other.post(f"/klaim/beasiswa/tempat/{place.pk}/tahun/", {}).status_code == 404
    assert other.post(f"/klaim/beasiswa/tempat/{place.pk}/klaim/", {}).status_code == 404
    assert other.post(f"/klaim/beasiswa/tempat/{place.pk}/pindah/", {}).status_code == 404
    operator = client_for(users["operator"])
    assert operator.get(url(participant)).status_code == 403
    assert operator.post(f"/klaim/beasiswa/tempat/{place.pk}/tahun/", {}).status_code == 403
    auditor = client_for(users["auditor"])
    page = auditor.get(url(participant))
    assert page.status_code == 200 and 'id="place-form"' not in page.content.decode()
    assert auditor.post(f"/klaim/beasiswa/tempat/{place.pk}/klaim/", {}).status_code == 403
    from django.test import Client

    assert Client().get(url(participant)).status_code == 302  # anonymous: to the log-in


def test_a_stale_move_is_409_and_a_place_moves_only_once(deceased, users, client_for):
    participant, (a, b, c) = deceased
    place = scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    client = client_for(users["admin"])
    moved = client.post(
        f"/klaim/beasiswa/tempat/{place.pk}/pindah/", {"child": c.pk, "expected_child": a.pk}
    )
    assert moved.status_code == 302
    stale = client.post(
        f"/klaim/beasiswa/tempat/{place.pk}/pindah/", {"child": b.pk, "expected_child": a.pk}
    )
    assert stale.status_code == 409
    again = client.post(
        f"/klaim/beasiswa/tempat/{place.pk}/pindah/", {"child": b.pk, "expected_child": c.pk}
    )
    assert again.status_code == 409
    place.refresh_from_db()
    assert (place.child_id, place.moved_from_id) == (c.pk, a.pk)


@pytest.mark.parametrize(
    "body",
    [
        {"school_year": "99999999999999999999999", "level": "sd"},
        {"school_year": "2025\x00", "level": "sd"},
        {"school_year": "dua ribu", "level": "sd"},
        {"school_year": "2025", "level": "sd", "grade": "-1"},
        {"school_year": "2025", "level": "phd"},
        {"school_year": "1200", "level": "sd"},
    ],
)
def test_hostile_numbers_are_refused_with_400(deceased, users, client_for, body):
    participant, (a, *_rest) = deceased
    place = scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    answer = client_for(users["admin"]).post(f"/klaim/beasiswa/tempat/{place.pk}/tahun/", body)
    assert answer.status_code == 400
    assert not place.years.exists()
    huge_child = client_for(users["admin"]).post(
        f"/klaim/beasiswa/{participant.pk}/tempat/", {"child": "9" * 30}
    )
    assert huge_child.status_code == 400


def test_a_school_year_claim_is_computed_paid_and_shown_per_child_per_year(
    deceased, users, client_for
):
    participant, (a, *_rest) = deceased
    place = scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    running = current_school_year(timezone.localdate())
    client = client_for(users["admin"])
    recorded = client.post(
        f"/klaim/beasiswa/tempat/{place.pk}/tahun/",
        {"school_year": str(running), "level": "smp", "grade": "8"},
    )
    assert recorded.status_code == 302
    filed = client.post(f"/klaim/beasiswa/tempat/{place.pk}/klaim/", {"school_year": running})
    assert filed.status_code == 302
    claim = Claim.objects.get(claim_type="scholarship")
    assert filed["Location"] == f"/klaim/{claim.pk}/"
    # The same school year again: already claimed.
    again = client.post(f"/klaim/beasiswa/tempat/{place.pk}/klaim/", {"school_year": running})
    assert again.status_code == 409
    documents_for(users["admin"], claim)
    claim_heirs_set(
        actor=users["admin"],
        claim=claim,
        heirs=[{"heir_id": a.pk, "share_bp": 10_000}],
        expected_state="filed",
    )
    move(users["admin"], claim, "documents_complete")
    claim = move(users["bpjs"], claim, "verified")
    # Permenaker 5/2021 as amended: SMP Rp2.000.000 a year, one school year claimed.
    # The fixture's participant paid 6 months, less than the 3 years a JKM scholarship needs.
    assert claim.payable == 0
    assert any(n["code"] == "scholarship" for n in claim.computed["not_payable"])


def test_a_school_year_claim_after_three_years_of_contributions_pays_the_level(
    deceased, users, client_for, monkeypatch
):
    from lindung.claims import services

    monkeypatch.setattr(
        services,
        "_scholarship_details",
        _with_cause(services._scholarship_details, "jkk-death"),
    )
    participant, (a, *_rest) = deceased
    place = scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    running = current_school_year(timezone.localdate())
    scholarship_year_record(
        actor=users["admin"], place=place, school_year=running, level="smp", grade=8
    )
    claim = services.scholarship_year_claim(actor=users["admin"], place=place, school_year=running)
    documents_for(users["admin"], claim)
    claim_heirs_set(
        actor=users["admin"],
        claim=claim,
        heirs=[{"heir_id": a.pk, "share_bp": 10_000, "bank_account": "0099887766"}],
        expected_state="filed",
    )
    move(users["admin"], claim, "documents_complete")
    claim = move(users["bpjs"], claim, "verified")
    assert claim.payable == 2_000_000  # SMP, one school year
    claim = move(users["bpjs2"], claim, "approved")
    heir = claim.heirs.get()
    claim_payment_record(
        actor=users["bpjs"],
        claim=claim,
        amount=2_000_000,
        paid_on=timezone.localdate(),
        reference="BEA-1",
        claim_heir_id=heir.pk,
    )
    html = client_for(users["admin"]).get(url(participant)).content.decode()
    assert f'data-year="{running}"' in html
    assert "Rp2.000.000" in html


def _with_cause(original, cause):
    def details(claim):
        out = original(claim)
        out["scholarship_cause"] = cause
        return out

    return details


def test_a_school_year_more_than_three_years_back_is_refused(deceased, users, client_for):
    participant, (a, *_rest) = deceased
    place = scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    running = current_school_year(timezone.localdate())
    for year in (running - 4, running - 1):
        scholarship_year_record(actor=users["admin"], place=place, school_year=year, level="sd")
    client = client_for(users["admin"])
    too_old = client.post(
        f"/klaim/beasiswa/tempat/{place.pk}/klaim/",
        {"school_year": running - 4},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert too_old.status_code == 400
    assert "tidak dibayar kembali" in too_old.content.decode()
    # The school year running at the death (2025/2026) is paid back.
    ok = client.post(f"/klaim/beasiswa/tempat/{place.pk}/klaim/", {"school_year": running - 1})
    assert ok.status_code == 302
    unknown = client.post(f"/klaim/beasiswa/tempat/{place.pk}/klaim/", {"school_year": running})
    assert unknown.status_code == 400
