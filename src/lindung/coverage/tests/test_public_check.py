"""The public status check: the right answer, masked; one refusal for every cause, byte for byte
and through the same code; one-time codes; rate limits; hostile input; audit."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lindung.audit.models import AuditEvent
from lindung.billing.protection import NOT_PROTECTED, PROTECTED, WITH_ARREARS
from lindung.coverage import publiccheck
from lindung.coverage.models import OneTimeCode, PublicCheckHit
from lindung.coverage.sms import FakeSms
from lindung.enrolment.models import Participant

from .conftest import KK, NOV_20, PHONE, pay

pytestmark = pytest.mark.django_db
IP = "10.0.0.1"
OTHER_NIK = "1612014503850999"


@pytest.fixture
def on_nov_20(monkeypatch):
    monkeypatch.setattr(publiccheck, "today", lambda: NOV_20)


def _post(data, ip=IP, client=None):
    return (client or Client()).post("/cek/", data, REMOTE_ADDR=ip)


def _api(data, ip=IP):
    return Client().post(
        "/api/public/status", json.dumps(data), content_type="application/json", REMOTE_ADDR=ip
    )


def _sent_code() -> str:
    return re.search(r"\b(\d{6})\b", FakeSms.outbox[-1].text).group(1)


# --- the answer --------------------------------------------------------------------------


def test_paid_up_worker_is_protected_until_the_end_of_the_period(person, regency_admin):
    program, worker = person
    pay(regency_admin, program, 3)
    a = publiccheck.check_with_kk(nik=worker.nik, kk=KK, ip=IP, day=NOV_20)
    assert a.confirmed and a.status == PROTECTED
    assert a.until == dt.date(2025, 12, 31) and a.program == program.name


def test_unpaid_month_is_protected_with_arrears(person):
    _program, worker = person
    a = publiccheck.check_with_kk(nik=worker.nik, kk=KK, ip=IP, day=dt.date(2025, 10, 20))
    assert a.confirmed and a.status == WITH_ARREARS and a.until == dt.date(2025, 12, 31)


def test_registered_worker_without_a_program_is_not_protected(make_worker):
    worker = make_worker(kk_number=KK)
    a = publiccheck.check_with_kk(nik=worker.nik, kk=KK, ip=IP, day=NOV_20)
    assert a.confirmed and a.status == NOT_PROTECTED and a.until is None and a.program == ""


def test_ended_participation_is_not_protected_after_its_end(person, regency_admin):
    from lindung.enrolment.services import participant_end

    program, worker = person
    pay(regency_admin, program, 3)
    p = Participant.objects.get(worker=worker)
    participant_end(
        actor=regency_admin, participant=p, on=dt.date(2025, 11, 10), reason="moved_away"
    )
    a = publiccheck.check_with_kk(nik=worker.nik, kk=KK, ip=IP, day=NOV_20)
    assert a.confirmed and a.status == NOT_PROTECTED and a.until is None
    assert "10-11-2025" in a.reason


def test_page_shows_status_program_and_masked_name_but_no_identifiers(person, on_nov_20):
    program, worker = person
    participant = Participant.objects.get(worker=worker)
    response = _post({"nik": worker.nik, "kk": KK})
    body = response.content.decode()
    assert response.status_code == 200
    assert program.name in body and "31-12-2025" in body and "S*** R*** L***" in body
    for secret in (worker.name, "Siti", worker.nik, KK, PHONE, participant.kpj, "1985"):
        assert secret not in body, secret
    assert "<script" not in body


def test_api_answers_the_same_masked_fields(person, on_nov_20):
    _program, worker = person
    response = _api({"nik": worker.nik, "kk": KK})
    data = response.json()
    assert response.status_code == 200 and data["confirmed"] is True
    assert data["name"] == "S*** R*** L***" and data["until"] == "2025-12-31"
    assert worker.nik not in response.content.decode()
    assert Participant.objects.get(worker=worker).kpj not in response.content.decode()


def test_form_page_is_public_small_and_without_script():
    response = Client().get("/cek/")
    body = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 8_000 and "<script" not in body
    assert "csrfmiddlewaretoken" in body and 'name="viewport"' in body
    assert 'value="en"' in body  # the English switch


def test_form_post_without_csrf_token_is_refused(person):
    _program, worker = person
    client = Client(enforce_csrf_checks=True)
    assert client.post("/cek/", {"nik": worker.nik, "kk": KK}).status_code == 403


# --- one refusal for every cause -------------------------------------------------------------


def _refusals(person, client_post):
    """Unknown NIK, wrong KK, wrong code, and a code for a NIK with no phone."""
    from lindung.registry.models import Worker

    _program, worker = person
    no_phone = Worker.objects.exclude(pk=worker.pk).first()
    Worker.objects.filter(pk=no_phone.pk).update(phone="", kk_number=KK)
    publiccheck.code_request(nik=worker.nik, ip="10.9.9.1")
    publiccheck.code_request(nik=no_phone.nik, ip="10.9.9.2")
    return {
        "unknown_nik": client_post({"nik": OTHER_NIK, "kk": KK}, "10.1.0.1"),
        "wrong_kk": client_post({"nik": worker.nik, "kk": "1612010101250002"}, "10.1.0.2"),
        "wrong_code": client_post({"nik": worker.nik, "code": "000000"}, "10.1.0.3"),
        "unknown_nik_code": client_post({"nik": OTHER_NIK, "code": "123456"}, "10.1.0.4"),
        "no_phone_code": client_post({"nik": no_phone.nik, "code": "123456"}, "10.1.0.5"),
    }


def test_page_refusals_are_byte_identical(person, make_worker):
    make_worker()  # a second worker, given no phone below
    answers = _refusals(person, lambda d, ip: _post(d, ip))
    bodies = {name: (r.status_code, r.content) for name, r in answers.items()}
    assert len(set(bodies.values())) == 1, {k: v[0] for k, v in bodies.items()}
    first = next(iter(answers.values()))
    assert first.status_code == 200
    assert next(t.name for t in first.templates) == "coverage/public_result.html"
    for r in answers.values():
        assert next(t.name for t in r.templates) == "coverage/public_result.html"


def test_api_refusals_are_byte_identical(person, make_worker):
    make_worker()
    answers = _refusals(person, lambda d, ip: _api(d, ip))
    bodies = {(r.status_code, r.content) for r in answers.values()}
    assert len(bodies) == 1
    assert next(iter(answers.values())).json()["confirmed"] is False


def test_unknown_nik_and_wrong_kk_run_the_same_code(person, monkeypatch):
    """Same statements, same number of hashes and constant-time compares on both paths."""
    _program, worker = person
    calls = []
    real_same, real_hash = publiccheck._same, publiccheck.keyed_hash

    def same(given, stored):
        calls.append(("compare", stored is None))
        return real_same(given, stored)

    def keyed(kind, value):
        calls.append(("hash", kind))
        return real_hash(kind, value)

    monkeypatch.setattr(publiccheck, "_same", same)
    monkeypatch.setattr(publiccheck, "keyed_hash", keyed)
    traces = {}
    for name, nik, kk in (
        ("unknown", OTHER_NIK, KK),
        ("wrong_kk", worker.nik, "1612010101250002"),
    ):
        calls.clear()
        with CaptureQueriesContext(connection) as queries:
            assert publiccheck.check_with_kk(nik=nik, kk=kk, ip=name) is publiccheck.REFUSED
        shapes = [
            re.sub(r'"s\d+_x\d+"|\'[^\']*\'|\b\d+\b', "?", q["sql"])
            for q in queries.captured_queries
        ]
        traces[name] = (shapes, [c[0] for c in calls], len(calls))
    assert traces["unknown"][0] == traces["wrong_kk"][0]  # the same SQL statements
    assert traces["unknown"][1:] == traces["wrong_kk"][1:]  # the same hashes and compares


# --- one-time codes ----------------------------------------------------------------------


def test_code_is_sent_to_the_registered_phone_and_confirms_once(person):
    _program, worker = person
    publiccheck.code_request(nik=worker.nik, ip=IP)
    assert len(FakeSms.outbox) == 1 and FakeSms.outbox[0].to == PHONE
    code = _sent_code()
    row = OneTimeCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64  # hashed at rest
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)
    assert publiccheck.check_with_code(nik=worker.nik, code=code, ip=IP, day=NOV_20).confirmed
    again = publiccheck.check_with_code(nik=worker.nik, code=code, ip=IP, day=NOV_20)
    assert again is publiccheck.REFUSED


def test_code_page_flow(person, on_nov_20):
    _program, worker = person
    client = Client()
    sent = client.post("/cek/kode/", {"nik": worker.nik}, REMOTE_ADDR=IP)
    assert sent.status_code == 200 and 'name="code"' in sent.content.decode()
    answer = _post({"nik": worker.nik, "code": _sent_code()}, client=client)
    assert "S*** R*** L***" in answer.content.decode()


def test_unknown_nik_gets_the_same_code_page_and_no_sms(person):
    _program, worker = person
    known = Client().post("/cek/kode/", {"nik": worker.nik}, REMOTE_ADDR="10.2.0.1")
    unknown = Client().post("/cek/kode/", {"nik": OTHER_NIK}, REMOTE_ADDR="10.2.0.2")
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|value="\d{16}"')
    assert strip.sub(b"", known.content) == strip.sub(b"", unknown.content)
    assert len(FakeSms.outbox) == 1  # only the known NIK's phone
    assert OneTimeCode.objects.count() == 2  # a row for both


def test_expired_code_is_refused(person):
    _program, worker = person
    publiccheck.code_request(nik=worker.nik, ip=IP)
    OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert publiccheck.check_with_code(nik=worker.nik, code=_sent_code(), ip=IP) is (
        publiccheck.REFUSED
    )


def test_three_wrong_codes_end_the_code(person):
    _program, worker = person
    publiccheck.code_request(nik=worker.nik, ip=IP)
    code = _sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(3):
        assert publiccheck.check_with_code(nik=worker.nik, code=wrong, ip=IP) is publiccheck.REFUSED
    assert publiccheck.check_with_code(nik=worker.nik, code=code, ip=IP) is publiccheck.REFUSED
    assert OneTimeCode.objects.get().attempts == 3


# --- rate limits -------------------------------------------------------------------------


def test_one_address_is_limited_to_ten_checks_an_hour(person):
    for i in range(10):
        nik = f"161201450385{i:04d}"
        assert _post({"nik": nik, "kk": KK}).status_code == 200
    limited = _post({"nik": OTHER_NIK, "kk": KK})
    assert limited.status_code == 429
    assert "Terlalu banyak" in limited.content.decode()  # Indonesian first
    assert _post({"nik": OTHER_NIK, "kk": KK}, ip="10.0.0.2").status_code == 200


def test_one_nik_is_limited_to_five_checks_an_hour_from_any_address(person):
    _program, worker = person
    for i in range(5):
        assert (
            _post({"nik": worker.nik, "kk": "1612010101259999"}, ip=f"10.3.0.{i}").status_code
            == 200
        )
    # Even the right KK from a fresh address: the NIK has had its hour.
    response = _api({"nik": worker.nik, "kk": KK}, ip="10.3.1.1")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert AuditEvent.objects.filter(
        action=publiccheck.CHECK, changes__result__1="rate_limited"
    ).exists()


def test_old_attempts_no_longer_count(person):
    _program, worker = person
    old = timezone.now() - dt.timedelta(hours=2)
    PublicCheckHit.objects.bulk_create(
        PublicCheckHit(kind=PublicCheckHit.IP, key=IP, at=old) for _ in range(20)
    )
    assert _post({"nik": worker.nik, "kk": KK}).status_code == 200


# --- hostile input -----------------------------------------------------------------------


def test_nul_byte_is_refused_cleanly():
    response = _post({"nik": "1612\x00014503850001", "kk": KK})
    assert response.status_code == 400
    api = _api({"nik": "1612\x00014503850001", "kk": KK})
    assert api.status_code in (400, 422)


def test_a_megabyte_of_input_is_refused_cleanly():
    huge = "1" * 1_000_000
    response = _post({"nik": huge, "kk": huge})
    assert response.status_code == 400 and len(response.content) < 10_000
    assert _api({"nik": huge, "kk": KK}).status_code == 422
    response = Client().get("/cek/k/" + "a" * 5000 + "/", REMOTE_ADDR=IP)
    assert response.status_code == 200 and b"protected" not in response.content
    assert not PublicCheckHit.objects.filter(kind=PublicCheckHit.NIK).exists()


def test_a_nik_of_the_wrong_shape_is_named_and_not_counted_against_anyone():
    response = _post({"nik": "12345", "kk": KK})
    assert response.status_code == 400 and "16" in response.content.decode()
    assert not PublicCheckHit.objects.exists()


# --- audit -------------------------------------------------------------------------------


def test_every_check_is_audited_without_the_nik_in_clear(person):
    _program, worker = person
    _post({"nik": worker.nik, "kk": KK})
    _post({"nik": OTHER_NIK, "kk": KK})
    publiccheck.code_request(nik=worker.nik, ip=IP)
    events = list(AuditEvent.objects.filter(action__startswith="coverage.public"))
    assert [e.action for e in events].count(publiccheck.CHECK) == 2
    assert [e.action for e in events].count(publiccheck.CODE_REQUEST) == 1
    results = sorted(e.changes["result"][1] for e in events if e.action == publiccheck.CHECK)
    assert results == ["confirmed", "refused"]
    for e in events:
        dumped = json.dumps(e.changes) + e.object_repr + e.reason
        assert worker.nik not in dumped and OTHER_NIK not in dumped and KK not in dumped
        assert e.channel in ("web", "system")
    confirmed = next(e for e in events if e.changes["result"][1] == "confirmed")
    assert confirmed.object_id == str(worker.pk) and confirmed.region_code == worker.village_id


def test_audit_labels_are_registered():
    from lindung.audit.labels import action_label

    assert action_label(publiccheck.CHECK) != publiccheck.CHECK
    assert action_label(publiccheck.CODE_REQUEST) != publiccheck.CODE_REQUEST


def test_wrong_code_and_unknown_nik_with_a_code_run_the_same_statements(person):
    _program, worker = person
    publiccheck.code_request(nik=worker.nik, ip="10.8.0.1")
    publiccheck.code_request(nik=OTHER_NIK, ip="10.8.0.2")
    wrong = "000000" if _sent_code() != "000000" else "111111"
    shapes = {}
    for name, nik in (("known", worker.nik), ("unknown", OTHER_NIK)):
        with CaptureQueriesContext(connection) as queries:
            answer = publiccheck.check_with_code(nik=nik, code=wrong, ip=f"10.8.1.{len(name)}")
        assert answer is publiccheck.REFUSED
        shapes[name] = [
            re.sub(r'"s\d+_x\d+"|\'[^\']*\'|\b\d+\b', "?", q["sql"])
            for q in queries.captured_queries
        ]
    assert shapes["known"] == shapes["unknown"]
