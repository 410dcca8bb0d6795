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


def _login_from(address: str, username: str, password: str, **meta):
    return Client().post(
        "/akun/masuk/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **meta,
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_from_one_address_do_not_lock_the_user_out_from_another(operator):
    """Typing X's name with wrong passwords locks X out at the attacker's address only."""
    for _ in range(5):
        _login_from("203.0.113.66", "operator-pali", "wrong")
    locked = _login_from("203.0.113.66", "operator-pali", "test-pass-123!")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
    assert _login_from("198.51.100.7", "operator-pali", "test-pass-123!").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=5, LINDUNG_LOGIN_IP_FAILURE_LIMIT=8)
def test_one_address_spraying_many_usernames_is_throttled(operator, make_user):
    for n in range(8):  # one or two tries per name stay under the per-account limit
        _login_from("203.0.113.66", f"tebakan-{n}", "Password123")
    sprayer = _login_from("203.0.113.66", "operator-pali", "test-pass-123!")
    assert sprayer.status_code == 429
    assert "dari jaringan Anda" in sprayer.content.decode()
    # The same user from their own office is not affected.
    assert _login_from("198.51.100.7", "operator-pali", "test-pass-123!").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3, LINDUNG_PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_counts_the_browsers_address_not_the_proxys(operator):
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(5):
        Client().post(
            "/akun/masuk/",
            {"username": "operator-pali", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
            **proxy,
        )
    office = Client().post(
        "/akun/masuk/",
        {"username": "operator-pali", "password": "test-pass-123!"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert office.status_code == 302


@override_settings(LINDUNG_PROXY_COUNT=1)
def test_client_address_ignores_what_the_client_wrote_into_x_forwarded_for(rf):
    from lindung.accounts.lockout import client_ip

    forged = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66")
    assert client_ip(forged) == "203.0.113.66"  # the entry our proxy wrote
    direct = rf.get("/", REMOTE_ADDR="127.0.0.1")
    assert client_ip(direct) == "127.0.0.1"
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(garbage) == "127.0.0.1"
    with override_settings(LINDUNG_PROXY_COUNT=0):
        assert client_ip(forged) == "127.0.0.1"  # no proxy configured: the header means nothing


def test_login_pages_quote_the_configured_lockout(db, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 2
    response = client.post("/akun/masuk/", {"username": "nobody", "password": "wrong"})
    text = response.content.decode()
    assert "3 kali gagal" in text and "120 menit" in text
