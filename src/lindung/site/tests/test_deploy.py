"""Production settings: HTTPS behind a TLS-ending proxy, from the environment alone.

The settings module is loaded afresh under a given environment (as a separate module, so the
test run's own settings stay untouched) and its security values are applied to the request.
"""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.test.utils import override_settings

from lindung.accounts.roles import Role

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings.py"
README = Path(__file__).resolve().parents[4] / "README.md"
HOST = "lindung.muaraenimkab.go.id"

# What the settings module decides from the environment for HTTPS; applied per test.
SECURITY_SETTINGS = (
    "ALLOWED_HOSTS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "CSRF_TRUSTED_ORIGINS",
)


def settings_under(monkeypatch, env: dict[str, str]) -> dict:
    """The security settings lindung.settings computes when started with `env`."""
    for name in [n for n in os.environ if n.startswith("LINDUNG_")]:
        if name != "LINDUNG_TESTING":
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("lindung_settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    defaults = {
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
    }
    return {name: getattr(module, name, defaults.get(name)) for name in SECURITY_SETTINGS}


def readme_production_env() -> dict[str, str]:
    """The KEY=value lines of the environment file in the README's "Production" section."""
    text = README.read_text()
    section = text.split("## Production", 1)[1]
    block = re.search(r"```(?:ini|sh|env)?\n(.*?)```", section, re.S).group(1)
    env = {}
    for line in block.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            env[name.strip()] = value.strip()
    return env


PROXY_ENV = {
    "LINDUNG_ALLOWED_HOSTS": HOST,
    "LINDUNG_HTTPS": "1",
}


def _post_login_through_the_proxy(client: Client, user) -> object:
    """What a browser on https://HOST/ sends through a TLS-ending proxy to `lindung serve`:
    plain HTTP on the inside, X-Forwarded-Proto: https, and https Origin/Referer."""
    proxied = {
        "HTTP_HOST": HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    page = client.get("/akun/masuk/", **proxied)
    token = page.cookies["csrftoken"].value
    return client.post(
        "/akun/masuk/",
        {"username": user.username, "password": "test-pass-123!", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN=f"https://{HOST}",
        HTTP_REFERER=f"https://{HOST}/akun/masuk/",
        **proxied,
    )


@pytest.fixture
def operator(make_user):
    return make_user(Role.VILLAGE_OPERATOR)


def test_without_https_settings_a_form_post_through_a_tls_proxy_is_a_csrf_403(
    operator, monkeypatch
):
    """The finding: Django thinks the request is plain HTTP, so the https Origin looks foreign."""
    values = settings_under(monkeypatch, {"LINDUNG_ALLOWED_HOSTS": HOST})
    with override_settings(**values):
        response = _post_login_through_the_proxy(Client(enforce_csrf_checks=True), operator)
    assert response.status_code == 403


def test_login_form_post_through_a_tls_proxy_passes_csrf_with_lindung_https(operator, monkeypatch):
    values = settings_under(monkeypatch, PROXY_ENV)
    with override_settings(**values):
        client = Client(enforce_csrf_checks=True)
        response = _post_login_through_the_proxy(client, operator)
        assert response.status_code == 302, response.content[:500]
        assert response["Location"] == "/"
        # Logged in; the session cookie only travels over HTTPS; browsers are told to stay on it.
        assert response.cookies["sessionid"]["secure"] is True
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")
        home = client.get("/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        assert home.status_code == 200


def test_an_other_form_post_through_the_proxy_passes_csrf_too(operator, monkeypatch):
    """A form after log-in (create an API token) carries the CSRF cookie set over HTTPS."""
    from lindung.accounts.models import ApiToken

    values = settings_under(monkeypatch, PROXY_ENV)
    with override_settings(**values):
        client = Client(enforce_csrf_checks=True)
        _post_login_through_the_proxy(client, operator)
        page = client.get("/akun/profil/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        assert page.status_code == 200
        response = client.post(
            "/akun/token/baru/",
            {"name": "laptop", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
            HTTP_HOST=HOST,
            HTTP_X_FORWARDED_PROTO="https",
            HTTP_ORIGIN=f"https://{HOST}",
        )
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=operator, name="laptop").exists()


def test_plain_http_through_the_proxy_is_redirected_to_https(monkeypatch, db):
    values = settings_under(monkeypatch, PROXY_ENV)
    with override_settings(**values):
        response = Client().get("/akun/masuk/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/akun/masuk/"


def test_https_settings_come_from_the_environment(monkeypatch):
    values = settings_under(
        monkeypatch,
        {
            **PROXY_ENV,
            "LINDUNG_HSTS_SECONDS": "600",
            "LINDUNG_CSRF_TRUSTED_ORIGINS": f"https://{HOST}, https://lindung.example.id",
        },
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["CSRF_TRUSTED_ORIGINS"] == [f"https://{HOST}", "https://lindung.example.id"]
    # Without LINDUNG_HTTPS nothing assumes a proxy: a spoofed header cannot fake HTTPS.
    plain = settings_under(monkeypatch, {"LINDUNG_ALLOWED_HOSTS": HOST})
    assert plain["SECURE_PROXY_SSL_HEADER"] is None and not plain["SESSION_COOKIE_SECURE"]


def test_check_deploy_is_clean_with_the_readme_production_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "LINDUNG_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    production = readme_production_env()
    assert production.get("LINDUNG_HTTPS") == "1"
    env.update(production)
    # The README shows where the key comes from, not a key.
    env["LINDUNG_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["LINDUNG_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "lindung.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr
