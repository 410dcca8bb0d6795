"""NIK and KK numbers: parse, validate, and explain every problem in words an operator understands.

Pure Python (no Django): the region names come from a `RegionNames` lookup, which the app fills
from its region tables and tests fill from a dict.

NIK layout `PP RR DD DDMMYY SSSS`: province, regency/city and district where the number was first
issued, birth date with the day + 40 for women, serial from 0001. A NIK never changes when its
holder moves or when a region splits, so region codes are checked against current *and historical*
codes, and a NIK region different from where the person lives now is a warning, not an error.

`lokal.parse_nik` does the base parsing; Lindung adds what it leaves out: unknown regency and
district codes, historical codes, the Excel float trap, future birth dates, residence mismatch,
and messages in both UI languages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Protocol

import lokal

# What lists write for people who have no NIK: 0, 0000…, -, "tidak ada", "belum ada", "TDK ADA".
NO_NIK = re.compile(
    r"^(0+|-+|tidak ada|tdk ada|belum ada|blm ada|kosong|none|n/?a)$", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u200b]")
# `1.60301E+15`, `1,603015508030E+15`: what Excel shows after storing a NIK as a number.
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE][+]?\d+$")
# `1603015508030002.0`: a numeric cell read as a float; past 15 significant digits it is lossy.
_FLOAT_TAIL = re.compile(r"^\d{15,}[.,]0+$")

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (Bahasa Indonesia, English)
    "empty": (
        "NIK kosong. Isi 16 digit NIK sesuai KTP/KK.",
        "The NIK is empty. Enter the 16-digit NIK from the ID card or family card.",
    ),
    "no_nik": (
        "Orang tanpa NIK ('{value}') belum bisa didaftarkan: kepesertaan BPJS Ketenagakerjaan "
        "memerlukan NIK. Bantu orang ini mengurus KTP/KK di Dukcapil, lalu daftarkan lagi.",
        "A person without a NIK ('{value}') cannot be enrolled yet: BPJS Ketenagakerjaan "
        "membership needs a NIK. Help them get an ID card or family card from Dukcapil first.",
    ),
    "excel_float": (
        "NIK tertulis sebagai angka Excel ({value}) sehingga digit terakhirnya hilang. Ubah format "
        "kolom NIK menjadi Teks, lalu ketik ulang NIK dari KTP/KK.",
        "The NIK was stored as an Excel number ({value}) and lost its last digits. Format the NIK "
        "column as Text and type the NIK again from the ID card.",
    ),
    "non_digit": (
        "NIK hanya boleh berisi angka; ditemukan karakter lain: {chars}.",
        "A NIK may contain digits only; found other characters: {chars}.",
    ),
    "length": (
        "NIK harus 16 digit; yang tertulis {count} digit.",
        "A NIK has 16 digits; this one has {count}.",
    ),
    "province_unknown": (
        "Kode provinsi {code} (digit 1–2) tidak dikenal. Periksa kembali NIK pada KTP/KK.",
        "Province code {code} (digits 1–2) does not exist. Check the NIK on the ID card.",
    ),
    "regency_unknown": (
        "Kode kabupaten/kota {code} (digit 1–4) tidak ada di daftar wilayah Kemendagri. Periksa "
        "kembali NIK pada KTP/KK.",
        "Regency/city code {code} (digits 1–4) is not in the Kemendagri region list. Check the "
        "NIK on the ID card.",
    ),
    "district_unknown": (
        "Kode kecamatan {code} (digit 1–6) tidak ada di daftar wilayah Kemendagri. Periksa kembali "
        "NIK pada KTP/KK.",
        "District code {code} (digits 1–6) is not in the Kemendagri region list. Check the NIK on "
        "the ID card.",
    ),
    "historical_code": (
        "NIK memakai kode wilayah lama {code} ({name}); sekarang {current}. NIK tetap berlaku.",
        "The NIK carries the old region code {code} ({name}); now {current}. The NIK stays valid.",
    ),
    "birth_day_invalid": (
        "Tanggal lahir di NIK (digit 7–8: {value}) tidak mungkin: harus 01–31 untuk laki-laki "
        "atau 41–71 untuk perempuan.",
        "The birth day in the NIK (digits 7–8: {value}) is impossible: 01–31 for men or 41–71 for "
        "women.",
    ),
    "birth_month_invalid": (
        "Bulan lahir di NIK (digit 9–10: {value}) tidak mungkin: harus 01–12.",
        "The birth month in the NIK (digits 9–10: {value}) is impossible: it must be 01–12.",
    ),
    "birth_date_invalid": (
        "Tanggal lahir di NIK ({value}) tidak ada di kalender.",
        "The birth date in the NIK ({value}) does not exist in the calendar.",
    ),
    "birth_date_future": (
        "Tanggal lahir di NIK ({value}) belum terjadi. Periksa digit 7–12 NIK.",
        "The birth date in the NIK ({value}) is in the future. Check digits 7–12 of the NIK.",
    ),
    "serial_zero": (
        "Nomor urut NIK (4 digit terakhir) tidak boleh 0000.",
        "The NIK serial (last 4 digits) cannot be 0000.",
    ),
    "residence_differs": (
        "Wilayah penerbitan NIK ({nik_region}) berbeda dengan domisili sekarang ({village}). "
        "Wajar bila pindah domisili; pastikan desa domisili benar.",
        "The NIK was issued in {nik_region}, but the person now lives in {village}. Normal after "
        "moving; make sure the village of residence is right.",
    ),
    "kk_empty": ("Nomor KK kosong.", "The KK number is empty."),
    "kk_excel_float": (
        "Nomor KK tertulis sebagai angka Excel ({value}) sehingga digit terakhirnya hilang. Ubah "
        "format kolom KK menjadi Teks, lalu ketik ulang nomor KK.",
        "The KK number was stored as an Excel number ({value}) and lost its last digits. Format "
        "the KK column as Text and type the number again.",
    ),
    "kk_non_digit": (
        "Nomor KK hanya boleh berisi angka; ditemukan karakter lain: {chars}.",
        "A KK number may contain digits only; found other characters: {chars}.",
    ),
    "kk_length": (
        "Nomor KK harus 16 digit; yang tertulis {count} digit.",
        "A KK number has 16 digits; this one has {count}.",
    ),
    "kk_region_unknown": (
        "Kode kecamatan {code} di awal nomor KK (digit 1–6) tidak ada di daftar wilayah. Periksa "
        "kembali nomor KK.",
        "District code {code} at the start of the KK number (digits 1–6) is not in the region list."
        " Check the KK number.",
    ),
    "kk_serial_zero": (
        "Nomor KK tidak boleh berakhiran 0000.",
        "A KK number cannot end in 0000.",
    ),
}


def message(problem: str, /, lang: str = "id", **params) -> str:
    text = MESSAGES[problem][0 if not lang.startswith("en") else 1]
    return text.format(**params)


class RegionNames(Protocol):
    """Names of current region codes, and what a historical code became."""

    def name(self, code: str) -> str | None: ...

    def historical(self, code: str) -> tuple[str, str | None] | None:
        """(old name, current code or None) for a code no longer in the list."""


class DictRegionNames:
    """A `RegionNames` over plain dicts (tests, and callers outside Django)."""

    def __init__(self, names: dict[str, str], historical: dict | None = None):
        self._names = names
        self._historical = historical or {}

    def name(self, code: str) -> str | None:
        return self._names.get(code)

    def historical(self, code: str) -> tuple[str, str | None] | None:
        return self._historical.get(code)


@dataclass
class Problem:
    code: str
    message: str


@dataclass
class NikResult:
    input: str
    nik: str | None = None
    valid: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    province_code: str | None = None
    regency_code: str | None = None
    district_code: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None  # "L" laki-laki, "P" perempuan
    serial: str | None = None
    region_names: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        out["errors"] = [e.message for e in self.errors]
        out["warnings"] = [w.message for w in self.warnings]
        out["error_codes"] = [e.code for e in self.errors]
        out["warning_codes"] = [w.code for w in self.warnings]
        return out


def normalise(raw: object) -> str:
    """Remove the spaces, dots and dashes people and SIAK exports put in NIK and KK numbers."""
    return _SEPARATORS.sub("", "" if raw is None else str(raw))


def century_year(yy: int, reference: dt.date) -> int:
    """Two-digit birth year → four digits: this century unless that is after the reference year."""
    year = 2000 + yy
    return year if year <= reference.year else year - 100


class _Checker:
    def __init__(self, result: NikResult | KkResult, lang: str):
        self.result, self.lang = result, lang

    def error(self, problem: str, /, **params) -> None:
        self.result.errors.append(Problem(problem, message(problem, self.lang, **params)))

    def warn(self, problem: str, /, **params) -> None:
        self.result.warnings.append(Problem(problem, message(problem, self.lang, **params)))


def _dotted(code: str) -> str:
    return ".".join(code[i : i + 2] for i in range(0, min(len(code), 6), 2)) + (
        f".{code[6:]}" if len(code) > 6 else ""
    )


def _check_region(
    check: _Checker, code: str, regions: RegionNames | None, unknown: str, key: str
) -> bool:
    """True when `code` is a current or historical region; records names and problems."""
    if regions is None:
        return True
    name = regions.name(code)
    if name:
        check.result.region_names[key] = name
        return True
    old = regions.historical(code)
    if old:
        old_name, current_code = old
        current_name = regions.name(current_code) if current_code else None
        check.result.region_names[key] = old_name
        check.warn(
            "historical_code",
            code=_dotted(code),
            name=old_name,
            current=f"{_dotted(current_code)} {current_name}" if current_code else "?",
        )
        return True
    check.error(unknown, code=_dotted(code))
    return False


def _sixteen_digits(text: str, check: _Checker, *, prefix: str) -> str | None:
    """The 16 digits of a NIK or KK number, or None after recording why there are none."""
    if not text:
        check.error(f"{prefix}empty")
        return None
    if not prefix and NO_NIK.match(text):
        check.error("no_nik", value=text)
        return None
    if _SCIENTIFIC.match(text.replace(" ", "")) or _FLOAT_TAIL.match(text):
        check.error(f"{prefix}excel_float", value=text)
        return None
    digits = normalise(text)
    # ASCII only: str.isdigit() also accepts "²" and Arabic-Indic digits, which int() then
    # misreads or rejects.
    others = sorted({ch for ch in digits if ch not in "0123456789"})
    if others:
        check.error(f"{prefix}non_digit", chars=" ".join(f"'{ch}'" for ch in others))
        return None
    if len(digits) != 16:
        check.error(f"{prefix}length", count=len(digits))
        return None
    return digits


def inspect_nik(
    raw: object,
    *,
    regions: RegionNames | None = None,
    reference_date: dt.date | None = None,
    village_code: str | None = None,
    lang: str = "id",
) -> NikResult:
    """Parse and validate one NIK; never raises on bad input.

    `village_code` (10 digits) is where the person lives now: a NIK issued elsewhere gets a warning.
    """
    text = "" if raw is None else str(raw).strip()
    result = NikResult(input=text)
    check = _Checker(result, lang)
    reference = reference_date or dt.date.today()
    digits = _sixteen_digits(text, check, prefix="")
    if digits is None:
        return result
    result.nik = digits

    # lokal's parser splits the fields and decodes sex and date; we re-check the date against our
    # own reference and add the region checks it does not make.
    base = lokal.parse_nik(digits, reference_date=reference)
    result.province_code, result.regency_code, result.district_code = (
        digits[:2],
        digits[:4],
        digits[:6],
    )
    result.serial = base.serial
    # Each level is only checked when its parent is known: one clear reason, not three.
    known = _check_region(check, digits[:2], regions, "province_unknown", "province")
    known = known and _check_region(check, digits[:4], regions, "regency_unknown", "regency")
    if known:
        _check_region(check, digits[:6], regions, "district_unknown", "district")

    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "P" if day > 40 else "L"
    day = day - 40 if day > 40 else day
    if not 1 <= day <= 31:
        check.error("birth_day_invalid", value=digits[6:8])
    elif not 1 <= month <= 12:
        check.error("birth_month_invalid", value=digits[8:10])
    else:
        year = century_year(yy, reference)
        shown = f"{day:02d}-{month:02d}-{year}"
        try:
            born = dt.date(year, month, day)
        except ValueError:
            check.error("birth_date_invalid", value=shown)
        else:
            if born > reference:
                check.error("birth_date_future", value=shown)
            else:
                result.birth_date, result.sex = born, sex
    if digits[12:] == "0000":
        check.error("serial_zero")

    if village_code and result.district_code and not village_code.startswith(result.district_code):
        current = regions.historical(result.district_code) if regions else None
        moved_with_split = current and current[1] and village_code.startswith(current[1])
        if not moved_with_split:
            nik_region = result.region_names.get("district") or _dotted(result.district_code)
            village = (regions.name(village_code) if regions else None) or _dotted(village_code)
            check.warn("residence_differs", nik_region=nik_region, village=village)

    result.valid = not result.errors
    return result


@dataclass
class KkResult:
    input: str
    kk: str | None = None
    valid: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    district_code: str | None = None


def inspect_kk(raw: object, *, regions: RegionNames | None = None, lang: str = "id") -> KkResult:
    """A KK (family card) number: 16 digits starting with the issuing district's code.

    The layout of the remaining digits is not confirmed by a regulation we hold, so only the
    region prefix and a non-zero tail are checked.
    """
    text = "" if raw is None else str(raw).strip()
    result = KkResult(input=text)
    check = _Checker(result, lang)
    digits = _sixteen_digits(text, check, prefix="kk_")
    if digits is None:
        return result
    result.kk, result.district_code = digits, digits[:6]
    if regions is not None and not (regions.name(digits[:6]) or regions.historical(digits[:6])):
        check.error("kk_region_unknown", code=_dotted(digits[:6]))
    if digits[12:] == "0000":
        check.error("kk_serial_zero")
    result.valid = not result.errors
    return result


def mask_nik(nik: str | None) -> str:
    """The one NIK mask of `lindung.accounts.masking` (kept here for callers of this module)."""
    from lindung.accounts.masking import mask_number

    return mask_number(nik)
