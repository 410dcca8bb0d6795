"""The demo generator, services and command: valid NIKs, no duplicates, idempotent loading."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter

import lokal
import pytest
from django.core.management import call_command

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.demo import generator
from lindung.demo.generator import (
    DEMO_REGENCIES,
    DESA_ONLY,
    DemoVillage,
    WorkerFactory,
    age_on,
    demo_villages,
    generate_workers,
    spread,
)
from lindung.demo.management.commands.demo import url_for
from lindung.demo.services import DEMO_PASSWORD, demo_load, demo_users
from lindung.programs.models import Program, Submission
from lindung.regions import sources
from lindung.regions.models import Region
from lindung.regions.selectors import region_names
from lindung.registry.models import Heir, Worker
from lindung.registry.nik import inspect_kk, inspect_nik

REFERENCE = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def people(regions):
    # Plain data generated once: the tests below only read it.
    return generate_workers(1200, reference_date=REFERENCE)


def all_niks(workers) -> list[str]:
    return [w.nik for w in workers] + [h.nik for w in workers for h in w.heirs if h.nik]


def test_spread_adds_up():
    assert spread(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(spread(4000, [0.3, 0.3, 0.15, 0.25])) == 4000
    assert spread(5, []) == []


@pytest.mark.django_db
def test_every_nik_passes_inspect_nik(people):
    names = region_names()
    for worker in people:
        result = inspect_nik(
            worker.nik, regions=names, reference_date=REFERENCE, village_code=worker.village_code
        )
        assert result.valid, (worker.nik, [e.message for e in result.errors])
        kk = inspect_kk(worker.kk_number, regions=names)
        assert kk.valid and worker.kk_number[:6] == worker.village_code[:6], worker.kk_number
        for heir in worker.heirs:
            if heir.nik:
                heir_result = inspect_nik(heir.nik, regions=names, reference_date=REFERENCE)
                assert heir_result.valid, (heir.nik, [e.message for e in heir_result.errors])
                assert heir_result.birth_date == heir.birth_date


@pytest.mark.django_db
def test_pali_residents_sometimes_carry_the_old_muara_enim_code(people):
    pali = [w for w in people if w.village_code.startswith("1612")]
    old = [w for w in pali if w.nik.startswith("1603")]
    assert pali and old
    old_districts = {"160305", "160312", "160313", "160318", "160320"}
    assert {w.nik[:6] for w in old} <= old_districts
    # Only people born before PALI left Muara Enim in 2013 can hold a Muara Enim NIK.
    assert all(w.birth_date.year < 2013 for w in old)
    warning = inspect_nik(
        old[0].nik,
        regions=region_names(),
        reference_date=REFERENCE,
        village_code=old[0].village_code,
    )
    assert [w.code for w in warning.warnings] == ["historical_code"]


@pytest.mark.django_db
def test_birth_date_and_sex_agree_with_the_nik(people):
    for worker in people:
        day = int(worker.nik[6:8])
        assert (worker.sex == "P") == (day > 40)
        assert worker.nik[6:12] == (
            f"{worker.birth_date.day + (40 if worker.sex == 'P' else 0):02d}"
            f"{worker.birth_date:%m%y}"
        )
        result = inspect_nik(worker.nik, reference_date=REFERENCE)
        assert (result.birth_date, result.sex) == (worker.birth_date, worker.sex)


@pytest.mark.django_db
def test_no_duplicate_niks_kks_or_phones(people):
    niks = all_niks(people)
    assert len(niks) == len(set(niks))
    assert all(nik[12:] != "0000" for nik in niks)
    kks = [w.kk_number for w in people]
    assert len(kks) == len(set(kks)) and all(kk[12:] != "0000" for kk in kks)
    phones = [w.phone for w in people if w.phone] + [
        h.phone for w in people for h in w.heirs if h.phone
    ]
    assert len(phones) == len(set(phones))
    for phone in phones[:200]:
        info = lokal.parse_phone(phone)
        assert info.valid and info.e164 == phone and info.operator in ("Telkomsel", "Indosat")


@pytest.mark.django_db
def test_ages_incomes_heirs_and_villages_look_like_the_programs(people):
    ages = [generator.age_on(w.birth_date, REFERENCE) for w in people]
    assert min(ages) >= 18
    older = sum(age >= 65 for age in ages)
    assert 0 < older < len(people) * 0.05  # a handful, for the under-65 rule
    assert all(1_000_000 <= w.monthly_income <= 3_500_000 for w in people)
    assert all(w.monthly_income % 50_000 == 0 for w in people)
    assert all(len(w.heirs) <= 3 for w in people)
    assert Counter(h.relationship for w in people for h in w.heirs)["spouse"] > len(people) // 3

    villages = demo_villages()
    codes = {v.code for v in villages}
    assert {w.village_code for w in people} == codes
    per_regency = Counter(v.regency_code for v in villages)
    assert set(per_regency) == set(DEMO_REGENCIES)
    # PALI has the 12 villages whose lists were sent (seed 003) and three more.
    assert per_regency.pop("1612") == 15
    assert all(6 <= n <= 10 for n in per_regency.values())
    assert Region.objects.filter(code__in=codes, level=4).count() == len(codes)

    by_village = {v.code: v for v in villages}
    heads = Counter(w.village_code for w in people if w.occupation_code == "kepala-desa")
    for worker in people:
        village = by_village[worker.village_code]
        if not village.is_desa:
            assert worker.occupation_code not in DESA_ONLY
    assert all(n == 1 for n in heads.values())
    assert not any(w.occupation_code in DESA_ONLY for w in people if w.village_code[:4] == "1606")


@pytest.mark.django_db
def test_same_seed_same_people(regions):
    first = generate_workers(150, reference_date=REFERENCE)
    assert first == generate_workers(150, reference_date=REFERENCE)
    assert first != generate_workers(150, seed=7, reference_date=REFERENCE)


def test_names_look_local():
    rng = random.Random(1)
    names = [generator.person_name(rng, "L", father="Hasan") for _ in range(300)]
    assert any(" bin Hasan" in n for n in names)
    assert any(n.startswith(("Muhammad ", "M. ")) for n in names)
    women = [generator.person_name(rng, "P", father="Hasan") for _ in range(300)]
    assert any(" binti Hasan" in n for n in women)


@pytest.mark.django_db
def test_demo_load_is_idempotent_and_audited_once(regions):
    first = demo_load(workers=300)
    assert first["loaded"] and first["workers"] == 300
    counts = (Worker.objects.count(), Heir.objects.count())
    assert counts[1] == first["heirs"] > 0

    second = demo_load(workers=300)
    assert not second["loaded"]
    assert (Worker.objects.count(), Heir.objects.count()) == counts

    events = AuditEvent.objects.filter(action="demo.load")
    assert events.count() == 1
    assert events.get().row_count == counts[0] + counts[1]
    assert Heir.objects.exclude(worker__nik__in=Worker.objects.values("nik")).count() == 0


@pytest.mark.django_db
def test_generator_avoids_niks_already_in_the_database(regions):
    demo_load(workers=300)
    stored = set(Worker.objects.values_list("nik", flat=True))
    stored |= set(Heir.objects.exclude(nik="").values_list("nik", flat=True))
    again = generate_workers(300)  # same seed, so without the check it would repeat every NIK
    assert not stored & set(all_niks(again))


@pytest.mark.django_db
def test_demo_users_one_per_role_and_idempotent(regions):
    logins = demo_users()
    assert len(logins) == 13
    assert {role for _u, _p, role, _s in logins} == set(Role.values)
    assert demo_users() == logins
    assert User.objects.filter(username__in=[u for u, *_ in logins]).count() == 13
    operator = User.objects.get(username="operator")
    assert operator.check_password(DEMO_PASSWORD)
    (village,) = operator.assignments.values_list("region_id", flat=True)
    assert village.startswith("1612") and village[6] == "2"  # a desa in PALI
    bpjs = User.objects.get(username="bpjs-muaraenim")
    assert sorted(bpjs.assignments.values_list("region_id", flat=True)) == ["1603", "1612"]
    branch = User.objects.get(username="bpjs-sarolangun")
    assert (branch.role, list(branch.assignments.values_list("region_id", flat=True))) == (
        Role.BPJS_OFFICER,
        ["1503"],
    )
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_command_without_serving(regions, monkeypatch):
    if regions is not None:
        # `setup` loads all 91,600 regions; give it the subset this module loaded instead.
        monkeypatch.setattr(sources, "lokal_regions", lambda: iter(regions))
    out = io.StringIO()
    call_command("demo", "--no-serve", "--workers", "200", stdout=out)
    text = out.getvalue()
    # 200 synthetic workers plus a few planted duplicates (three per regency) for the review queue.
    first = Worker.objects.count()
    assert 200 < first <= 212
    # The four programs of the articles plus the coverage running before them (`demo.existing`).
    assert Program.objects.count() == 6
    assert "http://127.0.0.1:8000" in text
    assert "bpjs-muaraenim" in text and DEMO_PASSWORD in text
    assert "65 desa + 6 kelurahan" in text
    assert AuditEvent.objects.filter(action="demo.load", channel="command").count() == 1
    # Every step of the demo lists was taken by its own role, never by the list's submitter.
    ready = list(Submission.objects.filter(state="ready"))
    per_program = Counter(s.program.code for s in ready)
    # three per article program: enrolled with KPJs, waiting for them, not yet; at this test's
    # scale a Muara Enim village whose few people are officials already covered keeps a draft.
    assert [per_program[c] for c in ("muba-pake-kelambu", "pali-desa-2025", "sarolangun-2024")] == [
        3,
        3,
        3,
    ]
    assert 1 <= per_program["muaraenim-desa-2025"] <= 3
    # PALI as its article has it: 12 villages sent their lists before the deadline, the other
    # 59 of the 71 official villages have not.
    from lindung.programs.progress import program_progress

    pali = Program.objects.get(code="pali-desa-2025")
    progress = program_progress(User.objects.get(username="dpmd-pali"), pali)
    # 12 with the demo's 4,000 workers; at this test's 200 (two or three people a village) a
    # list with nobody eligible is returned to its village instead of being approved.
    assert 10 <= progress.sent <= 12 and progress.sent_on_time == progress.sent
    if regions is None:  # the full region list: PALI's 71 villages are all there
        assert (progress.villages, progress.not_sent) == (71, 71 - progress.sent)
    # The month ends before and after the launches are counted, and the synthetic working
    # population gives the articles' percentages as near as the demo's scale allows.
    assert "demo coverage:" in text and "15.03 66." in text
    from lindung.coverage.figures import figures, trend

    auditor = User.objects.get(username="auditor")
    after = figures(auditor, "1503", dt.date(2024, 11, 30))
    # Within a point at this test's scale (a dozen people protected; 66.11 % at 4,000 workers).
    assert abs(float(after["coverage_pct"]) - 66.08) < 1
    assert after["denominator_source"] == "synthetic, scaled from the article"
    assert after["rank"]["rank"] == 1  # the highest in Jambi
    line = trend(auditor, "1503", until=dt.date(2024, 11, 30))
    # From the coverage running before the launch (41.02 %) to the article's 66.08 %, over the
    # same 2024 denominator; within two points at this scale (a person is a point or two).
    assert [p["coverage_pct"] for p in line][-1] == after["coverage_pct"]
    assert abs(float(line[-2]["coverage_pct"]) - 41.02) < 2
    before_day = figures(auditor, "1503", dt.date(2024, 10, 31))
    assert before_day["working_population"] == after["working_population"]
    # Muara Enim's village ecosystem at 100 % (seed 001), PALI's not.
    from lindung.coverage.figures import ecosystem

    province = ecosystem(auditor, "16", dt.date(2025, 12, 31))
    assert province["regencies_at_100"] == ["1603"]
    muara_enim = figures(auditor, "1603", dt.date(2025, 12, 31))["ecosystem"]
    assert muara_enim["officials"] > 0 and muara_enim["officials_pct"] == "100.00"
    pali = figures(auditor, "1612", dt.date(2025, 12, 31))["ecosystem"]
    assert pali["officials_protected"] < pali["officials"]
    for submission in ready:
        assert submission.approved_by.role == Role.REGENCY_ADMIN
        assert submission.verified_by.role == Role.BPJS_OFFICER
        assert submission.submitted_by_id not in (
            submission.approved_by_id,
            submission.verified_by_id,
        )

    again = io.StringIO()
    call_command("demo", "--no-serve", "--skip-setup", "--workers", "200", stdout=again)
    assert "already loaded" in again.getvalue()
    assert Worker.objects.count() == first and Program.objects.count() == 6
    assert User.objects.filter(username__in=["operator", "admin", "auditor"]).count() == 3


def test_url_for():
    assert url_for("127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert url_for("0.0.0.0:9000") == "http://127.0.0.1:9000"
    assert url_for("8080") == "http://127.0.0.1:8080"


def test_muara_enim_officials_are_of_an_age_its_program_accepts():
    from lindung.coverage.refresh import OFFICIAL_ROLES
    from lindung.demo.generator import OFFICIAL_AGES, PROFILES, official_age
    from lindung.demo.programs import PROGRAMS

    on = PROFILES["1603"].officials_eligible_on
    assert on == next(p for p in PROGRAMS if p["code"] == "muaraenim-desa-2025")["coverage_start"]
    # 65-72 mirrored below the cap, 18 raised to 19, the rest untouched.
    assert [official_age(a) for a in (18, 19, 40, 64, 65, 72)] == [19, 19, 40, 64, 64, 57]
    village = DemoVillage("1603012001", "Desa Uji", "desa", "Kec. Uji")
    factory = WorkerFactory(
        random.Random(7), reference=dt.date(2026, 11, 22), taken_niks=set(), historical={},
        districts={},
    )  # fmt: skip
    low, high = OFFICIAL_AGES
    for occupation in OFFICIAL_ROLES:
        for _ in range(60):
            born = factory.worker(village, occupation).birth_date
            assert low <= age_on(born, on) <= high
