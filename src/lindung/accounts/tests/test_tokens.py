"""API tokens expire (LINDUNG_API_TOKEN_DAYS) and stop working when the password changes, by any
path: the profile page, Django's `changepassword`, anything that calls set_password."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from lindung.accounts.models import ApiToken
from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent

NEW_PASSWORD = "Kopi-Tubruk-Pagi-2026"


@pytest.fixture
def officer(make_user):
    return make_user(Role.BPJS_OFFICER, username="petugas-bpjs")


def _token(user) -> tuple[ApiToken, Client]:
    token, raw = api_token_create(actor=user, user=user, name="skrip-harian")
    return token, Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _age(token: ApiToken, days: float) -> None:
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def _refusal(response) -> str:
    assert response.status_code == 401
    return response.json()["message"]


def test_api_token_expires_after_the_configured_days_with_a_reason(officer):
    token, api = _token(officer)
    assert api.get("/api/me").status_code == 200
    _age(token, 31)  # default: 30 days
    assert "kedaluwarsa" in _refusal(api.get("/api/me"))
    assert "expired" in _refusal(api.get("/api/me", HTTP_ACCEPT_LANGUAGE="en"))
    with override_settings(LINDUNG_API_TOKEN_DAYS=60):
        assert api.get("/api/me").status_code == 200


def test_an_unknown_token_gets_a_plain_401(db):
    response = Client(HTTP_AUTHORIZATION="Bearer lnd_not-a-token").get("/api/me")
    assert response.status_code == 401
    # The one error shape, saying what to send; nothing about whether such a token existed.
    assert response.json()["code"] == "unauthorized"
    assert "Bearer" in response.json()["message"]


def test_password_change_on_the_profile_page_revokes_every_api_token(officer, client_for):
    _token_a, api_a = _token(officer)
    _token_b, api_b = _token(officer)
    page = client_for(officer)
    response = page.post(
        "/akun/kata-sandi/",
        {
            "old_password": "test-pass-123!",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    for api in (api_a, api_b):
        assert "kata sandi" in _refusal(api.get("/api/me"))
    # The session goes on; the profile lists no dead tokens; a new token works.
    profile = page.get("/akun/profil/")
    assert profile.status_code == 200 and "skrip-harian" not in profile.content.decode()
    _new, api_new = _token(officer)
    assert api_new.get("/api/me").status_code == 200
    event = AuditEvent.objects.get(action="user.password", object_id=str(officer.pk))
    assert event.actor_username == "petugas-bpjs" and "2" in event.reason
    assert NEW_PASSWORD not in str(event.changes) + event.reason


def test_a_wrong_current_password_changes_nothing_and_says_why(officer, client_for):
    _token_a, api = _token(officer)
    response = client_for(officer).post(
        "/akun/kata-sandi/",
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Sandi lama Anda yang dimasukkan salah" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password("test-pass-123!")
    assert api.get("/api/me").status_code == 200
    assert not AuditEvent.objects.filter(action="user.password").exists()


def test_djangos_changepassword_command_revokes_api_tokens_too(officer, monkeypatch):
    from django.contrib.auth.management.commands import changepassword

    _token_a, api = _token(officer)
    monkeypatch.setattr(changepassword.getpass, "getpass", lambda *a, **k: NEW_PASSWORD)
    call_command("changepassword", "petugas-bpjs", stdout=None)
    assert "kata sandi" in _refusal(api.get("/api/me"))


def test_a_stronger_hash_of_the_same_password_is_not_a_password_change(officer):
    """After a Django upgrade the password is re-hashed at log-in; tokens must survive it."""
    _token_a, api = _token(officer)
    hashers = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    with override_settings(PASSWORD_HASHERS=hashers):
        old_hash = officer.password
        assert (
            Client()
            .post("/akun/masuk/", {"username": "petugas-bpjs", "password": "test-pass-123!"})
            .status_code
            == 302
        )
        officer.refresh_from_db()
        assert officer.password != old_hash and officer.password.startswith("pbkdf2")
    assert api.get("/api/me").status_code == 200


def test_a_deactivated_users_token_is_refused_with_a_reason(officer):
    _token_a, api = _token(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert "dinonaktifkan" in _refusal(api.get("/api/me"))
