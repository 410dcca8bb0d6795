"""The Dukcapil adapter against a fake service on loopback (never the network)."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from lindung.registry.dukcapil import (
    MISMATCH,
    NOT_FOUND,
    UNAVAILABLE,
    VALID,
    HttpDukcapil,
    OfflineDukcapil,
    check_nik,
)
from lindung.registry.models import DukcapilCheck

KNOWN = {"1612015705800008": ("Siti Aminah", "1980-05-17")}


class FakeDukcapil(BaseHTTPRequestHandler):
    calls = 0

    def do_POST(self):
        FakeDukcapil.calls += 1
        if self.headers.get("Authorization") != "Bearer rahasia":
            self.send_response(401)
            self.end_headers()
            return
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        known = KNOWN.get(body["nik"])
        answer = {"found": known is not None}
        if known:
            answer.update(
                name_match=known[0] == body["name"], birth_date_match=known[1] == body["birth_date"]
            )
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake():
    server = HTTPServer(("127.0.0.1", 0), FakeDukcapil)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeDukcapil.calls = 0
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


BORN = dt.date(1980, 5, 17)


def test_found_and_matching_is_valid(fake):
    result = HttpDukcapil(fake, "rahasia").check("1612015705800008", "Siti Aminah", BORN)
    assert (result.status, result.name_match, result.birth_date_match) == (VALID, True, True)


def test_another_name_is_a_mismatch_and_unknown_nik_not_found(fake):
    service = HttpDukcapil(fake, "rahasia")
    assert service.check("1612015705800008", "Siti Rahma", BORN).status == MISMATCH
    assert service.check("1612010101900001", "Andi", dt.date(1990, 1, 1)).status == NOT_FOUND


def test_a_service_that_refuses_or_is_down_is_unavailable_not_valid(fake):
    assert (
        HttpDukcapil(fake, "salah").check("1612015705800008", "Siti Aminah", BORN).status
        == UNAVAILABLE
    )
    assert (
        HttpDukcapil("http://127.0.0.1:9", "rahasia", timeout=1).check("1", "x", None).status
        == UNAVAILABLE
    )


@pytest.mark.django_db
def test_answers_are_cached_and_unavailable_is_not(fake):
    service = HttpDukcapil(fake, "rahasia")
    check_nik("1612015705800008", "Siti Aminah", BORN, service=service)
    check_nik("1612015705800008", "Siti Aminah", BORN, service=service)
    assert FakeDukcapil.calls == 1 and DukcapilCheck.objects.count() == 1
    check_nik("1", "x", None, service=HttpDukcapil("http://127.0.0.1:9", "k", timeout=1))
    assert DukcapilCheck.objects.count() == 1


@pytest.mark.django_db
def test_offline_checks_structure_only():
    service = OfflineDukcapil()
    assert service.check("1612015705800008", "Siti", BORN).status == VALID
    assert service.check("1699015705800008", "Siti", BORN).status == "structure_invalid"
