"""Rates are data: loading rows, refusing bad ones whole, and a later rule changing only later
months."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from lindung.accounts.system import SYSTEM
from lindung.audit.models import AuditEvent
from lindung.billing.models import ContributionRule
from lindung.billing.rates import Payer, contribution
from lindung.billing.selectors import ruleset
from lindung.billing.services import rates_load
from lindung.common.errors import ApplicationError

pytestmark = pytest.mark.django_db
CITE = "PP 44/2015 Lampiran II (test row)"


def row(**kw):
    base = {"code": "jkk-bpu-1100000", "component": "jkk", "income_from": "1100000",
            "amount": "11000", "valid_from": "2015-07-01", "citation": CITE}  # fmt: skip
    return {**base, **kw}


def total(month, income=1_000_000, components=("jkk", "jkm")):
    return contribution(
        ruleset(), month=month, income=income, components=components, payer=Payer("apbd")
    ).total


def test_a_loaded_jkk_step_prices_that_declared_income():
    with pytest.raises(ApplicationError):
        total(dt.date(2025, 10, 1), income=1_100_000)
    assert rates_load(actor=SYSTEM, rows=[row()]) == {"stored": 1, "closed": []}
    assert total(dt.date(2025, 10, 1), income=1_100_000) == 11_000 + 6_800
    assert AuditEvent.objects.filter(action="billing.rates_load").count() == 1


def test_a_later_rate_changes_only_the_months_from_its_date():
    rates_load(
        actor=SYSTEM,
        rows=[row(code="jkm-bpu-2027", component="jkm", income_from="", amount="7000",
                  valid_from="2027-01-01")],
    )  # fmt: skip
    assert total(dt.date(2026, 12, 1)) == 16_800
    assert total(dt.date(2027, 1, 1)) == 17_000
    old = ContributionRule.objects.get(code="jkm-bpu")
    assert old.valid_to == dt.date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="billing.rate_close", object_id=str(old.pk)).exists()


@pytest.mark.parametrize(
    "bad, reason",
    [
        ({"citation": ""}, "citation"),
        ({"valid_from": ""}, "valid_from"),
        ({"valid_from": "2026-02-15"}, "first day"),
        ({"valid_to": "2026-02-14"}, "last day"),
        ({"amount": "", "rate_bp": ""}, "amount"),
        ({"income_from": ""}, "step"),
        ({"component": "jkp"}, "component"),
        ({"amount": "11.000,5"}, "amount"),
        # the shipped Rp1,000,000 step is in force from 2015 and not open for a change of band
        ({"income_from": "900000", "income_to": "1000000"}, "overlaps"),
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_stored(bad, reason):
    before = ContributionRule.objects.count()
    with pytest.raises(ApplicationError) as exc, translation.override("en"):
        rates_load(actor=SYSTEM, rows=[row(code="ok-row", income_from="1200000"), row(**bad)])
    problems = exc.value.extra["problems"]
    assert [p["row"] for p in problems] == [3]
    assert reason in " ".join(problems[0]["errors"])
    assert ContributionRule.objects.count() == before


def test_two_rows_of_one_file_that_overlap_are_refused():
    with pytest.raises(ApplicationError) as exc, translation.override("en"):
        rates_load(actor=SYSTEM, rows=[row(), row(code="again")])
    assert "row 2" in exc.value.extra["problems"][0]["errors"][0]


def test_the_command_loads_a_csv_and_refuses_a_bad_one(tmp_path, capsys):
    good = tmp_path / "rates.csv"
    good.write_text(
        "code,component,income_from,income_to,amount,rate_bp,valid_from,valid_to,citation,note\n"
        f"jkk-bpu-1100000,jkk,1100000,,11000,,2015-07-01,,{CITE},\n"
    )
    call_command("rates", "load", str(good), "--json")
    assert json.loads(capsys.readouterr().out) == {"stored": 1, "closed": []}
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,component,income_from,income_to,amount,rate_bp,valid_from,valid_to,citation,note\n"
        "jkk-x,jkk,1300000,,13000,,2015-07-01,,,\n"
    )
    from lindung.billing.management.commands.rates import Command

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["lindung", "rates", "load", str(bad), "--json"])
    assert exit_.value.code == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "rates_refused" and "baris 2" in error["message"]
