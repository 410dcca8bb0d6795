"""The audit trail: append-only at model and database level, read within one's regions."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from lindung.accounts.roles import Role
from lindung.audit import context
from lindung.audit.models import AppendOnlyError, AuditEvent
from lindung.audit.selectors import event_list, events_for
from lindung.audit.services import diff, record
from lindung.conftest import PALI_VILLAGE, SAROLANGUN_VILLAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return record(actor=None, action="test.event", object_type="test.thing", region_code="1612")


@pytest.fixture
def pali_worker(make_worker):
    return make_worker(village=PALI_VILLAGE, name="Budi Talang Bulang")


@pytest.fixture
def sarolangun_worker(make_worker):
    return make_worker(village=SAROLANGUN_VILLAGE, name="Siti Tambak Ratu")


@pytest.fixture
def jambi_auditor(make_user):
    return make_user(Role.AUDITOR, ["15"], username="auditor-jambi")


# --- append-only ---------------------------------------------------------------------------------


def test_saving_an_existing_event_raises_append_only_error(event):
    event.action = "test.changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_deleting_an_event_raises_append_only_error(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.changed")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_queryset_delete_is_refused(event):
    with pytest.raises((DatabaseError, AppendOnlyError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.changed", event.pk]
        )
    # The test transaction survived the refused statement.
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_raw_sql_delete_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_emptying_the_whole_table_is_refused(event):
    # PostgreSQL: TRUNCATE (its own trigger); SQLite has no TRUNCATE, and its "DELETE without
    # WHERE" shortcut is disabled by the delete trigger.
    statement = (
        "TRUNCATE audit_auditevent"
        if connection.vendor == "postgresql"
        else "DELETE FROM audit_auditevent"
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_insert_is_allowed():
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_username, action, channel, "
            "request_id, object_type, object_id, object_repr, region_code, changes, reason) "
            "VALUES (CURRENT_TIMESTAMP, '', 'test.raw', 'system', '', '', '', '', '', '{}', '')"
        )
    assert AuditEvent.objects.filter(action="test.raw").exists()


# --- writing -------------------------------------------------------------------------------------


def test_diff_keeps_only_changed_keys():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
    assert diff(None, None) == {}


def test_record_takes_channel_and_request_id_from_the_context(make_user):
    user = make_user(Role.REGENCY_ADMIN)
    with context.channel("command", request_id="cmd-1"):
        event = record(actor=user, action="test.ctx", obj=user)
    assert (event.channel, event.request_id) == ("command", "cmd-1")
    assert event.actor_username == user.username
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)


def test_unknown_channel_is_refused():
    with pytest.raises(ValueError), context.channel("carrier-pigeon"):
        pass


def test_context_is_restored_after_the_block():
    with context.channel("api", request_id="x"):
        assert context.current().channel == "api"
    assert context.current().channel == "system"


# --- reading: scoping ----------------------------------------------------------------------------


def test_auditor_of_province_15_sees_jambi_events_but_not_sumatera_selatan(
    jambi_auditor, pali_worker, sarolangun_worker
):
    visible = event_list(jambi_auditor)
    regions = set(visible.values_list("region_code", flat=True))
    assert SAROLANGUN_VILLAGE in regions
    assert all(code.startswith("15") for code in regions)
    assert not visible.filter(region_code__startswith="16").exists()
    workers = visible.filter(object_type="registry.worker")
    assert workers.filter(object_id=str(sarolangun_worker.pk), action="worker.create").exists()
    assert not workers.filter(object_id=str(pali_worker.pk)).exists()


def test_auditor_of_province_16_sees_pali_events(make_user, pali_worker, sarolangun_worker):
    auditor = make_user(Role.AUDITOR, ["16"])
    ids = set(
        event_list(auditor, object_type="registry.worker").values_list("object_id", flat=True)
    )
    assert str(pali_worker.pk) in ids
    assert str(sarolangun_worker.pk) not in ids


def test_village_operator_sees_no_events(make_user, pali_worker):
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    assert AuditEvent.objects.filter(region_code=PALI_VILLAGE).exists()
    assert event_list(operator).count() == 0
    assert events_for(operator).count() == 0


def test_regional_head_sees_no_events(make_user, pali_worker):
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    assert event_list(head).count() == 0


def test_superadmin_sees_every_event(make_user, pali_worker, sarolangun_worker):
    admin = make_user(Role.SUPERADMIN)
    assert event_list(admin).count() == AuditEvent.objects.count()


def test_filter_by_object(make_user, make_worker):
    auditor = make_user(Role.AUDITOR, ["16"])
    first = make_worker(heirs=[{"name": "Siti", "relationship": "spouse"}])
    make_worker()
    events = event_list(auditor, object_type="registry.worker", object_id=str(first.pk))
    assert sorted(events.values_list("action", flat=True)) == ["worker.create", "worker.heir_add"]
    assert set(events.values_list("object_id", flat=True)) == {str(first.pk)}


def test_filter_by_user_and_action(make_user, make_worker):
    auditor = make_user(Role.AUDITOR, ["16"])
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="op-talang-bulang")
    mine = make_worker(actor=operator)
    make_worker()  # by the superadmin
    events = event_list(auditor, actor="op-talang-bulang")
    assert list(events.values_list("object_id", flat=True)) == [str(mine.pk)]
    assert event_list(auditor, action="worker.").count() == 2
    assert event_list(auditor, action="worker.heir").count() == 0


# --- the page ------------------------------------------------------------------------------------


def test_audit_page_is_200_for_an_auditor(client_for, jambi_auditor):
    response = client_for(jambi_auditor).get("/audit/")
    assert response.status_code == 200


def test_audit_page_is_403_for_a_village_operator(client_for, make_user):
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    assert client_for(operator).get("/audit/").status_code == 403


def test_audit_page_redirects_anonymous_to_login(client):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_audit_page_shows_only_in_scope_events(
    client_for, jambi_auditor, pali_worker, sarolangun_worker
):
    body = client_for(jambi_auditor).get("/audit/").content.decode()
    assert "Siti Tambak Ratu" in body
    assert "Budi Talang Bulang" not in body


def test_audit_page_filters_by_object(client_for, make_user, make_worker):
    auditor = make_user(Role.AUDITOR, ["16"])
    first = make_worker(name="Pertama Sekali")
    make_worker(name="Kedua Kalinya")
    body = (
        client_for(auditor)
        .get("/audit/", {"object_type": "registry.worker", "object_id": first.pk})
        .content.decode()
    )
    assert "Pertama Sekali" in body
    assert "Kedua Kalinya" not in body


# --- the middleware ------------------------------------------------------------------------------


def test_every_response_carries_an_x_request_id(client_for, jambi_auditor):
    response = client_for(jambi_auditor).get("/audit/")
    assert len(response["X-Request-ID"]) == 32


def test_a_given_x_request_id_is_kept(client_for, jambi_auditor):
    response = client_for(jambi_auditor).get("/audit/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"


def test_worker_created_through_a_web_post_is_recorded_with_channel_web_and_the_request_id(
    client_for, make_user
):
    from lindung.registry.models import Worker

    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="op-web")
    response = client_for(operator).post(
        "/pekerja/baru/",
        {
            "nik": "1612011203850007",
            "name": "Lewat Web",
            "village": PALI_VILLAGE,
            "occupation": "petani",
            "sex": "",
            "birth_date": "",
            "heirs-TOTAL_FORMS": "0",
            "heirs-INITIAL_FORMS": "0",
            "heirs-MIN_NUM_FORMS": "0",
            "heirs-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    worker = Worker.objects.get(nik="1612011203850007")
    event = AuditEvent.objects.get(action="worker.create", object_id=str(worker.pk))
    assert event.channel == "web"
    assert event.request_id == response["X-Request-ID"]
    assert event.actor_username == "op-web"
    assert event.region_code == PALI_VILLAGE


def test_web_post_uses_the_callers_request_id(client_for, make_user):
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    client = client_for(operator)
    response = client.post(
        "/akun/token/baru/", {"name": "skrip"}, HTTP_X_REQUEST_ID="req-from-proxy"
    )
    assert response["X-Request-ID"] == "req-from-proxy"
    event = AuditEvent.objects.get(action="apitoken.create", actor_username=operator.username)
    assert (event.channel, event.request_id) == ("web", "req-from-proxy")


def test_api_requests_are_recorded_with_channel_api(make_user):
    from django.test import Client

    from lindung.accounts.services import api_token_create

    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    _token, raw = api_token_create(actor=operator, user=operator, name="t")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        "/api/workers",
        {
            "nik": "1612011203850007",
            "name": "Lewat API",
            "village_code": PALI_VILLAGE,
            "occupation_code": "petani",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.get(action="worker.create", object_id=str(response.json()["id"]))
    assert event.channel == "api"
    assert event.request_id == response["X-Request-ID"]
