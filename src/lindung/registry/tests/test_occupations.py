"""The occupation list: the population registry's jobs, program roles, tolerant matching."""

from __future__ import annotations

import csv

import pytest

from lindung.registry.models import Occupation, WorkClass
from lindung.registry.occupations import REGISTRY_CSV, registry_jobs
from lindung.registry.selectors import occupation_by_word, occupation_suggestions
from lindung.registry.services import occupations_seed


def test_the_registry_list_ships_as_data_with_its_source_and_a_class_per_entry():
    with REGISTRY_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["code"]) for r in rows] == list(range(1, 90))
    assert all(r["source"] and r["class"] in WorkClass.values for r in rows)
    by_code = {job.code: job for job in registry_jobs()}
    assert by_code[1].name == "BELUM/TIDAK BEKERJA" and by_code[1].work_class == "not_working"
    assert by_code[5].work_class == by_code[15].work_class == "formal"
    assert by_code[88].name == "WIRASWASTA" and by_code[88].work_class == "informal"


@pytest.mark.django_db
def test_every_registry_job_is_an_occupation_and_program_roles_keep_their_codes():
    assert Occupation.objects.filter(registry_code__isnull=False).count() == 89
    petani = Occupation.objects.get(code="petani")
    assert petani.registry_code == 9 and petani.work_class == WorkClass.INFORMAL
    assert Occupation.objects.get(code="guru-ngaji").registry_code is None
    assert Occupation.objects.get(registry_code=5).work_class == WorkClass.FORMAL


@pytest.mark.django_db
def test_seeding_again_adds_nothing_and_keeps_an_edited_name():
    Occupation.objects.filter(registry_code=88).update(name_id="Wiraswasta (usaha sendiri)")
    assert occupations_seed() == 0
    assert Occupation.objects.get(registry_code=88).name_id == "Wiraswasta (usaha sendiri)"
    assert Occupation.objects.filter(registry_code__isnull=False).count() == 89


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("word", "registry_code"),
    [
        ("PETANI/PEKEBUN", 9),
        ("petani pekebun", 9),
        ("Petani / Pekebun", 9),
        ("Tani", 9),
        ("PEDAGANG", 84),
        ("pedagang", 84),
        ("WIRASWASTA", 88),
        ("Wiraswasta", 88),
        ("BURUH HARIAN LEPAS", 19),
        ("BHL", 19),
        ("NELAYAN/PERIKANAN", 11),
        ("SOPIR", 81),
        ("MENGURUS RUMAH TANGGA", 2),
        ("IRT", 2),
        ("PELAJAR/MAHASISWA", 3),
        ("PNS", 5),
        ("KARYAWAN SWASTA", 15),
        ("PERANGKAT DESA", 85),
        ("88", 88),
        ("08", 8),
    ],
)
def test_occupations_match_as_operators_write_them(word, registry_code):
    assert occupation_by_word(word).registry_code == registry_code


@pytest.mark.django_db
def test_program_roles_still_match_by_code_and_name():
    assert occupation_by_word("guru-ngaji").code == "guru-ngaji"
    assert occupation_by_word("Ketua RT/RW").code == "ketua-rt-rw"


@pytest.mark.django_db
def test_an_unknown_word_gets_the_closest_entries():
    assert occupation_by_word("petni") is None
    assert any("petani" in name.lower() for name in occupation_suggestions(["petni"])["petni"])
