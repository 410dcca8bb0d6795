"""Issue 7 §3: each step of a village list belongs to one role, nobody vouches for a list they
submitted, and a decision made on a list that moved meanwhile is refused (409)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE
from lindung.programs.models import Outcome, Submission
from lindung.programs.services import (
    people_decide,
    submission_add_workers,
    submission_for,
    submission_move,
)

OWN_LIST = "Anda sendiri yang mengajukan daftar ini"
STALE = "Daftar ini berubah saat Anda melihatnya"
ORDER = ["draft", "submitted", "approved", "verified", "ready"]


def api(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def move(client, submission, **payload):
    return client.post(
        f"/api/submissions/{submission.pk}/move", payload, content_type="application/json"
    )


@pytest.fixture
def actors(make_user, regency_admin):
    return {
        "operator": make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]),
        "regency": regency_admin,
        "regency_2": make_user(Role.REGENCY_ADMIN, ["1612"]),
        "bpjs": make_user(Role.BPJS_OFFICER, ["1612"]),
        "root": make_user(Role.SUPERADMIN),
        "root_2": make_user(Role.SUPERADMIN),
    }


@pytest.fixture
def list_at(make_program, make_worker, actors):
    """A village list of two people taken to `state` by the right role at every step."""

    def make(state: str, submitter=None) -> Submission:
        program = make_program()
        operator = submitter or actors["operator"]
        submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
        ids = [make_worker().pk, make_worker().pk]
        submission_add_workers(actor=operator, submission=submission, worker_ids=ids)
        steps = [
            ("submitted", operator),
            ("approved", actors["regency"]),
            ("verified", actors["bpjs"]),
            ("ready", actors["bpjs"]),
        ]
        for to, actor in steps[: ORDER.index(state)]:
            if to == "verified":
                people_decide(actor=actor, submission=submission, person_ids=None, accept=True)
            seen = Submission.objects.get(pk=submission.pk).state
            submission_move(actor=actor, submission=submission, to=to, expected_state=seen)
        return Submission.objects.get(pk=submission.pk)

    return make


def assert_unchanged(submission: Submission) -> None:
    now = Submission.objects.get(pk=submission.pk)
    assert (now.state, now.version, now.notes) == (
        submission.state,
        submission.version,
        submission.notes,
    )


# --- each step belongs to one role -------------------------------------------------------------


def test_regency_admin_cannot_take_bpjs_steps(list_at, actors):
    """The attack of the issue: decide, then `move verified`, then `move ready`, all as the
    regency admin. Every one is 403 and the list stays where it was."""
    regency = api(actors["regency"])
    approved = list_at("approved")
    pending = list(approved.people.values_list("outcome", flat=True))

    decide = regency.post(
        f"/api/submissions/{approved.pk}/decide", {"accept": True}, content_type="application/json"
    )
    assert decide.status_code == 403
    assert list(approved.people.values_list("outcome", flat=True)) == pending == ["pending"] * 2
    identities = regency.post(f"/api/submissions/{approved.pk}/check-identities")
    assert identities.status_code == 403

    people_decide(actor=actors["bpjs"], submission=approved, person_ids=None, accept=True)
    verify = move(regency, approved, to="verified", expected_state="approved")
    assert verify.status_code == 403 and verify.json()["code"] == "forbidden"
    assert_unchanged(approved)

    verified = list_at("verified")
    ready = move(regency, verified, to="ready", expected_state="verified")
    assert ready.status_code == 403
    assert_unchanged(verified)
    assert not AuditEvent.objects.filter(actor=actors["regency"], action__in=[
        "submission.accept", "submission.verified", "submission.ready",
    ]).exists()  # fmt: skip


def test_bpjs_officer_cannot_approve_or_return_for_the_regency(list_at, actors):
    bpjs = api(actors["bpjs"])
    submitted = list_at("submitted")
    assert move(bpjs, submitted, to="approved", expected_state="submitted").status_code == 403
    returned = move(bpjs, submitted, to="returned", expected_state="submitted", notes="x")
    assert returned.status_code == 403
    assert_unchanged(submitted)


def test_only_the_village_submits(list_at, actors):
    draft = list_at("draft")
    for role in ("regency", "bpjs"):
        response = move(api(actors[role]), draft, to="submitted", expected_state="draft")
        assert response.status_code == 403, role
    assert_unchanged(draft)


def test_village_operator_cannot_approve_or_verify(list_at, actors):
    operator = api(actors["operator"])
    submitted = list_at("submitted")
    assert move(operator, submitted, to="approved", expected_state="submitted").status_code == 403
    approved = list_at("approved")
    assert move(operator, approved, to="verified", expected_state="approved").status_code == 403
    assert_unchanged(submitted)
    assert_unchanged(approved)


def test_bpjs_returns_an_approved_list_to_the_village(list_at, actors):
    approved = list_at("approved")
    response = move(
        api(actors["bpjs"]), approved, to="returned", expected_state="approved", notes="Cek NIK"
    )
    assert response.status_code == 200 and response.json()["state"] == "returned"


# --- four eyes --------------------------------------------------------------------------------


def test_nobody_approves_a_list_they_submitted_themselves_not_even_a_superadmin(list_at, actors):
    submitted = list_at("submitted", submitter=actors["root"])
    assert submitted.submitted_by == actors["root"]
    response = move(api(actors["root"]), submitted, to="approved", expected_state="submitted")
    assert response.status_code == 403
    assert response.json()["code"] == "own_submission"
    assert OWN_LIST in response.json()["message"]
    assert_unchanged(submitted)

    # Someone else approves; the submitter still may not verify, decide people or mark ready.
    submission_move(
        actor=actors["root_2"], submission=submitted, to="approved", expected_state="submitted"
    )
    approved = Submission.objects.get(pk=submitted.pk)
    assert approved.approved_by == actors["root_2"]
    root = api(actors["root"])
    decide = root.post(
        f"/api/submissions/{approved.pk}/decide", {"accept": True}, content_type="application/json"
    )
    assert decide.status_code == 403 and decide.json()["code"] == "own_submission"
    assert set(approved.people.values_list("outcome", flat=True)) == {Outcome.PENDING}
    people_decide(actor=actors["root_2"], submission=approved, person_ids=None, accept=True)
    verify = move(root, approved, to="verified", expected_state="approved")
    assert verify.status_code == 403 and verify.json()["code"] == "own_submission"
    assert_unchanged(approved)


def test_the_page_tells_the_submitter_why_there_is_no_approve_button(list_at, actors, client_for):
    submitted = list_at("submitted", submitter=actors["root"])
    page = client_for(actors["root"]).get(f"/verifikasi/usulan/{submitted.pk}/").content.decode()
    assert OWN_LIST in page
    assert 'value="approve"' not in page
    assert 'value="return"' in page  # sending it back vouches for nothing


# --- stale decisions --------------------------------------------------------------------------


def test_approve_and_return_racing_exactly_one_wins_and_the_other_gets_409(list_at, actors):
    """Two regency admins open the same submitted list; one approves, the other returns it
    based on what they saw. The second is refused with the list's current state."""
    submitted = list_at("submitted")
    seen = {"expected_state": submitted.state, "version": submitted.version}
    first = move(api(actors["regency"]), submitted, to="approved", **seen)
    second = move(api(actors["regency_2"]), submitted, to="returned", notes="Perbaiki", **seen)
    assert first.status_code == 200
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "stale"
    assert (body["state"], body["version"]) == ("approved", submitted.version + 1)
    assert STALE in body["message"] and "Disetujui kabupaten" in body["message"]
    now = Submission.objects.get(pk=submitted.pk)
    assert (now.state, now.notes) == ("approved", "")
    assert AuditEvent.objects.filter(action="submission.returned").count() == 0


def test_a_decision_on_an_older_version_is_stale_even_back_in_the_same_state(list_at, actors):
    """Seen as submitted (version 1); meanwhile returned and submitted again (version 3): the
    state reads the same, but what was seen is not what is there now."""
    submitted = list_at("submitted")
    old_version = submitted.version
    submission_move(
        actor=actors["regency_2"], submission=submitted, to="returned",
        expected_state="submitted", notes="Lengkapi ahli waris",
    )  # fmt: skip
    submission_move(
        actor=actors["operator"], submission=submitted, to="submitted", expected_state="returned"
    )
    again = Submission.objects.get(pk=submitted.pk)
    response = move(
        api(actors["regency"]),
        submitted,
        to="approved",
        expected_state="submitted",
        version=old_version,
    )
    assert response.status_code == 409
    assert (response.json()["state"], response.json()["version"]) == ("submitted", again.version)
    assert_unchanged(again)


def test_people_decisions_on_a_list_that_moved_are_stale(list_at, actors):
    approved = list_at("approved")
    submission_move(
        actor=actors["bpjs"], submission=approved, to="returned",
        expected_state="approved", notes="Cek NIK",
    )  # fmt: skip
    response = api(actors["bpjs"]).post(
        f"/api/submissions/{approved.pk}/decide",
        {"accept": True, "expected_state": "approved", "version": approved.version},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["state"] == "returned"
    assert set(approved.people.values_list("outcome", flat=True)) == {Outcome.PENDING}


def test_a_move_must_name_the_state_it_was_made_on(list_at, actors):
    submitted = list_at("submitted")
    response = move(api(actors["regency"]), submitted, to="approved")
    assert response.status_code == 422
    assert "expected_state" in response.content.decode()
    assert_unchanged(submitted)


def test_an_unknown_state_is_a_422_with_a_reason(list_at, actors):
    submitted = list_at("submitted")
    regency = api(actors["regency"])
    for payload in (
        {"to": "archived", "expected_state": "submitted"},
        {"to": "approved", "expected_state": "whatever"},
        {"to": "approved", "expected_state": ""},
    ):
        response = move(regency, submitted, **payload)
        # Refused at the edge: the states are an enum in the OpenAPI schema.
        assert response.status_code == 422, payload
        assert response.json()["message"]
    assert_unchanged(submitted)


# --- the page ----------------------------------------------------------------------------------


def buttons(client, submission) -> set[str]:
    body = client.get(f"/verifikasi/usulan/{submission.pk}/").content.decode()
    return set(re.findall(r'name="action" value="([a-z_]+)"', body))


MOVES = {"submit", "approve", "return", "verify", "ready", "accept", "reject", "identities"}


def test_the_page_shows_only_the_buttons_of_the_users_role(list_at, actors, client_for):
    submitted, approved = list_at("submitted"), list_at("approved")
    regency, bpjs = client_for(actors["regency"]), client_for(actors["bpjs"])
    assert buttons(regency, submitted) & MOVES == {"approve", "return"}
    assert buttons(bpjs, submitted) & MOVES == set()
    assert buttons(regency, approved) & MOVES == set()
    assert buttons(bpjs, approved) & MOVES == {"return", "identities", "verify", "accept", "reject"}
    assert buttons(client_for(actors["operator"]), approved) & MOVES == set()


def test_the_page_says_who_took_each_step(list_at, actors, client_for):
    verified = list_at("verified")
    actors["operator"].first_name = "Siti"
    actors["operator"].save()
    page = client_for(actors["regency"]).get(f"/verifikasi/usulan/{verified.pk}/").content.decode()
    assert f"Diajukan oleh Siti · disetujui oleh {actors['regency'].username}" in page
    assert f"diverifikasi oleh {actors['bpjs'].username}" in page


def test_a_stale_press_on_the_page_says_the_list_moved(list_at, actors, client_for):
    submitted = list_at("submitted")
    page = f"/verifikasi/usulan/{submitted.pk}/"
    slow = client_for(actors["regency_2"])
    body = slow.get(page).content.decode()
    seen = dict(re.findall(r'name="(expected_state|version)" value="([^"]*)"', body))
    assert seen == {"expected_state": "submitted", "version": str(submitted.version)}
    submission_move(
        actor=actors["regency"], submission=submitted, to="approved", expected_state="submitted"
    )
    response = slow.post(page, {**seen, "action": "return", "notes": "Perbaiki"}, follow=True)
    text = response.content.decode()
    assert STALE in text and "Disetujui kabupaten" in text
    now = Submission.objects.get(pk=submitted.pk)
    assert (now.state, now.notes) == ("approved", "")


# --- a real race on PostgreSQL -----------------------------------------------------------------

RACE = """
import json, os, threading
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
import django
django.setup()
import datetime as dt
from django.core.management import call_command
from django.db import connection
from lindung.accounts.services import user_create
from lindung.common.errors import ApplicationError
from lindung.programs.models import Program, Submission, SubmissionPerson
from lindung.programs.services import submission_move
from lindung.regions.models import Region
from lindung.registry.models import Occupation, Worker

call_command("migrate", verbosity=0)
parent = None
for code, level, kind in [("16", 1, "provinsi"), ("1612", 2, "kabupaten"),
                          ("161201", 3, "kecamatan"), ("1612012001", 4, "desa")]:
    parent = Region.objects.create(code=code, name=code, level=level, kind=kind, parent=parent)
admins = [user_create(username=f"admin{i}", password="x-pass-123!", role="regency_admin",
                      region_codes=["1612"]) for i in (1, 2)]
program = Program.objects.create(code="race", name="Race", owner_region_id="1612",
                                 coverage_start=dt.date(2025, 10, 1),
                                 coverage_end=dt.date(2025, 12, 31), status="active")
# Informal work, so the one person on each list is eligible (a job such as "not working" is not).
occupation = Occupation.objects.filter(work_class="informal").first() or Occupation.objects.create(
    code="petani", name_id="Petani", name_en="Farmer", group="informal")
TRIALS = int(os.environ["RACE_TRIALS"])
results = []
for trial in range(TRIALS):
    village = Region.objects.create(code=f"1612012{trial + 100:03d}", name="v", level=4,
                                    kind="desa", parent_id="161201")
    sub = Submission.objects.create(program=program, village=village, state="submitted", version=1)
    # One eligible person: a list with nobody eligible cannot be approved at all (issue 8 §2).
    worker = Worker.objects.create(nik=f"161201100580{trial + 1:04d}", name="w", village=village,
                                   birth_date=dt.date(1980, 5, 10), sex="L", occupation=occupation)
    SubmissionPerson.objects.create(submission=sub, worker=worker, eligible=True)
    barrier = threading.Barrier(2)
    outcome = {}

    def press(actor, to, notes):
        try:
            barrier.wait()
            submission_move(actor=actor, submission=Submission.objects.get(pk=sub.pk), to=to,
                            expected_state="submitted", version=1, notes=notes)
            outcome[to] = 200
        except ApplicationError as exc:
            outcome[to] = (exc.status, exc.extra.get("state"))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(admins[0], "approved", "")),
               threading.Thread(target=press, args=(admins[1], "returned", "Perbaiki"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = Submission.objects.get(pk=sub.pk)
    results.append({"outcome": outcome, "state": final.state, "version": final.version})
print(json.dumps(results))
"""


@pytest.fixture
def scratch_postgres(tmp_path):
    """A database of its own for the racing threads: the test database lives in a transaction
    no other connection can see (and flushing is refused by the audit triggers)."""
    import os
    import uuid

    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL's row locks between connections")
    params = connection.settings_dict
    name = f"lindung_race_{uuid.uuid4().hex[:8]}"
    host, port, user = params["HOST"], params["PORT"] or 5432, params["USER"]
    admin = f"host={host} port={port} user={user} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["LINDUNG_HOME"] = str(tmp_path)
    env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{name}"
    yield env
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_approve_and_return_truly_concurrent_on_postgresql(scratch_postgres):
    """The issue's 30 trials, with two connections pressing at the same moment: in every one,
    exactly one decision is applied and the other is a 409 naming the winner's state."""
    import json
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", RACE],
        env={**scratch_postgres, "RACE_TRIALS": "30"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == 0, child.stderr
    trials = json.loads(child.stdout.strip().splitlines()[-1])
    assert len(trials) == 30
    for trial in trials:
        outcome, state = trial["outcome"], trial["state"]
        winners = [to for to, result in outcome.items() if result == 200]
        assert winners == [state], trial
        (loser,) = set(outcome) - {state}
        assert outcome[loser] == [409, state], trial
        assert trial["version"] == 2


def test_lists_from_before_the_upgrade_learn_their_submitter_from_the_audit_trail(list_at, actors):
    """Existing lists get `submitted_by` etc. from the audit trail, so the four-eyes rule also
    holds for a list submitted before the upgrade."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "lindung.programs.migrations.0004_backfill_submission_steps_by"
    )
    approved = list_at("approved")
    Submission.objects.filter(pk=approved.pk).update(submitted_by=None, approved_by=None)
    migration.backfill(apps, None)
    approved.refresh_from_db()
    assert (approved.submitted_by, approved.approved_by) == (actors["operator"], actors["regency"])
    assert approved.verified_by is None
