"""Every action on a list says what it did, to which list, and how many people."""

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.intake.models import Upload
from lindung.programs.models import Submission
from lindung.programs.tests.test_flow_web import press
from lindung.regions.models import Region

OK = make_nik("161201", dt.date(1980, 5, 17), "P", 8)
OTHER = make_nik("161201", dt.date(1982, 6, 3), "L", 9)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_each_step_names_the_village_and_counts_the_people(make_user, client_for, make_program):
    program = make_program(code="pali-words", occupations=["petani"])
    village_name = Region.objects.get(code=PALI_VILLAGE).name
    village = client_for(make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]))
    regency = client_for(make_user(Role.REGENCY_ADMIN, ["1612"]))
    bpjs = client_for(make_user(Role.BPJS_OFFICER, ["1612"]))

    content = f"NIK;Nama Lengkap;Pekerjaan\n{OK};Siti Aminah;Petani\n{OTHER};Budi;Petani\n"
    checked = village.post(
        "/unggah/",
        {"village": PALI_VILLAGE, "file": SimpleUploadedFile("desa.csv", content.encode())},
        follow=True,
    )
    assert "desa.csv diperiksa: 2 baris — 2 baru" in _messages(checked)
    upload = Upload.objects.get()
    saved = village.post(f"/unggah/{upload.pk}/simpan/", follow=True)
    assert f"desa.csv disimpan ke registri desa {village_name}: 2 pekerja baru" in _messages(saved)

    opened = village.post(
        f"/verifikasi/program/{program.code}/", {"village": PALI_VILLAGE}, follow=True
    )
    assert f"Daftar desa {village_name} untuk {program.name} dibuka." in _messages(opened)
    submission = Submission.objects.get()
    page = f"/verifikasi/usulan/{submission.pk}/"
    added = village.post(page, {"action": "add_upload", "upload": upload.pk}, follow=True)
    assert f"2 orang dari desa.csv ditambahkan ke daftar desa {village_name}" in _messages(added)

    submitted = press(village, page, "submit")
    assert submitted.status_code == 302
    shown = village.get(page)
    assert f"Daftar desa {village_name} diusulkan ke kabupaten (2 orang)." in _messages(shown)
    press(regency, page, "approve")
    approved = regency.get(page)
    assert f"Daftar desa {village_name} disetujui (2 orang)." in _messages(approved)

    bpjs.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    press(bpjs, page, "identities")
    checked = bpjs.get(page)
    words = _messages(checked)
    assert f"NIKs of 2 people on the list of {village_name} village checked on structure" in words
    assert "no Dukcapil service is configured" in words
    # The page keeps saying when the last check ran and that it was structure rules only.
    body = checked.content.decode()
    assert "NIKs last checked" in body and "structure rules only" in body
    press(bpjs, page, "accept")
    accepted = bpjs.get(page)
    assert f"2 people of the list of {village_name} village accepted by BPJS." in _messages(
        accepted
    )


def test_an_unknown_button_is_refused_with_a_reason(make_user, client_for, make_program):
    program = make_program(code="pali-unknown")
    village = client_for(make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]))
    village.post(f"/verifikasi/program/{program.code}/", {"village": PALI_VILLAGE})
    page = f"/verifikasi/usulan/{Submission.objects.get().pk}/"
    answer = village.post(page, {"action": "explode"}, follow=True)
    assert "Tindakan tidak dikenal" in _messages(answer)
