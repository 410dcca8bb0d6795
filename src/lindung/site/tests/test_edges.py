"""Issue 7 §5: every input gets a 4xx with a reason, never a 500, the same on SQLite and
PostgreSQL. Each test sends the request the attacker sent and checks the status, the reason and
that nothing was written."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE
from lindung.programs.models import Program, Submission
from lindung.registry.models import Worker

pytestmark = pytest.mark.django_db

NEW_NIK = "1612011203850007"  # Talang Ubi, male, 12-03-1985
NUL_REASON = "karakter NUL"
HIDDEN_REASON = "karakter tak terlihat"


def api_client(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def post_json(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def worker_body(**changes) -> dict:
    body = {
        "nik": NEW_NIK,
        "name": "Andi Baru",
        "village_code": PALI_VILLAGE,
        "occupation_code": "petani",
    }
    body.update(changes)
    return body


def program_body(**changes) -> dict:
    body = {
        "code": "muba-2026",
        "name": "Pekerja Rentan 2026",
        "owner_region_code": "1612",
        "coverage_start": "2026-01-01",
        "coverage_end": "2026-12-31",
    }
    body.update(changes)
    return body


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="edge-operator")


@pytest.fixture
def regency_admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1612"], username="edge-admin")


def nothing_written() -> bool:
    return not Worker.objects.exists() and not Program.objects.exists()


# --- lengths, numbers, NUL bytes -------------------------------------------------------------


@pytest.mark.parametrize(("field", "length"), [("name", 151), ("address", 256)])
def test_text_longer_than_its_column_is_422_naming_the_field(operator, field, length):
    response = post_json(api_client(operator), "/api/workers", worker_body(**{field: "A" * length}))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"][field] == [f"Paling banyak {length - 1} karakter."]
    assert "tidak sah" in body["message"]
    assert nothing_written()


def test_a_name_longer_than_its_column_is_refused_by_the_shared_rules_too(operator):
    """The services check the column length themselves (forms and commands use them too)."""
    from lindung.common.errors import ApplicationError
    from lindung.registry.services import worker_create
    from lindung.registry.validation import WorkerInput

    data = WorkerInput(
        nik=NEW_NIK, name="A" * 151, village_code=PALI_VILLAGE, occupation_code="petani"
    )
    with pytest.raises(ApplicationError) as refused:
        worker_create(actor=operator, data=data, heirs=[])
    assert "Paling banyak 150 karakter" in refused.value.fields["name"][0]
    assert nothing_written()


def test_nul_byte_in_a_json_field_is_400_with_a_reason(operator):
    response = post_json(api_client(operator), "/api/workers", worker_body(name="Andi\u0000Baru"))
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert NUL_REASON in response.json()["message"]
    assert nothing_written()


@pytest.mark.parametrize("url", ["/api/workers?q=a%00b", "/api/audit?actor=a%00b"])
def test_nul_byte_in_a_query_parameter_is_400_with_a_reason(make_user, url):
    auditor = make_user(Role.AUDITOR, ["16"])
    response = api_client(auditor).get(url)
    assert response.status_code == 400
    assert NUL_REASON in response.json()["message"]


def test_nul_byte_in_a_page_search_or_path_is_a_400_page(operator, client_for):
    client = client_for(operator)
    for url in ("/pekerja/?q=a%00b", "/verifikasi/program/a%00b/"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert NUL_REASON in response.content.decode()


def test_nul_byte_in_a_web_form_field_is_400(regency_admin, client_for):
    response = client_for(regency_admin).post(
        "/verifikasi/duplikat/pindai/", {"region": "16\x0012"}
    )
    assert response.status_code == 400
    assert NUL_REASON in response.content.decode()


def test_monthly_income_of_2_to_the_63_is_422(operator):
    response = post_json(api_client(operator), "/api/workers", worker_body(monthly_income=2**63))
    assert response.status_code == 422
    assert "monthly_income" in response.json()["fields"]
    assert nothing_written()


def test_monthly_income_of_2_to_the_63_in_the_web_form_is_a_form_error(operator, client_for):
    response = client_for(operator).post(
        "/pekerja/baru/",
        {
            "nik": NEW_NIK,
            "name": "Andi Baru",
            "village": PALI_VILLAGE,
            "occupation": "petani",
            "monthly_income": str(2**63),
            "heirs-TOTAL_FORMS": "0",
            "heirs-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "monthly_income" in response.context["form"].errors
    assert nothing_written()


@pytest.mark.parametrize("param", ["offset", "limit"])
def test_paging_beyond_2_to_the_63_is_422(operator, param):
    response = api_client(operator).get(f"/api/workers?{param}={2**63}")
    assert response.status_code == 422
    assert param in response.json()["fields"]


@pytest.mark.parametrize(
    "url", ["/api/submissions/-1", f"/api/submissions/{2**64}", f"/api/workers/{2**64}"]
)
def test_negative_or_huge_ids_are_422_not_500(operator, url):
    response = api_client(operator).get(url)
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("field", "value"),
    [("target_workers", -5), ("target_workers", 2**40), ("min_per_village", -1),
     ("wage_basis", 2**63), ("age_min", 70000), ("name", "x" * 201)],
)  # fmt: skip
def test_program_numbers_and_texts_outside_their_columns_are_422(regency_admin, field, value):
    response = post_json(api_client(regency_admin), "/api/programs", program_body(**{field: value}))
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert nothing_written()


def test_an_unknown_state_in_move_is_422_listing_the_valid_states(
    operator, regency_admin, make_worker
):
    from lindung.programs.services import program_create, submission_for

    program = program_create(
        actor=regency_admin,
        code="pali-2026",
        name="PALI 2026",
        owner_region_code="1612",
        coverage_start=dt.date(2026, 1, 1),
        coverage_end=dt.date(2026, 12, 31),
    )
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    response = post_json(
        api_client(regency_admin), f"/api/submissions/{submission.pk}/move", {"to": "bogus"}
    )
    assert response.status_code == 422
    reason = response.json()["fields"]["to"][0]
    assert reason.startswith("Harus salah satu dari")
    assert all(state in reason for state in ("submitted", "approved", "returned", "ready"))
    submission.refresh_from_db()
    assert submission.state == "draft"


def test_a_multipart_body_with_a_broken_boundary_is_400_with_a_reason(operator):
    response = api_client(operator).generic(
        "POST",
        "/api/uploads",
        b'--x\r\nContent-Disposition: form-data; name="village_code"\r\n\r\n1612',
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_form"
    assert "multipart" in response.json()["message"]


def test_hand_made_ids_on_the_list_page_are_refused_with_a_message(
    operator, regency_admin, make_user, make_worker, client_for
):
    """An upload id that is no UUID, or a person number of 2**70 (SQLite: OverflowError)."""
    from lindung.programs.models import SubmissionPerson
    from lindung.programs.services import program_create, submission_for

    program = program_create(
        actor=regency_admin,
        code="pali-2026",
        name="PALI 2026",
        owner_region_code="1612",
        coverage_start=dt.date(2026, 1, 1),
        coverage_end=dt.date(2026, 12, 31),
    )
    submission = submission_for(actor=operator, program=program, village_code=PALI_VILLAGE)
    person = SubmissionPerson.objects.create(submission=submission, worker=make_worker())
    url = f"/verifikasi/usulan/{submission.pk}/"
    bad_upload = client_for(operator).post(url, {"action": "add_upload", "upload": "nope"})
    assert bad_upload.status_code == 302
    Submission.objects.filter(pk=submission.pk).update(state="approved")
    officer = client_for(make_user(Role.BPJS_OFFICER, ["1612"]))
    huge = officer.post(url, {"action": "accept", "person": str(2**70)}, follow=True)
    assert huge.status_code == 200
    assert "nomor yang tidak sah" in huge.content.decode()
    person.refresh_from_db()
    assert person.outcome == "pending"


# --- program codes ---------------------------------------------------------------------------


def test_a_program_code_with_spaces_and_brackets_is_refused(regency_admin, client_for):
    api = api_client(regency_admin)
    response = post_json(api, "/api/programs", program_body(code="muba 2026 (final)"))
    assert response.status_code == 422
    assert "code" in response.json()["fields"]

    from lindung.common.errors import ApplicationError
    from lindung.programs.services import program_create

    with pytest.raises(ApplicationError) as refused:
        program_create(
            actor=regency_admin,
            code="muba 2026 (final)",
            name="x",
            owner_region_code="1612",
            coverage_start=dt.date(2026, 1, 1),
            coverage_end=dt.date(2026, 12, 31),
        )
    assert "hanya boleh berisi huruf" in refused.value.message
    assert nothing_written()


def test_a_stored_program_with_an_unsafe_code_does_not_break_the_program_pages(
    regency_admin, make_user, client_for
):
    """Codes saved before the check existed keep working: the list renders and links to them."""
    program = Program.objects.create(
        code="muba 2026 (final)",
        name="Program Lama",
        owner_region_id="1612",
        coverage_start=dt.date(2026, 1, 1),
        coverage_end=dt.date(2026, 12, 31),
        status="active",
    )
    for user in (regency_admin, make_user(Role.REGIONAL_HEAD, ["16"])):
        listing = client_for(user).get("/verifikasi/program/")
        assert listing.status_code == 200
        assert "Program Lama" in listing.content.decode()
    detail = client_for(regency_admin).get("/verifikasi/program/muba%202026%20(final)/")
    assert detail.status_code == 200
    assert detail.context["program"] == program


# --- hidden characters in names --------------------------------------------------------------


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u2060", "\ufeff"])
def test_a_name_with_bidi_or_zero_width_characters_is_refused_through_the_api(operator, char):
    response = post_json(api_client(operator), "/api/workers", worker_body(name=f"Andi{char}Baru"))
    assert response.status_code == 400
    assert HIDDEN_REASON in response.json()["fields"]["name"][0]
    assert nothing_written()


def test_an_heir_name_with_a_bidi_override_is_refused(operator):
    body = worker_body(heirs=[{"name": "Siti\u202eHamdan", "relationship": "spouse"}])
    response = post_json(api_client(operator), "/api/workers", body)
    assert response.status_code == 400
    assert HIDDEN_REASON in response.json()["fields"]["heirs.0.name"][0]
    assert nothing_written()


def test_a_name_with_a_bidi_override_is_refused_in_the_web_form(operator, client_for):
    response = client_for(operator).post(
        "/pekerja/baru/",
        {
            "nik": NEW_NIK,
            "name": "Andi\u202eBaru",
            "village": PALI_VILLAGE,
            "occupation": "petani",
            "heirs-TOTAL_FORMS": "0",
            "heirs-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert HIDDEN_REASON in str(response.context["form"].errors["name"])
    assert nothing_written()


# --- the intake file -------------------------------------------------------------------------


def upload(client: Client, content: str, name: str = "daftar.csv") -> dict:
    response = client.post(
        "/api/uploads",
        {"file": SimpleUploadedFile(name, content.encode()), "village_code": PALI_VILLAGE},
    )
    assert response.status_code == 201, response.content
    return response.json()


def row_errors(client: Client, upload_id: str) -> dict[int, list[dict]]:
    rows = client.get(f"/api/uploads/{upload_id}/rows?status=problems").json()["items"]
    return {row["row_number"]: row["errors"] for row in rows}


def test_file_rows_with_hidden_characters_nul_bytes_or_long_text_are_refused_with_a_reason(
    operator,
):
    api = api_client(operator)
    content = (
        "NIK;Nama Lengkap;Pekerjaan;Alamat;Penghasilan\n"
        "1612011203850007;Andi\u202eBaru;Petani;;\n"
        f"1612011403850009;Cahya;Petani;{'x' * 256};\n"
        "1612011503850010;Dedi;Petani;;-5000\n"
        "1612011603850011;Eko Prasetyo;Petani;Dusun 1;\n"
    )
    staged = upload(api, content)
    errors = row_errors(api, staged["id"])
    assert [e["code"] for e in errors[2]] == ["hidden_characters"]
    assert HIDDEN_REASON in errors[2][0]["message"]
    assert [e["code"] for e in errors[3]] == ["text_too_long"]
    assert "255" in errors[3][0]["message"]
    assert [e["code"] for e in errors[4]] == ["income_negative"]
    assert 5 not in errors
    committed = post_json(api, f"/api/uploads/{staged['id']}/commit", {})
    assert committed.status_code == 200
    assert list(Worker.objects.values_list("name", flat=True)) == ["Eko Prasetyo"]


def test_a_file_with_a_nul_byte_is_refused_with_a_reason_and_nothing_is_saved(operator):
    """PostgreSQL cannot store a NUL: the file is refused before any row is staged (and a NUL
    that reached the row checks would reject its row, see `validate._raw_rules`)."""
    response = api_client(operator).post(
        "/api/uploads",
        {
            "file": SimpleUploadedFile(
                "daftar.csv",
                "NIK;Nama Lengkap;Pekerjaan\n1612011303850008;Budi\u0000S;Petani\n".encode(),
            ),
            "village_code": PALI_VILLAGE,
        },
    )
    assert response.status_code == 400
    assert response.json()["message"]
    assert not Worker.objects.exists()


def test_annotated_csv_neutralises_formula_cells_and_reads_back_as_it_was(operator):
    api = api_client(operator)
    content = (
        "NIK;Nama Lengkap;Pekerjaan;No HP\n"
        '1612011203850007;"=HYPERLINK(""http://evil.example/"")";Petani;+6281234567890\n'
        "1612011303850008;Budi Santoso;Petani;+6281234567891\n"
        "1612011403850009;@SUM(1+1);Petani;\n"
    )
    staged = upload(api, content)
    annotated = api.get(f"/api/uploads/{staged['id']}/annotated")
    assert annotated.status_code == 200
    text = annotated.content.decode("utf-8-sig")
    cells = [cell for line in text.splitlines() for cell in line.split(";")]
    assert not [c for c in cells if c.strip('"').startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'+6281234567891" in text and "'@SUM(1+1)" in text
    # The operator fixes nothing and uploads the annotated file again: phones read as before.
    again = upload(api, text, name="daftar-hasil.csv")
    post_json(api, f"/api/uploads/{again['id']}/commit", {})
    assert Worker.objects.get(nik="1612011303850008").phone == "+6281234567891"


def test_annotated_xlsx_writes_formula_like_cells_as_text(operator):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    for col, title in enumerate(["NIK", "Nama Lengkap", "Pekerjaan"]):
        sheet.write_string(0, col, title)
    for col, value in enumerate(["1612011203850007", "=1+1", "Petani"]):
        sheet.write_string(1, col, value)
    book.close()
    api = api_client(operator)
    response = api.post(
        "/api/uploads",
        {
            "file": SimpleUploadedFile("daftar.xlsx", buffer.getvalue()),
            "village_code": PALI_VILLAGE,
        },
    )
    assert response.status_code == 201, response.content
    annotated = api.get(f"/api/uploads/{response.json()['id']}/annotated")
    with zipfile.ZipFile(io.BytesIO(annotated.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet_xml
    assert "=1+1" in strings


# --- request ids -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given", ["abc\r\nSet-Cookie: x=1", "<script>", "a" * 65, "id with spaces", ""]
)
def test_an_unsafe_x_request_id_is_replaced_by_a_fresh_one(operator, given):
    response = post_json(
        Client(HTTP_X_REQUEST_ID=given, **_auth(operator)), "/api/workers", worker_body()
    )
    assert response.status_code == 201
    fresh = response["X-Request-ID"]
    assert fresh != given and len(fresh) == 32
    event = AuditEvent.objects.get(action="worker.create")
    assert event.request_id == fresh


def test_a_safe_x_request_id_is_kept(operator):
    response = post_json(
        Client(HTTP_X_REQUEST_ID="batch-7.row_12", **_auth(operator)), "/api/workers", worker_body()
    )
    assert response["X-Request-ID"] == "batch-7.row_12"
    assert AuditEvent.objects.get(action="worker.create").request_id == "batch-7.row_12"


def _auth(user) -> dict:
    _token, raw = api_token_create(actor=user, user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
