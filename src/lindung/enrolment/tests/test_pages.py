"""Participant pages and the command line, with their abuse cases."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404

from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE
from lindung.enrolment.models import Participant

pytestmark = pytest.mark.django_db


def test_the_admin_enrols_from_the_page_and_sees_the_people(
    make_program, make_worker, ready_list, regency_admin, client_for
):
    program = make_program()
    worker = make_worker(name="Siti Aminah")
    submission = ready_list(program, [worker])
    client = client_for(regency_admin)
    url = f"/peserta/program/{program.code}/"
    page = client.get(url)
    assert page.status_code == 200 and "Daftar yang siap didaftarkan" in page.content.decode()
    assert "1 orang belum didaftarkan" in page.content.decode()
    stale = client.post(
        url,
        {"action": "enrol", "submission": submission.pk, "expected_state": "ready", "version": 1},
        follow=True,
    )
    assert "berubah saat Anda melihatnya" in stale.content.decode()
    assert not Participant.objects.exists()
    done = client.post(
        url,
        {"action": "enrol", "submission": submission.pk, "expected_state": "ready", "version": 5},
        follow=True,
    )
    body = done.content.decode()
    assert "1 orang didaftarkan" in body and "Siti Aminah" in body and worker.nik in body
    # An enrolled list no longer looks pending.
    assert "semua sudah didaftarkan" in client.get(url).content.decode()
    # The program page links here.
    assert url in client.get(f"/verifikasi/program/{program.code}/").content.decode()


def test_other_regencies_get_404_and_villages_may_not_enrol_or_import(
    enrolled, make_user, client_for
):
    program, workers, _submission = enrolled
    url = f"/peserta/program/{program.code}/"
    p = Participant.objects.get(worker=workers[0])
    other = client_for(make_user(Role.REGENCY_ADMIN, ["1603"]))
    assert other.get(url).status_code == 404
    assert other.get(f"/peserta/{p.pk}/").status_code == 404
    assert other.get(f"/peserta/program/{program.code}/berkas-bpjs/").status_code == 404
    operator = client_for(make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]))
    assert operator.get(url).status_code == 200
    assert operator.post(url, {"action": "enrol"}).status_code == 403
    csv_file = SimpleUploadedFile("k.csv", f"NIK;KPJ\n{workers[0].nik};01234567890\n".encode())
    assert operator.post(url, {"action": "import", "file": csv_file}).status_code == 403
    assert operator.get(f"/peserta/program/{program.code}/berkas-bpjs/").status_code == 403
    assert operator.post(f"/peserta/{p.pk}/akhiri/", {"on": "2025-11-01"}).status_code == 403


def test_a_bad_kpj_file_shows_every_row_and_applies_nothing(enrolled, regency_admin, client_for):
    program, workers, _s = enrolled
    content = f"No KPJ;NIK\n01234567890;{workers[0].nik}\n0123;{workers[1].nik}\n".encode()
    page = client_for(regency_admin).post(
        f"/peserta/program/{program.code}/",
        {"action": "import", "file": SimpleUploadedFile("kpj.csv", content)},
    )
    body = page.content.decode()
    assert page.status_code == 200 and "Berkas BPJS tidak diterapkan" in body
    assert "bukan 11 angka" in body
    assert not Participant.objects.exclude(kpj=None).exists()


def test_participant_page_kpj_by_bpjs_and_end_by_the_regency(
    enrolled, regency_admin, bpjs, client_for
):
    _program, workers, _s = enrolled
    p = Participant.objects.get(worker=workers[0])
    assert (
        client_for(regency_admin).post(f"/peserta/{p.pk}/kpj/", {"kpj": "01234567890"}).status_code
        == 403
    )
    client_for(bpjs).post(f"/peserta/{p.pk}/kpj/", {"kpj": "01234567890"})
    p.refresh_from_db()
    assert p.kpj == "01234567890"
    client_for(regency_admin).post(
        f"/peserta/{p.pk}/akhiri/",
        {"on": "2025-11-15", "reason": "death", "expected_state": "active"},
    )
    p.refresh_from_db()
    assert p.state == "ended"
    page = client_for(regency_admin).get(f"/peserta/{p.pk}/").content.decode()
    assert "Meninggal dunia" in page and "enrolment.kpj_set" in page
    assert "01234567890" in page and "15-11-2025" in page


def test_the_command_imports_kpj_numbers_and_reports_problems(enrolled, tmp_path):
    program, workers, _s = enrolled
    good = tmp_path / "kpj.csv"
    good.write_text(f"NIK;Nomor Peserta\n{workers[0].nik};01234567890\n")
    call_command("enrolment", "import-kpj", str(good), "--program", program.code, "--json")
    assert Participant.objects.get(worker=workers[0]).kpj == "01234567890"
    with pytest.raises(Http404):
        call_command("enrolment", "import-kpj", str(good), "--program", "nope")


def test_the_command_line_exits_1_with_json_rows_and_2_when_refused(enrolled, tmp_path, capsys):
    from lindung.enrolment.management.commands.enrolment import Command

    program, workers, _s = enrolled
    bad = tmp_path / "kpj.csv"
    bad.write_text(f"NIK;KPJ\n{workers[0].nik};123456789012\n")
    argv = ["lindung", "enrolment", "import-kpj", str(bad), "--json"]
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv([*argv, "--program", program.code])
    assert exit_.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["applied"] and report["errors"][0]["code"] == "kpj"
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv([*argv, "--program", "no-such"])
    assert exit_.value.code == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "not_found"


def test_participant_page_answers_protected_today_through_billing(
    enrolled, regency_admin, client_for
):
    from django.utils import timezone

    from lindung.billing.protection import protection_on

    _program, workers, _s = enrolled
    p = Participant.objects.get(worker=workers[0])
    answer = protection_on(p.worker_id, timezone.localdate())
    page = client_for(regency_admin).get(f"/peserta/{p.pk}/").content.decode()
    assert 'id="protection-today"' in page
    assert "Perlindungan hari ini: <strong>tidak terlindungi</strong>" in page
    assert answer.status == "not_protected" and answer.citation in page
