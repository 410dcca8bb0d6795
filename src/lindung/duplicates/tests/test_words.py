"""Issue 8 §4: the duplicate pages speak a reviewer's words: fields by their e-KTP names, not
model field names, and the score as a similarity out of 100 with the fields behind it."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.utils import translation

from lindung.accounts.roles import Role
from lindung.conftest import MUARA_ENIM_VILLAGE, PALI_VILLAGE, PALI_VILLAGE_2, make_nik
from lindung.duplicates import dedup
from lindung.duplicates.explain import explanation, field_label
from lindung.duplicates.services import duplicates_scan

MODEL_FIELD_NAMES = ("birth_date", "kk_number", "nik_digits", ">kk<", ">sex<", ">village<")


@pytest.fixture
def admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1612"])


@pytest.fixture
def candidate(make_worker, admin):
    born = dt.date(1980, 1, 1)
    make_worker(
        village=PALI_VILLAGE, nik=make_nik("161201", born, "L", 21), name="Muhammad Yusuf Hidayat"
    )
    make_worker(
        village=PALI_VILLAGE_2, nik=make_nik("161201", born, "L", 27), name="M. Yusuf Hidayat"
    )
    (found,) = duplicates_scan(actor=admin, region_code="1612")
    return found


def test_similarity_puts_the_points_on_a_scale_of_100():
    assert dedup.similarity(dedup.MAX_POINTS, 1) == 100
    assert dedup.similarity(dedup.MAX_POINTS + 5, 1) == 100  # never above the scale
    assert dedup.similarity(-7.5, 3) == 0  # nor below it
    assert dedup.similarity(6.0, 2) == 50
    # The same NIK earns what the best NIK evidence earns: 8.5 + 3 of 12.
    assert dedup.similarity(8.5, 0) == 96


def test_an_upload_conflict_is_explained_without_a_number():
    conflict = SimpleNamespace(
        score=0.0,
        from_upload=True,
        details={"source": "upload", "agree": ["nik"], "disagree": ["name"]},
    )
    with translation.override("id"):
        said = explanation(conflict, conflict.details)
    assert said == {"similarity": "", "matching": ["NIK"], "differing": ["Nama"]}


def test_differing_fields_say_how_they_differ():
    pair = SimpleNamespace(score=7.0, from_upload=False, details={})
    details = {
        "nik_digits": 1,
        "birth": "swapped",
        "agree": ["kk"],
        "disagree": ["nik", "birth_date"],
    }
    with translation.override("id"):
        said = explanation(pair, details)
    assert said["matching"] == ["Nomor KK"]
    assert said["differing"] == ["NIK (beda 1 angka)", "Tanggal lahir (tanggal dan bulan tertukar)"]
    with translation.override("en"):
        assert explanation(pair, details)["differing"][0] == "NIK (1 digit(s) apart)"


def test_an_unknown_field_is_shown_as_stored_not_an_error():
    assert field_label("shoe_size") == "shoe_size"


def _expected(candidate) -> int:
    return dedup.similarity(candidate.score, candidate.details["nik_digits"])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_list_and_pair_pages_say_similarity_out_of_100_with_indonesian_field_names(
    candidate, admin, client_for
):
    client = client_for(admin)
    n = _expected(candidate)
    listing = client.get("/verifikasi/duplikat/").content.decode()
    page = client.get(f"/verifikasi/duplikat/{candidate.pk}/").content.decode()
    for html in (listing, page):
        assert f"kemiripan {n} dari 100" in _text(html)
        assert "Nama" in html and "Tanggal lahir" in html and "Jenis kelamin" in html
        for raw in MODEL_FIELD_NAMES:
            assert raw not in html, raw
    # The pair page says which fields raised the score and which lowered it.
    assert "Cocok: Nama, Tanggal lahir, Jenis kelamin" in _text(page)
    assert "Berbeda: NIK (beda 1 angka), Desa" in _text(page)
    assert "Nomor KK" in page


def test_the_pages_in_english_say_similarity_out_of_100(candidate, admin, client_for):
    client = client_for(admin)
    client.cookies["django_language"] = "en"
    n = _expected(candidate)
    page = _text(client.get(f"/verifikasi/duplikat/{candidate.pk}/").content.decode())
    listing = _text(client.get("/verifikasi/duplikat/").content.decode())
    assert f"similarity {n} out of 100" in page and f"similarity {n} out of 100" in listing
    assert "Matching: Name, Date of birth, Sex" in page
    assert "Differing: NIK (1 digit(s) apart), Village" in page


def test_a_reviewer_who_sees_one_side_only_gets_the_number_but_not_the_fields(
    make_worker, make_user, client_for
):
    # Which fields agree would tell a Muara Enim admin about the PALI person (masked to them).
    born = dt.date(1980, 1, 1)
    name = "Muhammad Yusuf Hidayat"
    make_worker(village=MUARA_ENIM_VILLAGE, nik=make_nik("160301", born, "L", 21), name=name)
    make_worker(village=PALI_VILLAGE, nik=make_nik("161201", born, "L", 21), name=name)
    muara_enim_admin = make_user(Role.REGENCY_ADMIN, ["1603"])
    (found,) = duplicates_scan(actor=muara_enim_admin, region_code="1603")
    page = client_for(muara_enim_admin).get(f"/verifikasi/duplikat/{found.pk}/")
    assert page.status_code == 200
    text = _text(page.content.decode())
    assert f"kemiripan {_expected(found)} dari 100" in text
    assert "Cocok:" not in text and "Berbeda:" not in text


def test_the_api_gives_the_same_similarity_as_the_pages(candidate, admin):
    from django.test import Client

    from lindung.accounts.services import api_token_create

    _token, raw = api_token_create(actor=admin, user=admin, name="tests")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(f"/api/duplicates/{candidate.pk}").json()["similarity"] == _expected(candidate)
    assert api.get("/api/duplicates").json()["items"][0]["similarity"] == _expected(candidate)


def test_a_scan_says_which_region_and_how_many_pairs(client, admin, candidate):
    client.force_login(admin)
    with translation.override("id"):
        page = client.post("/verifikasi/duplikat/pindai/", {"region": "16.12"}, follow=True)
    text = page.content.decode()
    assert "(16.12) diperiksa: 1 pasangan menunggu keputusan." in text


def test_a_decision_says_what_it_changed(client, admin, candidate):
    client.force_login(admin)
    page = client.post(
        f"/verifikasi/duplikat/{candidate.pk}/",
        {"decision": "different", "reason": "beda orang"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert (
        f"Pasangan #{candidate.pk}: dua orang berbeda; pasangan ini tidak akan diusulkan lagi."
        in page.content.decode()
    )


def test_a_forged_decision_button_decides_nothing(client, admin, candidate):
    client.force_login(admin)
    page = client.post(f"/verifikasi/duplikat/{candidate.pk}/", {"decision": "maybe"}, follow=True)
    candidate.refresh_from_db()
    assert candidate.status == "open"
    assert page.status_code == 200
