"""Every audit action code written anywhere has words; events read as words on the pages."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest
from django.utils import translation

from lindung.audit import labels
from lindung.audit.services import record

SRC = pathlib.Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Helpers that pass their action code on to `audit.record` (positionally).
FORWARDERS = {"_audit_worker", "_audit_heir", "_common"}


def _constants(tree: ast.Module) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if not isinstance(target, ast.Name):
                continue
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out[target.id] = [value.value]
            elif isinstance(value, ast.Dict):
                out[target.id] = [
                    v.value
                    for v in value.values
                    if isinstance(v, ast.Constant) and isinstance(v.value, str)
                ]
    return out


def _resolve(node, constants, where) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _resolve(node.body, constants, where) | _resolve(node.orelse, constants, where)
    if isinstance(node, ast.Subscript):
        return _resolve(node.value, constants, where)
    if isinstance(node, ast.Name) and node.id in constants:
        return set(constants[node.id])
    if isinstance(node, ast.Name):
        return set()  # a parameter passed on (the forwarders); their callers are collected
    raise AssertionError(f"{where}: write audit action codes as literals, not {ast.dump(node)}")


def collect_action_codes() -> dict[str, str]:
    """Every action code the code base writes, with where it is written."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            where = f"{rel}:{node.lineno}"
            values = [k.value for k in node.keywords if k.arg == "action"]
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in FORWARDERS:
                values += [
                    a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
            for value in values:
                for code in _resolve(value, constants, where):
                    if CODE.match(code):
                        found.setdefault(code, where)
    return found


def test_the_collector_finds_the_codes_of_every_kind_of_call():
    codes = collect_action_codes()
    # a keyword, a forwarder, a conditional, a constant, a dict of steps, raw SQL's helper
    for code in (
        "program.create",
        "worker.create",
        "user.deactivate",
        "pii.view",
        "submission.approved",
        "worker.heir_add",
        "duplicate.same",
    ):
        assert code in codes


def test_every_action_code_written_has_a_label():
    missing = {c: w for c, w in collect_action_codes().items() if c not in labels.action_codes()}
    assert not missing, f"audit action codes without a label (lindung.audit.labels): {missing}"


def test_every_label_is_translated_to_indonesian():
    with translation.override("en"):
        english = {code: labels.action_label(code) for code in labels.action_codes()}
    with translation.override("id"):
        untranslated = [c for c, words in english.items() if labels.action_label(c) == words]
    assert not untranslated, untranslated


@pytest.mark.django_db
def test_a_state_change_reads_as_the_states_labels():
    event = record(
        actor=None,
        action="submission.approved",
        object_type="programs.submission",
        object_id="1",
        before={"state": "submitted", "version": 1},
        after={"state": "approved", "version": 2},
    )
    with translation.override("id"):
        labels.in_words(event)
        assert event.action_label == "Daftar disetujui kabupaten"
        state = next(f for f in event.fields if f[1] == "Diusulkan desa")
        assert state == ("Status", "Diusulkan desa", "Disetujui kabupaten")
    with translation.override("en"):
        labels.in_words(event)
        assert event.action_label == "List approved by the regency"
        assert ("State", "Submitted by the village", "Approved by the regency") in event.fields


def test_an_unknown_code_shows_as_itself():
    assert labels.action_label("nobody.wrote_this") == "nobody.wrote_this"


@pytest.mark.django_db
def test_the_audit_page_and_api_show_words_and_keep_the_code(make_user, client_for):
    from django.test import Client

    from lindung.accounts.roles import Role
    from lindung.accounts.services import api_token_create

    record(
        actor=None,
        action="submission.returned",
        object_type="programs.submission",
        object_id="7",
        region_code="1612012001",
        before={"state": "submitted"},
        after={"state": "returned"},
    )
    auditor = make_user(Role.AUDITOR, ["16"])
    page = client_for(auditor).get("/audit/").content.decode()
    assert "Daftar dikembalikan ke desa" in page
    assert "Diusulkan desa → Dikembalikan ke desa" in page
    _token, raw = api_token_create(actor=auditor, user=auditor, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    item = api.get("/api/audit?action=submission.").json()["items"][0]
    assert item["action"] == "submission.returned"  # the stable code, for programs
    assert item["action_label"] == "Daftar dikembalikan ke desa"
    assert item["changes"] == {"state": ["submitted", "returned"]}  # the API keeps raw values
