"""Importing the working population (the denominator of coverage %): BPS codes mapped to
Kemendagri codes explicitly, every bad row refused with its number and reason, a different
name only warned about, all rows or none."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from lindung.accounts.system import SYSTEM
from lindung.audit.models import AuditEvent
from lindung.common.errors import ApplicationError
from lindung.coverage.denominators import denominators_import
from lindung.regions.models import WorkforceDenominator

pytestmark = pytest.mark.django_db

GOOD = (
    "kode_bps;kode_kemendagri;nama;tahun;penduduk_bekerja\n"
    "1606;16.06;Musi Banyuasin;2025;213.582\n"
    "1612;16.12;Kab. Penukal Abab Lematang Ilir;2025;101234\n"
    "1600;16;Sumatera Selatan;2025;4.412.000\n"
)


def run(text: str | bytes, **kw):
    data = text.encode() if isinstance(text, str) else text
    with translation.override("id"):
        return denominators_import(actor=SYSTEM, data=data, source=kw.pop("source", "BPS"), **kw)


def test_a_good_table_is_stored_with_its_source_and_bps_codes():
    report = run(GOOD, source="BPS, Sakernas Agustus 2024")
    assert report.stored == 3 and report.errors == [] and report.warnings == []
    muba = WorkforceDenominator.objects.get(region_id="1606", year=2025)
    assert muba.working_population == 213_582 and muba.bps_code == "1606"
    assert muba.source == "BPS, Sakernas Agustus 2024"
    event = AuditEvent.objects.get(action="coverage.denominators_import")
    assert event.row_count == 3


def test_headers_in_any_form_and_a_year_for_the_whole_file():
    text = 'Kode Kemendagri,Penduduk Bekerja,Sumber\n16.03,"93,000",BPJS potensi TK\n'
    report = run(text, year=2024, source="")
    assert report.stored == 1
    d = WorkforceDenominator.objects.get(region_id="1603")
    assert (d.year, d.working_population, d.source) == (2024, 93_000, "BPJS potensi TK")


def test_a_name_other_than_kemendagris_is_a_warning():
    report = run("kode_kemendagri;nama;tahun;penduduk_bekerja\n16.12;Muara Enim;2025;100\n")
    assert report.stored == 1
    assert report.warnings[0]["row"] == 2
    assert "Penukal Abab Lematang Ilir" in report.warnings[0]["message"]


def test_bad_rows_are_refused_one_by_one_and_nothing_is_stored():
    text = (
        "kode_bps;kode_kemendagri;nama;tahun;penduduk_bekerja\n"
        "1606;16.06;Musi Banyuasin;2025;213582\n"  # 2: good
        "1699;16.99;Tidak Ada;2025;1000\n"  # 3: unknown code
        "1671;;Palembang;2025;1000\n"  # 4: only a BPS code
        "1603;16.03;Muara Enim;2025;999999999999\n"  # 5: huge
        "1604;16.04;Lahat;2025;12\x0034\n"  # 6: NUL byte
        "1605;16.05;Musi Rawas;20x5;1000\n"  # 7: bad year
        "1606;16.06;Musi Banyuasin;2025;5\n"  # 8: twice
        "1607;1612012001;Talang Ubi;2025;5\n"  # 9: a village
        "1608;16.08;OKU;2025;-5\n"  # 10: negative
        "1606;16.10;Ogan Ilir;2025;5\n"  # 11: BPS code mapped to two regions
        "1611;abc;Empat Lawang;2025;5\n"  # 12: not a code
    )
    with pytest.raises(ApplicationError) as caught:
        run(text)
    assert caught.value.code == "rows_refused"
    errors = {e["row"]: " ".join(e["reasons"]) for e in caught.value.extra["report"]["errors"]}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "16.99" in errors[3] and "bukan wilayah" in errors[3]
    assert "Kemendagri" in errors[4]
    assert "999.999.999.999" in errors[5]
    assert "NUL" in errors[6]
    assert "20x5" in errors[7]
    assert "baris 2" in errors[8]
    assert "desa" in errors[9].lower()
    assert "-5" in errors[10]
    assert "1606" in errors[11]
    assert "abc" in errors[12]
    assert not WorkforceDenominator.objects.exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls_or_encrypted"),
        (b"a;b\n1;2\n", "no_header"),
        (b"kode_kemendagri;penduduk_bekerja\n", "no_rows"),
    ],
)
def test_files_that_cannot_be_a_table_are_refused_whole(data, code):
    with pytest.raises(ApplicationError) as caught:
        run(data)
    assert caught.value.code == code


def test_a_later_import_replaces_the_figure_of_the_same_region_and_year():
    run(GOOD)
    run("kode_kemendagri;tahun;penduduk_bekerja\n16.06;2025;220000\n")
    assert WorkforceDenominator.objects.get(region_id="1606", year=2025).working_population == (
        220_000
    )
    assert WorkforceDenominator.objects.count() == 3


def test_the_command_imports_and_names_refused_rows(tmp_path, capsys):
    good = tmp_path / "bps.csv"
    good.write_text(GOOD)
    call_command("coverage", "import-workforce", str(good), "--source", "BPS", "--json")
    assert json.loads(capsys.readouterr().out)["stored"] == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("kode_kemendagri;tahun;penduduk_bekerja\n16.99;2025;5\n")
    with pytest.raises(CommandError):
        call_command("coverage", "import-workforce", str(bad), "--source", "BPS", "--lang", "en")
    assert "row 2" in capsys.readouterr().err


def test_the_show_command_prints_figures_and_the_ranking(capsys):
    run(GOOD)
    call_command("coverage", "show", "16", "--date", "2025-10-10", "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["working_population"] == 4_412_000 and len(body["ranking"]["regions"]) == 17
    with pytest.raises(CommandError):
        call_command("coverage", "show", "99")
