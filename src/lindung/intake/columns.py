"""The columns of a worker list and the many ways village spreadsheets title them."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    title_id: str  # the header written in our template
    title_en: str
    required: bool
    aliases: tuple[str, ...]


COLUMNS: tuple[Column, ...] = (
    Column(
        "nik",
        "NIK",
        "NIK",
        True,
        (
            "nik",
            "nonik",
            "nomornik",
            "noktp",
            "nomorktp",
            "nikktp",
            "nomorindukkependudukan",
            "niknomorindukkependudukan",
        ),
    ),
    Column(
        "name",
        "Nama Lengkap",
        "Full name",
        True,
        ("nama", "namalengkap", "namapekerja", "namapeserta", "namasesuaiktp", "name", "fullname"),
    ),
    Column(
        "kk_number",
        "No. KK",
        "KK number",
        False,
        ("nokk", "nomorkk", "kk", "nokartukeluarga", "nomorkartukeluarga", "kknumber"),
    ),
    Column(
        "birth_place",
        "Tempat Lahir",
        "Place of birth",
        False,
        ("tempatlahir", "tmptlahir", "tmplahir", "placeofbirth"),
    ),
    Column(
        "birth_date",
        "Tanggal Lahir",
        "Date of birth",
        False,
        (
            "tanggallahir",
            "tgllahir",
            "tgllhr",
            "tanggallhr",
            "tgllahirddmmyyyy",
            "dateofbirth",
            "birthdate",
        ),
    ),
    Column(
        "sex",
        "Jenis Kelamin (L/P)",
        "Sex (L/P)",
        False,
        ("jeniskelamin", "jk", "lp", "kelamin", "jeniskelaminlp", "sex", "gender"),
    ),
    Column(
        "address",
        "Alamat",
        "Address",
        False,
        ("alamat", "alamatlengkap", "alamatdomisili", "alamatsekarang", "address"),
    ),
    Column(
        "village_code",
        "Kode Desa",
        "Village code",
        False,
        ("kodedesa", "kodedesakelurahan", "kodewilayah", "villagecode"),
    ),
    Column(
        "phone",
        "No. HP",
        "Phone",
        False,
        (
            "nohp",
            "nomorhp",
            "notelp",
            "nomortelepon",
            "hp",
            "telepon",
            "nowa",
            "nomorwa",
            "whatsapp",
            "nohpwa",
            "phone",
        ),
    ),
    Column(
        "occupation",
        "Pekerjaan",
        "Occupation",
        True,
        (
            "pekerjaan",
            "jenispekerjaan",
            "profesi",
            "kodepekerjaan",
            "pekerjaanid",  # OpenSID's resident export: the registry's numeric code
            "occupation",
        ),
    ),
    Column(
        "monthly_income",
        "Penghasilan per Bulan (Rp)",
        "Monthly income (Rp)",
        False,
        (
            "penghasilan",
            "penghasilanperbulan",
            "penghasilanperbulanrp",
            "pendapatan",
            "pendapatanperbulan",
            "upah",
            "monthlyincome",
            "monthlyincomerp",
        ),
    ),
    Column(
        "heir_name",
        "Nama Ahli Waris",
        "Heir name",
        False,
        ("namaahliwaris", "ahliwaris", "heirname"),
    ),
    Column(
        "heir_relationship",
        "Hubungan Ahli Waris",
        "Heir relationship",
        False,
        ("hubunganahliwaris", "hubungan", "hubungankeluarga", "heirrelationship"),
    ),
    Column("heir_nik", "NIK Ahli Waris", "Heir NIK", False, ("nikahliwaris", "heirnik")),
)
BY_KEY = {c.key: c for c in COLUMNS}
# Columns the annotated file adds; an uploaded annotated file is read back without them.
STATUS_TITLES = ("status", "statuslindung", "keterangan", "keteranganlindung", "reason")

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def normalise_header(text: object) -> str:
    """'No. NIK', ' NIK ', 'Tgl. Lahir' → 'nonik', 'nik', 'tgllahir'."""
    return _NOT_ALNUM.sub("", str(text or "").lower())


def match_headers(headers: list[object]) -> tuple[dict[str, int], list[str]]:
    """Map column keys to header positions; also return headers that matched nothing."""
    lookup = {alias: col.key for col in COLUMNS for alias in col.aliases}
    lookup.update({normalise_header(c.title_id): c.key for c in COLUMNS})
    lookup.update({normalise_header(c.title_en): c.key for c in COLUMNS})
    found: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        key = lookup.get(normalise_header(header))
        if key and key not in found:
            found[key] = index
        elif str(header or "").strip() and normalise_header(header) not in STATUS_TITLES:
            unknown.append(str(header))
    return found, unknown


def missing_required(found: dict[str, int]) -> list[Column]:
    return [c for c in COLUMNS if c.required and c.key not in found]
