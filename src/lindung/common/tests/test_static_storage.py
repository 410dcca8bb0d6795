"""What a served site's `collectstatic` writes: Brotli and gzip copies of the hashed files pages
link, not of unhashed originals or source maps, and nothing compressed twice."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One collectstatic for the module (compressing every file takes a while)."""
    from django.conf import settings
    from django.test import override_settings

    root = tmp_path_factory.mktemp("static")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "lindung.common.staticstorage.StaticStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


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
