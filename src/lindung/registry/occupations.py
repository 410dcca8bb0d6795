"""The occupation list: the population registry's jobs plus the programs' own roles.

Village lists are typed from e-KTP and KK, so their occupation cells hold the SIAK/Dukcapil
"jenis pekerjaan" words (`PETANI/PEKEBUN`, `WIRASWASTA`…) or their numeric codes (OpenSID's
`pekerjaan_id`). That list ships as data with its source (`data/dukcapil_pekerjaan.csv`), each
entry classed informal / formal / not working, which eligibility reads.

Model decision: one list, not two columns. The programs also name roles that e-KTP does not carry
(RT/RW head, linmas, guru ngaji, BPD member, village operator, ad hoc election officer, palm-oil
farmer); they stay entries of the same list without a registry code. A village file has a single
occupation column and operators write either kind in it, a program's eligible occupations may mix
both, and a second column would leave every existing file, form and API call half-filled. Where a
program role *is* a registry job (Petani, Nelayan, Sopir, Kepala Desa…), the existing entry takes
the registry code (`ROLE_IS_REGISTRY_JOB`) rather than appearing twice, so its workers, programs
and demo codes keep working. Known gap: a person cannot hold both an e-KTP job and a separate
program role (a farmer who is also RT head is recorded as one of them).

Codes are stable identifiers used in files and the API; names can be edited later.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .models import OccupationGroup as G
from .models import WorkClass

REGISTRY_CSV = Path(__file__).parent / "data" / "dukcapil_pekerjaan.csv"

# (code, Indonesian name, English name, group, informal?)
SEED = [
    ("kepala-desa", "Kepala Desa", "Village head", G.VILLAGE_GOVERNMENT, True),
    ("perangkat-desa", "Perangkat Desa", "Village apparatus", G.VILLAGE_GOVERNMENT, True),
    ("bpd", "Anggota BPD", "Village consultative body (BPD) member", G.VILLAGE_GOVERNMENT, True),
    (
        "aparatur-non-perangkat",
        "Aparatur Non Perangkat Desa",
        "Non-apparatus village staff",
        G.VILLAGE_GOVERNMENT,
        True,
    ),
    ("linmas", "Linmas", "Community protection (linmas)", G.COMMUNITY, True),
    ("guru-ngaji", "Guru Ngaji", "Quran teacher (guru ngaji)", G.COMMUNITY, True),
    ("operator-desa", "Operator Desa", "Village operator", G.VILLAGE_GOVERNMENT, True),
    ("ketua-rt-rw", "Ketua RT/RW", "RT/RW head", G.COMMUNITY, True),
    ("petani-sawit", "Petani Sawit", "Palm-oil farmer", G.INFORMAL, True),
    ("petani", "Petani", "Farmer", G.INFORMAL, True),
    ("nelayan", "Nelayan", "Fisher", G.INFORMAL, True),
    ("pedagang-kecil", "Pedagang Kecil", "Small trader", G.INFORMAL, True),
    ("tukang", "Tukang/Pengrajin", "Craftsman (tukang)", G.INFORMAL, True),
    ("sopir", "Sopir Angkutan", "Transport driver", G.INFORMAL, True),
    ("ojek", "Ojek", "Ojek rider", G.INFORMAL, True),
    ("buruh-harian-lepas", "Buruh Harian Lepas", "Day labourer", G.INFORMAL, True),
    (
        "petugas-ad-hoc-pemilu",
        "Petugas Ad Hoc Pemilu/Pilkada",
        "Ad hoc election officer",
        G.COMMUNITY,
        True,
    ),
]


# Program roles that are the registry's own job: the role entry carries the registry code.
ROLE_IS_REGISTRY_JOB = {
    "petani": 9,
    "nelayan": 11,
    "buruh-harian-lepas": 19,
    "sopir": 81,
    "pedagang-kecil": 84,
    "perangkat-desa": 85,
    "kepala-desa": 86,
}

# Short forms operators write, normalised (see `normalise`) → registry code.
SHORT_FORMS = {
    "irt": 2,
    "ibururumahtangga": 2,
    "rumahtangga": 2,
    "belumbekerja": 1,
    "tidakbekerja": 1,
    "pelajar": 3,
    "mahasiswa": 3,
    "pns": 5,
    "asn": 5,
    "tni": 6,
    "polri": 7,
    "polisi": 7,
    "tani": 9,
    "pekebun": 9,
    "berkebun": 9,
    "bertani": 9,
    "nelayan": 11,
    "swasta": 15,
    "karyawan": 15,
    "honorer": 18,
    "bhl": 19,
    "buruh": 19,
    "buruhtani": 20,
    "supir": 81,
    "dagang": 84,
    "berdagang": 84,
    "wiraswata": 88,
    "wirausaha": 88,
}


@dataclass(frozen=True)
class RegistryJob:
    code: int
    name: str
    name_en: str
    work_class: str
    source: str
    note: str


@functools.cache
def registry_jobs() -> tuple[RegistryJob, ...]:
    """The shipped SIAK/Dukcapil list, read once per process."""
    with REGISTRY_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(
            RegistryJob(
                code=int(row["code"]),
                name=row["name"],
                name_en=row["name_en"],
                work_class=WorkClass(row["class"]),
                source=row["source"],
                note=row["note"],
            )
            for row in csv.DictReader(fh)
        )


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def normalise(word: str) -> str:
    """The key a cell is matched on: case, spacing, `/`, `-` and dots do not matter.

    Intake does the same in polars (`validate.py`); a leading-zero code ("08") keys as "8".
    """
    key = _NOT_ALNUM.sub("", (word or "").lower())
    return key.lstrip("0") or key if key.isdigit() else key


def registry_slug(code: int) -> str:
    return f"pekerjaan-{code:02d}"
