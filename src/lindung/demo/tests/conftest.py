"""Regions for the demo tests.

The project's conftest may already load the full region list for the session; then it is used
as it is. Otherwise only Jambi (15) and South Sumatra (16) are loaded, which hold every demo
village: ~5,300 regions instead of ~91,600, so the tests stay fast either way.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Q

from lindung.regions import selectors, sources
from lindung.regions.models import HistoricalCode, Region
from lindung.regions.services import historical_codes_load, regions_load

PROVINCES = ("15", "16")


@pytest.fixture(scope="session")
def region_rows() -> list[sources.RegionRow]:
    return [row for row in sources.lokal_regions() if row.code[:2] in PROVINCES]


def _loaded(rows: list[sources.RegionRow]) -> bool:
    in_provinces = Q(code__startswith=PROVINCES[0]) | Q(code__startswith=PROVINCES[1])
    return (
        Region.objects.filter(in_provinces, is_active=True).count() == len(rows)
        and HistoricalCode.objects.exists()
    )


@pytest.fixture(scope="module")
def regions(django_db_setup, django_db_blocker, region_rows):
    """The regions the demo needs; the rows `setup` should load, or None for the full list.

    A subset is loaded once per module inside a transaction rolled back after the module; each
    `django_db` test runs in a savepoint inside it, so tests still cannot see each other's
    writes, and nothing outlives the module.
    """
    with django_db_blocker.unblock():
        if _loaded(region_rows):
            yield None
            return
        with transaction.atomic():
            regions_load(rows=region_rows)
            historical_codes_load()
            # region_names() caches by dataset id, and ids repeat after a rollback.
            selectors.reset_region_names()
            yield region_rows
            transaction.set_rollback(True)
        selectors.reset_region_names()
