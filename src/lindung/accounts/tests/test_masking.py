"""The one masking policy: what each role sees of NIK, KK and phone on pages, API, files and audit.

Issue 7 §4: read-only roles (regional head, auditor) saw full NIKs on the upload page, in the
annotated file, in audit details and in merge history while the API masked them; and the mask
kept the serial, so with birth date, sex and village it gave the whole NIK back.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client

from lindung.accounts import masking
from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.intake.services import upload_stage
from lindung.registry.services import worker_merge

NIK = "1603011709770027"
PHONE = "081234567890"
FULL_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


@pytest.fixture
def api_for():
    def make(user) -> Client:
        _token, raw = api_token_create(actor=user, user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


# --- the policy itself ---------------------------------------------------------------------------


def test_nik_mask_keeps_only_the_regency():
    assert masking.mask_number(NIK) == "1603************"
    assert masking.mask_number("") == ""


def test_masking_twice_changes_nothing():
    assert masking.mask_number(masking.mask_number(NIK)) == "1603************"
    assert masking.mask_phone(masking.mask_phone(PHONE)) == "**********90"


def test_phone_mask_keeps_at_most_the_last_two_digits():
    assert masking.mask_phone("+6281234567890") == "***********90"


def test_text_mask_finds_niks_and_phones_in_free_text():
    text = f"merged {NIK} into 1612 0117 0977 0031, call {PHONE}; village 1612012001"
    masked = masking.mask_text(text)
    assert NIK not in masked and "0977" not in masked and PHONE not in masked
    assert "1603************" in masked and "village 1612012001" in masked


def test_spreadsheet_numbers_holding_niks_or_phones_are_masked():
    assert masking.mask_text(1.603011709770027e15) == "1603************"
    assert masking.mask_text(81234567890.0) == "*********90"
    assert masking.mask_text(1500000) == 1500000


def test_audit_changes_are_masked_by_key_and_by_pattern():
    changes = {
        "nik": [None, NIK],
        "phone": ["0811111111", PHONE],
        "heirs": [[], [{"name": "Aisyah", "nik": NIK, "phone": PHONE}]],
        "note": ["", f"see {NIK}"],
        "monthly_income": [1000000, 1500000],
    }
    masked = masking.mask_value("", changes)
    assert NIK not in str(masked) and PHONE not in str(masked)
    assert masked["monthly_income"] == [1000000, 1500000]
    assert masked["heirs"][1][0]["name"] == "Aisyah"


@pytest.mark.parametrize(
    ("role", "full"),
    [
        (Role.VILLAGE_OPERATOR, True),
        (Role.REGENCY_ADMIN, True),
        (Role.BPJS_OFFICER, True),
        (Role.SUPERADMIN, True),
        (Role.BPJS_REGIONAL, False),
        (Role.REGIONAL_HEAD, False),
        (Role.AUDITOR, False),
    ],
)
def test_one_policy_per_role(make_user, role, full):
    user = make_user(role)
    assert masking.sees_pii(user, PALI_VILLAGE) is full
    assert (masking.nik_for(user, PALI_VILLAGE, NIK) == NIK) is full


def test_outside_the_scope_nobody_but_the_superadmin_sees_full_data(make_user):
    admin = make_user(Role.REGENCY_ADMIN, ["1603"])
    assert masking.nik_for(admin, PALI_VILLAGE, NIK) == "1603************"
    assert masking.name_for(admin, PALI_VILLAGE, "Ahmad Hakim") != "Ahmad Hakim"


# --- pages, API, files and audit views for read-only roles -----------------------------------


@pytest.fixture
def staged_upload(make_user):
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    nik = make_nik("161201", dt.date(1980, 5, 17), "P", 8)
    csv = f"NIK,Nama Lengkap,Pekerjaan,No HP\n{nik},Siti Aminah,Petani,{PHONE}\n".encode()
    upload = upload_stage(actor=operator, data=csv, filename="desa.csv", village_code=PALI_VILLAGE)
    return upload, nik


@pytest.mark.parametrize("role", [Role.BPJS_REGIONAL, Role.REGIONAL_HEAD, Role.AUDITOR])
def test_read_only_roles_see_masked_niks_on_the_upload_page(
    make_user, client_for, staged_upload, role
):
    upload, nik = staged_upload
    page = client_for(make_user(role)).get(f"/unggah/{upload.pk}/?status=").content.decode()
    assert "Siti Aminah" in page
    assert nik not in page and masking.mask_number(nik) in page


@pytest.mark.parametrize("role", [Role.BPJS_REGIONAL, Role.REGIONAL_HEAD, Role.AUDITOR])
def test_read_only_roles_get_the_annotated_file_masked(
    make_user, client_for, api_for, staged_upload, role
):
    upload, nik = staged_upload
    user = make_user(role)
    for response in (
        client_for(user).get(f"/unggah/{upload.pk}/hasil/"),
        api_for(user).get(f"/api/uploads/{upload.pk}/annotated"),
    ):
        content = response.content.decode("utf-8-sig")
        assert response.status_code == 200
        assert "Siti Aminah" in content and "DITERIMA" in content
        assert nik not in content and PHONE not in content
        assert masking.mask_number(nik) in content


def test_operator_gets_their_own_annotated_file_unmasked(make_user, client_for, staged_upload):
    upload, nik = staged_upload
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    content = client_for(operator).get(f"/unggah/{upload.pk}/hasil/").content.decode("utf-8-sig")
    assert nik in content and PHONE in content


def test_masked_annotated_xlsx_hides_niks_typed_as_numbers(make_user, client_for):
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    nik = make_nik("161201", dt.date(1980, 5, 17), "P", 8)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    for c, title in enumerate(["NIK", "Nama Lengkap", "Pekerjaan", "No HP"]):
        sheet.write_string(0, c, title)
    sheet.write_string(1, 0, nik)
    sheet.write_string(1, 1, "Siti Aminah")
    sheet.write_string(1, 2, "Petani")
    sheet.write_number(1, 3, 81234567890)
    sheet.write_number(2, 0, float(nik))
    sheet.write_string(2, 1, "Andi")
    book.close()
    upload = upload_stage(
        actor=operator, data=buffer.getvalue(), filename="desa.xlsx", village_code=PALI_VILLAGE
    )
    content = client_for(make_user(Role.REGIONAL_HEAD)).get(f"/unggah/{upload.pk}/hasil/").content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    text = " ".join(str(c) for row in rows for c in row)
    assert "Siti Aminah" in text
    assert nik[6:] not in text and "1234567890" not in text and "16031" not in text


def test_read_only_roles_see_masked_niks_in_the_upload_rows_api(api_for, make_user, staged_upload):
    upload, nik = staged_upload
    rows = api_for(make_user(Role.AUDITOR)).get(f"/api/uploads/{upload.pk}/rows?status=").json()
    assert [r["nik"] for r in rows["items"]] == [masking.mask_number(nik)]


def test_auditor_sees_audit_details_and_merge_history_masked(
    make_user, make_worker, client_for, api_for
):
    root = make_user(Role.SUPERADMIN)
    born = dt.date(1980, 1, 1)
    keep = make_worker(nik=make_nik("161201", born, "L", 21), birth_date=born, phone=PHONE)
    gone = make_worker(nik=make_nik("161201", born, "L", 27), birth_date=born)
    worker_merge(actor=root, keep=keep, remove=gone, reason="same person")
    auditor = make_user(Role.AUDITOR)
    page = client_for(auditor).get("/audit/?object_type=registry.worker").content.decode()
    body = api_for(auditor).get("/api/audit?object_type=registry.worker&limit=500").json()
    assert "worker.merge" in page and body["items"]
    for shown in (page, str(body)):
        assert keep.nik not in shown and gone.nik not in shown and PHONE not in shown
        assert masking.mask_number(keep.nik) in shown
    # The worker's own history (merge history) too, for the regional head.
    history = client_for(make_user(Role.REGIONAL_HEAD)).get(f"/pekerja/{keep.pk}/").content
    assert gone.nik not in history.decode() and keep.nik not in history.decode()


def test_superadmin_still_reads_the_audit_trail_in_full(make_user, make_worker, client_for):
    worker = make_worker(nik=NIK.replace("1603", "1612"))
    page = client_for(make_user(Role.SUPERADMIN)).get("/audit/?action=worker.").content.decode()
    assert worker.nik in page


@pytest.mark.parametrize("role", [Role.BPJS_REGIONAL, Role.REGIONAL_HEAD, Role.AUDITOR])
def test_read_only_roles_see_the_same_mask_on_pages_and_api(
    make_user, make_worker, client_for, api_for, role
):
    worker = make_worker(phone=PHONE, kk_number=make_nik("161201", dt.date(2001, 1, 1), "L", 9))
    user = make_user(role)
    page = client_for(user).get(f"/pekerja/{worker.pk}/").content.decode()
    body = api_for(user).get(f"/api/workers/{worker.pk}").json()
    listed = api_for(user).get("/api/workers").json()["items"][0]
    mask = masking.mask_number(worker.nik)
    assert body["nik"] == listed["nik_masked"] == mask and mask in page
    assert body["kk_number"] == masking.mask_number(worker.kk_number)
    assert body["phone"] == masking.mask_phone(worker.phone)
    for shown in (page, str(body), str(listed)):
        assert not FULL_NIK.search(shown) and PHONE not in shown


# --- recording full-NIK views and NIK searches -------------------------------------------------


def test_full_nik_views_are_recorded_once_per_request_without_the_nik(
    make_user, make_worker, client_for, api_for
):
    worker = make_worker()
    admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    client_for(admin).get(f"/pekerja/{worker.pk}/")
    api_for(admin).get(f"/api/workers/{worker.pk}")
    events = AuditEvent.objects.filter(action="pii.view").order_by("id")
    assert events.count() == 2
    for event in events:
        assert event.actor_username == admin.username
        assert event.changes == {"workers": [None, [worker.pk]]}
        assert worker.nik not in str(event.changes) + event.object_repr
        assert event.region_code == worker.village_id


def test_masked_views_are_not_recorded_as_full_nik_views(make_user, make_worker, client_for):
    worker = make_worker()
    client_for(make_user(Role.REGIONAL_HEAD)).get(f"/pekerja/{worker.pk}/")
    assert not AuditEvent.objects.filter(action="pii.view").exists()


def test_nik_searches_are_recorded_and_shown_to_auditors(
    make_user, make_worker, client_for, api_for
):
    worker = make_worker()
    make_worker()
    admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    client_for(admin).get(f"/pekerja/?q={worker.nik}")
    api_for(admin).get(f"/api/workers?q={worker.nik[:10]}")
    client_for(admin).get("/pekerja/?q=Pekerja")  # a name search is not a NIK search
    searches = AuditEvent.objects.filter(action="pii.search").order_by("id")
    assert searches.count() == 2
    assert searches[0].changes["workers"] == [None, [worker.pk]]
    assert all(worker.nik[4:10] not in str(e.changes) + e.object_repr for e in searches)
    trail = api_for(make_user(Role.AUDITOR)).get("/api/audit?action=pii.").json()["items"]
    assert {e["action"] for e in trail} == {"pii.search"}
    assert all(e["actor_username"] == admin.username for e in trail)
    page = client_for(make_user(Role.AUDITOR)).get("/audit/?action=pii.search").content.decode()
    assert admin.username in page and "pii.search" in page


def test_an_operator_opening_their_upload_is_recorded_once_with_the_row_count(
    make_user, client_for, staged_upload
):
    upload, nik = staged_upload
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    client_for(operator).get(f"/unggah/{upload.pk}/?status=")
    client_for(operator).get(f"/unggah/{upload.pk}/hasil/")
    events = AuditEvent.objects.filter(action="pii.view", object_id=str(upload.pk))
    assert [e.row_count for e in events] == [1, 1]
    assert all(nik not in str(e.changes) for e in events)


def test_ids_and_amounts_in_audit_changes_are_not_taken_for_phones():
    assert masking.mask_value("workers", [85000000, 812345678]) == [85000000, 812345678]
    assert masking.mask_value("monthly_income", 85000000) == 85000000
