"""`lindung benefit` as a user meets it: the JSON shape, Indonesian text with rupiah written
the Indonesian way, lookups by NIK (recorded for auditors) and KPJ, and every mistake refused
with a reason and exit status 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass

import pytest

from lindung import cli
from lindung.audit.models import AuditEvent
from lindung.billing import invoicing

pytestmark = pytest.mark.django_db
D = dt.date


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def lindung(capsys, monkeypatch):
    def run(*argv: str) -> Run:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["lindung", *argv])
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    return run


WHAT_IF = ("--what-if", "--coverage-start", "2025-07-01", "--paid-through", "2025-12")


def test_what_if_jkm_json_has_exactly_the_documented_shape(lindung):
    run = lindung("benefit", "jkm", *WHAT_IF, "--event-date", "2025-10-10", "--json")
    assert run.code == 0
    answer = run.json()
    assert answer == {
        "type": "jkm",
        "event_date": "2025-10-10",
        "payable": 42_000_000,
        "components": answer["components"],
        "not_payable": [],
        "heirs": [],
    }
    assert [(c["code"], c["amount"], c["rule"]) for c in answer["components"]] == [
        ("jkm-lump-sum", 20_000_000, "jkm-lump-sum"),
        ("jkm-periodic", 12_000_000, "jkm-periodic"),
        ("jkm-funeral", 10_000_000, "jkm-funeral"),
    ]
    assert all(c["citation"] for c in answer["components"])


def test_what_if_text_is_in_indonesian_with_rupiah_and_terbilang(lindung):
    run = lindung("benefit", "jkk-death", *WHAT_IF, "--event-date", "2025-10-10",
                  "--claim-date", "2025-10-12")  # fmt: skip
    assert run.code == 0
    assert "Dibayar: Rp70.000.000" in run.out
    assert "tujuh puluh juta rupiah" in run.out.lower()
    assert "Rp48.000.000" in run.out and "PP 82/2019" in run.out


def test_text_in_english_with_lang_en(lindung):
    run = lindung("benefit", "jkm", *WHAT_IF, "--event-date", "2025-10-16", "--paid-through",
                  "2025-09", "--lang", "en")  # fmt: skip
    assert run.code == 0
    assert "Payable: Rp41.983.200" in run.out
    assert "Unpaid contribution 10-2025 deducted: −Rp16.800" in run.out


def test_what_if_scholarship_with_levels_and_a_third_child(lindung):
    run = lindung("benefit", "scholarship", "--what-if", "--coverage-start", "2021-01-01",
                  "--paid-through", "2025-12", "--event-date", "2025-10-10", "--children", "3",
                  "--levels", "sd,smp,sma", "--json")  # fmt: skip
    answer = run.json()
    assert answer["payable"] == 3_500_000
    assert [n["code"] for n in answer["not_payable"]] == ["scholarship-child-3"]


def test_what_if_disability_and_stmb(lindung):
    run = lindung("benefit", "jkk-disability", *WHAT_IF, "--event-date", "2025-10-10",
                  "--disability-percent", "10", "--wage", "2000000", "--claim-date",
                  "2025-10-11", "--json")  # fmt: skip
    assert run.json()["payable"] == 16_000_000
    run = lindung("benefit", "jkk-stmb", *WHAT_IF, "--event-date", "2025-10-10",
                  "--months-off", "13", "--claim-date", "2025-10-11", "--json")  # fmt: skip
    assert run.json()["payable"] == 12_500_000


@pytest.fixture
def paid_person(active, regency_admin):
    from lindung.registry.models import Heir

    program, workers = active(n1=1, n2=0, start=D(2025, 7, 1), end=D(2025, 12, 31))
    invoicing.payment_record(
        actor=regency_admin, funder_id=program.funders.first().pk, reference="P1",
        amount=6 * 16_800, paid_on=D(2025, 7, 10), first_month=D(2025, 7, 1), months=6,
    )  # fmt: skip
    worker = workers[0]
    Heir.objects.create(worker=worker, name="Ahmad Fauzi", relationship="spouse")
    Heir.objects.create(worker=worker, name="Ibu Sari", relationship="parent")
    return worker


def test_by_nik_names_the_entitled_heirs_and_records_the_search(lindung, paid_person):
    run = lindung("benefit", "jkm", "--nik", paid_person.nik, "--event-date", "2025-10-02",
                  "--json")  # fmt: skip
    assert run.code == 0
    answer = run.json()
    assert answer["payable"] == 42_000_000
    assert answer["heirs"] == [
        {"class": 1, "name": "Ahmad Fauzi", "relationship": "spouse", "receives": "class",
         "amount": None}
    ]  # fmt: skip
    event = AuditEvent.objects.filter(action="pii.search").latest("id")
    assert event.channel == "command" and paid_person.nik not in json.dumps(event.changes)
    assert event.region_code == paid_person.village_id


def test_by_kpj_in_text_says_why_the_heirs(lindung, paid_person):
    from lindung.enrolment.models import Participant

    kpj = Participant.objects.get(worker=paid_person).kpj
    run = lindung("benefit", "jkm", "--kpj", kpj, "--event-date", "2025-10-02")
    assert run.code == 0 and "Rp42.000.000" in run.out
    assert "Kelas 1" in run.out and "Ahmad Fauzi" in run.out


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("benefit", "pension", *WHAT_IF, "--event-date", "2025-10-10"), "usage"),
        (("benefit", "jkm", *WHAT_IF, "--event-date", "10-10-2025"), "invalid"),
        (("benefit", "jkm", "--what-if", "--event-date", "2025-10-10"), "invalid"),
        (("benefit", "jkm", *WHAT_IF), "usage"),
        (("benefit", "jkm", "--event-date", "2025-10-10"), "usage"),
        (("benefit", "jkm", *WHAT_IF, "--event-date", "2025-10-10", "--wage", "-5"), "invalid"),
        (("benefit", "jkm", *WHAT_IF, "--event-date", "2025-10-10", "--wage", "9" * 40),
         "invalid"),
        (("benefit", "jkm", *WHAT_IF, "--event-date", "2025-10-10", "--wage", "abc"), "usage"),
        (("benefit", "scholarship", *WHAT_IF, "--event-date", "2025-10-10", "--levels", "s3"),
         "invalid"),
        (("benefit", "jkm", "--what-if", "--coverage-start", "2025-07-01", "--paid-through",
          "2025-13", "--event-date", "2025-10-10"), "invalid"),
        (("benefit", "jkk-death", *WHAT_IF, "--event-date", "9999-12-31"), "invalid"),
        (("benefit", "jkm", "--nik", "123", "--event-date", "2025-10-10"), "invalid"),
        (("benefit", "jkm", "--nik", "1612011508030999", "--event-date", "2025-10-10"),
         "not_found"),
        (("benefit", "jkm", "--kpj", "00000000000", "--event-date", "2025-10-10"), "not_found"),
        (("benefit", "jkm", "--nik", "1" * 16, "--kpj", "1" * 11, "--event-date", "2025-10-10"),
         "usage"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_exit_2_and_a_json_error(lindung, argv, code):
    run = lindung(*argv, "--json")
    assert run.code == 2
    error = run.json()["error"]
    assert error["message"] and error["code"] == code


def test_bad_input_in_text_is_one_clear_line_in_indonesian(lindung):
    run = lindung("benefit", "jkm", *WHAT_IF, "--event-date", "2025-02-30")
    assert run.code == 2 and "--event-date" in run.err and "YYYY-MM-DD" in run.err
    run = lindung("benefit", "jkm", *WHAT_IF, "--event-date", "2025-10-10", "--wage", "-1")
    assert run.code == 2 and "wage" in run.err


def test_the_overview_lists_both_commands(lindung):
    run = lindung("help")
    assert "benefit TYPE" in run.out and "benefit-rules" in run.out
