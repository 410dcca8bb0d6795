"""Every page of the demo says in its footer that the data are synthetic; a real installation
never does (issue 11 §7)."""

from __future__ import annotations

from lindung.accounts.roles import Role

NOTE = "semua orang, daftar dan angka di situs ini sintetis"


def test_demo_pages_say_the_data_are_synthetic(settings, make_user, client_for, client):
    settings.LINDUNG_DEMO = True
    assert NOTE in client_for(make_user(Role.REGENCY_ADMIN)).get("/").content.decode()
    assert NOTE in client.get("/akun/masuk/").content.decode()
    assert NOTE in client.get("/cek/").content.decode()  # the public check has its own base


def test_a_real_installation_says_nothing_of_the_kind(make_user, client_for, client):
    assert NOTE not in client_for(make_user(Role.REGENCY_ADMIN)).get("/").content.decode()
    assert NOTE not in client.get("/akun/masuk/").content.decode()


def test_the_demo_marks_its_home_and_the_settings_read_it(tmp_path, monkeypatch, settings):
    from lindung.demo.services import demo_mark_site

    settings.TESTING = False
    settings.DEMO_MARKER = tmp_path / "var" / "demo-data"
    settings.LINDUNG_DEMO = False
    assert demo_mark_site() and settings.DEMO_MARKER.exists() and settings.LINDUNG_DEMO
