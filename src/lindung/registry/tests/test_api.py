"""The REST API: bearer tokens, region scoping, masking, validation errors and audit channel."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lindung.accounts.masking import mask_phone
from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create, api_token_revoke
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, PALI_VILLAGE_2, SAROLANGUN_VILLAGE
from lindung.registry.models import Worker

pytestmark = pytest.mark.django_db

NEW_NIK = "1612011203850007"  # Talang Ubi, male, 12-03-1985


@pytest.fixture
def api_for():
    def make(user) -> Client:
        _token, raw = api_token_create(actor=user, user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="op-talang-bulang")


@pytest.fixture
def pali_worker(make_worker):
    return make_worker(
        village=PALI_VILLAGE,
        name="Budi Talang Bulang",
        heirs=[{"name": "Siti Ahli Waris", "relationship": "spouse", "nik": "1612014505880001"}],
        phone="081234567890",
        kk_number="1612011234560001",
    )


@pytest.fixture
def other_worker(make_worker):
    return make_worker(village=SAROLANGUN_VILLAGE, name="Rahasia Sarolangun")


def payload(**kw) -> dict:
    body = {
        "nik": NEW_NIK,
        "name": "Andi Baru",
        "village_code": PALI_VILLAGE,
        "occupation_code": "petani",
    }
    body.update(kw)
    return body


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def put(client, path, body):
    return client.put(path, json.dumps(body), content_type="application/json")


# --- auth ----------------------------------------------------------------------------------------


def test_me_names_the_user_role_and_regions(api_for, operator):
    response = api_for(operator).get("/api/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "op-talang-bulang",
        "role": "village_operator",
        "regions": [PALI_VILLAGE],
    }


def test_me_for_a_superadmin_has_no_region_limit(api_for, make_user):
    assert api_for(make_user(Role.SUPERADMIN)).get("/api/me").json()["regions"] is None


def test_no_token_is_401(client):
    assert client.get("/api/me").status_code == 401


def test_wrong_token_is_401(api_for, operator):
    api_for(operator)  # a real token exists, but is not the one sent
    response = Client(HTTP_AUTHORIZATION="Bearer lnd_not-a-real-token").get("/api/me")
    assert response.status_code == 401


def test_revoked_token_is_401(operator):
    token, raw = api_token_create(actor=operator, user=operator, name="old")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/me").status_code == 200
    api_token_revoke(actor=operator, token=token)
    assert client.get("/api/me").status_code == 401
    assert client.get("/api/workers").status_code == 401


def test_token_of_a_deactivated_user_is_401(api_for, operator):
    client = api_for(operator)
    operator.is_active = False
    operator.save()
    assert client.get("/api/me").status_code == 401


def test_only_the_digest_of_the_token_is_stored(operator):
    token, raw = api_token_create(actor=operator, user=operator, name="t")
    token.refresh_from_db()
    assert raw not in (token.digest, token.hint, token.name)
    assert raw.startswith(token.hint)


def test_using_a_token_records_last_use(operator):
    token, raw = api_token_create(actor=operator, user=operator, name="t")
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- list ----------------------------------------------------------------------------------------


def test_list_shows_only_in_scope_workers_with_masked_nik(
    api_for, operator, pali_worker, other_worker
):
    response = api_for(operator).get("/api/workers")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == pali_worker.pk
    assert item["name"] == "Budi Talang Bulang"
    assert item["nik_masked"] == pali_worker.nik[:4] + "*" * 12
    assert item["village_code"] == PALI_VILLAGE
    assert item["village_name"] == "Talang Bulang"
    assert item["occupation_code"] == "petani"
    text = response.content.decode()
    assert pali_worker.nik not in text
    assert other_worker.nik not in text
    assert "Rahasia Sarolangun" not in text
    assert "nik" not in item or item.get("nik") != pali_worker.nik


def test_list_never_contains_a_full_nik_even_for_a_superadmin(
    api_for, make_user, pali_worker, other_worker
):
    response = api_for(make_user(Role.SUPERADMIN)).get("/api/workers")
    assert response.json()["count"] == 2
    text = response.content.decode()
    assert pali_worker.nik not in text and other_worker.nik not in text


def test_list_search_and_filters(api_for, make_user, pali_worker, other_worker):
    client = api_for(make_user(Role.SUPERADMIN))
    assert [w["id"] for w in client.get("/api/workers", {"q": "talang"}).json()["items"]] == [
        pali_worker.pk
    ]
    by_region = client.get("/api/workers", {"region": "15.03"}).json()["items"]
    assert [w["id"] for w in by_region] == [other_worker.pk]
    by_nik = client.get("/api/workers", {"q": pali_worker.nik}).json()["items"]
    assert [w["id"] for w in by_nik] == [pali_worker.pk]


def test_list_pages_with_limit_and_offset(api_for, make_user, make_worker):
    for _ in range(3):
        make_worker()
    client = api_for(make_user(Role.REGENCY_ADMIN))
    page = client.get("/api/workers", {"limit": 2, "offset": 0}).json()
    assert page["count"] == 3
    assert len(page["items"]) == 2
    assert len(client.get("/api/workers", {"limit": 2, "offset": 2}).json()["items"]) == 1


def test_list_for_a_user_without_regions_is_empty(api_for, make_user, pali_worker):
    lonely = make_user(Role.AUDITOR, [])
    assert api_for(lonely).get("/api/workers").json()["count"] == 0


# --- detail --------------------------------------------------------------------------------------


def test_detail_shows_the_full_nik_to_the_operator_of_the_village(api_for, operator, pali_worker):
    response = api_for(operator).get(f"/api/workers/{pali_worker.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["nik"] == pali_worker.nik
    assert body["nik_is_masked"] is False
    assert body["kk_number"] == "1612011234560001"
    assert body["phone"] == "+6281234567890"
    assert body["village_name"] == "Talang Bulang"
    (heir,) = body["heirs"]
    assert heir["name"] == "Siti Ahli Waris"
    assert heir["nik"] == "1612014505880001"


def test_detail_masks_the_nik_for_a_regional_head(api_for, make_user, pali_worker):
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    response = api_for(head).get(f"/api/workers/{pali_worker.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["nik_is_masked"] is True
    assert body["nik"] == pali_worker.nik[:4] + "*" * 12
    assert body["phone"] in ("", mask_phone(pali_worker.phone))
    assert body["heirs"][0]["nik"] != "1612014505880001"
    text = response.content.decode()
    for secret in (pali_worker.nik, "1612011234560001", "1612014505880001", "081234567890"):
        assert secret not in text
    assert "6281234567890" not in text


def test_detail_for_another_region_is_404_without_name_or_nik(api_for, make_user, pali_worker):
    stranger = make_user(Role.VILLAGE_OPERATOR, [SAROLANGUN_VILLAGE])
    response = api_for(stranger).get(f"/api/workers/{pali_worker.pk}")
    assert response.status_code == 404
    text = response.content.decode()
    assert pali_worker.name not in text
    assert pali_worker.nik not in text
    assert pali_worker.nik[:4] not in text


def test_detail_of_a_missing_worker_looks_the_same_as_out_of_scope(api_for, make_user, pali_worker):
    stranger = make_user(Role.VILLAGE_OPERATOR, [SAROLANGUN_VILLAGE])
    client = api_for(stranger)
    hidden = client.get(f"/api/workers/{pali_worker.pk}")
    missing = client.get("/api/workers/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# --- create --------------------------------------------------------------------------------------


def test_post_creates_a_worker_and_records_channel_api(api_for, operator):
    response = post(
        api_for(operator),
        "/api/workers",
        payload(heirs=[{"name": "Siti", "relationship": "spouse"}], phone="0812-3456-7890"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    worker = Worker.objects.get(pk=body["id"])
    assert worker.nik == NEW_NIK
    assert body["nik"] == NEW_NIK  # the operator of the village sees it in full
    assert body["birth_date"] == "1985-03-12"
    assert body["sex"] == "L"
    assert body["phone"] == "+6281234567890"
    assert [h["name"] for h in body["heirs"]] == ["Siti"]
    events = AuditEvent.objects.filter(object_type="registry.worker", object_id=str(worker.pk))
    assert sorted(events.values_list("action", flat=True)) == ["worker.create", "worker.heir_add"]
    for event in events:
        assert event.channel == "api"
        assert event.actor == operator
        assert event.request_id == response["X-Request-ID"]


def test_post_with_an_invalid_nik_is_400_with_fields(api_for, operator):
    response = post(api_for(operator), "/api/workers", payload(nik="161201120385000"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation"
    assert body["fields"]["nik"] == ["NIK harus 16 digit; yang tertulis 15 digit."]
    assert Worker.objects.count() == 0


def test_post_with_a_superscript_digit_in_the_nik_is_400_not_a_crash(api_for, operator):
    # '²' passes str.isdigit() in registry/nik.py, then int("1²") raises ValueError (a 500).
    response = post(api_for(operator), "/api/workers", payload(nik="1612011\u00b203850007"))
    assert response.status_code == 400
    assert "nik" in response.json()["fields"]
    assert Worker.objects.count() == 0


def test_post_with_a_birth_date_that_disagrees_is_400_on_birth_date(api_for, operator):
    response = post(api_for(operator), "/api/workers", payload(birth_date="1985-03-13"))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["birth_date"]


def test_post_with_bad_heir_is_400_with_an_indexed_field(api_for, operator):
    response = post(
        api_for(operator),
        "/api/workers",
        payload(heirs=[{"name": "Siti", "relationship": "tetangga"}]),
    )
    assert response.status_code == 400
    assert "heirs.0.relationship" in response.json()["fields"]


def test_post_duplicate_nik_is_400_duplicate_nik(api_for, operator, other_worker):
    response = post(api_for(operator), "/api/workers", payload(nik=other_worker.nik))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "duplicate_nik"
    assert "Rahasia Sarolangun" not in response.content.decode()


def test_post_missing_required_field_is_rejected_by_the_schema(api_for, operator):
    body = payload()
    del body["name"]
    response = post(api_for(operator), "/api/workers", body)
    assert response.status_code == 422
    assert Worker.objects.count() == 0


def test_post_in_another_village_is_403(api_for, operator):
    response = post(api_for(operator), "/api/workers", payload(village_code=PALI_VILLAGE_2))
    assert response.status_code == 403
    assert Worker.objects.count() == 0


def test_post_by_a_regional_head_is_403(api_for, make_user):
    response = post(api_for(make_user(Role.REGIONAL_HEAD)), "/api/workers", payload())
    assert response.status_code == 403


# --- update --------------------------------------------------------------------------------------


def test_put_updates_the_worker(api_for, operator, pali_worker):
    body = payload(
        nik=pali_worker.nik,
        name="Budi Diperbarui",
        kk_number=pali_worker.kk_number,
        phone="081234567890",
    )
    response = put(api_for(operator), f"/api/workers/{pali_worker.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Budi Diperbarui"
    pali_worker.refresh_from_db()
    assert pali_worker.name == "Budi Diperbarui"
    # heirs not sent: kept
    assert pali_worker.heirs.count() == 1
    event = AuditEvent.objects.filter(action="worker.update", object_id=str(pali_worker.pk)).get()
    assert event.changes == {"name": ["Budi Talang Bulang", "Budi Diperbarui"]}
    assert event.channel == "api"


def test_put_with_heirs_replaces_them(api_for, operator, pali_worker):
    body = payload(
        nik=pali_worker.nik,
        name=pali_worker.name,
        kk_number=pali_worker.kk_number,
        phone="081234567890",
        heirs=[{"name": "Anak Baru", "relationship": "child"}],
    )
    response = put(api_for(operator), f"/api/workers/{pali_worker.pk}", body)
    assert response.status_code == 200
    assert [h["name"] for h in response.json()["heirs"]] == ["Anak Baru"]
    assert AuditEvent.objects.filter(
        action="worker.heir_remove", object_id=str(pali_worker.pk)
    ).exists()


def test_put_validation_error_is_400(api_for, operator, pali_worker):
    response = put(
        api_for(operator), f"/api/workers/{pali_worker.pk}", payload(nik=pali_worker.nik, sex="P")
    )
    assert response.status_code == 400
    assert "sex" in response.json()["fields"]


def test_put_out_of_scope_is_404(api_for, make_user, pali_worker):
    stranger = make_user(Role.VILLAGE_OPERATOR, [SAROLANGUN_VILLAGE])
    response = put(api_for(stranger), f"/api/workers/{pali_worker.pk}", payload())
    assert response.status_code == 404


def test_put_by_a_regional_head_is_403(api_for, make_user, pali_worker):
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    response = put(api_for(head), f"/api/workers/{pali_worker.pk}", payload(nik=pali_worker.nik))
    assert response.status_code == 403


# --- delete --------------------------------------------------------------------------------------


def test_delete_without_reason_is_400(api_for, make_user, pali_worker):
    admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    response = api_for(admin).delete(f"/api/workers/{pali_worker.pk}")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    assert Worker.objects.filter(pk=pali_worker.pk).exists()


def test_delete_with_blank_reason_is_400(api_for, make_user, pali_worker):
    admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    response = api_for(admin).delete(f"/api/workers/{pali_worker.pk}?reason=%20%20")
    assert response.status_code == 400


def test_delete_with_reason_by_regency_admin_is_204(api_for, make_user, pali_worker):
    admin = make_user(Role.REGENCY_ADMIN, ["1612"])
    response = api_for(admin).delete(f"/api/workers/{pali_worker.pk}?reason=Pindah%20domisili")
    assert response.status_code == 204
    assert not Worker.objects.filter(pk=pali_worker.pk).exists()
    event = AuditEvent.objects.get(action="worker.delete", object_id=str(pali_worker.pk))
    assert event.reason == "Pindah domisili"
    assert event.channel == "api"
    assert event.actor == admin


def test_delete_by_village_operator_is_403(api_for, operator, pali_worker):
    response = api_for(operator).delete(f"/api/workers/{pali_worker.pk}?reason=salah%20input")
    assert response.status_code == 403
    assert Worker.objects.filter(pk=pali_worker.pk).exists()


def test_delete_out_of_scope_is_404(api_for, make_user, pali_worker):
    admin = make_user(Role.REGENCY_ADMIN, ["1503"])
    response = api_for(admin).delete(f"/api/workers/{pali_worker.pk}?reason=x")
    assert response.status_code == 404
    assert Worker.objects.filter(pk=pali_worker.pk).exists()


# --- NIK inspection ------------------------------------------------------------------------------


def test_nik_inspect_explains_each_nik(api_for, operator):
    response = post(
        api_for(operator),
        "/api/nik/inspect",
        {
            "niks": ["1612015508030002", "1699015508030002", "1612011508250002"],
            "reference_date": "2025-06-01",
        },
    )
    assert response.status_code == 200
    first, second, third = response.json()
    assert first["valid"] is True
    assert first["sex"] == "P"
    assert first["birth_date"] == "2003-08-15"
    assert first["region_names"]["district"] == "Talang Ubi"
    assert second["valid"] is False
    assert "16.99" in second["errors"][0]
    assert "tidak ada di daftar wilayah" in second["errors"][0]
    assert third["valid"] is False
    assert "belum terjadi" in third["errors"][0]


def test_nik_inspect_in_english_with_accept_language(api_for, operator):
    response = api_for(operator).post(
        "/api/nik/inspect",
        json.dumps({"niks": ["1699015508030002"]}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "is not in the Kemendagri region list" in response.json()[0]["errors"][0]


def test_nik_inspect_refuses_more_than_1000_niks(api_for, operator):
    response = post(api_for(operator), "/api/nik/inspect", {"niks": ["1"] * 1001})
    assert response.status_code == 400
    assert response.json()["code"] == "too_many"


def test_nik_inspect_needs_a_token(client):
    response = client.post(
        "/api/nik/inspect", json.dumps({"niks": ["1"]}), content_type="application/json"
    )
    assert response.status_code == 401


# --- schema and regions --------------------------------------------------------------------------


def test_openapi_json_is_served_and_lists_the_worker_routes(api_for, operator):
    response = api_for(operator).get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/workers" in paths
    assert "/api/workers/{worker_id}" in paths
    assert "/api/nik/inspect" in paths


def test_openapi_json_is_public(client):
    # The schema has no data in it; ninja serves it without authentication.
    assert client.get("/api/openapi.json").status_code == 200


def test_regions_of_pali_lists_its_5_districts(api_for, operator):
    response = api_for(operator).get("/api/regions", {"parent": "1612"})
    assert response.status_code == 200
    rows = response.json()
    assert [r["code"] for r in rows] == ["161201", "161202", "161203", "161204", "161205"]
    assert rows[0]["name"] == "Talang Ubi"
    assert rows[0]["dotted_code"] == "16.12.01"
    assert rows[0]["parent_code"] == "1612"
    assert all(r["level"] == 3 for r in rows)


def test_regions_without_parent_lists_38_provinces(api_for, operator):
    assert len(api_for(operator).get("/api/regions").json()) == 38


def test_region_detail_accepts_a_dotted_code(api_for, operator):
    response = api_for(operator).get("/api/regions/16.12.01.2001")
    assert response.status_code == 200
    assert response.json()["name"] == "Talang Bulang"
    assert api_for(operator).get("/api/regions/16.99").status_code == 404


# --- audit over the API --------------------------------------------------------------------------


def test_audit_api_is_403_for_an_operator_and_scoped_for_an_auditor(
    api_for, operator, make_user, pali_worker, other_worker
):
    assert api_for(operator).get("/api/audit").status_code == 403
    auditor = make_user(Role.AUDITOR, ["15"])
    items = api_for(auditor).get("/api/audit", {"object_type": "registry.worker"}).json()["items"]
    assert {i["object_id"] for i in items} == {str(other_worker.pk)}
