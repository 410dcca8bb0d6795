"""The budget page of a program and its API twin: figures, scope and refusals."""

import datetime as dt

import pytest
from django.test import Client

from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.billing.services import funder_discounts_set
from lindung.common.errors import ApplicationError
from lindung.conftest import MUARA_ENIM_VILLAGE
from lindung.programs.models import Funder, Submission, SubmissionPerson

pytestmark = pytest.mark.django_db
MUARA_ENIM_VILLAGE_2 = "1603012012"


@pytest.fixture
def admin(make_user):
    return make_user(Role.REGENCY_ADMIN, ["1603"])


@pytest.fixture
def program(admin):
    from lindung.programs.services import program_create

    return program_create(
        actor=admin,
        code="muaraenim-desa-2025",
        name="Perlindungan Pekerja Rentan Desa Muara Enim 2025",
        owner_region_code="1603",
        coverage_start=dt.date(2025, 10, 1),
        coverage_end=dt.date(2025, 12, 31),
        target_workers=26_775,
        occupation_codes=["petani", "ojek"],
        funders=[{"kind": "apbd", "name": "APBD Kabupaten Muara Enim", "budget": 1_000_000_000}],
    )


def api(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def url(program) -> str:
    return f"/anggaran/program/{program.code}/"


def test_the_program_page_links_to_its_budget(admin, program, client_for):
    page = client_for(admin).get(f"/verifikasi/program/{program.code}/")
    assert url(program) in page.content.decode()


def test_muara_enim_budget_page_shows_the_articles_figure(admin, program, client_for):
    page = client_for(admin).get(url(program))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rp1.349.460.000" in html
    assert (
        "Satu miliar tiga ratus empat puluh sembilan juta empat ratus enam puluh ribu rupiah"
        in html
    )
    assert "26.775" in html
    assert "Rp803.250.000" in html and "Rp546.210.000" in html  # JKK and JKM
    assert "PP 44/2015" in html


def test_the_form_recomputes_with_a_budget(admin, program, client_for):
    page = client_for(admin).get(
        url(program),
        {"workers": "100", "months": "2", "start": "2026-04", "wage": "1000000",
         "components": ["jkk", "jkm", "jht"], "funder": "mandiri", "sector": "other",
         "budget": "5000000"},
    )  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rp5.680.000" in html  # 100 × 2 × (8,400 + 20,000)
    assert "88" in html  # 5,000,000 // 56,800


@pytest.mark.parametrize(
    "params",
    [
        {"workers": "99999999999999999999", "months": "3", "start": "2025-10"},
        {"workers": "-1", "months": "3", "start": "2025-10"},
        {"workers": "10", "months": "0", "start": "2025-10"},
        {"workers": "10", "months": "3", "start": "oktober"},
        {"workers": "10", "months": "3", "start": "2025-10", "wage": "1234567"},
    ],
)
def test_absurd_numbers_get_a_400_with_a_message(admin, program, client_for, params):
    form = {"wage": "1000000", "components": ["jkk", "jkm"], "funder": "apbd", "sector": "other"}
    page = client_for(admin).get(url(program), {**form, **params})
    assert page.status_code == 400
    assert "error" in page.content.decode()
    assert "Rp1.349.460.000" not in page.content.decode()


def test_another_regencys_program_is_404(program, make_user, client_for):
    pali = make_user(Role.REGENCY_ADMIN, ["1612"])
    assert client_for(pali).get(url(program)).status_code == 404
    assert api(pali).get(f"/api/programs/{program.code}/budget").status_code == 404


def test_a_village_operator_of_the_regency_is_refused_403(program, make_user, client_for):
    operator = make_user(Role.VILLAGE_OPERATOR, [MUARA_ENIM_VILLAGE])
    assert client_for(operator).get(url(program)).status_code == 403
    assert api(operator).get(f"/api/programs/{program.code}/budget").status_code == 403
    page = client_for(operator).get(f"/verifikasi/program/{program.code}/")
    assert url(program) not in page.content.decode()


def test_anonymous_is_sent_to_login(program):
    assert Client().get(url(program)).status_code == 302
    assert Client().get(f"/api/programs/{program.code}/budget").status_code == 401


def test_the_api_gives_the_same_json_as_the_command(admin, program):
    r = api(admin).get(f"/api/programs/{program.code}/budget")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 1_349_460_000
    assert (body["workers"], body["months"], body["start"]) == (26_775, 3, "2025-10")
    assert body["by_component"] == {"jkk": 803_250_000, "jkm": 546_210_000, "jht": 0}
    assert body["lists"]["by_funder"][0]["workers_covered"] == 19_841
    generic = (
        api(admin)
        .get("/api/budget", {"workers": 26775, "months": 3, "start": "2025-10", "funder": "apbd"})
        .json()
    )
    assert {k: v for k, v in generic.items() if k != "budget"} == {
        k: v for k, v in body.items() if k in generic and k != "budget"
    }


@pytest.mark.parametrize(
    "params, status",
    [
        ({"workers": 10**30}, 422),
        ({"workers": -1}, 422),
        ({"months": 0}, 422),
        ({"start": "2025-13"}, 400),
        ({"funder": "apbn"}, 422),
        ({"wage": 1_500_000}, 400),
        ({"components": "jkk,jkp"}, 400),
    ],
)
def test_the_api_refuses_absurd_input_with_a_clear_message(admin, program, params, status):
    r = api(admin).get(f"/api/programs/{program.code}/budget", params)
    assert r.status_code == status
    assert r.json()["message"]


def test_current_lists_by_village_and_funder_leave_out_removed_and_ineligible(
    admin, program, make_worker
):
    first = Submission.objects.create(program=program, village_id=MUARA_ENIM_VILLAGE)
    second = Submission.objects.create(program=program, village_id=MUARA_ENIM_VILLAGE_2)
    people = [
        (first, "petani", {"eligible": True}),
        (first, "ojek", {"eligible": True}),
        (first, "petani", {"eligible": False}),  # not eligible
        (first, "petani", {"eligible": True, "removed_at": dt.datetime(2025, 9, 1, tzinfo=dt.UTC)}),
        (first, "petani", {"eligible": True, "outcome": "rejected"}),
        (second, "petani", {"eligible": True}),
    ]
    for submission, occupation, fields in people:
        worker = make_worker(village=submission.village_id, occupation_code=occupation)
        SubmissionPerson.objects.create(submission=submission, worker=worker, **fields)
    lists = api(admin).get(f"/api/programs/{program.code}/budget").json()["lists"]
    assert lists["workers"] == 3
    assert lists["total"] == 3 * 3 * 16_800  # APBD: no discount even for the ojek rider
    assert {v["village"]: v["workers"] for v in lists["by_village"]} == {
        MUARA_ENIM_VILLAGE: 2,
        MUARA_ENIM_VILLAGE_2: 1,
    }
    assert lists["by_funder"][0]["workers"] == 3


def test_a_village_fund_paying_for_an_ojek_rider_gets_the_discount_only_when_switched_on(
    admin, make_worker
):
    from lindung.programs.services import program_create

    program = program_create(
        actor=admin, code="desa-2026", name="Desa 2026", owner_region_code="1603",
        coverage_start=dt.date(2026, 4, 1), coverage_end=dt.date(2026, 4, 30),
        occupation_codes=["ojek"],
        funders=[{"kind": "apbdes", "name": "APBDes", "covers_region_code": MUARA_ENIM_VILLAGE}],
    )  # fmt: skip
    submission = Submission.objects.create(program=program, village_id=MUARA_ENIM_VILLAGE)
    worker = make_worker(village=MUARA_ENIM_VILLAGE, occupation_code="ojek")
    SubmissionPerson.objects.create(submission=submission, worker=worker, eligible=True)
    path = f"/api/programs/{program.code}/budget"
    assert api(admin).get(path).json()["lists"]["total"] == 16_800
    funder_discounts_set(actor=admin, funder=program.funders.get(), on=True)
    assert api(admin).get(path).json()["lists"]["total"] == 8_400


def test_an_apbd_funder_cannot_be_given_the_discount(admin, program):
    with pytest.raises(ApplicationError) as exc:
        funder_discounts_set(actor=admin, funder=Funder.objects.get(program=program), on=True)
    assert exc.value.code == "discount_excluded"


@pytest.fixture
def village_fund(admin):
    from lindung.programs.services import program_create

    program = program_create(
        actor=admin, code="desa-dana-2026", name="Desa 2026", owner_region_code="1603",
        coverage_start=dt.date(2026, 4, 1), coverage_end=dt.date(2026, 6, 30),
        funders=[{"kind": "apbdes", "name": "APBDes", "covers_region_code": MUARA_ENIM_VILLAGE}],
    )  # fmt: skip
    return program.funders.get()


def test_a_regency_admin_switches_a_village_funds_discount_on_the_page(
    admin, village_fund, client_for
):
    from lindung.audit.models import AuditEvent

    client = client_for(admin)
    done = client.post(f"/anggaran/sumber-dana/{village_fund.pk}/potongan/", {"on": "1"})
    assert done.status_code == 302
    village_fund.refresh_from_db()
    assert village_fund.discounts_apply is True
    assert AuditEvent.objects.filter(
        action="billing.funder_discounts", object_id=str(village_fund.pk)
    ).exists()
    assert (
        "Switch off" in client.get(done.url).content.decode()
        or "Matikan" in client.get(done.url).content.decode()
    )


def test_switching_is_refused_to_others_and_for_apbd(
    admin, program, village_fund, make_user, client_for
):
    head = make_user(Role.REGIONAL_HEAD, ["1603"])
    pali = make_user(Role.REGENCY_ADMIN, ["1612"])
    path = f"/anggaran/sumber-dana/{village_fund.pk}/potongan/"
    assert client_for(head).post(path, {"on": "1"}).status_code == 403
    assert client_for(pali).post(path, {"on": "1"}).status_code == 404
    assert client_for(admin).get(path).status_code == 405
    r = api(admin).post(
        f"/api/funders/{program.funders.get().pk}/discounts",
        {"on": True},
        content_type="application/json",
    )
    assert r.status_code == 400 and "APBD" in r.json()["message"]
    r = api(admin).post(
        f"/api/funders/{village_fund.pk}/discounts", {"on": True}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["discounts_apply"] is True
    assert (
        api(pali)
        .post(
            f"/api/funders/{village_fund.pk}/discounts",
            {"on": True},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_without_a_target_the_plan_starts_from_the_people_on_the_lists(admin, make_worker):
    from lindung.programs.services import program_create

    program = program_create(
        actor=admin, code="tanpa-target", name="Tanpa target", owner_region_code="1603",
        coverage_start=dt.date(2025, 10, 1), coverage_end=dt.date(2025, 11, 30),
        funders=[{"kind": "apbd", "name": "APBD"}],
    )  # fmt: skip
    submission = Submission.objects.create(program=program, village_id=MUARA_ENIM_VILLAGE)
    for _ in range(2):
        worker = make_worker(village=MUARA_ENIM_VILLAGE)
        SubmissionPerson.objects.create(submission=submission, worker=worker, eligible=True)
    body = api(admin).get(f"/api/programs/{program.code}/budget").json()
    assert (body["workers"], body["months"], body["total"]) == (2, 2, 2 * 2 * 16_800)
