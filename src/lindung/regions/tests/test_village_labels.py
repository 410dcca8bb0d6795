"""Same-named villages can be told apart in every picker: "Betung — Kec. Abab"."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.accounts.roles import Role
from lindung.regions.fields import VillageField, village_choices, village_label
from lindung.regions.models import Level, Region

pytestmark = pytest.mark.django_db

REGENCY = "1603"  # Muara Enim


@pytest.fixture
def twins() -> list[Region]:
    """Two villages of Muara Enim named Betung (it also has Pagar Dewa three times)."""
    regency = Region.objects.filter(level=Level.VILLAGE, code__startswith=REGENCY, is_active=True)
    assert regency.filter(name="Betung").count() == 2
    return list(regency.filter(name="Betung").select_related("parent").order_by("code"))


def test_same_named_villages_get_different_labels_naming_their_district(twins):
    a, b = twins
    assert a.name == b.name
    assert village_label(a) == f"{a.name} — Kec. {a.parent.name}"
    assert village_label(a) != village_label(b)


def test_pickers_list_villages_by_district_then_village():
    pali = Region.objects.filter(level=Level.VILLAGE, code__startswith="1612", is_active=True)
    field = VillageField(villages=pali)
    labels = [label for code, label in field.choices if code]
    districts = [label.split(" — Kec. ")[1] for label in labels]
    assert districts == sorted(districts)
    assert len(labels) == pali.count()


def test_the_worker_form_upload_page_and_worker_filter_show_the_district(
    twins, make_user, client_for
):
    a, b = twins
    admin = client_for(make_user(Role.REGENCY_ADMIN, [REGENCY]))
    for url in ("/pekerja/baru/", "/pekerja/", "/unggah/"):
        page = admin.get(url).content.decode()
        assert village_label(a) in page, url
        assert village_label(b) in page, url


def test_the_program_page_offers_villages_with_their_district(twins, make_user, client_for):
    from lindung.programs.services import program_create

    admin = make_user(Role.REGENCY_ADMIN, [REGENCY])
    program = program_create(
        actor=admin,
        code="muara-enim-twins",
        name="Muara Enim",
        owner_region_code=REGENCY,
        coverage_start=dt.date(2026, 1, 1),
        coverage_end=dt.date(2026, 12, 31),
        occupation_codes=["petani"],
    )
    operator = make_user(Role.VILLAGE_OPERATOR, [a.code for a in twins])
    page = client_for(operator).get(f"/verifikasi/program/{program.code}/").content.decode()
    for village in twins:
        assert village_label(village) in page


def test_choices_without_a_blank():
    one = Region.objects.filter(level=Level.VILLAGE, code="1612012001")
    assert village_choices(one, blank=None)[0][0] == "1612012001"
