"""Hostile files, dead workers and stopped servers against real `lindung serve` / `lindung worker`
processes on an installation of their own (SQLite, or PostgreSQL when the suite runs on it):
the server must still answer afterwards, nothing waits forever, and a server never leaves its
worker behind or runs two.

Every process is started with a time bound and ended in `finally`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lindung.conftest import PALI_VILLAGE
from lindung.intake.tests import hostile
from lindung.site import testing
from lindung.site.testing import (
    BOUND,
    alive,
    free_port,
    kill_if_alive,
    lindung,
    lindung_shell,
    lindung_start,
    scratch_postgres,
)

from .test_intake import GOOD, _zip_bomb

SETUP_USERS = f"""
import json
from lindung.accounts.services import api_token_create, user_create
tokens = {{}}
for role, regions in [("village_operator", ["{PALI_VILLAGE}"]), ("regional_head", ["16"]),
                      ("auditor", ["16"])]:
    user = user_create(username=role, password="lindung-test-2025", role=role,
                       region_codes=regions)
    tokens[role] = api_token_create(actor=user, user=user, name="t")[1]
print(json.dumps(tokens))
"""


@pytest.fixture(scope="module")
def users_installation(installation, tmp_path_factory):
    """A set-up installation with three users and their API tokens (copied per test): SQLite,
    or PostgreSQL when the suite runs on it."""
    home = tmp_path_factory.mktemp("installation")
    env = installation.copy(home)
    tokens = json.loads(lindung_shell(env, SETUP_USERS))
    database = env["DATABASE_URL"].rsplit("/", 1)[1] if "DATABASE_URL" in env else None
    yield home, env, tokens, database


@pytest.fixture
def site(users_installation, tmp_path):
    """This test's own copy of the installation (its own database, uploads and worker lock)."""
    home, env, tokens, template = users_installation
    mine = tmp_path / "home"
    shutil.copytree(home / "var", mine / "var", ignore=shutil.ignore_patterns("uploads", "*.lock"))
    env = {**env, "LINDUNG_HOME": str(mine)}
    postgres, database = scratch_postgres("lindung_files_rs"), None
    if postgres:
        database = postgres.create(template=template)
        env["DATABASE_URL"] = postgres.url(database)
    try:
        yield mine, env, tokens
    finally:
        if database:
            postgres.drop(database)


class Server(testing.Server):
    """A real `lindung serve` with the API calls the tests make."""

    def api(self, token: str, method: str, path: str, body: bytes | None = None, headers=None):
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method=method,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept-Language": "id",
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=BOUND) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def upload(self, token: str, data: bytes, name: str = "daftar.xlsx"):
        boundary = "lindungtestboundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="village_code"\r\n\r\n'
                f"{PALI_VILLAGE}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f'name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.api(
            token,
            "POST",
            "/api/uploads",
            body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )


class _Browser:
    """A signed-in web session (cookies and the CSRF token), as a browser would hold it."""

    def __init__(self, base: str):
        import http.cookiejar

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers={"Accept-Language": "id"})
        try:
            with self.opener.open(request, timeout=BOUND) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, username: str, password: str) -> None:
        import re
        from urllib.parse import urlencode

        _status, page = self.get("/akun/masuk/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(
            self.base + "/akun/masuk/", data=form, headers={"Referer": self.base + "/akun/masuk/"}
        )
        with self.opener.open(request, timeout=BOUND) as response:
            assert "/akun/masuk/" not in response.url, "sign-in failed"


def _signed_in(server: Server, username: str) -> _Browser:
    browser = _Browser(server.base)
    browser.sign_in(username, "lindung-test-2025")
    return browser


def _wait_until(condition, what: str, seconds: float = BOUND):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _workers_of(home: Path) -> list[int]:
    """Pids of `lindung worker` processes of this installation."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        mine = b"worker" in cmdline and f"LINDUNG_HOME={home}".encode() in environ
        if mine and alive(int(proc.name)):
            found.append(int(proc.name))
    return found


# --- hostile files against the real server -------------------------------------------------------


def test_hostile_files_through_the_api_are_refused_and_the_server_still_answers(site):
    _home, env, tokens = site
    server = Server(env, "--no-worker")
    try:
        status, body = server.upload(tokens["village_operator"], hostile.two_cells())
        assert status == 400, body
        answer = json.loads(body)
        assert answer["code"] == "sheet_too_large" and "XFD1048576" in answer["message"]
        assert server.answers()
        status, body = server.api(tokens["village_operator"], "GET", "/api/uploads")
        assert status == 200
        assert json.loads(body)["items"][0]["status"] == "rejected"
        # The other hostile files too: each a 400 with its reason, none left "reading".
        for build, code in (
            (hostile.billion_laughs, "xml_declaration"),
            (hostile.xxe, "xml_declaration"),
            (hostile.forged_size, "corrupt"),
        ):
            status, body = server.upload(tokens["village_operator"], build())
            assert (status, json.loads(body)["code"]) == (400, code), body
        status, body = server.api(tokens["village_operator"], "GET", "/api/uploads")
        assert {(u["status"], u["progress"]) for u in json.loads(body)["items"]} == {
            ("rejected", "")
        }
        assert server.answers()
        count = "from lindung.registry.models import Worker; print(Worker.objects.count())"
        assert lindung_shell(env, count) == "0"
    finally:
        server.stop()


QUEUE = """
from pathlib import Path
from lindung.accounts.models import User
from lindung.intake.services import upload_receive
from lindung.intake.tasks import queue_check
operator = User.objects.get(username="village_operator")
upload = upload_receive(actor=operator, data=Path("{path}").read_bytes(), filename="{name}",
                        village_code="{village}")
queue_check(upload, operator, "id")
print(upload.pk)
"""


def _queue(env, tmp_path, data: bytes, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return lindung_shell(env, QUEUE.format(path=path, name=name, village=PALI_VILLAGE))


def test_two_cells_file_in_the_background_worker_is_refused_and_the_worker_goes_on(site, tmp_path):
    _home, env, tokens = site
    server = Server(env)
    try:
        token = tokens["village_operator"]
        hostile_id = _queue(env, tmp_path, hostile.two_cells(), "dua-sel.xlsx")

        def state(upload_id):
            return json.loads(server.api(token, "GET", f"/api/uploads/{upload_id}")[1])

        _wait_until(lambda: state(hostile_id)["status"] == "rejected", "the refusal")
        assert "XFD1048576" in state(hostile_id)["message"]
        assert state(hostile_id)["progress"] == ""
        assert alive(server.worker_pid)
        good_id = _queue(env, tmp_path, GOOD, "daftar.csv")
        _wait_until(lambda: state(good_id)["status"] == "staged", "the next upload")
        assert server.answers()
    finally:
        server.stop()


def test_annotated_download_of_a_refused_zip_bomb_is_refused_for_every_role(site):
    _home, env, tokens = site
    server = Server(
        {**env, "LINDUNG_UPLOAD_MAX_UNCOMPRESSED_BYTES": str(1024 * 1024)}, "--no-worker"
    )
    try:
        status, body = server.upload(tokens["village_operator"], _zip_bomb(), "bom.xlsx")
        assert status == 400 and json.loads(body)["code"] == "too_large_unpacked"
        upload_id = json.loads(server.api(tokens["village_operator"], "GET", "/api/uploads")[1])[
            "items"
        ][0]["id"]
        for role in ("village_operator", "regional_head", "auditor"):
            status, body = server.api(tokens[role], "GET", f"/api/uploads/{upload_id}/annotated")
            assert status == 400, (role, body)
            answer = json.loads(body)
            assert answer["code"] == "no_annotated_file"
            assert "tidak diperiksa baris demi baris" in answer["message"]
            status, page = _signed_in(server, role).get(f"/unggah/{upload_id}/hasil/")
            assert status == 409, (role, page[:300])
            assert "tidak diperiksa baris demi baris" in page
        assert server.answers()
    finally:
        server.stop()


# --- nothing waits forever -----------------------------------------------------------------------


def test_a_worker_killed_mid_check_leaves_a_stalled_upload_that_can_be_checked_again(
    site, tmp_path
):
    _home, env, tokens = site
    server = Server(env, "--no-worker")
    worker = None
    try:
        upload_id = _queue(env, tmp_path, GOOD, "daftar.csv")
        # The worker dies in the middle of the check as with SIGKILL (no cleanup at all).
        worker = lindung_start(
            {**env, "LINDUNG_FAULT": "intake.check.reading", "LINDUNG_TASK_LEASE_SECONDS": "1"},
            "worker",
            "--no-startup-delay",
        )
        assert worker.wait(timeout=BOUND) == 137
        token = tokens["village_operator"]

        def state():
            return json.loads(server.api(token, "GET", f"/api/uploads/{upload_id}")[1])

        _wait_until(lambda: state()["stalled"], "the stall to show")
        assert (state()["progress"], state()["next_step"]) == ("reading", "recheck")
        status, body = server.api(token, "POST", f"/api/uploads/{upload_id}/recheck")
        assert status == 200, body
        assert (json.loads(body)["status"], json.loads(body)["stalled"]) == ("staged", False)
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        server.stop()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_server_stops_its_worker(site, signum):
    _home, env, _tokens = site
    server = Server(env)
    try:
        assert alive(server.worker_pid)
        server.process.send_signal(signum)
        assert server.process.wait(timeout=BOUND) == 0
        _wait_until(lambda: not alive(server.worker_pid), "the worker to stop", 20)
    finally:
        server.stop()


def test_a_killed_server_takes_its_worker_along_and_a_restart_runs_one_worker(site):
    home, env, _tokens = site
    first = Server(env)
    second = None
    try:
        first.process.kill()  # no cleanup in the server at all
        first.process.wait(timeout=BOUND)
        _wait_until(lambda: not alive(first.worker_pid), "the orphaned worker to end", 20)
        second = Server(env)
        time.sleep(2)
        assert _workers_of(home) == [second.worker_pid]
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_a_second_worker_for_the_same_installation_does_not_start(site):
    _home, env, _tokens = site
    first = lindung_start(env, "worker", stdout=subprocess.PIPE)
    try:
        assert "worker running" in first.stdout.readline()
        second = lindung(env, "worker", timeout=BOUND)
        assert second.returncode == 3
        assert "already running" in second.stderr
        assert first.poll() is None
    finally:
        first.kill()
        first.wait(timeout=BOUND)


def test_stopping_the_demo_stops_its_worker(site):
    _home, env, _tokens = site
    port = free_port()
    demo = lindung_start(
        env,
        "demo",
        "--skip-setup",
        "--workers",
        "20",
        "--addrport",
        f"127.0.0.1:{port}",
        stdout=subprocess.PIPE,
    )
    worker_pid = None
    try:
        for line in demo.stdout:
            if "worker started" in line:
                worker_pid = int(line.rsplit("pid ", 1)[1].rstrip(")\n"))
                break
        assert worker_pid and alive(worker_pid)
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=BOUND) == 0
        _wait_until(lambda: not alive(worker_pid), "the demo's worker to stop", 20)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(timeout=BOUND)
        if worker_pid:
            kill_if_alive(worker_pid)


def test_a_killed_worker_is_replaced_by_the_server(site):
    home, env, _tokens = site
    server = Server(env)
    try:
        os.kill(server.worker_pid, signal.SIGKILL)
        _wait_until(
            lambda: [p for p in _workers_of(home) if p != server.worker_pid],
            "a new worker",
            30,
        )
        assert len(_workers_of(home)) == 1
        assert server.answers()
    finally:
        for pid in _workers_of(home):
            kill_if_alive(pid)
        server.stop()
