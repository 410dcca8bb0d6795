"""The demo's programs carry the articles' own figures, and their ready lists are carried on into
enrolment through the real services, so every enrolment page shows each state.

One demo build for the module's checks (the build is the expensive part)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.audit.models import AuditEvent
from lindung.demo.enrolment import PLAN, bpjs_answer, demo_kpj
from lindung.enrolment.choices import EndReason, ParticipantState
from lindung.enrolment.models import Participant
from lindung.enrolment.services import kpj_import
from lindung.programs.models import Program, Submission
from lindung.regions import sources
from lindung.registry.models import LifeStatus

CODES = ("muaraenim-desa-2025", "muba-pake-kelambu", "pali-desa-2025", "sarolangun-2024")


def build(regions, monkeypatch, workers: int = 300) -> str:
    if regions is not None:
        monkeypatch.setattr(sources, "lokal_regions", lambda: iter(regions))
    out = io.StringIO()
    call_command("demo", "--no-serve", "--workers", str(workers), stdout=out)
    return out.getvalue()


def text_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
def test_demo_programs_carry_the_articles_figures_and_show_every_enrolment_state(
    regions, monkeypatch
):
    printed = build(regions, monkeypatch)
    assert "demo enrolment:" in printed

    # Muara Enim (seed 000/001): 26,775 workers, Oct–Dec 2025, APBD, JKK + JKM on Rp1,000,000.
    muara_enim = Program.objects.get(code="muaraenim-desa-2025")
    assert (muara_enim.target_workers, muara_enim.wage_basis) == (26_775, 1_000_000)
    assert (muara_enim.jkk, muara_enim.jkm, muara_enim.jht) == (True, True, False)
    assert (muara_enim.coverage_start, muara_enim.coverage_end) == (
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
    )
    assert list(muara_enim.funders.values_list("kind", flat=True)) == ["apbd"]
    # Hand-computed: 26,775 × 3 × (Rp10,000 JKK + Rp6,800 JKM) = Rp1,349,460,000.
    client = Client()
    client.force_login(User.objects.get(username="dpmd-muaraenim"))
    budget = text_of(client, "/anggaran/program/muaraenim-desa-2025/")
    assert "Rp1.349.460.000" in budget and "26.775 pekerja" in budget

    # Musi Banyuasin PAKE KELAMBU (seed 002): 45,000 from the APBD.
    muba = Program.objects.get(code="muba-pake-kelambu")
    assert muba.target_workers == 45_000 and "PAKE KELAMBU" in muba.name
    assert list(muba.funders.values_list("kind", flat=True)) == ["apbd"]
    # Sarolangun (seed 004): 27,214 from the revised APBD.
    sarolangun = Program.objects.get(code="sarolangun-2024")
    assert sarolangun.target_workers == 27_214
    assert list(sarolangun.funders.values_list("kind", flat=True)) == ["apbd_perubahan"]
    # PALI (seed 003): each village pays for at least 100 workers from its APBDes.
    pali = Program.objects.get(code="pali-desa-2025")
    assert pali.min_per_village == 100
    funders = list(pali.funders.all())
    villages = set(Submission.objects.filter(program=pali).values_list("village_id", flat=True))
    assert {f.covers_region_id for f in funders} == villages
    # 100 workers × 6 months (Jul–Dec 2025) × Rp16,800 = Rp10,080,000 per village.
    assert {(f.kind, f.budget) for f in funders} == {("apbdes", 10_080_000)}
    assert all(
        p.funder.covers_region_id == p.village_id
        for p in Participant.objects.filter(program=pali).select_related("funder")
    )

    for code in CODES:
        program = Program.objects.get(code=code)
        people = Participant.objects.filter(program=program)
        states = set(people.values_list("state", flat=True))
        assert states == {"registered", "active", "ended"}, (code, states)
        by_list: dict[int, set] = {}
        for submission, kpj in people.values_list("submission_person__submission", "kpj"):
            by_list.setdefault(submission, set()).add(kpj is None)
        # One list with KPJs, one sent to BPJS and waiting for its answer…
        assert sorted(tuple(v) for v in by_list.values()) == [(False,), (True,)], code
        # …and a ready list nobody has enrolled yet.
        ready = Submission.objects.filter(program=program, state="ready")
        assert ready.exclude(pk__in=by_list).exists(), code
        assert all(
            re.fullmatch(r"\d{11}", k)
            for k in people.exclude(kpj=None).values_list("kpj", flat=True)
        )
        # Each step by its own role: the regency enrols, BPJS's answer is read by BPJS.
        assert {p.enrolled_by.role for p in people.select_related("enrolled_by")} == {
            Role.REGENCY_ADMIN
        }
        imported = AuditEvent.objects.get(action="enrolment.kpj_import", object_id=str(program.pk))
        assert imported.actor.role == Role.BPJS_OFFICER
        # One death, marked in the registry, ends that person's participation on the day.
        # (A death paid through a claim, demo.claims, ends one more in Sarolangun.)
        (ended,) = (
            people.filter(state=ParticipantState.ENDED)
            .exclude(claims__isnull=False)
            .select_related("worker")
        )
        assert ended.end_reason == EndReason.DEATH and ended.kpj
        assert ended.worker.life_status == LifeStatus.DECEASED
        assert ended.end_date == ended.worker.life_status_date < program.coverage_end
        # The regency admin's participants page shows every state and the list left to enrol.
        client.force_login(
            User.objects.filter(
                role=Role.REGENCY_ADMIN, assignments__region_id=program.owner_region_id
            ).get()
        )
        page = text_of(client, f"/peserta/program/{code}/")
        for label in ("Didaftarkan, menunggu KPJ", "Aktif", "Berakhir (Meninggal dunia)"):
            assert label in page, (code, label)
        assert "Daftarkan" in page
    assert len(PLAN) == 2

    # Run again: nothing is enrolled twice.
    count = Participant.objects.count()
    again = io.StringIO()
    call_command("demo", "--no-serve", "--skip-setup", "--workers", "300", stdout=again)
    assert "demo enrolment: already done" in again.getvalue()
    assert Participant.objects.count() == count


def test_bpjs_answer_has_eleven_digit_text_kpjs_in_any_order():
    data = bpjs_answer(["1603061407920032"], dt.date(2025, 10, 1), "csv", regency="1603")
    assert data.decode().splitlines() == [
        "No,No KPJ,NIK,TMT Kepesertaan",
        "1,91603000001,1603061407920032,01-10-2025",
    ]
    assert demo_kpj("1612", 42) == "91612000042"


@pytest.mark.django_db
def test_a_demo_answer_for_someone_not_enrolled_is_refused_row_by_row(regions, monkeypatch):
    build(regions, monkeypatch, workers=200)
    program = Program.objects.get(code="muaraenim-desa-2025")
    bpjs = User.objects.get(username="bpjs-muaraenim")
    data = bpjs_answer(["1603069999990001"], program.coverage_start, "xlsx", regency="1603")
    before = list(Participant.objects.values_list("pk", "kpj", "state"))
    report = kpj_import(actor=bpjs, program=program, data=data)
    assert not report.applied and report.errors[0]["row"] == 4
    assert list(Participant.objects.values_list("pk", "kpj", "state")) == before
