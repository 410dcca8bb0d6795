"""Django admin cannot change anything that bypasses the audit trail; accounts change through
`lindung user …`, which goes through the audited services."""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from lindung.accounts.models import ApiToken, ScopeAssignment, User
from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE
from lindung.registry.models import Occupation


@pytest.fixture
def root(make_user):
    return make_user(Role.SUPERADMIN, username="root-admin")


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE], username="operator-pali")


def _events(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(user.pk), object_type="accounts.user")
        .order_by("id")
        .values_list("action", flat=True)
    )


def _snapshot(user) -> tuple:
    user.refresh_from_db()
    regions = sorted(user.assignments.values_list("region_id", flat=True))
    return (user.role, user.is_staff, user.is_superuser, user.is_active, user.password, regions)


def test_admin_post_cannot_make_an_operator_superadmin_or_staff(root, operator, client_for):
    before, events = _snapshot(operator), _events(operator)
    response = client_for(root).post(
        f"/admin/accounts/user/{operator.pk}/change/",
        {
            "username": "operator-pali",
            "role": Role.SUPERADMIN,
            "is_staff": "on",
            "is_superuser": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "0",
            "assignments-0-region": "16",
        },
    )
    assert response.status_code == 403
    assert _snapshot(operator) == before
    assert _events(operator) == events == ["user.create"]


def test_admin_cannot_add_delete_or_set_passwords(root, operator, client_for):
    client = client_for(root)
    before = _snapshot(operator)
    add = client.post(
        "/admin/accounts/user/add/",
        {"username": "siluman", "password1": "Rahasia-Sekali-99", "password2": "Rahasia-Sekali-99"},
    )
    password = client.post(
        f"/admin/accounts/user/{operator.pk}/password/",
        {"password1": "Rahasia-Sekali-99", "password2": "Rahasia-Sekali-99"},
    )
    delete = client.post(f"/admin/accounts/user/{operator.pk}/delete/", {"post": "yes"})
    assert (add.status_code, password.status_code, delete.status_code) == (403, 403, 403)
    assert not User.objects.filter(username="siluman").exists()
    assert _snapshot(operator) == before


def test_admin_scope_rows_and_bulk_actions_are_refused(root, operator, client_for):
    client = client_for(root)
    bulk = client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [operator.pk], "post": "yes"},
    )
    assert bulk.status_code == 200  # the list again: there is no action to run
    assert User.objects.filter(pk=operator.pk).exists()
    assert ScopeAssignment.objects.filter(user=operator, region_id=PALI_VILLAGE).exists()
    # The pages still show who has which role: the admin is for looking.
    page = client.get(f"/admin/accounts/user/{operator.pk}/change/")
    assert page.status_code == 200 and "operator-pali" in page.content.decode()


def test_every_model_in_admin_is_read_only_unless_it_audits_its_writes(root):
    request = RequestFactory().get("/admin/")
    request.user = root
    writable = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
        or model_admin.get_actions(request)
    }
    assert writable == {"registry.Occupation"}
    assert admin.site._registry[Occupation].audits_its_writes


def test_occupation_changed_in_admin_is_audited_before_and_after(root, client_for):
    occupation = Occupation.objects.get(code="petani")
    response = client_for(root).post(
        f"/admin/registry/occupation/{occupation.pk}/change/",
        {
            "code": "petani",
            "name_id": "Petani / pekebun",
            "name_en": occupation.name_en,
            "group": occupation.group,
            "work_class": occupation.work_class,
            "is_active": "on",
            "sort_order": occupation.sort_order,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="occupation.update", object_id=str(occupation.pk))
    assert event.channel == "admin" and event.actor_username == "root-admin"
    assert event.changes == {"name_id": [occupation.name_id, "Petani / pekebun"]}


def test_admin_password_change_leads_to_the_audited_page(root, client_for):
    response = client_for(root).get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == "/akun/kata-sandi/"


def _lindung_user(*args, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("user", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_lindung_user_role_changes_role_staff_and_regions_with_an_audit_event(root, operator):
    _lindung_user(
        "--by", "root-admin", "role", "operator-pali", "regency_admin", "--region", "1612"
    )
    operator.refresh_from_db()
    assert operator.role == Role.REGENCY_ADMIN and not operator.is_staff
    assert list(operator.assignments.values_list("region_id", flat=True)) == ["1612"]
    event = AuditEvent.objects.get(action="user.role", object_id=str(operator.pk))
    assert event.channel == "command" and event.actor_username == "root-admin"
    assert event.changes["role"] == [Role.VILLAGE_OPERATOR, Role.REGENCY_ADMIN]
    assert event.changes["regions"] == [[PALI_VILLAGE], ["1612"]]

    _lindung_user("role", "operator-pali", "superadmin", "--region", "16")
    operator.refresh_from_db()
    assert operator.is_staff and operator.is_superuser
    latest = AuditEvent.objects.filter(action="user.role").order_by("id").last()
    assert latest.changes["is_staff"] == [False, True]


def test_lindung_user_refuses_a_non_superadmin_as_actor_and_changes_nothing(make_user, operator):
    make_user(Role.REGENCY_ADMIN, ["1612"], username="admin-pali")
    with pytest.raises(CommandError, match="bukan superadmin"):  # Indonesian by default
        _lindung_user("--by", "admin-pali", "role", "operator-pali", "superadmin")
    operator.refresh_from_db()
    assert operator.role == Role.VILLAGE_OPERATOR and not operator.is_staff
    assert not AuditEvent.objects.filter(action="user.role").exists()


def test_lindung_user_create_deactivate_and_password(root, operator):
    _lindung_user(
        "create", "operator-2", "--role", "village_operator", "--region", PALI_VILLAGE,
        "--password-stdin", stdin="Kopi-Tubruk-Pagi-2026\n",
    )  # fmt: skip
    created = User.objects.get(username="operator-2")
    assert created.check_password("Kopi-Tubruk-Pagi-2026")

    _token, _raw = api_token_create(actor=operator, user=operator, name="skrip-harian")
    _lindung_user("password", "operator-pali", "--password-stdin", stdin="Teh-Manis-Sore-2026\n")
    operator.refresh_from_db()
    assert operator.check_password("Teh-Manis-Sore-2026")
    assert not ApiToken.objects.filter(user=operator, created_at__gt=operator.password_changed_at)

    with pytest.raises(CommandError):
        _lindung_user("deactivate", "operator-pali", "--reason", " ")
    _lindung_user("deactivate", "operator-pali", "--reason", "pindah tugas")
    operator.refresh_from_db()
    assert not operator.is_active
    assert _events(operator)[-2:] == ["user.password", "user.deactivate"]


def test_lindung_user_password_follows_the_password_rules(operator):
    with pytest.raises(CommandError):
        _lindung_user("password", "operator-pali", "--password-stdin", stdin="12345\n")
    operator.refresh_from_db()
    assert operator.check_password("test-pass-123!")
