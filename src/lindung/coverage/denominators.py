"""Importing the denominator of coverage %: working population per region and year.

A statistics table (BPS "penduduk bekerja", or BPJS "potensi tenaga kerja") arrives as CSV or
XLSX through the intake's guarded reader (the same size, row and workbook checks as a village
list). Columns, found in any order, case and spacing, under the names such tables use:
`kode_kemendagri` (required), `kode_bps`, `nama`, `tahun`, `penduduk_bekerja` (required) and
`sumber`; the year and the source may instead be given for the whole file.

BPS numbers regions in its own scheme (even city numbers differ from Kemendagri's), so a row
must carry the Kemendagri code itself: the BPS code is kept beside it as the explicit mapping,
never converted by a rule. Levels: province, regency/city and district.

Every row is checked and every refused row named with its number and reason in the user's
language (Indonesian first): a missing or unknown Kemendagri code, a code of a village, a
year out of range, a count that is not a whole number or larger than Indonesia's population,
a NUL byte, the same region and year twice, or a BPS code mapped to two regions. A name that
differs from the Kemendagri name is a warning, not a refusal (BPS writes "Kab. Penukal Abab
Lematang Ilir", Kemendagri "Penukal Abab Lematang Ilir"). The file is stored whole or not at
all: a denominator table with holes would rank regions wrongly.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from lindung.audit.services import record
from lindung.common.errors import ApplicationError
from lindung.common.text import number
from lindung.intake.answerfile import (
    csv_rows,
    find_header,
    is_workbook,
    refuse_unreadable,
    workbook_rows,
)
from lindung.intake.guard import FileRefused
from lindung.intake.reader import _cell_text, check_row_count, decode_text
from lindung.regions.models import Region, WorkforceDenominator, canonical

# No region of Indonesia has more working people than the whole country's population.
MAX_WORKING_POPULATION = 300_000_000
YEARS = (2000, 2100)
ALIASES = {
    "kemendagri": ("kodekemendagri", "kodewilayah", "kodedagri", "kodekemendagriwilayah",
                   "kodewilayahkemendagri", "kemendagri", "kodepum"),
    "bps": ("kodebps", "bps", "kodewilayahbps", "idbps"),
    "name": ("nama", "namawilayah", "wilayah", "kabupatenkota", "namakabupatenkota", "region"),
    "year": ("tahun", "year", "thn"),
    "count": ("pendudukbekerja", "jumlahpendudukbekerja", "bekerja", "angkatankerjabekerja",
              "potensitenagakerja", "workingpopulation", "jumlah"),
    "source": ("sumber", "source", "sumberdata"),
}  # fmt: skip
_LOOKUP = {alias: key for key, names in ALIASES.items() for alias in names}
_NUL = "\ue000"  # stands for a NUL byte while the CSV module reads the text
_NAME_PREFIX = re.compile(r"^(kabupaten|kab|kota|provinsi|prov|kecamatan|kec)\b\.?\s*")


@dataclass
class DenominatorRow:
    row: int
    kemendagri: str = ""
    bps: str = ""
    name: str = ""
    year: str = ""
    count: str = ""
    source: str = ""


@dataclass
class DenominatorReport:
    rows: int = 0
    stored: int = 0
    errors: list[dict] = field(default_factory=list)  # {row, reasons: [...]}
    warnings: list[dict] = field(default_factory=list)  # {row, message}

    def as_dict(self) -> dict:
        return asdict(self)


def _find_header(rows: list[list]) -> tuple[int, dict[str, int]]:
    return find_header(
        rows,
        _LOOKUP,
        ("kemendagri", "count"),
        _(
            "No header row with the Kemendagri code and working population columns found. The "
            "first rows must name them, e.g. 'kode_kemendagri' and 'penduduk_bekerja' (and "
            "optionally 'kode_bps', 'nama', 'tahun', 'sumber')."
        ),
    )


def read_denominator_file(data: bytes) -> list[DenominatorRow]:
    """The data rows of a denominator table, or `FileRefused` saying what to fix."""
    refuse_unreadable(data)
    if is_workbook(data):
        rows = workbook_rows(data, _find_header)
    else:
        # A NUL byte refuses its row (named), not the whole table: it is read as a marker.
        rows = csv_rows(decode_text(data).replace("\x00", _NUL))
    header_at, found = _find_header(rows)
    out: list[DenominatorRow] = []
    for offset, row in enumerate(rows[header_at + 1 :]):
        cells = [_cell_text(v) for v in row]
        if not any(cells):
            continue
        cells += [""] * (max(found.values()) + 1 - len(cells))
        out.append(
            DenominatorRow(
                row=header_at + offset + 2,
                **{key: cells[index].replace(_NUL, "\x00") for key, index in found.items()},
            )
        )
    check_row_count(len(out))
    return out


def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        s = " ".join(s.lower().replace(".", ". ").split())
        return re.sub(r"[^a-z0-9]", "", _NAME_PREFIX.sub("", s))

    return norm(a) == norm(b)


def _whole_number(text: str) -> int | None:
    """'213582', '213.582', '213,582' or '213 582' → 213582; anything else → None."""
    t = text.strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):
        t = t.replace(".", "").replace(",", "")
    if not t.isascii() or not t.isdigit() or len(t) > 12:
        return None
    return int(t)


def check_rows(
    rows: list[DenominatorRow], *, year: int | None = None, source: str = ""
) -> tuple[list[dict], DenominatorReport]:
    """Each row checked: (the rows to store, the report with refusals and warnings)."""
    report = DenominatorReport(rows=len(rows))
    codes = {canonical(r.kemendagri) for r in rows if r.kemendagri}
    regions = {
        code: (level, name)
        for code, level, name in Region.objects.filter(code__in=codes).values_list(
            "code", "level", "name"
        )
    }
    good: list[dict] = []
    seen: dict[tuple[str, int], int] = {}
    bps_to: dict[str, tuple[str, int]] = {}
    for r in rows:
        reasons: list[str] = []
        if any("\x00" in v for v in asdict(r).values() if isinstance(v, str)):
            report.errors.append(
                {"row": r.row, "reasons": [_("The row contains a NUL byte (a control "
                                             "character): retype it.")]}
            )  # fmt: skip
            continue
        raw = r.kemendagri.strip()
        code = canonical(raw)
        if not raw:
            reasons.append(_("No Kemendagri code: BPS codes are not converted by rule, write "
                             "the Kemendagri code of the region."))  # fmt: skip
        elif not re.fullmatch(r"[0-9. ]+", raw) or len(code) not in (2, 4, 6, 10):
            reasons.append(_("'%(code)s' is not a Kemendagri region code (2, 4 or 6 digits, "
                             "e.g. 16.12).") % {"code": raw[:20]})  # fmt: skip
        elif code not in regions:
            reasons.append(_("Kemendagri code %(code)s is not a region of the current "
                             "decree.") % {"code": raw[:20]})  # fmt: skip
        elif regions[code][0] == 4:
            reasons.append(_("%(code)s is a village: denominators are for provinces, regencies "
                             "and districts.") % {"code": raw[:20]})  # fmt: skip
        bps = r.bps.strip()
        if bps and (not bps.replace(".", "").isdigit() or len(bps) > 12):
            reasons.append(_("BPS code '%(code)s' is not a number.") % {"code": bps[:20]})
        the_year = r.year.strip() or (str(year) if year else "")
        if not the_year:
            reasons.append(_("No year: add a 'tahun' column or give the year for the file."))
        elif not the_year.isdigit() or not YEARS[0] <= int(the_year) <= YEARS[1]:
            reasons.append(_("Year '%(year)s' is not between %(a)s and %(b)s.")
                           % {"year": the_year[:10], "a": YEARS[0], "b": YEARS[1]})  # fmt: skip
        count = _whole_number(r.count)
        if count is None:
            reasons.append(_("Working population '%(value)s' is not a whole number.")
                           % {"value": r.count[:20]})  # fmt: skip
        elif count == 0 or count > MAX_WORKING_POPULATION:
            reasons.append(
                _("Working population %(value)s is not possible (1 to %(max)s).")
                % {"value": number(count), "max": number(MAX_WORKING_POPULATION)}
            )
        the_source = (r.source.strip() or source.strip())[:200]
        if not the_source:
            reasons.append(_("No source: add a 'sumber' column or give the source for the "
                             "file (e.g. BPS, Sakernas Agustus 2024)."))  # fmt: skip
        if not reasons:
            key = (code, int(the_year))
            if key in seen:
                reasons.append(_("Region %(code)s, year %(year)s already on row %(row)s.")
                               % {"code": raw, "year": the_year, "row": seen[key]})  # fmt: skip
            if bps:
                if bps in bps_to and bps_to[bps][0] != code:
                    reasons.append(
                        _("BPS code %(bps)s is mapped to %(other)s on row %(row)s: one BPS code "
                          "names one region.")
                        % {"bps": bps, "other": bps_to[bps][0], "row": bps_to[bps][1]}
                    )  # fmt: skip
                bps_to.setdefault(bps, (code, r.row))
            seen.setdefault(key, r.row)
        if reasons:
            report.errors.append({"row": r.row, "reasons": reasons})
            continue
        official = regions[code][1]
        if r.name.strip() and not _same_name(r.name, official):
            report.warnings.append(
                {
                    "row": r.row,
                    "message": _("The file names %(code)s '%(name)s'; Kemendagri's name is "
                                 "'%(official)s'. Check that the code is right.")
                    % {"code": raw, "name": r.name.strip()[:120], "official": official},
                }
            )  # fmt: skip
        good.append(
            {
                "region_id": code,
                "year": int(the_year),
                "working_population": count,
                "bps_code": bps.replace(".", ""),
                "source": the_source,
            }
        )
    return good, report


def denominators_import(
    *, actor, data: bytes, year: int | None = None, source: str = "", commit: bool = True
) -> DenominatorReport:
    """Check a denominator table and (with `commit`) store it: every row or none. Refused rows
    raise `ApplicationError` (code `rows_refused`) carrying the report in `extra`."""
    try:
        rows = read_denominator_file(data)
    except FileRefused as exc:
        raise ApplicationError(exc.message, code=exc.code) from exc
    good, report = check_rows(rows, year=year, source=source)
    if report.errors:
        raise ApplicationError(
            _("%(n)s row(s) refused; nothing was stored. Fix them and import the file again.")
            % {"n": len(report.errors)},
            code="rows_refused",
            extra={"report": report.as_dict()},
        )
    if not commit:
        return report
    with transaction.atomic():
        existing = {
            (d.region_id, d.year): d
            for d in WorkforceDenominator.objects.select_for_update().filter(
                region_id__in={g["region_id"] for g in good}
            )
        }
        before = {}
        for g in good:
            old = existing.get((g["region_id"], g["year"]))
            if old is not None:
                before[f"{g['region_id']}/{g['year']}"] = old.working_population
                for k, v in g.items():
                    setattr(old, k, v)
                old.save()
            else:
                WorkforceDenominator.objects.create(**g)
        report.stored = len(good)
        record(
            actor=actor,
            action="coverage.denominators_import",
            object_type="regions.workforcedenominator",
            object_repr=_("Working population, %(n)s region-years") % {"n": len(good)},
            before=before or None,
            after={f"{g['region_id']}/{g['year']}": g["working_population"] for g in good[:500]},
            reason=", ".join(sorted({g["source"] for g in good}))[:500],
            row_count=len(good),
        )
    return report
