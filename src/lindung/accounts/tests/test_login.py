import pytest
from django.test import Client
from django.test.utils import override_settings

from lindung.accounts.roles import Role


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR, username="operator-pali")


def _login(client: Client, password: str):
    return client.post("/akun/masuk/", {"username": "operator-pali", "password": password})


def test_login_with_the_right_password_lands_on_home(operator):
    client = Client()
    response = _login(client, "test-pass-123!")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_shows_the_form_again_with_an_explanation(operator):
    response = _login(Client(), "wrong")
    assert response.status_code == 200
    assert b"errorlist" in response.content


@override_settings(AXES_FAILURE_LIMIT=3)
def test_account_is_locked_after_repeated_failures_even_with_the_right_password(operator):
    client = Client()
    for _ in range(3):
        _login(client, "wrong")
    response = _login(client, "test-pass-123!")
    assert response.status_code == 429
    assert client.get("/").status_code == 302  # still not logged in


def test_logout_needs_post_and_ends_the_session(operator, client_for):
    client = client_for(operator)
    assert client.post("/akun/keluar/").status_code == 302
    assert client.get("/").status_code == 302


def test_ui_is_indonesian_by_default_and_english_on_request(operator, client_for):
    client = client_for(operator)
    assert 'lang="id"' in client.get("/pekerja/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/pekerja/"})
    assert 'lang="en"' in client.get("/pekerja/").content.decode()


def test_profile_creates_a_token_shown_once_and_stores_only_its_digest(operator, client_for):
    from lindung.accounts.models import ApiToken

    client = client_for(operator)
    response = client.post("/akun/token/baru/", {"name": "laptop"})
    raw = response.context["raw"]
    token = ApiToken.objects.get(user=operator)
    assert raw.startswith("lnd_") and token.digest == ApiToken.digest_of(raw)
    assert raw not in client.get("/akun/profil/").content.decode()
