"""The same journey through the pages: village, regency and BPJS each in their browser session."""

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.accounts.roles import Role
from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.intake.models import Upload
from lindung.programs.models import Submission
from lindung.registry.models import Worker

OK = make_nik("161201", dt.date(1980, 5, 17), "P", 8)
FISHER = make_nik("161201", dt.date(1990, 1, 1), "L", 10)


def press(client, page: str, action: str, **fields):
    """Press a button as a browser would: with the hidden state and version of the page."""
    body = client.get(page).content.decode()
    seen = dict(re.findall(r'name="(expected_state|version)" value="([^"]*)"', body))
    return client.post(page, {**seen, "action": action, **fields})


def test_a_list_goes_from_village_to_ready_through_the_pages(make_user, client_for, make_program):
    program = make_program(code="pali-web", occupations=["petani", "ojek"])
    village = client_for(make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]))
    regency = client_for(make_user(Role.REGENCY_ADMIN, ["1612"]))
    bpjs = client_for(make_user(Role.BPJS_OFFICER, ["1612"]))

    content = f"NIK;Nama Lengkap;Pekerjaan\n{OK};Siti Aminah;Petani\n{FISHER};Andi;Nelayan\n"
    village.post(
        "/unggah/", {"village": PALI_VILLAGE, "file": SimpleUploadedFile("d.csv", content.encode())}
    )
    upload = Upload.objects.get()
    village.post(f"/unggah/{upload.pk}/simpan/")
    opened = village.post(f"/verifikasi/program/{program.code}/", {"village": PALI_VILLAGE})
    submission = Submission.objects.get()
    assert opened["Location"] == f"/verifikasi/usulan/{submission.pk}/"
    page = f"/verifikasi/usulan/{submission.pk}/"
    village.post(page, {"action": "add_upload", "upload": upload.pk})
    body = village.get(page).content.decode()
    assert "tidak termasuk pekerjaan yang dilindungi program ini" in body
    press(village, page, "submit")

    press(regency, page, "return", notes="Perbaiki pekerjaan Andi")
    assert "Perbaiki pekerjaan Andi" in village.get(page).content.decode()
    andi = Worker.objects.get(nik=FISHER)
    village.post(
        f"/pekerja/{andi.pk}/ubah/",
        {
            "nik": andi.nik, "name": andi.name, "village": andi.village_id, "occupation": "ojek",
            "heirs-TOTAL_FORMS": "0", "heirs-INITIAL_FORMS": "0",
            "heirs-MIN_NUM_FORMS": "0", "heirs-MAX_NUM_FORMS": "20",
        },
    )  # fmt: skip
    village.post(page, {"action": "recheck"})
    press(village, page, "submit")
    press(regency, page, "approve")
    press(bpjs, page, "accept")
    press(bpjs, page, "verify")
    press(bpjs, page, "ready")
    submission.refresh_from_db()
    assert submission.state == "ready"
    assert set(submission.people.values_list("outcome", flat=True)) == {"accepted"}


def test_regency_admin_creates_a_program_with_its_rules_and_funder(make_user, client_for):
    from lindung.programs.models import Program

    admin = client_for(make_user(Role.REGENCY_ADMIN, ["1612"]))
    response = admin.post(
        "/verifikasi/program/baru/",
        {
            "code": "pali-desa-2025", "name": "Pekerja Rentan Desa PALI", "owner_region": "1612",
            "legal_basis": "Keputusan Bupati PALI 118/KPTS/DPMD III/2025",
            "coverage_start": "2025-07-01", "coverage_end": "2025-12-31",
            "data_deadline": "2025-05-30", "min_per_village": "100", "wage_basis": "1000000",
            "occupations": ["petani", "ojek"], "age_min": "18", "age_max_exclusive": "65",
            "funder_kind": "apbdes", "funder_name": "Dana Desa",
        },
    )  # fmt: skip
    assert response.status_code == 302
    program = Program.objects.get(code="pali-desa-2025")
    assert program.rules.get().age_max_exclusive == 65 and program.funders.get().kind == "apbdes"
    page = admin.get(response["Location"]).content.decode()
    assert "30-05-2025" in page and "Dana Desa" in page
