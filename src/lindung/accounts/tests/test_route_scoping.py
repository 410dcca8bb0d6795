"""Every route, three callers: anonymous, a user of another region, a user of the right region.

`ROUTES` must name every URL the project has (checked by `test_every_route_has_a_scoping_case`),
so a new page or API route cannot be added without saying how it is scoped.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.conftest import PALI_VILLAGE, SAROLANGUN_VILLAGE

# Routes that hold no regional data at all: decree region names, log-in, language, API schema.
PUBLIC_OR_OWN_ACCOUNT = {
    "accounts:login",
    "accounts:logout",
    "accounts:profile",
    "accounts:password_change",
    "accounts:token_create",
    "accounts:token_revoke",
    "set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "api:me",
    "api:region_children",
    "api:region_detail",
    "api:nik_inspect",
    # The bare planner: arithmetic over the national rule table, no list, person or region.
    "api:budget",
    # The benefit calculator: arithmetic over the national benefit rules from typed-in figures,
    # no person, list or region (any logged-in staff role; claims/tests/test_calculator_page.py).
    "claims:calculator",
    # The public status check: anyone, no log-in; a second factor or a card token, one
    # refusal for every cause, masked answers (coverage/tests/test_public_check.py).
    "public:check",
    "public:code",
    "public:card",
    "api:public_status",
    "api:public_code",
}
REGIONAL = {
    "home",
    "regions:browse",
    "regions:detail",
    "registry:list",
    "registry:create",
    "registry:detail",
    "registry:edit",
    "registry:delete",
    "registry:mark",
    "audit:list",
    "intake:list",
    "intake:template",
    "intake:detail",
    "intake:commit",
    "intake:annotated",
    "intake:recheck",
    "intake:cancel",
    "duplicates:list",
    "duplicates:scan",
    "duplicates:detail",
    "programs:programs",
    "programs:program_create",
    "programs:program",
    "programs:submission",
    # Rows out of the uploader's regions are skipped (programs/tests/test_poverty_upload.py).
    "programs:poverty_upload",
    "api:workers",
    "api:worker_create",
    "api:worker_detail",
    "api:worker_update",
    "api:worker_delete",
    "api:worker_mark",  # registry/tests/test_api_mark.py: other region 404, other village 404
    "api:events",
    "api:uploads",
    "api:upload_create",
    "api:upload_detail",
    "api:upload_rows",
    "api:upload_commit_api",
    "api:upload_recheck_api",
    "api:upload_cancel_api",
    "api:upload_annotated",
    "api:candidates",
    "api:scan",
    "api:candidate",
    "api:decide",
    "api:programs",
    "api:program_create",
    "api:program_detail",
    "api:program_submissions",
    "api:submission_open",
    "api:submission_detail",
    "api:submission_people",
    "api:submission_add",
    "api:submission_recheck",
    "api:submission_move",
    "api:submission_decide",
    "api:submission_identities",
    "api:submission_remove",
    # A program's budget (reached through the program: 404 out of scope, 403 for village
    # operators; tested in billing/tests/test_budget_pages.py) and its funders' setting.
    "billing:program_budget",
    "billing:funder_discounts",
    "api:program_budget_view",
    "api:funder_discounts",
    # Invoices, payments, arrears and "protected on D?" (other regency 404, village operator
    # 403 or 404: billing/tests/test_invoice_api.py and test_invoice_pages.py).
    "billing:program_invoices",
    "billing:invoice",
    "billing:invoice_export",
    "billing:program_arrears",  # billing/tests/test_arrears_pages.py
    "billing:program_arrears_export",
    "api:program_invoices",
    "api:invoice_create",
    "api:invoice_detail",
    "api:payment_create",
    "api:funder_arrears",
    "api:protection",
    "enrolment:participants",
    "enrolment:registration_file",
    "enrolment:participant",
    "enrolment:participant_kpj",
    "enrolment:participant_end",
    "api:participants",
    "api:enrol",
    "api:registration_file",
    "api:kpj_import",
    "api:renew",
    "api:participant",
    "api:participant_kpj",
    "api:participant_end",
    # Membership cards of a program or village: other regency 404, village operator 403
    # (coverage/tests/test_cards.py).
    "coverage:cards",
    "coverage:card_revoke",
    # Claims: other regency 404 on every page and API route, village operators 403
    # (claims/tests/test_claim_scoping.py).
    "claims:list",
    "claims:export",
    "claims:new",
    "claims:detail",
    "claims:document_upload",
    "claims:document",
    "claims:heirs",
    "claims:move",
    "claims:payment",
    # The scholarship page and its forms (claims/tests/test_scholarship_page.py).
    "claims:scholarships",
    "claims:place_add",
    "claims:place_move",
    "claims:year_record",
    "claims:year_claim",
    "api:claims",
    "api:claim_create",
    "api:claim_detail",
    "api:claim_document",
    "api:claim_move",
    "api:claim_heirs",
    "api:claim_payment",
    "api:place_create",
    "api:place_move",
    "api:place_year",
    # Coverage figures: another region or a wider one than assigned is 404 (below, and
    # coverage/tests/test_figures_api.py).
    "api:coverage_figures",
    "api:coverage_ranking",
    "api:coverage_trend",
    "api:coverage_ecosystem",
    # Coverage dashboards and their files: a region outside the scope is 404 however its code
    # is written, a village's participant list masks per role and is audited
    # (coverage/tests/test_dashboard.py, test_reports.py).
    "coverage:dashboard_home",
    "coverage:dashboard",
    "coverage:report_xlsx",
    "coverage:report_pdf",
    "coverage:summary_pdf",
    "coverage:participants_file",
}


def _route_names(patterns=None, ns: str = ""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # Django admin: superadmins only (is_staff), tested separately
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _route_names(p.url_patterns, inner)
        elif p.name:
            yield f"{ns}:{p.name}" if ns else p.name


def test_every_route_has_a_scoping_case():
    names = set(_route_names())
    assert names - PUBLIC_OR_OWN_ACCOUNT - REGIONAL == set()
    assert (PUBLIC_OR_OWN_ACCOUNT | REGIONAL) - names == set()


@pytest.fixture
def world(make_user, make_worker, client_for):
    """A PALI worker with an heir, and users inside and outside PALI."""
    worker = make_worker(
        village=PALI_VILLAGE,
        name="Siti Rahmawati",
        heirs=[{"name": "Ahmad Fauzi", "relationship": "spouse"}],
    )
    other_worker = make_worker(village=SAROLANGUN_VILLAGE, name="Budi Santoso")
    users = {
        "own_operator": make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]),
        "own_admin": make_user(Role.REGENCY_ADMIN, ["1612"]),
        "own_auditor": make_user(Role.AUDITOR, ["16"]),
        "other_operator": make_user(Role.VILLAGE_OPERATOR, [SAROLANGUN_VILLAGE]),
        "other_admin": make_user(Role.REGENCY_ADMIN, ["1503"]),
        "other_auditor": make_user(Role.AUDITOR, ["15"]),
        "no_region": make_user(Role.REGENCY_ADMIN, []),
    }
    return {"worker": worker, "other_worker": other_worker, "users": users, "client": client_for}


def _leaks(response, worker) -> list[str]:
    body = response.content.decode()
    found = []
    for secret in (
        worker.name,
        worker.nik,
        worker.nik[:4] + "*" * 12,
        "Ahmad Fauzi",
    ):
        if secret in body:
            found.append(secret)
    return found


def _api(client_for_user, user):
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


WEB_READS = [
    ("home", "/"),
    ("regions:browse", "/wilayah/"),
    ("regions:detail", "/wilayah/1612/"),
    ("regions:detail", "/wilayah/16/"),
    ("registry:list", "/pekerja/"),
    ("registry:list", "/pekerja/?q=Siti"),
    ("registry:list", "/pekerja/?village=1612012001"),
    ("registry:create", "/pekerja/baru/"),
]


@pytest.mark.parametrize(("name", "url"), WEB_READS)
def test_anonymous_is_sent_to_login(world, name, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize(("name", "url"), WEB_READS)
@pytest.mark.parametrize("who", ["other_operator", "other_admin", "no_region"])
def test_user_of_another_region_sees_no_name_nik_or_count(world, name, url, who):
    response = world["client"](world["users"][who]).get(url)
    assert response.status_code == 200
    assert _leaks(response, world["worker"]) == []
    rows = response.context.get("rows") or []
    for region, count in rows:
        if region.code.startswith("1612") or "1612".startswith(region.code):
            assert count in (None, 0), f"{region} shows {count} to {who}"
    if response.context.get("region") is not None and response.context["region"].code == "1612":
        assert response.context["total"] is None


@pytest.mark.parametrize("who", ["own_operator", "own_admin"])
def test_user_of_the_region_sees_the_worker(world, who):
    client = world["client"](world["users"][who])
    assert world["worker"].name in client.get("/pekerja/").content.decode()
    detail = client.get(f"/pekerja/{world['worker'].pk}/")
    assert detail.status_code == 200
    assert world["worker"].nik in detail.content.decode()
    assert client.get(f"/pekerja/{world['worker'].pk}/ubah/").status_code == 200
    region_page = client.get("/wilayah/1612/")
    assert region_page.context["total"] == 1


@pytest.mark.parametrize("who", ["other_operator", "other_admin", "other_auditor", "no_region"])
@pytest.mark.parametrize("suffix", ["", "ubah/"])
def test_worker_pages_of_another_region_are_404(world, who, suffix):
    client = world["client"](world["users"][who])
    response = client.get(f"/pekerja/{world['worker'].pk}/{suffix}")
    assert response.status_code == 404
    assert _leaks(response, world["worker"]) == []


def test_edit_post_from_another_region_is_404_and_changes_nothing(world):
    client = world["client"](world["users"]["other_admin"])
    response = client.post(f"/pekerja/{world['worker'].pk}/ubah/", {"name": "Hacked"})
    assert response.status_code == 404
    world["worker"].refresh_from_db()
    assert world["worker"].name == "Siti Rahmawati"


def test_delete_from_another_region_is_404_and_from_an_operator_403(world):
    pk = world["worker"].pk
    other = world["client"](world["users"]["other_admin"])
    assert other.post(f"/pekerja/{pk}/hapus/", {"reason": "x"}).status_code == 404
    operator = world["client"](world["users"]["own_operator"])
    assert operator.post(f"/pekerja/{pk}/hapus/", {"reason": "x"}).status_code == 403
    admin = world["client"](world["users"]["own_admin"])
    assert admin.post(f"/pekerja/{pk}/hapus/", {"reason": "pindah"}).status_code == 302


def test_create_form_offers_only_villages_in_scope(world):
    client = world["client"](world["users"]["other_operator"])
    response = client.get("/pekerja/baru/")
    choices = dict(response.context["form"].fields["village"].choices)
    assert SAROLANGUN_VILLAGE in choices
    assert PALI_VILLAGE not in choices


def test_audit_page_shows_only_events_of_the_auditors_region(world):
    own = world["client"](world["users"]["own_auditor"]).get("/audit/")
    assert own.status_code == 200 and "Siti Rahmawati" in own.content.decode()
    other = world["client"](world["users"]["other_auditor"]).get("/audit/")
    assert other.status_code == 200 and _leaks(other, world["worker"]) == []
    operator = world["client"](world["users"]["own_operator"]).get("/audit/")
    assert operator.status_code == 403


def test_another_users_token_cannot_be_revoked(world):
    owner = world["users"]["own_operator"]
    token, _raw = api_token_create(actor=owner, user=owner, name="mine")
    client = world["client"](world["users"]["other_operator"])
    assert client.post(f"/akun/token/{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- API ------------------------------------------------------------------------------------


def _api_calls(worker):
    body = {
        "nik": worker.nik,
        "name": "X",
        "village_code": worker.village_id,
        "occupation_code": "petani",
    }
    return [
        ("get", "/api/workers", None),
        ("get", f"/api/workers/{worker.pk}", None),
        ("put", f"/api/workers/{worker.pk}", body),
        ("delete", f"/api/workers/{worker.pk}?reason=x", None),
        ("get", "/api/audit", None),
        ("post", "/api/workers", {**body, "nik": worker.nik[:-4] + "9999"}),
    ]


def test_api_without_token_is_401(world):
    for method, url, body in _api_calls(world["worker"]):
        response = getattr(Client(), method)(
            url, data=json.dumps(body) if body else None, content_type="application/json"
        )
        assert response.status_code == 401, url


@pytest.mark.parametrize("who", ["other_operator", "other_admin", "other_auditor", "no_region"])
def test_api_user_of_another_region_gets_404_or_an_empty_list(world, who):
    client = _api(world["client"], world["users"][who])
    for method, url, body in _api_calls(world["worker"]):
        response = getattr(client, method)(
            url, data=json.dumps(body) if body else None, content_type="application/json"
        )
        assert response.status_code in (200, 400, 403, 404), (url, response.status_code)
        assert _leaks(response, world["worker"]) == [], url
        if method != "get" or "/api/workers/" in url:
            assert response.status_code in (400, 403, 404), url
        if response.status_code == 200:
            for item in response.json()["items"]:
                code = item.get("village_code") or item.get("region_code") or ""
                assert not code.startswith("1612"), (url, item)
    world["worker"].refresh_from_db()
    assert world["worker"].name == "Siti Rahmawati"


def test_api_user_of_the_region_sees_the_worker(world):
    client = _api(world["client"], world["users"]["own_operator"])
    listing = client.get("/api/workers").json()
    assert [w["name"] for w in listing["items"]] == ["Siti Rahmawati"]
    assert client.get(f"/api/workers/{world['worker'].pk}").json()["nik"] == world["worker"].nik


# --- intake --------------------------------------------------------------------------------------


@pytest.fixture
def pali_upload(world):
    from lindung.intake.services import upload_stage

    data = (
        f"NIK;Nama Lengkap;Pekerjaan\n{world['worker'].nik[:-4]}0777;Rina Marlina;Petani\n"
    ).encode()
    return upload_stage(
        actor=world["users"]["own_operator"], data=data, filename="d.csv", village_code=PALI_VILLAGE
    )


@pytest.mark.parametrize("who", ["other_operator", "other_admin", "other_auditor", "no_region"])
def test_uploads_of_another_region_are_404_and_unlisted(world, pali_upload, who):
    client = world["client"](world["users"][who])
    listing = client.get("/unggah/")
    assert listing.status_code == 200 and "Rina Marlina" not in listing.content.decode()
    assert "d.csv" not in listing.content.decode()
    for suffix in ("", "hasil/"):
        response = client.get(f"/unggah/{pali_upload.pk}/{suffix}")
        assert response.status_code == 404
        assert "Rina Marlina" not in response.content.decode()
    assert client.post(f"/unggah/{pali_upload.pk}/simpan/").status_code == 404
    assert client.post(f"/unggah/{pali_upload.pk}/periksa-ulang/").status_code == 404
    assert client.post(f"/unggah/{pali_upload.pk}/batal/").status_code == 404
    api = _api(world["client"], world["users"][who])
    assert api.get("/api/uploads").json()["count"] == 0
    for method, suffix in (
        ("get", ""),
        ("get", "/rows"),
        ("post", "/commit"),
        ("post", "/recheck"),
        ("post", "/cancel"),
        ("get", "/annotated"),
    ):
        response = getattr(api, method)(f"/api/uploads/{pali_upload.pk}{suffix}")
        assert response.status_code == 404, suffix
        assert "Rina Marlina" not in response.content.decode()
    assert client.get(f"/unggah/templat/{PALI_VILLAGE}/").status_code == 404
    pali_upload.refresh_from_db()
    assert pali_upload.status == "staged"


def test_uploads_of_the_region_are_visible_to_its_users(world, pali_upload):
    client = world["client"](world["users"]["own_operator"])
    assert "d.csv" in client.get("/unggah/").content.decode()
    assert "Rina Marlina" in client.get(f"/unggah/{pali_upload.pk}/?status=").content.decode()
    assert client.get(f"/unggah/templat/{PALI_VILLAGE}/").status_code == 200
    assert b"Rina Marlina" in client.get(f"/unggah/{pali_upload.pk}/hasil/").content
    assert client.post(f"/unggah/{pali_upload.pk}/simpan/").status_code == 302


# --- duplicates review ---------------------------------------------------------------------------


@pytest.fixture
def pali_pair(world):
    import datetime as dt

    from lindung.conftest import PALI_VILLAGE_2, make_nik
    from lindung.duplicates.services import duplicates_scan

    born = dt.date(1979, 4, 3)
    from lindung.registry.services import worker_create
    from lindung.registry.validation import WorkerInput

    admin = world["users"]["own_admin"]
    for serial, name, village in (
        (31, "Rina Marlina", PALI_VILLAGE),
        (37, "Rina Marlina", PALI_VILLAGE_2),
    ):
        worker_create(
            actor=admin,
            data=WorkerInput(
                nik=make_nik("161201", born, "P", serial),
                name=name,
                village_code=village,
                occupation_code="petani",
            ),
        )
    (candidate,) = duplicates_scan(actor=admin, region_code="1612")
    return candidate


@pytest.mark.parametrize(
    "who", ["other_operator", "other_admin", "other_auditor", "no_region", "own_operator"]
)
def test_duplicate_review_is_closed_to_other_regions_and_to_villages(world, pali_pair, who):
    client = world["client"](world["users"][who])
    listing = client.get("/verifikasi/duplikat/")
    assert listing.status_code in (200, 403)
    assert "Rina Marlina" not in listing.content.decode()
    detail = client.get(f"/verifikasi/duplikat/{pali_pair.pk}/")
    assert detail.status_code in (403, 404) and "Rina Marlina" not in detail.content.decode()
    post = client.post(f"/verifikasi/duplikat/{pali_pair.pk}/", {"decision": "different"})
    assert post.status_code in (403, 404)
    assert client.post("/verifikasi/duplikat/pindai/", {"region": "1612"}).status_code in (302, 403)
    api = _api(world["client"], world["users"][who])
    assert api.get("/api/duplicates").status_code == 200
    assert api.get("/api/duplicates").json()["count"] == 0
    assert api.get(f"/api/duplicates/{pali_pair.pk}").status_code in (403, 404)
    decided = api.post(
        f"/api/duplicates/{pali_pair.pk}/decide", {"same": False}, content_type="application/json"
    )
    assert decided.status_code in (403, 404)
    scanned = api.post(
        "/api/duplicates/scan", {"region_code": "1612"}, content_type="application/json"
    )
    assert scanned.status_code == 403
    pali_pair.refresh_from_db()
    assert pali_pair.status == "open"


def test_regency_admin_reviews_and_decides_the_pair(world, pali_pair):
    client = world["client"](world["users"]["own_admin"])
    assert "Rina Marlina" in client.get("/verifikasi/duplikat/").content.decode()
    assert client.get(f"/verifikasi/duplikat/{pali_pair.pk}/").status_code == 200
    response = client.post(f"/verifikasi/duplikat/{pali_pair.pk}/", {"decision": "keep_a"})
    assert response.status_code == 302
    pali_pair.refresh_from_db()
    assert pali_pair.status == "same"


# --- programs and submissions --------------------------------------------------------------------


@pytest.fixture
def pali_submission(world):
    import datetime as dt

    from lindung.programs.services import program_create, submission_add_workers, submission_for

    admin = world["users"]["own_admin"]
    program = program_create(
        actor=admin,
        code="pali-2025",
        name="PALI 2025",
        owner_region_code="1612",
        coverage_start=dt.date(2025, 10, 1),
        coverage_end=dt.date(2025, 12, 31),
    )
    submission = submission_for(actor=admin, program=program, village_code=PALI_VILLAGE)
    submission_add_workers(actor=admin, submission=submission, worker_ids=[world["worker"].pk])
    return submission


@pytest.mark.parametrize("who", ["other_operator", "other_admin", "other_auditor", "no_region"])
def test_programs_and_lists_of_another_region_are_404(world, pali_submission, who):
    api = _api(world["client"], world["users"][who])
    assert [p["code"] for p in api.get("/api/programs").json()] == []
    assert api.get("/api/programs/pali-2025").status_code == 404
    assert api.get("/api/programs/pali-2025/submissions").status_code == 404
    sid = pali_submission.pk
    for method, url, body in (
        ("get", f"/api/submissions/{sid}", None),
        ("get", f"/api/submissions/{sid}/people", None),
        ("post", f"/api/submissions/{sid}/people", {"worker_ids": []}),
        ("post", f"/api/submissions/{sid}/recheck", {}),
        ("post", f"/api/submissions/{sid}/move", {"to": "submitted", "expected_state": "draft"}),
        ("post", f"/api/submissions/{sid}/decide", {"accept": True}),
        ("post", f"/api/submissions/{sid}/check-identities", {}),
        ("post", f"/api/submissions/{sid}/remove", {"person_ids": [1], "reason": "x"}),
        ("post", "/api/programs/pali-2025/submissions", {"village_code": PALI_VILLAGE}),
    ):
        response = getattr(api, method)(
            url,
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
        )
        assert response.status_code == 404, url
        assert _leaks(response, world["worker"]) == [], url
    created = api.post(
        "/api/programs",
        {"code": "x", "name": "X", "owner_region_code": "1612",
         "coverage_start": "2025-10-01", "coverage_end": "2025-12-31"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 403
    pali_submission.refresh_from_db()
    assert pali_submission.state == "draft"


@pytest.mark.parametrize("who", ["other_operator", "other_admin", "other_auditor", "no_region"])
def test_program_pages_of_another_region_are_404(world, pali_submission, who):
    client = world["client"](world["users"][who])
    assert "PALI 2025" not in client.get("/verifikasi/program/").content.decode()
    assert client.get("/verifikasi/program/pali-2025/").status_code == 404
    form = client.get("/verifikasi/program/baru/")
    if form.status_code == 200:  # a regency admin elsewhere may create programs, not for PALI
        assert "1612" not in str(form.context["form"].fields["owner_region"].choices)
    page = client.get(f"/verifikasi/usulan/{pali_submission.pk}/")
    assert page.status_code == 404 and _leaks(page, world["worker"]) == []
    assert (
        client.post(f"/verifikasi/usulan/{pali_submission.pk}/", {"action": "submit"}).status_code
        == 404
    )
    pali_submission.refresh_from_db()
    assert pali_submission.state == "draft"


def test_the_village_sees_its_programs_list_and_people(world, pali_submission):
    api = _api(world["client"], world["users"]["own_operator"])
    assert [p["code"] for p in api.get("/api/programs").json()] == ["pali-2025"]
    people = api.get(f"/api/submissions/{pali_submission.pk}/people").json()["items"]
    assert [p["name"] for p in people] == ["Siti Rahmawati"]


# --- enrolment -----------------------------------------------------------------------------------


@pytest.fixture
def pali_participant(world):
    import datetime as dt

    from lindung.enrolment.services import participants_enrol
    from lindung.programs.models import Outcome, Submission, SubmissionPerson
    from lindung.programs.services import program_create

    admin = world["users"]["own_admin"]
    program = program_create(
        actor=admin,
        code="pali-scope",
        name="PALI scope",
        owner_region_code="1612",
        coverage_start=dt.date(2025, 10, 1),
        coverage_end=dt.date(2025, 12, 31),
        occupation_codes=["petani"],
        funders=[{"kind": "apbd", "name": "APBD PALI"}],
    )
    submission = Submission.objects.create(program=program, village_id=PALI_VILLAGE, state="ready")
    SubmissionPerson.objects.create(
        submission=submission, worker=world["worker"], outcome=Outcome.ACCEPTED, eligible=True
    )
    participants_enrol(actor=admin, program=program)
    return program.participants.get()


@pytest.mark.parametrize("who", ["other_operator", "other_admin", "other_auditor", "no_region"])
def test_participants_of_another_region_are_404_on_pages_and_api(world, pali_participant, who):
    p = pali_participant
    code = p.program.code
    client = world["client"](world["users"][who])
    for url in (f"/peserta/program/{code}/", f"/peserta/{p.pk}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert _leaks(response, world["worker"]) == []
    assert client.get(f"/peserta/program/{code}/berkas-bpjs/").status_code == 404
    assert client.post(f"/peserta/{p.pk}/kpj/", {"kpj": "01234567890"}).status_code == 404
    assert client.post(f"/peserta/{p.pk}/akhiri/", {"on": "2025-11-01"}).status_code == 404
    api = _api(world["client"], world["users"][who])
    for method, url, body in (
        ("get", f"/api/programs/{code}/participants", None),
        ("post", f"/api/programs/{code}/enrol", {}),
        ("get", f"/api/programs/{code}/registration-file", None),
        ("post", f"/api/programs/{code}/renew", {"to_program": code}),
        ("get", f"/api/participants/{p.pk}", None),
        ("post", f"/api/participants/{p.pk}/kpj", {"kpj": "01234567890"}),
        ("post", f"/api/participants/{p.pk}/end", {"on": "2025-11-01", "reason": "death"}),
    ):
        response = getattr(api, method)(
            url, data=json.dumps(body) if body else None, content_type="application/json"
        )
        assert response.status_code == 404, url
        assert _leaks(response, world["worker"]) == [], url
    p.refresh_from_db()
    assert p.kpj is None and p.state == "registered"


@pytest.mark.parametrize("who", ["other_operator", "other_admin", "other_auditor", "no_region"])
@pytest.mark.parametrize("suffix", ["", "/ranking", "/trend", "/ecosystem"])
def test_coverage_figures_of_another_region_are_404(world, who, suffix):
    client = _api(world["client"], world["users"][who])
    assert client.get(f"/api/coverage/1612{suffix}").status_code == 404
    own = _api(world["client"], world["users"]["own_admin"])
    assert own.get(f"/api/coverage/1612{suffix}").status_code == 200
    assert Client().get(f"/api/coverage/1612{suffix}").status_code == 401
