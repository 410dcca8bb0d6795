"""Loading the region list: bulk, idempotent, never deleting a code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from lindung.audit.services import record
from lindung.common.bulk import copy_rows

from . import sources
from .models import HistoricalCode, Level, Region, RegionDataset

_FIELDS = ("code", "name", "level", "kind", "parent", "postal_code", "is_active", "dataset")
_COMPARED = ("name", "level", "kind", "parent_id", "postal_code", "is_active")


@dataclass
class LoadResult:
    dataset: RegionDataset
    inserted: int = 0
    updated: int = 0
    deactivated: int = 0
    counts: dict = field(default_factory=dict)


@transaction.atomic
def regions_load(
    *,
    actor=None,
    rows: Iterable[sources.RegionRow] | None = None,
    decree: str = sources.DECREE,
    source: str = sources.SOURCE,
    source_version: str | None = None,
) -> LoadResult:
    """Bring the Region table in line with a decree's list.

    New codes are inserted with COPY (PostgreSQL) or bulk inserts; names, kinds, parents and postal
    codes that changed are updated; codes missing from the new list are marked inactive, never
    deleted, because workers, programs and NIKs may still point at them. Running it twice changes
    nothing the second time.
    """
    rows = list(sources.lokal_regions() if rows is None else rows)
    dataset = RegionDataset.objects.create(
        decree=decree, source=source, source_version=source_version or sources.source_version()
    )
    existing = {
        r[0]: r[1:]
        for r in Region.objects.values_list("code", *_COMPARED).iterator(chunk_size=20000)
    }
    new_rows, changed = [], []
    for row in rows:
        wanted = (row.name, row.level, row.kind, row.parent_code, row.postal_code, True)
        have = existing.get(row.code)
        if have is None:
            new_rows.append(
                (
                    row.code,
                    row.name,
                    row.level,
                    row.kind,
                    row.parent_code,
                    row.postal_code,
                    True,
                    dataset.pk,
                )
            )
        elif tuple(have) != wanted:
            changed.append(
                Region(
                    code=row.code,
                    name=row.name,
                    level=row.level,
                    kind=row.kind,
                    parent_id=row.parent_code,
                    postal_code=row.postal_code,
                    is_active=True,
                    dataset=dataset,
                )
            )
    result = LoadResult(dataset=dataset)
    result.inserted = copy_rows(Region, _FIELDS, new_rows)
    if changed:
        Region.objects.bulk_update(
            changed,
            ["name", "level", "kind", "parent", "postal_code", "is_active", "dataset"],
            2000,
        )
    result.updated = len(changed)
    listed = {row.code for row in rows}
    gone = [code for code, have in existing.items() if code not in listed and have[-1]]
    for start in range(0, len(gone), 500):
        Region.objects.filter(code__in=gone[start : start + 500]).update(is_active=False)
    result.deactivated = len(gone)

    result.counts = region_counts()
    dataset.counts = result.counts
    dataset.save(update_fields=["counts"])
    record(
        actor=actor,
        action="regions.load",
        obj=dataset,
        after={
            "decree": decree,
            "source_version": dataset.source_version,
            "inserted": result.inserted,
            "updated": result.updated,
            "deactivated": result.deactivated,
        },
        row_count=result.inserted + result.updated + result.deactivated,
    )
    return result


def region_counts() -> dict[str, int]:
    from django.db.models import Count

    by_kind = dict(
        Region.objects.filter(is_active=True).values_list("kind").annotate(n=Count("code"))
    )
    by_level = dict(
        Region.objects.filter(is_active=True).values_list("level").annotate(n=Count("code"))
    )
    return {
        "provinces": by_level.get(Level.PROVINCE, 0),
        "regencies": by_level.get(Level.REGENCY, 0),
        "districts": by_level.get(Level.DISTRICT, 0),
        "villages": by_level.get(Level.VILLAGE, 0),
        **{f"kind_{k}": v for k, v in sorted(by_kind.items())},
    }


@transaction.atomic
def historical_codes_load(*, actor=None) -> int:
    """Upsert the shipped table of historical codes; returns how many rows changed."""
    known = set(Region.objects.values_list("code", flat=True))
    changed = 0
    for row in sources.historical_codes():
        defaults = {
            "current_id": row.new_code if row.new_code in known else None,
            "level": row.level,
            "name": row.name,
            "change_year": row.change_year,
            "legal_basis": row.legal_basis,
            "note": row.note,
        }
        obj, created = HistoricalCode.objects.get_or_create(
            old_code=row.old_code, defaults=defaults
        )
        if not created and any(getattr(obj, k) != v for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(obj, k, v)
            obj.save()
            changed += 1
        changed += created
    if changed:
        record(
            actor=actor,
            action="regions.historical_load",
            object_type="regions.historicalcode",
            object_repr="historical region codes",
            row_count=changed,
        )
    return changed
