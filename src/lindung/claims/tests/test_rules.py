"""Benefit rules as dated, cited data: what the seed ships (every figure of DOMAIN §3 with its
citation), the database refusing an uncited row, loading more rows from a file all or nothing
(a later rule closes the open one the day before it starts), and the partial-disability table
that ships empty and loads from a cited file."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys

import pytest
from django.db import IntegrityError, transaction

from lindung import cli
from lindung.audit.models import AuditEvent
from lindung.billing.protection import ARREARS_CITATION, ARREARS_MAX_MONTHS
from lindung.claims.calculator import load_rulebook, what_if_facts
from lindung.claims.rulebook import BenefitRule, DisabilityRate
from lindung.claims.rules_load import disability_load, disability_percent, rules_load
from lindung.common.errors import ApplicationError

pytestmark = pytest.mark.django_db
D = dt.date

SHIPPED = {
    "jkm-lump-sum": 20_000_000,
    "jkm-periodic": 12_000_000,
    "jkm-funeral": 10_000_000,
    "jkm-new-member-months": 3,
    "jkk-medical": 100,
    "jkk-home-care-cap": 20_000_000,
    "jkk-home-care-months": 12,
    "jkk-transport-land": 5_000_000,
    "jkk-transport-sea": 2_000_000,
    "jkk-transport-air": 10_000_000,
    "jkk-stmb-full-months": 12,
    "jkk-stmb-full-percent": 100,
    "jkk-stmb-after-percent": 50,
    "jkk-disability-total": 56,
    "jkk-disability-partial-base": 80,
    "jkk-disability-partial-cap": 70,
    "jkk-death": 48,
    "jkk-funeral": 10_000_000,
    "jkk-periodic": 12_000_000,
    "jkk-sudden-death-months-paid": 12,
    "jkk-lapse-years": 5,
    "jkk-report-stage1-hours": 48,  # PP 44/2015: stage I within 2 × 24 hours
    "jkk-report-stage2-hours": 48,  # stage II within 2 × 24 hours of the doctor's statement
    "scholarship-tk": 1_500_000,
    "scholarship-tk-years": 2,
    "scholarship-sd": 1_500_000,
    "scholarship-sd-years": 6,
    "scholarship-smp": 2_000_000,
    "scholarship-smp-years": 3,
    "scholarship-sma": 3_000_000,
    "scholarship-sma-years": 3,
    "scholarship-pt": 12_000_000,
    "scholarship-pt-years": 5,
    "scholarship-max-children": 2,
    "scholarship-jkm-min-years": 3,
    "scholarship-back-pay-years": 3,
    "scholarship-max-age": 23,
    "arrears-max-months": 3,
}


def test_every_figure_of_the_regulations_is_a_cited_row():
    rows = {r.code: r for r in BenefitRule.objects.all()}
    assert {code: r.value for code, r in rows.items()} == SHIPPED
    for r in rows.values():
        assert r.citation.strip() and r.valid_to is None
        assert isinstance(r.value, int)


def test_the_new_member_rule_is_in_force_from_24_february_2025():
    rule = BenefitRule.objects.get(code="jkm-new-member-months")
    assert rule.valid_from == D(2025, 2, 24) and "Permenaker 1/2025 Pasal 97A" in rule.citation


def test_the_arrears_rule_is_billings_own():
    rule = BenefitRule.objects.get(code="arrears-max-months")
    assert rule.value == ARREARS_MAX_MONTHS and rule.citation == ARREARS_CITATION


def test_the_database_refuses_a_rule_without_citation():
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitRule.objects.create(code="x", unit="rupiah", value=1, valid_from=D(2025, 1, 1),
                                   citation="")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        DisabilityRate.objects.create(code="x", description="x", percent=10,
                                      valid_from=D(2025, 1, 1), citation="")  # fmt: skip


def test_the_disability_table_ships_empty():
    assert DisabilityRate.objects.count() == 0


ROW = {
    "code": "jkm-lump-sum",
    "unit": "rupiah",
    "value": "25.000.000",
    "valid_from": "2030-01-01",
    "valid_to": "",
    "citation": "PP (uji) 9/2029 Pasal 34",
    "note": "",
}


def test_a_later_rule_closes_the_open_one_and_applies_to_later_deaths_only():
    report = rules_load(actor=None, rows=[ROW])
    assert report == {"stored": 1, "closed": ["jkm-lump-sum"]}
    old = BenefitRule.objects.get(code="jkm-lump-sum", valid_from__lt=D(2030, 1, 1))
    assert old.valid_to == D(2029, 12, 31)
    book = load_rulebook()
    assert book.need("jkm-lump-sum", D(2029, 12, 31)).value == 20_000_000
    assert book.need("jkm-lump-sum", D(2030, 1, 1)).value == 25_000_000
    assert AuditEvent.objects.filter(action="claims.rules_load").count() == 1
    assert AuditEvent.objects.filter(action="claims.rule_close").count() == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"citation": ""}, "citation"),
        ({"valid_from": ""}, "valid_from"),
        ({"valid_from": "01-01-2030"}, "valid_from"),
        ({"value": "1,5"}, "value"),
        ({"value": "-1"}, "value"),
        ({"value": "9" * 40}, "value"),
        ({"unit": "kg"}, "unit"),
        ({"code": "a b"}, "code"),
        ({"code": "jkm\x00"}, "NUL"),
        ({"valid_from": "2010-01-01"}, "tumpang tindih"),
        ({"valid_to": "2029-01-01"}, "valid_to"),
    ],
)
def test_a_bad_row_stores_nothing_and_says_why(change, words):
    good = {**ROW, "code": "jkk-funeral", "value": "15000000"}
    with pytest.raises(ApplicationError) as exc:
        rules_load(actor=None, rows=[good, {**ROW, **change}])
    problems = exc.value.extra["problems"]
    assert [p["row"] for p in problems] == [3]
    assert words in " ".join(problems[0]["errors"])
    assert BenefitRule.objects.filter(valid_from=D(2030, 1, 1)).count() == 0
    assert BenefitRule.objects.get(code="jkk-funeral").valid_to is None


def test_two_rows_of_one_code_overlapping_in_the_file_are_refused():
    with pytest.raises(ApplicationError):
        rules_load(actor=None, rows=[ROW, {**ROW, "valid_from": "2031-01-01"}])


def test_an_empty_file_is_refused():
    with pytest.raises(ApplicationError):
        rules_load(actor=None, rows=[])


DISABILITY = {
    "code": "ibu-jari-tangan-kanan",
    "description": "Ibu jari tangan kanan (contoh uji, bukan Lampiran III)",
    "percent": "20",
    "valid_from": "2019-12-02",
    "valid_to": "",
    "citation": "PP 82/2019 Lampiran III (baris uji)",
}


def test_the_disability_table_loads_from_cited_rows():
    assert disability_load(actor=None, rows=[DISABILITY]) == {"stored": 1, "closed": []}
    assert disability_percent("ibu-jari-tangan-kanan", D(2025, 1, 1)).percent == 20
    assert disability_percent("ibu-jari-tangan-kanan", D(2019, 1, 1)) is None
    with pytest.raises(ApplicationError):
        disability_load(actor=None, rows=[{**DISABILITY, "code": "x", "percent": "101"}])
    with pytest.raises(ApplicationError):
        disability_load(actor=None, rows=[{**DISABILITY, "code": "y", "citation": ""}])


def _run(capsys, monkeypatch, *argv):
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["lindung", *argv])
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def test_benefit_rules_command_lists_and_loads(capsys, monkeypatch, tmp_path):
    code, out, _err = _run(capsys, monkeypatch, "benefit-rules", "list", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed["rules"]) == len(SHIPPED) and listed["disability"] == []
    code, out, _err = _run(capsys, monkeypatch, "benefit-rules", "list")
    assert "tabel cacat sebagian masih kosong" in out.lower()
    path = tmp_path / "cacat.csv"
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(DISABILITY))
        writer.writeheader()
        writer.writerow(DISABILITY)
    code, out, _err = _run(capsys, monkeypatch, "benefit-rules", "load-disability", str(path))
    assert code == 0 and out.startswith("1 ") and DisabilityRate.objects.count() == 1
    bad = tmp_path / "buruk.csv"
    bad.write_text("code,unit,value,valid_from,valid_to,citation,note\nx,rupiah,1,2030-01-01,,,\n")
    code, _out, err = _run(capsys, monkeypatch, "benefit-rules", "load", str(bad))
    assert code == 2 and "citation" in err


def test_what_if_uses_the_rule_in_force_on_the_event_date():
    rules_load(actor=None, rows=[{**ROW, "code": "arrears-max-months", "unit": "months",
                                  "value": "1", "citation": "uji"}])  # fmt: skip
    facts = what_if_facts("jkm", event_date=D(2030, 3, 16), coverage_start=D(2029, 1, 1),
                          paid_through=D(2030, 1, 1), monthly_contribution=16_800)  # fmt: skip
    assert facts.protection == "not_protected"
