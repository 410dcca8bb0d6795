"""Who is entitled to a death benefit: the class, its members and why (PP 44/2015 Art. 37(5),
40(2)); a lower class only when nobody of a higher one exists; no split inside a class."""

from __future__ import annotations

import pytest
from django.utils import translation

from lindung.claims.heirs import CITATION, entitlement


def h(name, relationship):
    return {"name": name, "relationship": relationship}


@pytest.mark.parametrize(
    ("heirs", "klass", "names"),
    [
        ([h("Siti", "spouse"), h("Rina", "child"), h("Ibu", "parent")], 1, ["Siti", "Rina"]),
        ([h("Rina", "child"), h("Budi", "sibling")], 1, ["Rina"]),
        ([h("Ayah", "parent"), h("Cucu", "grandchild"), h("Nenek", "grandparent"),
          h("Budi", "sibling")], 2, ["Ayah", "Cucu", "Nenek"]),
        ([h("Budi", "sibling"), h("Mertua", "parent_in_law")], 3, ["Budi"]),
        ([h("Mertua", "parent_in_law"), h("Teman", "named_in_will")], 4, ["Mertua"]),
        ([h("Teman", "named_in_will")], 5, ["Teman"]),
    ],
)  # fmt: skip
def test_the_highest_class_present_is_entitled_with_all_its_members(heirs, klass, names):
    e = entitlement(heirs)
    assert e.heir_class == klass
    assert [m.name for m in e.members] == names
    assert CITATION in e.reason and all(n in e.reason for n in names)
    assert all(item["amount"] is None for item in e.as_list(funeral=1, payable=2))


def test_grandchildren_share_class_two_with_parents_without_order():
    e = entitlement([h("Cucu", "grandchild"), h("Ayah", "parent")])
    assert e.heir_class == 2 and {m.relationship for m in e.members} == {"grandchild", "parent"}


def test_no_heirs_funeral_to_the_burial_organiser_rest_to_the_djs():
    e = entitlement([])
    assert e.heir_class == 6 and e.members == ()
    assert e.as_list(funeral=10_000_000, payable=42_000_000) == [
        {"class": 6, "name": "", "relationship": "burial_organiser", "receives": "funeral",
         "amount": 10_000_000},
        {"class": 6, "name": "Dana Jaminan Sosial", "relationship": "dana_jaminan_sosial",
         "receives": "rest", "amount": 32_000_000},
    ]  # fmt: skip
    with translation.override("id"):
        assert "Dana Jaminan Sosial" in entitlement([]).reason
        assert "pemakaman" in entitlement([]).reason


def test_the_reason_names_the_class_in_indonesian():
    with translation.override("id"):
        e = entitlement([h("Siti", "spouse")])
    assert e.reason.startswith("Kelas 1 (janda atau duda, atau anak) berhak: Siti.")


@pytest.mark.django_db
def test_registered_heirs_of_a_worker(make_worker):
    worker = make_worker(heirs=[{"name": "Budi", "relationship": "sibling"},
                                {"name": "Ayah", "relationship": "parent"}])  # fmt: skip
    e = entitlement(worker.heirs.all())
    assert e.heir_class == 2 and [m.name for m in e.members] == ["Ayah"]
    assert e.members[0].id is not None
