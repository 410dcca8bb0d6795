"""Scholarship places: at most two children of a deceased participant, registered as heirs
before the death; level and school year tracked per year; a place moves once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lindung.claims.services import (
    scholarship_place_add,
    scholarship_place_move,
    scholarship_year_record,
)
from lindung.common.errors import ApplicationError
from lindung.registry.models import Heir

from .conftest import DEATH, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def deceased(jkm_claim, users):
    """An approved JKM death with three children registered long before it."""
    claim = jkm_claim()
    for name in ("Anak Dua", "Anak Tiga"):
        Heir.objects.create(worker_id=claim.worker_id, name=name, relationship="child")
    before = timezone.make_aware(dt.datetime(2024, 1, 1))
    Heir.objects.filter(worker_id=claim.worker_id).update(created_at=before)
    move(users["admin"], claim, "documents_complete")
    move(users["bpjs"], claim, "verified")
    move(users["bpjs2"], claim, "approved")
    children = list(Heir.objects.filter(worker_id=claim.worker_id, relationship="child"))
    return claim.participant, children


def test_two_children_get_a_place_and_a_third_is_refused(deceased, users):
    participant, (a, b, c) = deceased
    scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    scholarship_place_add(actor=users["bpjs"], participant=participant, child=b)
    with pytest.raises(ApplicationError) as third:
        scholarship_place_add(actor=users["admin"], participant=participant, child=c)
    assert third.value.code == "third_child"


def test_a_child_registered_after_the_death_is_refused(deceased, users):
    participant, (a, *_rest) = deceased
    late = Heir.objects.create(worker_id=a.worker_id, name="Anak Baru", relationship="child")
    assert late.created_at.date() > DEATH
    with pytest.raises(ApplicationError) as refused:
        scholarship_place_add(actor=users["admin"], participant=participant, child=late)
    assert refused.value.code == "registered_after_death"
    spouse = Heir.objects.get(worker_id=a.worker_id, relationship="spouse")
    with pytest.raises(ApplicationError):
        scholarship_place_add(actor=users["admin"], participant=participant, child=spouse)


def test_no_place_before_the_death_is_established(participant_of, users):
    participant = participant_of(paid=False)
    child = Heir.objects.get(worker_id=participant.worker_id, relationship="child")
    with pytest.raises(ApplicationError) as alive:
        scholarship_place_add(actor=users["admin"], participant=participant, child=child)
    assert alive.value.code == "not_deceased"


def test_a_place_moves_once_to_a_substitute_child(deceased, users):
    participant, (a, b, c) = deceased
    place = scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    place = scholarship_place_move(actor=users["admin"], place=place, substitute=c)
    assert place.child == c and place.moved_from == a
    with pytest.raises(ApplicationError) as again:
        scholarship_place_move(actor=users["admin"], place=place, substitute=b)
    assert again.value.status == 409


def test_level_and_school_year_are_tracked_per_year(deceased, users):
    participant, (a, *_rest) = deceased
    place = scholarship_place_add(actor=users["admin"], participant=participant, child=a)
    scholarship_year_record(
        actor=users["admin"], place=place, school_year=2025, level="sd", grade=5
    )
    scholarship_year_record(
        actor=users["admin"], place=place, school_year=2026, level="sd", grade=6
    )
    scholarship_year_record(actor=users["admin"], place=place, school_year=2026, level="smp")
    assert [(y.school_year, y.level) for y in place.years.all()] == [(2025, "sd"), (2026, "smp")]
    with pytest.raises(ApplicationError):
        scholarship_year_record(actor=users["admin"], place=place, school_year=2026, level="phd")


def test_scholarship_api_is_scoped(deceased, users, api_for):
    participant, (a, b, _c) = deceased
    body = {"participant_id": participant.pk, "child_id": a.pk}
    other = api_for(users["other_admin"]).post(
        "/api/scholarship-places", body, content_type="application/json"
    )
    assert other.status_code == 404
    created = api_for(users["admin"]).post(
        "/api/scholarship-places", body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    place_id = created.json()["id"]
    year = api_for(users["admin"]).post(
        f"/api/scholarship-places/{place_id}/years",
        {"school_year": 2025, "level": "sd", "grade": 4},
        content_type="application/json",
    )
    assert year.json()["years"] == [
        {"school_year": 2025, "level": "sd", "grade": 4, "child_id": a.pk, "claim_id": None}
    ]
    assert (
        api_for(users["other_bpjs"])
        .post(
            f"/api/scholarship-places/{place_id}/move",
            {"child_id": b.pk},
            content_type="application/json",
        )
        .status_code
        == 404
    )
