"""`lindung budget` exactly as issue 9 spells it."""

import json

import pytest
from django.core.management import call_command

from lindung.billing.management.commands.budget import Command

pytestmark = pytest.mark.django_db
MUARA_ENIM = ["--workers", "26775", "--months", "3", "--start", "2025-10", "--funder", "apbd"]


def run(capsys, *args) -> tuple[int, str]:
    try:
        Command().run_from_argv(["lindung", "budget", *args])
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out


def test_the_issue_example_in_json(capsys):
    call_command("budget", *MUARA_ENIM, "--json")
    r = json.loads(capsys.readouterr().out)
    assert r["total"] == 1_349_460_000
    assert (r["workers"], r["months"], r["per_worker_month"]) == (26_775, 3, 16_800)
    assert r["by_component"] == {"jkk": 803_250_000, "jkm": 546_210_000, "jht": 0}
    assert [m["month"] for m in r["by_month"]] == ["2025-10", "2025-11", "2025-12"]
    assert all({"month", "per_worker", "total"} <= set(m) for m in r["by_month"])
    assert all(rule["citation"] for rule in r["rules"])
    assert "workers_covered" not in r


def test_human_output_in_indonesian_with_the_total_in_words(capsys):
    call_command("budget", *MUARA_ENIM, "--budget", "1000000000")
    out = capsys.readouterr().out
    assert "Rp1.349.460.000" in out
    assert (
        "Satu miliar tiga ratus empat puluh sembilan juta empat ratus enam puluh ribu rupiah" in out
    )
    assert "19.841" in out  # 1,000,000,000 // 50,400
    assert "pekerja" in out  # Indonesian by default


def test_with_a_budget_it_says_how_many_workers_it_covers(capsys):
    call_command("budget", *MUARA_ENIM, "--budget", "1349460000", "--json")
    assert json.loads(capsys.readouterr().out)["workers_covered"] == 26_775


def test_self_paid_transport_components_and_jht(capsys):
    call_command(
        "budget", "--workers", "2", "--months", "2", "--start", "2026-01", "--sector",
        "transport", "--components", "jkk,jkm,jht", "--json",
    )  # fmt: skip
    r = json.loads(capsys.readouterr().out)
    assert r["per_worker_month"] == 8_400 + 20_000
    assert r["total"] == 2 * 2 * 28_400
    assert r["by_month"][1]["due_date"] == "2026-02-18"


@pytest.mark.parametrize(
    "args, code",
    [
        (["--workers", "-3", "--months", "3", "--start", "2025-10"], "out_of_range"),
        (["--workers", "3", "--months", "0", "--start", "2025-10"], "out_of_range"),
        (
            ["--workers", "99999999999999999999999", "--months", "3", "--start", "2025-10"],
            "out_of_range",
        ),
        (
            ["--workers", "3", "--months", "3", "--start", "2025-10", "--funder", "apbn"],
            "invalid_funder",
        ),
        (
            ["--workers", "3", "--months", "3", "--start", "2025-10", "--wage", "1500000"],
            "no_jkk_step",
        ),
        (["--workers", "3", "--months", "3", "--start", "2025-13"], "invalid_month"),
        (["--workers", "x", "--months", "3", "--start", "2025-10"], "usage"),
    ],
)
def test_bad_input_exits_2_with_a_json_error(capsys, args, code):
    status, out = run(capsys, *args, "--json")
    assert status == 2
    error = json.loads(out)["error"]
    assert error["code"] == code and error["message"]
