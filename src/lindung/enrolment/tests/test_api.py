"""Enrolment over the API: each route with its abuse cases next to it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.audit.models import AuditEvent
from lindung.conftest import PALI_VILLAGE
from lindung.enrolment.models import Participant

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_regency_admin_enrols_a_ready_list_and_stale_or_foreign_requests_fail(
    make_program, make_worker, ready_list, regency_admin, make_user
):
    program = make_program()
    submission = ready_list(program, [make_worker(), make_worker()])
    url = f"/api/programs/{program.code}/enrol"
    admin = client_of(regency_admin)
    stale = post(admin, url, {"submission_id": submission.pk, "version": 3})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    done = post(admin, url, {"submission_id": submission.pk, "version": 5})
    assert done.status_code == 200, done.content
    assert done.json()["enrolled"] == 2
    assert AuditEvent.objects.get(action="enrolment.enrol").channel == "api"
    # Another regency's admin: the program does not exist for them.
    other = client_of(make_user(Role.REGENCY_ADMIN, ["1603"]))
    assert post(other, url, {}).status_code == 404
    # The village operator sees the program but may not enrol.
    operator = client_of(make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]))
    assert post(operator, url, {"submission_id": submission.pk}).status_code == 403


def test_participants_list_is_scoped_and_masked(enrolled, make_user, regency_admin):
    program, workers, _s = enrolled
    url = f"/api/programs/{program.code}/participants"
    body = client_of(regency_admin).get(url).json()
    assert body["count"] == 3 and {i["nik"] for i in body["items"]} == {w.nik for w in workers}
    head = client_of(make_user(Role.REGIONAL_HEAD, ["16"])).get(url).json()
    assert head["count"] == 3 and all(i["nik"].endswith("*" * 12) for i in head["items"])
    assert client_of(make_user(Role.REGENCY_ADMIN, ["1603"])).get(url).status_code == 404
    pid = body["items"][0]["id"]
    assert (
        client_of(make_user(Role.REGENCY_ADMIN, ["1603"]))
        .get(f"/api/participants/{pid}")
        .status_code
        == 404
    )
    assert client_of(regency_admin).get(f"{url}?state=nonsense").status_code == 422


def test_kpj_by_hand_belongs_to_bpjs(enrolled, bpjs, regency_admin):
    _program, workers, _s = enrolled
    p = Participant.objects.get(worker=workers[0])
    url = f"/api/participants/{p.pk}/kpj"
    assert post(client_of(regency_admin), url, {"kpj": "01234567890"}).status_code == 403
    bad = post(client_of(bpjs), url, {"kpj": "123456789012"})
    assert bad.status_code == 400 and bad.json()["fields"]["kpj"]
    ok = post(client_of(bpjs), url, {"kpj": "01234567890"})
    assert ok.status_code == 200 and ok.json()["kpj"] == "01234567890"
    assert ok.json()["state"] == "active"


def test_ending_over_the_api_with_a_stale_state_is_409(enrolled, regency_admin, bpjs):
    _program, workers, _s = enrolled
    p = Participant.objects.get(worker=workers[0])
    url = f"/api/participants/{p.pk}/end"
    payload = {"on": "2025-11-30", "reason": "moved_away", "expected_state": "active"}
    assert post(client_of(regency_admin), url, payload).status_code == 409
    payload["expected_state"] = "registered"
    assert post(client_of(bpjs), url, payload).status_code == 403
    done = post(client_of(regency_admin), url, payload)
    assert done.status_code == 200 and done.json()["end_date"] == "2025-11-30"
    assert post(client_of(regency_admin), url, {**payload, "reason": "x"}).status_code == 422


def test_import_over_the_api_all_or_nothing(enrolled, regency_admin, make_user):
    program, workers, _s = enrolled
    url = f"/api/programs/{program.code}/kpj-import"
    good = f"NIK;No KPJ\n{workers[0].nik};01234567890\n".encode()
    bad = good + f"{workers[1].nik};12345\n".encode()
    refused = client_of(regency_admin).post(url, {"file": SimpleUploadedFile("k.csv", bad)})
    assert refused.status_code == 400
    assert refused.json()["code"] == "kpj_rows" and refused.json()["errors"][0]["row"] == 3
    assert not Participant.objects.exclude(kpj=None).exists()
    applied = client_of(regency_admin).post(url, {"file": SimpleUploadedFile("k.csv", good)})
    assert applied.status_code == 200 and applied.json()["assigned"] == 1
    operator = client_of(make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]))
    assert operator.post(url, {"file": SimpleUploadedFile("k.csv", good)}).status_code == 403


def test_registration_file_has_every_column_and_neutralised_cells(
    make_program, make_worker, ready_list, regency_admin, make_user
):
    program = make_program()
    worker = make_worker(address='=HYPERLINK("http://evil")', phone="081234567890")
    ready_list(program, [worker])
    post(client_of(regency_admin), f"/api/programs/{program.code}/enrol", {})
    url = f"/api/programs/{program.code}/registration-file"
    got = client_of(regency_admin).get(f"{url}?format=csv&village={PALI_VILLAGE}")
    assert got.status_code == 200
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["NIK", "Nama Lengkap", "Tempat Lahir"] and "Sumber Dana" in rows[0]
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["NIK"] == worker.nik and line["Alamat"].startswith("'=")
    assert line["Kode Desa"] == PALI_VILLAGE and line["Upah Dilaporkan"] == "1000000"
    assert line["JKK"] == "Ya" and line["Sumber Dana"] == "APBD PALI"
    event = AuditEvent.objects.filter(action="pii.view").latest("id")
    assert event.row_count == 1
    xlsx = client_of(regency_admin).get(f"{url}?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # Roles without the registration duty: 403; another regency: 404.
    head = client_of(make_user(Role.REGIONAL_HEAD, ["16"]))
    assert head.get(f"{url}?format=csv").status_code == 403
    assert client_of(make_user(Role.REGENCY_ADMIN, ["1603"])).get(url).status_code == 404
    assert client_of(regency_admin).get(f"{url}?format=pdf").status_code == 422
    assert client_of(regency_admin).get(f"{url}?village=1603012011").status_code == 404


def test_registration_file_masks_what_the_reader_may_not_see(enrolled, make_user):
    from lindung.enrolment.exports import rows_of
    from lindung.enrolment.selectors import participants_for

    program, workers, _s = enrolled
    head = make_user(Role.REGIONAL_HEAD, ["16"])
    rows = list(rows_of(participants_for(head, program), head))
    assert rows and all(r[0].endswith("*" * 12) for r in rows)
    assert {w.nik for w in workers}.isdisjoint({r[0] for r in rows})


def test_renewal_over_the_api_reports_dropouts(enrolled, make_program, regency_admin):
    program, _workers, _s = enrolled
    later = make_program(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    body = post(
        client_of(regency_admin),
        f"/api/programs/{program.code}/renew",
        {"to_program": later.code},
    )
    assert body.status_code == 200, body.content
    assert body.json()["renewed"] == 3 and body.json()["dropped"] == []
