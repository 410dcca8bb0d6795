import datetime as dt

import pytest

from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE, make_nik
from lindung.registry.models import Worker


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])


def _form(**overrides):
    data = {
        "nik": make_nik("161201", dt.date(1980, 5, 17), "P", 7),
        "name": "Nurhayati",
        "village": PALI_VILLAGE,
        "occupation": "petani",
        "heirs-TOTAL_FORMS": "1",
        "heirs-INITIAL_FORMS": "0",
        "heirs-MIN_NUM_FORMS": "0",
        "heirs-MAX_NUM_FORMS": "20",
        "heirs-0-name": "Rahmat",
        "heirs-0-relationship": "spouse",
    }
    data.update(overrides)
    return data


def test_operator_registers_a_worker_with_an_heir_through_the_form(operator, client_for):
    client = client_for(operator)
    response = client.post("/pekerja/baru/", _form())
    worker = Worker.objects.get(name="Nurhayati")
    assert response.status_code == 302 and response["Location"] == f"/pekerja/{worker.pk}/"
    assert worker.sex == "P" and worker.birth_date == dt.date(1980, 5, 17)
    assert [h.name for h in worker.heirs.all()] == ["Rahmat"]
    event = AuditEvent.objects.get(action="worker.create", object_id=str(worker.pk))
    assert event.channel == "web" and event.actor_username == operator.username


def test_birth_date_that_disagrees_with_the_nik_is_shown_beside_the_field(operator, client_for):
    response = client_for(operator).post("/pekerja/baru/", _form(birth_date="1980-05-18"))
    assert response.status_code == 200
    errors = response.context["form"].errors["birth_date"]
    assert "17-05-1980" in errors[0]
    assert not Worker.objects.exists()


def test_bad_nik_error_is_in_indonesian(operator, client_for):
    response = client_for(operator).post("/pekerja/baru/", _form(nik="16120155"))
    assert "NIK harus 16 digit" in response.context["form"].errors["nik"][0]


def test_editing_removes_a_ticked_heir_and_keeps_the_others(operator, client_for, make_worker):
    worker = make_worker(
        heirs=[
            {"name": "Ani", "relationship": "child"},
            {"name": "Budi", "relationship": "child"},
        ]
    )
    ani, budi = worker.heirs.order_by("id")
    client = client_for(operator)
    data = {
        "nik": worker.nik,
        "name": worker.name,
        "village": worker.village_id,
        "occupation": "petani",
        "heirs-TOTAL_FORMS": "3",
        "heirs-INITIAL_FORMS": "2",
        "heirs-MIN_NUM_FORMS": "0",
        "heirs-MAX_NUM_FORMS": "20",
        "heirs-0-id": ani.pk,
        "heirs-0-name": "Ani",
        "heirs-0-relationship": "child",
        "heirs-0-DELETE": "on",
        "heirs-1-id": budi.pk,
        "heirs-1-name": "Budi",
        "heirs-1-relationship": "child",
    }
    response = client.post(f"/pekerja/{worker.pk}/ubah/", data)
    assert response.status_code == 302
    assert [h.name for h in worker.heirs.all()] == ["Budi"]
    assert AuditEvent.objects.filter(action="worker.heir_remove").count() == 1


def test_list_masks_nik_and_search_finds_by_name_and_nik_prefix(operator, client_for, make_worker):
    worker = make_worker(name="Siti Aminah")
    make_worker(name="Joko Susilo")
    client = client_for(operator)
    body = client.get("/pekerja/?q=aminah").content.decode()
    assert "Siti Aminah" in body and "Joko Susilo" not in body
    assert worker.nik not in body and worker.nik[:4] + "*" * 12 in body
    by_nik = client.get(f"/pekerja/?q={worker.nik[:10]}").content.decode()
    assert "Siti Aminah" in by_nik


def test_live_search_returns_only_the_table(operator, client_for, make_worker):
    make_worker(name="Siti Aminah")
    response = client_for(operator).get("/pekerja/?q=siti", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Siti Aminah" in body and "<html" not in body


def test_regional_head_sees_masked_nik_on_detail(make_user, client_for, make_worker):
    worker = make_worker()
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    body = client_for(head).get(f"/pekerja/{worker.pk}/").content.decode()
    assert worker.nik not in body
    assert worker.nik[:4] + "*" * 12 in body


def test_list_is_paginated_with_a_constant_number_of_queries(
    operator, client_for, make_worker, django_assert_max_num_queries
):
    for _ in range(12):
        make_worker()
    client = client_for(operator)
    with django_assert_max_num_queries(12):
        response = client.get("/pekerja/")
    assert response.status_code == 200


def test_regional_head_cannot_confirm_a_full_nik_by_searching(make_user, client_for, make_worker):
    worker = make_worker(name="Siti Aminah")
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    body = client_for(head).get(f"/pekerja/?q={worker.nik}").content.decode()
    assert "Siti Aminah" not in body
