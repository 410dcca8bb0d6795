"""The README's "Try it as each role" table, walked step by step on a fresh demo database: each
login signs in with the printed password, finds what the table says where it says it, and every
step it is told to take works (and the read-only logins cannot change anything).

One test, because building the demo is the expensive part; each role's part is a function
named after the README row, so a failure says which row disagrees with the product."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.billing.models import Invoice
from lindung.billing.templatetags.billing import rupiah
from lindung.claims.models import Claim
from lindung.conftest import make_nik
from lindung.demo.billing import arrears_funder
from lindung.demo.enrolment import bpjs_answer, demo_kpj, registration_niks
from lindung.demo.services import DEMO_PASSWORD
from lindung.enrolment.models import Participant
from lindung.intake.reader import open_workbook, sheet_rows
from lindung.programs.models import Program, Submission
from lindung.regions import sources
from lindung.registry.models import Worker

README_LOGINS = [
    "operator",
    "operator2",
    "dpmd-pali",
    "dpmd-muaraenim",
    "dinsos-muba",
    "pemkab-sarolangun",
    "bpjs-muaraenim",
    "bpjs-sumbagsel",
    "bpjs-sarolangun",
    "kanwil-sumsel",
    "pemprov-sumsel",
    "auditor",
    "admin",
]


def login(username: str) -> Client:
    """Sign in through the log-in page with the printed demo password, as a newcomer would."""
    client = Client()
    response = client.post(
        "/akun/masuk/", {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "_auth_user_id" in client.session, f"{username} cannot log in with the demo password"
    return client


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def act(client: Client, submission: Submission, action: str, **extra) -> str:
    """Press a button on the list page, sending the state and version the page showed."""
    url = f"/verifikasi/usulan/{submission.pk}/"
    html = page(client, url)
    data = {
        "action": action,
        "expected_state": hidden(html, "expected_state"),
        "version": hidden(html, "version"),
        **extra,
    }
    return client.post(url, data, follow=True).content.decode()


def list_of(program: str, village: str) -> Submission:
    return Submission.objects.get(program__code=program, village_id=village)


def filled_template(client: Client, village: str) -> bytes:
    """The village's template, downloaded from *Unggahan*, with two people filled in (one of
    them wrong: an invalid NIK) under its own header row."""
    response = client.get(f"/unggah/templat/{village}/")
    assert response.status_code == 200
    workbook, _archive = open_workbook(response.content)
    _sheet, rows = sheet_rows(workbook, 0)
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "NIK")
    headers = rows[header_at]
    birth = dt.date(1988, 4, 12)
    people = [
        {
            "NIK": make_nik(village[:6], birth, "L", 4711),
            "Nama Lengkap": "Rahmat Walkthrough",
            "Tanggal Lahir": "12-04-1988",
            "Jenis Kelamin (L/P)": "L",
            "Pekerjaan": "Petani",
        },
        {
            "NIK": "1234",
            "Nama Lengkap": "Salah Walkthrough",
            "Tanggal Lahir": "01-01-1990",
            "Jenis Kelamin (L/P)": "P",
            "Pekerjaan": "Petani",
        },
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    for r, row in enumerate(rows[: header_at + 1]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, str(value))
    for r, person in enumerate(people, start=header_at + 1):
        for c, header in enumerate(headers):
            sheet.write_string(r, c, person.get(header, ""))
    book.close()
    return buffer.getvalue()


# --- the rows of the table ---------------------------------------------------------------------


def operator_row(username: str, program: str, regency_name: str) -> None:
    """Unggahan: template, fill, Unggah dan periksa, file back with reasons, save; Pekerja: the
    people with their history; Program → the regency's program → the village's draft list: add
    the saved people, Usulkan ke kabupaten."""
    client = login(username)
    home = page(client, "/")
    assert "Operator desa" in home
    user = User.objects.get(username=username)
    (village,) = user.assignments.values_list("region_id", flat=True)

    uploads = page(client, "/unggah/")
    assert "Unduh templat" in uploads and "Unggah dan periksa" in uploads
    data = filled_template(client, village)
    response = client.post(
        "/unggah/", {"village": village, "file": SimpleUploadedFile("daftar.xlsx", data)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    detail_url = response["Location"]
    detail = page(client, detail_url)
    assert "Salah Walkthrough" in detail  # the page opens on the rows to fix
    assert "Rahmat Walkthrough" in page(client, detail_url + "?status=")
    annotated = client.get(detail_url + "hasil/")
    assert annotated.status_code == 200
    body = b"".join(annotated.streaming_content) if annotated.streaming else annotated.content
    workbook, _archive = open_workbook(body)
    _sheet, rows = sheet_rows(workbook, 0)
    flat = " ".join(str(c) for r in rows for c in r)
    assert "DITERIMA" in flat and "DITOLAK" in flat  # a status and a reason on every row
    saved = client.post(detail_url + "simpan/", follow=True).content.decode()
    # "daftar.xlsx disimpan ke registri desa …" (the notice names the file and the village).
    assert "daftar.xlsx disimpan ke registri" in saved, saved[:3000]
    worker = Worker.objects.get(name="Rahmat Walkthrough", village_id=village)

    people = page(client, "/pekerja/?q=Rahmat")
    assert "Rahmat Walkthrough" in people
    history = page(client, f"/pekerja/{worker.pk}/")
    assert "daftar.xlsx" in history  # "Didaftarkan dari unggahan daftar.xlsx, baris …"

    programs = page(client, "/verifikasi/program/")
    code = Program.objects.get(code=program)
    assert code.name in programs and f"/verifikasi/program/{program}/" in programs
    program_page = page(client, f"/verifikasi/program/{program}/")
    draft = list_of(program, village)
    assert draft.state == "draft", f"{username}'s village list is {draft.state}, not a draft"
    assert f"/verifikasi/usulan/{draft.pk}/" in program_page
    list_page = page(client, f"/verifikasi/usulan/{draft.pk}/")
    assert "Usulkan ke kabupaten" in list_page
    upload_id = re.search(r'<option value="([0-9a-f-]{36})">daftar\.xlsx', list_page).group(1)
    act(client, draft, "add_upload", upload=upload_id)
    assert draft.people.filter(worker=worker).exists()
    act(client, draft, "submit")
    draft.refresh_from_db()
    assert draft.state == "submitted"
    assert regency_name in page(client, f"/verifikasi/program/{program}/")


def regency_row(username: str, program: str, actions: tuple[str, ...]) -> None:
    """Program → the regency's program → a list waiting for the regency: Setujui or Kembalikan
    ke desa with a note; the note shows on the village's list; Data ganda: pairs to decide."""
    client = login(username)
    assert "Admin kabupaten" in page(client, "/akun/profil/")
    waiting = list(Submission.objects.filter(program__code=program, state="submitted"))
    assert len(waiting) >= len(actions), f"{program}: too few lists waiting for {username}"
    program_page = page(client, f"/verifikasi/program/{program}/")
    note = "Lengkapi ahli waris (uji README)."
    for submission, action in zip(waiting, actions, strict=False):
        assert f"/verifikasi/usulan/{submission.pk}/" in program_page
        html = page(client, f"/verifikasi/usulan/{submission.pk}/")
        assert "Setujui" in html and "Kembalikan ke desa" in html
        act(client, submission, action, notes=note if action == "return" else "")
        submission.refresh_from_db()
        assert submission.state == {"approve": "approved", "return": "returned"}[action]
        if action == "return":
            assert note in page(client, f"/verifikasi/usulan/{submission.pk}/")
    duplicates = page(client, "/verifikasi/duplikat/")
    assert re.search(r'href="/verifikasi/duplikat/\d+/"', duplicates), (
        f"no duplicate pair for {username}"
    )


def bpjs_row(username: str, program: str) -> None:
    """An approved list: Periksa NIK (structure rules only in the demo), accept or reject people
    with a reason, Selesaikan verifikasi, then Siap didaftarkan; a list moved meanwhile answers
    with its state."""
    client = login(username)
    assert "BPJS" in page(client, "/akun/profil/")
    approved = Submission.objects.filter(program__code=program, state="approved").first()
    assert approved is not None, f"{program}: no approved list for {username}"
    html = page(client, f"/verifikasi/usulan/{approved.pk}/")
    # "Periksa NIK ke Dukcapil", or "(aturan struktur saja)" without a Dukcapil service.
    assert "Periksa NIK" in html and "Selesaikan verifikasi" in html
    stale = {"expected_state": "submitted", "version": hidden(html, "version")}
    act(client, approved, "identities")
    act(client, approved, "accept")
    act(client, approved, "reject", reason="Tidak memenuhi syarat (uji README)")
    act(client, approved, "verify")
    approved.refresh_from_db()
    assert approved.state == "verified"
    assert "Siap didaftarkan" in page(client, f"/verifikasi/usulan/{approved.pk}/")
    act(client, approved, "ready")
    approved.refresh_from_db()
    assert approved.state == "ready"
    # The page as it was seen before all that: the list has moved on, and the answer says so.
    answer = client.post(
        f"/verifikasi/usulan/{approved.pk}/", {"action": "verify", **stale}, follow=True
    ).content.decode()
    assert "Siap didaftarkan" in answer
    approved.refresh_from_db()
    assert approved.state == "ready"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def regency_enrolment_row(username: str, program: str) -> None:
    """Program → Anggaran iuran: Rp1.349.460.000 for 26.775 workers; Program → Peserta: every
    state; Daftarkan a ready list, its Berkas pendaftaran BPJS, Impor jawaban BPJS (KPJ)."""
    client = login(username)
    program_page = page(client, f"/verifikasi/program/{program}/")
    budget_url, participants_url = f"/anggaran/program/{program}/", f"/peserta/program/{program}/"
    assert budget_url in program_page and participants_url in program_page
    budget = text_of(page(client, budget_url))
    assert "Rp1.349.460.000" in budget and "26.775 pekerja" in budget
    html = page(client, participants_url)
    for label in ("Didaftarkan, menunggu KPJ", "Aktif", "Berakhir (Meninggal dunia)"):
        assert label in text_of(html), label
    enrolled = Participant.objects.filter(program__code=program).values(
        "submission_person__submission"
    )
    ready = (
        Submission.objects.filter(program__code=program, state="ready")
        .exclude(pk__in=enrolled)
        .order_by("village_id")
        .first()
    )
    assert ready is not None, f"{program}: no ready list left to enrol"
    form = re.search(
        rf'name="submission" value="{ready.pk}"><input type="hidden" name="expected_state" '
        rf'value="(\w+)"><input type="hidden" name="version" value="(\d+)"',
        html,
    )
    assert form, f"no Daftarkan button for {ready.village_id}"
    client.post(
        participants_url,
        {
            "action": "enrol",
            "submission": ready.pk,
            "expected_state": form.group(1),
            "version": form.group(2),
        },
        follow=True,
    )
    people = Participant.objects.filter(submission_person__submission=ready)
    assert people.exists() and set(people.values_list("state", flat=True)) == {"registered"}
    response = client.get(
        f"/peserta/program/{program}/berkas-bpjs/?format=csv&village={ready.village_id}"
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    niks = registration_niks(response.content, "csv")
    assert sorted(niks) == sorted(people.values_list("worker__nik", flat=True))
    start = Program.objects.get(code=program).coverage_start
    answer = bpjs_answer(niks, start, "csv", regency=program_region(program), first_serial=500_000)
    upload = SimpleUploadedFile("jawaban-bpjs.csv", answer, content_type="text/csv")
    client.post(participants_url, {"action": "import", "file": upload}, follow=True)
    assert set(people.values_list("state", flat=True)) == {"active"}
    assert not people.filter(kpj__isnull=True).exists()


def regency_billing_row(username: str, program: str) -> None:
    """Program → Tagihan iuran: every month invoiced; an invoice with its payments; PALI's village
    in arrears through the arrears API and `lindung protection status NIK --date …`."""
    client = login(username)
    invoices_url = f"/anggaran/tagihan/program/{program}/"
    assert invoices_url in page(client, f"/verifikasi/program/{program}/")
    listing = page(client, invoices_url)
    assert "Tagihan iuran" in listing and "Terbitkan tagihan" in listing
    late = arrears_funder(Program.objects.get(code=program))
    assert late is not None and "Talang Ubi Utara" in late.name, "README names the village"
    for month, paid in (("2025-07", True), ("2025-09", False)):
        invoice = Invoice.objects.get(funder=late, month=f"{month}-01")
        assert f"/anggaran/tagihan/{invoice.pk}/" in listing
        text = text_of(page(client, f"/anggaran/tagihan/{invoice.pk}/"))
        assert "Catat pembayaran" in text
        assert f"terbayar {rupiah(invoice.total if paid else 0)}" in text, (month, text)
    arrears = client.get(f"/api/funders/{late.pk}/arrears", {"date": "2025-12-31"}).json()
    assert arrears["owed"] > 0 and {m["month"] for m in arrears["participant_months"]} == {
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
    }
    nik = (
        Participant.objects.filter(funder=late, state="active")
        .order_by("pk")
        .values_list("worker__nik", flat=True)
        .first()
    )
    for day, expected in (
        ("2025-09-01", "terlindungi ("),
        ("2025-11-20", "terlindungi dengan tunggakan"),
        ("2025-12-20", "tidak terlindungi"),
    ):
        out = io.StringIO()
        call_command("protection", "status", nik, "--date", day, stdout=out)
        assert expected in out.getvalue(), (day, out.getvalue())
    out = io.StringIO()
    call_command("protection", "status", nik, "--date", "2025-11-20", stdout=out)
    assert "2025-09, 2025-10, 2025-11" in out.getvalue()


def program_region(code: str) -> str:
    return Program.objects.get(code=code).owner_region_id


def bpjs_kpj_row(username: str, program: str) -> None:
    """Peserta: the registration file; a participant waiting for a KPJ: enter it on their page;
    no budget page and no enrolling for BPJS."""
    client = login(username)
    participants_url = f"/peserta/program/{program}/"
    waiting = (
        Participant.objects.filter(program__code=program, state="registered").order_by("pk").first()
    )
    assert waiting is not None, f"{program}: nobody waiting for a KPJ"
    html = page(client, participants_url + "?state=registered")
    assert f"/peserta/{waiting.pk}/" in html
    assert 'value="enrol"' not in html  # enrolling is the regency's
    assert client.get(f"/peserta/program/{program}/berkas-bpjs/?format=xlsx").status_code == 200
    assert 'name="kpj"' in page(client, f"/peserta/{waiting.pk}/")
    kpj = demo_kpj(program_region(program), 999_999)
    client.post(
        f"/peserta/{waiting.pk}/kpj/",
        {"kpj": kpj, "start_date": waiting.start_date.isoformat(), "reason": ""},
        follow=True,
    )
    waiting.refresh_from_db()
    assert (waiting.kpj, waiting.state) == (kpj, "active")
    assert kpj in page(client, f"/peserta/{waiting.pk}/")
    assert client.get(f"/anggaran/program/{program}/").status_code == 403


def view_only_row(username: str, role_label: str) -> None:
    """Browse programs and lists of South Sumatra; NIKs masked; nothing to change."""
    client = login(username)
    assert role_label in page(client, "/akun/profil/")
    assert role_label in page(client, "/")
    assert "Kepala daerah" not in page(client, "/") or role_label.startswith("Kepala")
    programs = page(client, "/verifikasi/program/")
    assert "/verifikasi/program/muaraenim-desa-2025/" in programs
    assert "/verifikasi/program/sarolangun-2024/" not in programs  # Jambi: not theirs
    submission = list_of("muaraenim-desa-2025", "1603012016")
    html = page(client, f"/verifikasi/usulan/{submission.pk}/")
    nik = submission.people.first().worker.nik
    assert nik not in html and nik[:4] + "*" * 12 in html
    for action in ("submit", "approve", "verify", "add_all"):
        assert f'value="{action}"' not in html
    before = (submission.state, submission.people.count())
    client.post(
        f"/verifikasi/usulan/{submission.pk}/",
        {"action": "submit", "expected_state": "draft", "version": submission.version},
    )
    submission.refresh_from_db()
    assert (submission.state, submission.people.count()) == before


def auditor_row() -> None:
    """Audit: who did what, when, through which channel; every full-NIK view (pii.view)."""
    client = login("auditor")
    html = page(client, "/audit/?actor=operator2")
    # Who (the operator), through which channel (web), what (the list they submitted).
    assert "<td>operator2</td><td>web</td>" in html and "submission." in html
    assert AuditEvent.objects.filter(action="pii.view").exists()
    assert "pii.view" in page(client, "/audit/?action=pii.view")


def claims_row() -> None:
    """Sarolangun's JKM claim paid to the heirs; PALI's waiting claim verified by BPJS, and the
    verifier offered no approval."""
    client = login("pemkab-sarolangun")
    assert "Rp42.000.000" in page(client, "/klaim/")
    paid = Claim.objects.get(program__code="sarolangun-2024")
    detail = page(client, f"/klaim/{paid.pk}/")
    assert "Dibayar" in detail and "Rp42.000.000" in detail
    assert "*" in paid.payments.first().bank_account or "*" in detail  # masked for the regency
    bpjs = login("bpjs-muaraenim")
    waiting = Claim.objects.get(program__code="pali-desa-2025")
    assert 'data-to="verified"' in page(bpjs, f"/klaim/{waiting.pk}/")
    bpjs.post(f"/klaim/{waiting.pk}/status/", {"to": "verified", "expected_state": waiting.state})
    waiting.refresh_from_db()
    assert waiting.state == "verified"
    assert 'data-to="approved"' not in page(bpjs, f"/klaim/{waiting.pk}/")


def admin_row() -> None:
    """Everything, and /admin/ (read-only)."""
    client = login("admin")
    assert page(client, "/admin/")
    change = page(client, "/admin/accounts/user/")
    assert "operator" in change
    assert client.get("/admin/accounts/user/add/").status_code == 403  # read-only


@pytest.mark.django_db
def test_readme_try_it_as_each_role_works_on_a_fresh_demo(regions, monkeypatch):
    if regions is not None:
        monkeypatch.setattr(sources, "lokal_regions", lambda: iter(regions))
    out = io.StringIO()
    call_command("demo", "--no-serve", "--workers", "1200", stdout=out)
    printed = out.getvalue()
    for username in README_LOGINS:
        assert username in printed, f"README names {username}; the demo does not print it"
    # The BPJS regional login is printed as BPJS, not as a regional head.
    assert re.search(r"kanwil-sumsel\W+lindung-demo-2025\W+Kanwil BPJS", printed), printed

    operator_row("operator", "pali-desa-2025", "Benuang")
    operator_row("operator2", "muaraenim-desa-2025", "Paduraksa")
    regency_row("dpmd-pali", "pali-desa-2025", ("approve", "return"))
    regency_row("dpmd-muaraenim", "muaraenim-desa-2025", ("approve", "return"))
    regency_row("dinsos-muba", "muba-pake-kelambu", ("approve",))
    regency_row("pemkab-sarolangun", "sarolangun-2024", ("return",))
    bpjs_row("bpjs-muaraenim", "pali-desa-2025")
    bpjs_row("bpjs-muaraenim", "muaraenim-desa-2025")
    bpjs_row("bpjs-sumbagsel", "muba-pake-kelambu")
    bpjs_row("bpjs-sumbagsel", "sarolangun-2024")
    regency_enrolment_row("dpmd-muaraenim", "muaraenim-desa-2025")
    bpjs_kpj_row("bpjs-muaraenim", "muaraenim-desa-2025")
    regency_billing_row("dpmd-pali", "pali-desa-2025")
    view_only_row("kanwil-sumsel", "Kanwil BPJS Ketenagakerjaan")
    view_only_row("pemprov-sumsel", "Kepala daerah")
    claims_row()
    auditor_row()
    admin_row()
    assert Role.BPJS_REGIONAL == "bpjs_regional"
