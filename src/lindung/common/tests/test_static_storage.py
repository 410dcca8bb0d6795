"""What a served site's `collectstatic` writes: Brotli and gzip copies of the hashed files pages
link, not of unhashed originals or source maps, and nothing compressed twice."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "lindung.common.staticstorage.StaticStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


def test_hashed_files_get_brotli_and_gzip_copies_originals_and_maps_do_not(collected):
    vendor = collected / "vendor"
    hashed = [p for p in vendor.iterdir() if p.name.startswith("htmx") and p.suffix == ".js"]
    original = vendor / "htmx-2.0.11.min.js"
    assert original in hashed
    (hashed_js,) = [p for p in hashed if p != original]
    assert (vendor / f"{hashed_js.name}.br").exists() and (vendor / f"{hashed_js.name}.gz").exists()
    assert not (vendor / "htmx-2.0.11.min.js.br").exists()
    assert not list(collected.rglob("*.map.br")) and not list(collected.rglob("*.map.gz"))


def test_a_second_collectstatic_compresses_nothing_again(collected):
    copies = {p: os.stat(p).st_mtime_ns for p in collected.rglob("*.br")}
    assert copies
    call_command("collectstatic", interactive=False, verbosity=0)
    assert {p: os.stat(p).st_mtime_ns for p in collected.rglob("*.br")} == copies
