"""Membership cards: pages of 10, a QR code with only an opaque address, who may print, and the
token answering on the public page."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2, SAROLANGUN_VILLAGE
from lindung.coverage import cards, publiccheck
from lindung.coverage.models import CardToken
from lindung.enrolment.models import Participant

from .conftest import NOV_20, pay

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.fixture
def qr_urls(monkeypatch):
    """What went into each QR code."""
    import segno

    seen = []
    real = segno.make_qr

    def make_qr(content, **kw):
        seen.append(content)
        return real(content, **kw)

    monkeypatch.setattr(segno, "make_qr", make_qr)
    return seen


def _print(client, program, village=""):
    data = {"village": village} if village else {}
    return client.post(f"/cakupan/kartu/{program.code}/", data)


@pytest.mark.parametrize("n", [1, 10, 12])
def test_pdf_has_ten_cards_a_page(active, regency_admin, client_for, qr_urls, n):
    program, _workers = active(n1=n, n2=1)
    response = _print(client_for(regency_admin), program, PALI_VILLAGE)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _pages(response.content) == math.ceil(n / cards.PER_PAGE)
    assert len(qr_urls) == n  # the other village's person is not printed
    assert CardToken.objects.count() == n


def test_qr_holds_only_the_check_address_with_an_opaque_token(
    active, regency_admin, client_for, qr_urls
):
    program, _workers = active(n1=2, n2=0)
    _print(client_for(regency_admin), program)
    people = Participant.objects.filter(program=program)
    for url in qr_urls:
        assert re.fullmatch(r"http://testserver/cek/k/[A-Za-z0-9_-]{27}/", url), url
        for p in people:
            for secret in (p.kpj, p.worker.nik, p.worker.name, p.worker.nik[:6]):
                assert secret not in url
    stored = set(CardToken.objects.values_list("token_hash", flat=True))
    tokens = {url.rsplit("/", 2)[1] for url in qr_urls}
    assert not tokens & stored  # only hashes are stored
    assert {publiccheck.token_hash(t) for t in tokens} == stored


def test_card_shows_the_masked_nik_and_uses_the_shipped_font(active, regency_admin):
    program, _workers = active(n1=1, n2=0)
    p = Participant.objects.select_related("worker", "village").get(program=program)
    issued = cards.cards_issue(
        actor=regency_admin, program=program, participants=[p], region_code="1612",
        base_url="https://lindung.example",
    )  # fmt: skip
    assert issued[0].nik == p.worker.nik[:4] + "*" * 12
    pdf = cards.cards_pdf(issued, title="t")
    assert b"LindungCard" in pdf or b"DejaVu" in pdf
    assert p.worker.nik.encode() not in pdf and p.kpj.encode() not in pdf
    event = AuditEvent.objects.get(action=cards.PRINT)
    assert event.row_count == 1 and event.region_code == "1612"


def test_token_answers_on_the_public_page_without_a_second_factor(
    active, regency_admin, client_for, qr_urls, monkeypatch
):
    monkeypatch.setattr(publiccheck, "today", lambda: NOV_20)
    program, workers = active(n1=1, n2=0)
    pay(regency_admin, program, 3)
    _print(client_for(regency_admin), program)
    path = qr_urls[0].replace("http://testserver", "")
    body = Client().get(path).content.decode()
    assert "31-12-2025" in body and program.name in body
    assert workers[0].nik not in body and workers[0].name not in body


def test_token_of_an_ended_participation_shows_not_protected(
    active, regency_admin, client_for, qr_urls
):
    from lindung.enrolment.services import participant_end

    program, _workers = active(n1=1, n2=0)
    pay(regency_admin, program, 3)
    _print(client_for(regency_admin), program)
    token = qr_urls[0].rsplit("/", 2)[1]
    p = Participant.objects.get(program=program)
    participant_end(
        actor=regency_admin, participant=p, on=dt.date(2025, 11, 10), reason="moved_away"
    )
    answer = publiccheck.check_with_card(token=token, ip="10.0.0.1", day=NOV_20)
    assert answer.confirmed and answer.status == "not_protected" and answer.until is None


def test_revoked_token_gets_the_one_refusal(active, regency_admin, client_for, qr_urls):
    program, _workers = active(n1=1, n2=0)
    _print(client_for(regency_admin), program)
    token = qr_urls[0].rsplit("/", 2)[1]
    p = Participant.objects.get(program=program)
    assert cards.card_tokens_revoke(actor=regency_admin, participant=p, reason="lost") == 1
    assert publiccheck.check_with_card(token=token, ip="10.0.0.1") is publiccheck.REFUSED
    unknown = Client().get("/cek/k/" + "x" * 27 + "/").content
    assert Client().get(f"/cek/k/{token}/").content == unknown


def test_bpjs_officer_of_the_region_may_print(active, bpjs, client_for):
    program, _workers = active(n1=1, n2=0)
    assert _print(client_for(bpjs), program, PALI_VILLAGE).status_code == 200


def test_village_of_another_region_is_404(active, regency_admin, client_for):
    program, _workers = active(n1=1, n2=0)
    response = _print(client_for(regency_admin), program, SAROLANGUN_VILLAGE)
    assert response.status_code == 404
    assert _print(client_for(regency_admin), program, "1" * 5000).status_code == 404
    assert not CardToken.objects.exists()


def test_admin_of_another_regency_gets_404(active, make_user, client_for):
    program, _workers = active(n1=1, n2=0)
    other = make_user(Role.REGENCY_ADMIN, ["1503"])
    assert _print(client_for(other), program).status_code == 404


def test_village_operator_is_refused_with_403(active, village_operator, client_for):
    program, _workers = active(n1=1, n2=0)
    # The operator sees the program (their village takes part) but may not print.
    response = _print(client_for(village_operator), program, PALI_VILLAGE)
    assert response.status_code == 403
    assert not CardToken.objects.exists()


def test_get_is_not_allowed_and_anonymous_is_sent_to_log_in(active, regency_admin, client_for):
    program, _workers = active(n1=1, n2=0)
    assert client_for(regency_admin).get(f"/cakupan/kartu/{program.code}/").status_code == 405
    anonymous = Client().post(f"/cakupan/kartu/{program.code}/")
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]


def test_nobody_with_a_kpj_prints_nothing_and_says_so(
    make_program, make_worker, ready_list, regency_admin, client_for
):
    from lindung.enrolment.services import participants_enrol

    program = make_program()
    ready_list(program, [make_worker()], village=PALI_VILLAGE_2)
    participants_enrol(actor=regency_admin, program=program)
    response = _print(client_for(regency_admin), program)
    assert response.status_code == 302 and not CardToken.objects.exists()


def test_print_buttons_on_the_participant_and_program_pages(active, regency_admin, client_for):
    program, _workers = active(n1=1, n2=0)
    client = client_for(regency_admin)
    url = f"/cakupan/kartu/{program.code}/"
    page = client.get(f"/peserta/program/{program.code}/?village={PALI_VILLAGE}").content.decode()
    assert url in page and f'name="village" value="{PALI_VILLAGE}"' in page
    assert url in client.get(f"/verifikasi/program/{program.code}/").content.decode()


def _revoke(client, participant, reason="kartu hilang"):
    return client.post(f"/cakupan/kartu-peserta/{participant.pk}/tarik/", {"reason": reason})


def test_admin_withdraws_a_persons_cards_from_the_participant_page(
    active, regency_admin, client_for, qr_urls
):
    program, _workers = active(n1=1, n2=0)
    client = client_for(regency_admin)
    _print(client, program)
    token = qr_urls[0].rsplit("/", 2)[1]
    p = Participant.objects.get(program=program)
    page = client.get(f"/peserta/{p.pk}/").content.decode()
    assert f"/cakupan/kartu-peserta/{p.pk}/tarik/" in page
    response = _revoke(client, p)
    assert response.status_code == 302 and response["Location"] == f"/peserta/{p.pk}/"
    assert publiccheck.check_with_card(token=token, ip="10.0.0.1") is publiccheck.REFUSED
    event = AuditEvent.objects.get(action=cards.REVOKE)
    assert event.reason == "kartu hilang" and event.row_count == 1
    assert "kartu hilang" in client.get(f"/peserta/{p.pk}/").content.decode()  # in its history


def test_withdrawing_cards_needs_a_reason(active, regency_admin, client_for, qr_urls):
    program, _workers = active(n1=1, n2=0)
    client = client_for(regency_admin)
    _print(client, program)
    p = Participant.objects.get(program=program)
    assert _revoke(client, p, reason="  ").status_code == 302
    assert _revoke(client, p, reason="x" * 501).status_code == 302
    assert CardToken.objects.filter(revoked_at__isnull=True).count() == 1
    assert _revoke(client, p, reason="a\x00b").status_code == 400


def test_withdrawing_cards_elsewhere_is_404_and_for_an_operator_403(
    active, regency_admin, village_operator, make_user, client_for
):
    program, _workers = active(n1=1, n2=0)
    _print(client_for(regency_admin), program)
    p = Participant.objects.get(program=program)
    other = make_user(Role.REGENCY_ADMIN, ["1503"])
    assert _revoke(client_for(other), p).status_code == 404
    assert _revoke(client_for(village_operator), p).status_code == 403
    assert _revoke(client_for(regency_admin), Participant(pk=2**62)).status_code == 404
    assert CardToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_more_cards_than_one_pdf_holds_asks_to_print_village_by_village(
    active, regency_admin, client_for, monkeypatch
):
    monkeypatch.setattr(cards, "MAX_CARDS", 2)
    program, _workers = active(n1=2, n2=1)
    client = client_for(regency_admin)
    response = _print(client, program)
    assert response.status_code == 302 and not CardToken.objects.exists()
    assert _print(client, program, PALI_VILLAGE).status_code == 200


def test_qr_rectangles_cover_exactly_the_dark_modules():
    import io

    import segno
    from reportlab.pdfgen.canvas import Canvas

    url = "https://lindung.example/cek/k/" + "A" * 27 + "/"
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=0)
    cards._qr(canvas, url, 0, 0, 100)
    canvas.showPage()
    canvas.save()
    drawn = set()
    for col, row, width in re.findall(rb"(\d+) (\d+) (\d+) 1 re", out.getvalue()):
        drawn |= {(int(row) - 2, int(col) - 2 + i) for i in range(int(width))}
    matrix = segno.make_qr(url, error="m", mask=0).matrix
    dark = {(r, c) for r, line in enumerate(matrix) for c, v in enumerate(line) if v}
    assert drawn == dark
