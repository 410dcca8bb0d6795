import pytest

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create, api_token_revoke, user_set_scope
from lindung.audit import context
from lindung.audit.models import AuditEvent
from lindung.common.errors import ApplicationError
from lindung.conftest import PALI_VILLAGE, SAROLANGUN_VILLAGE


def test_creating_a_user_is_audited_with_role_and_regions(make_user):
    with context.channel(context.COMMAND):
        user = make_user(Role.BPJS_OFFICER, ["1603", "1612"])
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.channel == "command"
    assert event.changes["regions"] == [None, ["1603", "1612"]]


def test_a_role_cannot_be_assigned_a_region_at_the_wrong_level(make_user):
    with pytest.raises(ApplicationError):
        make_user(Role.VILLAGE_OPERATOR, ["1612"])  # an operator belongs to one village


def test_unknown_region_codes_are_refused(make_user):
    with pytest.raises(ApplicationError, match="9999"):
        make_user(Role.REGENCY_ADMIN, ["9999"])


def test_changing_a_scope_is_audited_before_and_after(make_user):
    admin = make_user(Role.SUPERADMIN)
    operator = make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE])
    user_set_scope(actor=admin, user=operator, region_codes=[SAROLANGUN_VILLAGE])
    event = AuditEvent.objects.get(action="user.scope")
    assert event.changes["regions"] == [[PALI_VILLAGE], [SAROLANGUN_VILLAGE]]
    assert list(operator.assignments.values_list("region_id", flat=True)) == [SAROLANGUN_VILLAGE]


def test_revoking_a_token_is_audited_and_the_token_stops_working(make_user):
    from django.test import Client

    user = make_user(Role.REGENCY_ADMIN)
    token, raw = api_token_create(actor=user, user=user, name="script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/me").status_code == 200
    api_token_revoke(actor=user, token=token)
    assert client.get("/api/me").status_code == 401
    assert AuditEvent.objects.filter(action="apitoken.revoke", object_id=str(token.pk)).exists()


def test_only_superadmins_reach_the_django_admin(make_user, client_for):
    assert client_for(make_user(Role.REGENCY_ADMIN)).get("/admin/").status_code == 302
    assert client_for(make_user(Role.SUPERADMIN)).get("/admin/").status_code == 200
