"""The region list: complete against Kepmendagri 300.2.2-2430/2025, idempotent, never deleting."""

from __future__ import annotations

import dataclasses

import lokal
import pytest

from lindung.conftest import (
    MUARA_ENIM_VILLAGE,
    PALI_VILLAGE,
    PALI_VILLAGE_2,
    SAROLANGUN_VILLAGE,
)
from lindung.regions import sources
from lindung.regions.models import (
    HistoricalCode,
    Kind,
    Level,
    Region,
    RegionDataset,
    canonical,
    dotted,
    level_of,
)
from lindung.regions.selectors import ancestors, children, current_dataset, region_by_code
from lindung.regions.services import region_counts, regions_load

pytestmark = pytest.mark.django_db

DECREE = "Kepmendagri 300.2.2-2430/2025"


def active(**kw):
    return Region.objects.filter(is_active=True, **kw)


# --- completeness --------------------------------------------------------------------------------


def test_national_counts_match_the_decree():
    assert active(level=Level.PROVINCE).count() == 38
    assert active(level=Level.REGENCY).count() == 514
    assert active(level=Level.DISTRICT).count() == 7285
    assert active(level=Level.VILLAGE).count() == 83762


def test_village_kinds_match_the_decree():
    assert active(kind=Kind.URBAN_VILLAGE).count() == 8496
    assert active(kind=Kind.VILLAGE).count() == 75252
    assert active(kind=Kind.CUSTOMARY_VILLAGE).count() == 14


def test_region_counts_summary_matches_the_decree():
    counts = region_counts()
    assert counts["provinces"] == 38
    assert counts["regencies"] == 514
    assert counts["districts"] == 7285
    assert counts["villages"] == 83762
    assert counts["kind_kelurahan"] == 8496
    assert counts["kind_desa"] == 75252
    assert counts["kind_desa_adat"] == 14


@pytest.mark.parametrize(
    ("code", "name", "districts", "villages", "desa", "kelurahan"),
    [
        ("16", "Sumatera Selatan", 241, 3259, 2856, 403),
        ("1603", "Kabupaten Muara Enim", 22, 256, 246, 10),
        ("1606", "Kabupaten Musi Banyuasin", 15, 242, 229, 13),
        ("1612", "Kabupaten Penukal Abab Lematang Ilir", 5, 71, 65, 6),
        ("1602", "Kabupaten Ogan Komering Ilir", 18, 327, 314, 13),
        ("15", "Jambi", 144, 1585, 1414, 171),
        ("1503", "Kabupaten Sarolangun", 11, 158, 149, 9),
    ],
)
def test_seed_regions_match_the_domain_table(code, name, districts, villages, desa, kelurahan):
    region = Region.objects.get(code=code)
    assert region.name == name
    assert region.is_active
    in_region = active(code__startswith=code)
    assert in_region.filter(level=Level.DISTRICT).count() == districts
    assert in_region.filter(level=Level.VILLAGE).count() == villages
    assert in_region.filter(kind=Kind.VILLAGE).count() == desa
    assert in_region.filter(kind=Kind.URBAN_VILLAGE).count() == kelurahan


def test_tree_is_consistent_parent_is_the_code_prefix():
    village = Region.objects.select_related("parent__parent__parent").get(code=PALI_VILLAGE)
    assert village.level == Level.VILLAGE
    assert village.parent_id == PALI_VILLAGE[:6]
    assert village.parent.parent_id == PALI_VILLAGE[:4]
    assert village.parent.parent.parent_id == PALI_VILLAGE[:2]
    assert village.parent.parent.parent.parent_id is None
    # No region anywhere points to a parent that is not its own prefix.
    orphans = [
        r
        for r in Region.objects.filter(code__startswith="16").only("code", "parent_id")
        if r.parent_id and not r.code.startswith(r.parent_id)
    ]
    assert orphans == []


def test_kind_follows_the_seventh_digit_and_city_names():
    assert Region.objects.get(code="1612011003").kind == Kind.URBAN_VILLAGE
    assert Region.objects.get(code=PALI_VILLAGE).kind == Kind.VILLAGE
    assert Region.objects.get(code="1671").kind == Kind.CITY  # Kota Palembang
    assert Region.objects.get(code="1612").kind == Kind.REGENCY


def test_villages_carry_postal_codes():
    assert Region.objects.get(code=PALI_VILLAGE).postal_code.isdigit()
    assert active(level=Level.VILLAGE, postal_code="").count() < 1000


def test_fixture_region_constants_exist_in_the_region_list():
    # Guards the shared constants: "1603012001" (once MUARA_ENIM_VILLAGE) is not a village of the
    # 2025 decree, since the villages of 16.03.01 start at 16.03.01.2011.
    missing = [
        code
        for code in (PALI_VILLAGE, PALI_VILLAGE_2, MUARA_ENIM_VILLAGE, SAROLANGUN_VILLAGE)
        if not Region.objects.filter(code=code, level=Level.VILLAGE).exists()
    ]
    assert missing == [], f"conftest village codes not in the region list: {missing}"


# --- dataset -------------------------------------------------------------------------------------


def test_dataset_records_the_decree_source_and_version():
    dataset = current_dataset()
    assert dataset is not None
    assert dataset.decree == DECREE
    assert dataset.source == sources.SOURCE
    assert dataset.source_version == lokal.__version__
    assert dataset.counts["villages"] == 83762
    assert Region.objects.get(code=PALI_VILLAGE).dataset_id is not None


def test_reloading_the_same_list_changes_nothing():
    before = Region.objects.count()
    result = regions_load()
    assert (result.inserted, result.updated, result.deactivated) == (0, 0, 0)
    assert Region.objects.count() == before
    assert result.dataset.decree == DECREE
    assert result.counts["villages"] == 83762
    assert current_dataset() == result.dataset
    assert RegionDataset.objects.count() >= 2


def test_a_later_decree_renames_inserts_and_deactivates_but_never_deletes(make_worker):
    worker = make_worker(village=PALI_VILLAGE, name="Warga Talang Bulang")
    rows = list(sources.lokal_regions())
    new_code = "1612012999"
    assert not Region.objects.filter(code=new_code).exists()

    later = []
    for row in rows:
        if row.code == PALI_VILLAGE:
            continue  # the later decree drops this village
        if row.code == PALI_VILLAGE_2:
            row = dataclasses.replace(row, name="Benuang Baru")
        later.append(row)
    later.append(
        sources.RegionRow(
            code=new_code,
            name="Desa Pemekaran",
            level=Level.VILLAGE,
            kind=Kind.VILLAGE,
            parent_code="161201",
            postal_code="31211",
        )
    )

    result = regions_load(rows=later, decree="Kepmendagri later/2026", source_version="test")
    assert (result.inserted, result.updated, result.deactivated) == (1, 1, 1)
    assert result.dataset.decree == "Kepmendagri later/2026"
    assert result.dataset.source_version == "test"

    renamed = Region.objects.get(code=PALI_VILLAGE_2)
    assert renamed.name == "Benuang Baru"
    assert renamed.is_active
    assert renamed.dataset_id == result.dataset.pk

    added = Region.objects.get(code=new_code)
    assert (added.name, added.level, added.parent_id, added.is_active) == (
        "Desa Pemekaran",
        Level.VILLAGE,
        "161201",
        True,
    )

    dropped = Region.objects.get(code=PALI_VILLAGE)  # still there
    assert dropped.is_active is False
    assert dropped.name == "Talang Bulang"

    worker.refresh_from_db()
    assert worker.village_id == PALI_VILLAGE
    assert worker.name == "Warga Talang Bulang"

    assert result.counts["villages"] == 83762  # one dropped, one added
    assert PALI_VILLAGE not in {r.code for r in children("161201")}
    assert new_code in {r.code for r in children("161201")}

    # Loading the same later list again changes nothing more.
    again = regions_load(rows=later, decree="Kepmendagri later/2026", source_version="test")
    assert (again.inserted, again.updated, again.deactivated) == (0, 0, 0)


def test_a_dropped_code_that_returns_is_reactivated():
    rows = list(sources.lokal_regions())
    regions_load(rows=[r for r in rows if r.code != PALI_VILLAGE_2])
    assert Region.objects.get(code=PALI_VILLAGE_2).is_active is False
    result = regions_load(rows=rows)
    assert (result.inserted, result.updated, result.deactivated) == (0, 1, 0)
    assert Region.objects.get(code=PALI_VILLAGE_2).is_active is True


def test_regions_load_writes_an_audit_event():
    from lindung.audit.models import AuditEvent

    result = regions_load()
    event = AuditEvent.objects.get(action="regions.load", object_id=str(result.dataset.pk))
    assert event.changes["decree"] == [None, DECREE]
    assert event.changes["inserted"] == [None, 0]


# --- codes ---------------------------------------------------------------------------------------


def test_canonical_accepts_the_dotted_form():
    assert canonical("16.03.01.2001") == "1603012001"
    assert canonical(" 16.12 ") == "1612"
    assert canonical("1603012001") == "1603012001"


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("1603012001", "16.03.01.2001"),
        ("16.03.01.2001", "16.03.01.2001"),
        ("160301", "16.03.01"),
        ("1603", "16.03"),
        ("16", "16"),
    ],
)
def test_dotted_writes_the_decree_form(code, shown):
    assert dotted(code) == shown


def test_level_of_follows_the_code_length():
    assert [level_of(c) for c in ("16", "16.12", "16.12.01", "16.12.01.2001", "161")] == [
        1,
        2,
        3,
        4,
        None,
    ]


@pytest.mark.parametrize("written", ["16.12.01.2001", "1612012001", " 16.12.01.2001 "])
def test_region_by_code_accepts_dotted_and_plain_codes(written):
    region = region_by_code(written)
    assert region is not None
    assert region.code == PALI_VILLAGE
    assert region.dotted_code == "16.12.01.2001"
    assert region.name == "Talang Bulang"
    assert region.parent.name == "Talang Ubi"


def test_region_by_code_finds_a_muara_enim_village_in_dotted_form():
    region = region_by_code("16.03.01.2011")
    assert region is not None
    assert region.code == "1603012011"
    assert region.parent_id == "160301"


def test_region_by_code_filters_on_level_and_returns_none_for_unknown():
    assert region_by_code("16.12", level=Level.REGENCY).name == (
        "Kabupaten Penukal Abab Lematang Ilir"
    )
    assert region_by_code("16.12", level=Level.VILLAGE) is None
    assert region_by_code("16.99") is None


def test_children_of_nothing_are_the_38_provinces_and_pali_has_5_districts():
    assert children(None).count() == 38
    assert sorted(children("16.12").values_list("code", flat=True)) == [
        "161201",
        "161202",
        "161203",
        "161204",
        "161205",
    ]


def test_ancestors_lists_province_first():
    village = Region.objects.get(code=PALI_VILLAGE)
    assert [r.code for r in ancestors(village)] == ["16", "1612", "161201"]


# --- historical codes ----------------------------------------------------------------------------


def test_historical_codes_map_old_muara_enim_district_16_03_05_to_pali_16_12_01():
    old = HistoricalCode.objects.get(old_code="160305")
    assert old.current_id == "161201"
    assert old.name == "Talang Ubi"
    assert old.level == Level.DISTRICT
    assert old.change_year == 2013


def test_every_pali_district_has_its_old_muara_enim_code():
    mapped = dict(
        HistoricalCode.objects.filter(current__code__startswith="1612").values_list(
            "current_id", "old_code"
        )
    )
    assert set(mapped) == {"161201", "161202", "161203", "161204", "161205"}
    assert all(old.startswith("1603") for old in mapped.values())


def test_historical_codes_are_not_current_codes():
    olds = set(HistoricalCode.objects.values_list("old_code", flat=True))
    assert olds
    clash = set(Region.objects.filter(code__in=olds).values_list("code", flat=True))
    assert clash == set()


def test_historical_codes_point_to_existing_regions():
    assert HistoricalCode.objects.filter(current__isnull=True).count() == 0
