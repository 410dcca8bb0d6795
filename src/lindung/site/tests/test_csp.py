"""Content-Security-Policy: every response forbids inline and foreign script and style, and no
page or template of Lindung needs them (the browser test checks the pages still work)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lindung.accounts.roles import Role

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class _InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline <script>, <style>, style= and on…= ."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._in_inline_script = True
        if tag == "style":
            self.found.append("<style>")
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


def test_every_response_carries_a_strict_content_security_policy(client, db):
    policy = client.get("/akun/masuk/")["Content-Security-Policy"]
    parts = [p.strip().split(" ", 1) for p in policy.split(";") if p.strip()]
    directives = {name_value[0]: name_value[-1] for name_value in parts}
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_no_template_holds_inline_script_or_style():
    offenders = {}
    for path in TEMPLATES.rglob("*.html"):
        # Template tags are not HTML; blank them so the parser sees only the markup.
        markup = re.sub(r"{%.*?%}|{{.*?}}", "x", path.read_text(), flags=re.S)
        if found := inline_code(markup):
            offenders[str(path.relative_to(TEMPLATES))] = found
    assert offenders == {}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/pekerja/",
        "/unggah/",
        "/akun/profil/",
        "/verifikasi/program/",
        "/wilayah/",
        "/api/docs",
        "/admin/",
        "/admin/accounts/user/",
    ],
)
def test_rendered_pages_need_no_inline_script_or_style(url, make_user, make_worker, client_for):
    make_worker()
    role = Role.SUPERADMIN if url.startswith("/admin/") else Role.VILLAGE_OPERATOR
    user = make_user(role)
    response = client_for(user).get(url)
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_htmx_is_told_not_to_inject_its_indicator_style(client, db):
    html = client.get("/akun/masuk/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
