"""Reading regions: lookups by code in any written form, the tree, and names for NIK checks."""

from __future__ import annotations

import threading
from functools import lru_cache

from django.db.models import QuerySet

from .models import HistoricalCode, Level, Region, RegionDataset, canonical


def region_by_code(code: str, *, level: int | None = None) -> Region | None:
    """`16.03.01.2001`, `1603012001` → the Region (active or not), or None."""
    qs = Region.objects.filter(code=canonical(code))
    if level is not None:
        qs = qs.filter(level=level)
    return qs.select_related("parent").first()


def children(code: str | None) -> QuerySet[Region]:
    qs = Region.objects.filter(is_active=True)
    return qs.filter(parent_id=canonical(code)) if code else qs.filter(level=Level.PROVINCE)


def ancestors(region: Region) -> list[Region]:
    """Province first, the region's parent last."""
    codes = [region.code[:n] for n in (2, 4, 6) if n < len(region.code)]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def current_dataset() -> RegionDataset | None:
    return RegionDataset.objects.order_by("-loaded_at", "-id").first()


class DbRegionNames:
    """`registry.nik.RegionNames` over the region tables.

    Provinces, regencies and districts (~7,800 codes) and the historical codes are read once per
    region dataset and kept in memory; village names are looked up on demand.
    """

    def __init__(self) -> None:
        self._names = dict(
            Region.objects.filter(level__lt=Level.VILLAGE).values_list("code", "name")
        )
        self._historical = {
            h.old_code: (h.name, h.current_id) for h in HistoricalCode.objects.all()
        }

    def name(self, code: str) -> str | None:
        if len(code) == 10:
            return _village_name(code)
        return self._names.get(code)

    def historical(self, code: str) -> tuple[str, str | None] | None:
        return self._historical.get(code)


@lru_cache(maxsize=4096)
def _village_name(code: str) -> str | None:
    return Region.objects.filter(code=code).values_list("name", flat=True).first()


_lock = threading.Lock()
_cached: tuple[tuple, DbRegionNames] | None = None


def region_names() -> DbRegionNames:
    """The shared lookup, rebuilt when a new region dataset has been loaded."""
    global _cached
    dataset = current_dataset()
    # Historical codes can be reloaded without a new dataset; their count is part of the key.
    key = (dataset.pk if dataset else None, HistoricalCode.objects.count())
    with _lock:
        if _cached is None or _cached[0] != key:
            _village_name.cache_clear()
            _cached = (key, DbRegionNames())
        return _cached[1]


def reset_region_names() -> None:
    """Forget the cached lookup (tests, and after editing historical codes)."""
    global _cached
    with _lock:
        _cached = None
        _village_name.cache_clear()
