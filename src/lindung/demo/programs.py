"""The four programs of the news articles, with village lists at every step of the flow.

Figures and legal bases come from `shared/seeds` and DOMAIN.md; where an article gives no
period (Musi Banyuasin, Sarolangun, PALI's coverage), the demo assumes one year from the launch
or registration date and says so in the program's legal-basis text.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from lindung.accounts.models import User
from lindung.accounts.roles import Action, Role
from lindung.accounts.scoping import can
from lindung.enrolment.models import Participant
from lindung.programs.models import Program, Submission
from lindung.programs.services import (
    people_decide,
    program_create,
    submission_add_workers,
    submission_for,
    submission_move,
)
from lindung.registry.models import Worker

VILLAGE_GOVERNMENT = [
    "kepala-desa", "perangkat-desa", "bpd", "aparatur-non-perangkat", "linmas", "guru-ngaji",
    "operator-desa", "ketua-rt-rw",
]  # fmt: skip
INFORMAL = ["petani", "petani-sawit", "nelayan", "pedagang-kecil", "tukang", "sopir", "ojek",
            "buruh-harian-lepas"]  # fmt: skip

PROGRAMS = [
    {
        "code": "muaraenim-desa-2025",
        "name": "Perlindungan Pekerja Rentan Desa Muara Enim 2025",
        "owner_region_code": "1603",
        "legal_basis": "Surat Edaran Bupati Muara Enim Nomor 140/792/DPMD-IV/2025; MoU Dinas PMD "
        "dengan BPJS Ketenagakerjaan. Diluncurkan 23 Desember 2025.",
        "coverage_start": dt.date(2025, 10, 1),
        "coverage_end": dt.date(2025, 12, 31),
        # 24,651 village workers + 2,124 palm-oil farmers (seed 000), JKK + JKM on a declared
        # wage of Rp1,000,000: 26,775 × 3 months × Rp16,800 = Rp1,349,460,000 (issue 9).
        "target_workers": 26_775,
        "wage_basis": 1_000_000,
        "jkk": True,
        "jkm": True,
        "jht": False,
        "occupation_codes": [*VILLAGE_GOVERNMENT, "petani-sawit"],
        "funders": [{"kind": "apbd", "name": "APBD Kabupaten Muara Enim (Dinas PMD)"}],
        # The whole village ecosystem protected on 31-12-2025 (seed 001, 100 %): officials whose
        # village list is still at an earlier step are covered by their villages' own earlier
        # enrolment (`demo.existing.BEFORE`), so those lists do not hold them.
        "officials_covered_before": "1603",
    },
    {
        "code": "muba-pake-kelambu",
        "name": "PAKE KELAMBU — Pekerja Rentan Dicover APBD Musi Banyuasin",
        "owner_region_code": "1606",
        "legal_basis": "Perbup Musi Banyuasin 54/2023; diinisiasi Dinsos, diluncurkan 16 Juli "
        "2025. Periode perlindungan diasumsikan satu tahun (tidak disebut dalam berita).",
        "coverage_start": dt.date(2025, 7, 16),
        "coverage_end": dt.date(2026, 7, 15),
        "target_workers": 45_000,
        "occupation_codes": INFORMAL,
        "rules": {"require_poverty_list": True, "poverty_max_decile": 3},
        "funders": [{"kind": "apbd", "name": "APBD Kabupaten Musi Banyuasin (Dinas Sosial)"}],
    },
    {
        "code": "pali-desa-2025",
        "name": "Pekerja Rentan Desa PALI 2025 (Dana Desa)",
        "owner_region_code": "1612",
        "legal_basis": "UUD 1945 Pasal 34 ayat (2); Inpres 8/2025; Permendagri 15/2024; Keputusan "
        "Bupati PALI 118/KPTS/DPMD III/2025. Periode perlindungan diasumsikan Juli–Desember 2025.",
        "coverage_start": dt.date(2025, 7, 1),
        "coverage_end": dt.date(2025, 12, 31),
        "data_deadline": dt.date(2025, 5, 30),
        "registration_start": dt.date(2025, 7, 1),
        # Each village budgets for at least 100 workers from its own APBDes (seed 003): one
        # APBDes funder per village, added when the program is made (`_village_funders`).
        "min_per_village": 100,
        "occupation_codes": [*VILLAGE_GOVERNMENT, *INFORMAL],
        "village_funders": "apbdes",
        # 12 villages sent (seed 003), the others not: see `PALI_STEPS`.
        "steps": "pali",
    },
    {
        "code": "sarolangun-2024",
        "name": "Perlindungan Pekerja Rentan dan Petugas Ad Hoc Pilkada Sarolangun",
        "owner_region_code": "1503",
        "legal_basis": "Perbup Sarolangun 7/2024; APBD Perubahan 2024. Diluncurkan 6 November "
        "2024; periode diasumsikan satu tahun.",
        "coverage_start": dt.date(2024, 11, 6),
        "coverage_end": dt.date(2025, 11, 5),
        "target_workers": 27_214,
        "occupation_codes": [*INFORMAL, *VILLAGE_GOVERNMENT, "petugas-ad-hoc-pemilu"],
        "funders": [{"kind": "apbd_perubahan", "name": "APBD Perubahan Kabupaten Sarolangun"}],
    },
]
# How far each demo village's list has come: the first village of a regency is ready, the next
# verified by BPJS, then approved, submitted, returned, and the rest still drafts (villages with
# an operator login always keep a draft, for the operator to submit).
# Three ready lists first, so enrolment shows each of its states (`demo.enrolment`): one with
# KPJ numbers, one sent to BPJS without an answer yet, one ready but not enrolled.
STEPS = ["ready", "ready", "approved", "submitted", "ready", "returned", "draft"]
# PALI as its article stood (seed 003): 12 villages had sent their lists before the deadline of
# 30 May 2025, the rest had not. Of the demo's 15 PALI villages, 12 lists leave the village
# (three ready, as in every program, the others approved or waiting for the regency), one is
# returned and two stay drafts (one of them the operator's); the other official villages have
# no list. The sent lists are dated in May 2025, before the deadline (`PALI_SENT_FROM`).
PALI_STEPS = [
    "ready", "ready", "approved", "submitted", "ready", "returned", "submitted", "approved",
    "submitted", "approved", "approved", "submitted", "approved", "draft",
]  # fmt: skip
PALI_SENT_FROM = dt.date(2025, 5, 2)
STEP_LISTS = {"pali": PALI_STEPS}


def demo_programs() -> int:
    """Create the programs and their village lists once; returns how many programs were made."""
    admin = User.objects.filter(role=Role.SUPERADMIN).first()
    if not Program.objects.exists():
        plant_duplicates(admin)
    operated = set(
        User.objects.filter(role=Role.VILLAGE_OPERATOR, is_active=True).values_list(
            "assignments__region_id", flat=True
        )
    )
    made = 0
    for spec in PROGRAMS:
        if Program.objects.filter(code=spec["code"]).exists():
            continue
        with transaction.atomic():  # a program with all its lists, or nothing
            spec = dict(spec)
            villages = list(
                Worker.objects.filter(village__code__startswith=spec["owner_region_code"])
                .values_list("village_id", flat=True)
                .distinct()
                .order_by("village_id")
            )
            village_funders = spec.pop("village_funders", None)
            covered_before = spec.pop("officials_covered_before", None)
            steps = STEP_LISTS.get(spec.pop("steps", ""), STEPS)
            if village_funders:
                spec["funders"] = _village_funders(spec, village_funders, villages)
            program = program_create(actor=admin, rules=spec.pop("rules", None), **spec)
            _poverty_sample(admin, program)
            # A village with an operator login keeps a draft list: the first thing a newcomer
            # playing the operator does is fill it and submit it. The other villages show the
            # steps of the flow, in order.
            others = [v for v in villages if v not in operated]
            if covered_before:
                # Only the first list gets its KPJ numbers (`demo.enrolment.PLAN`): the officials
                # of every other village are already protected by the earlier enrolment.
                from .existing import officials_covered_before

                officials_covered_before(admin, covered_before, exclude=others[:1])
            index = 0
            for village in others:
                submission = _advance(admin, program, village, steps[min(index, len(steps) - 1)])
                # A village with nobody left to list (all covered already) keeps an empty
                # draft; the next village takes its step, so every step still shows.
                index += submission.people.exists()
            for village in villages:
                if village in operated:
                    _advance(admin, program, village, "draft")
            if steps is PALI_STEPS:
                _sent_before_deadline(program)
        made += 1
    return made


def _sent_before_deadline(program: Program) -> int:
    """Date the sent lists as the article has them: one village a day from `PALI_SENT_FROM`,
    all before the program's data deadline (the services stamp the moment the demo runs)."""
    from django.utils import timezone

    sent = Submission.objects.filter(program=program, submitted_at__isnull=False).exclude(
        state__in=["draft", "returned"]
    )
    for offset, pk in enumerate(sent.order_by("village_id").values_list("pk", flat=True)):
        day = PALI_SENT_FROM + dt.timedelta(days=offset)
        Submission.objects.filter(pk=pk).update(
            submitted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        )
    return sent.count()


def _village_funders(spec: dict, kind: str, villages: list[str]) -> list[dict]:
    """One funder per village paying for its own people (e.g. APBDes), each with a budget for
    the program's minimum per village over the whole period, priced by the billing rules
    through the planner (never a typed-in amount)."""
    from lindung.billing.planner import months_between, plan
    from lindung.billing.rates import Payer
    from lindung.billing.selectors import ruleset
    from lindung.regions.models import Region

    start, end = spec["coverage_start"], spec["coverage_end"]
    components = tuple(c for c in ("jkk", "jkm", "jht") if spec.get(c, c != "jht"))
    budget = plan(
        ruleset(),
        workers=spec.get("min_per_village") or 0,
        months=months_between(start, end),
        start=start.replace(day=1),
        wage=spec.get("wage_basis", 1_000_000),
        components=components,
        payer=Payer(kind=kind, discounts_apply=False),
        sector="other",
    )["total"]
    names = dict(Region.objects.filter(code__in=villages).values_list("code", "name"))
    return [
        {
            "kind": kind,
            "name": f"APBDes Desa {names[village]}",
            "covers_region_code": village,
            "budget": budget,
        }
        for village in villages
    ]


def _poverty_sample(admin, program: Program) -> int:
    """DTSEN sample rows for a program that requires the poverty list, so its lists show
    eligible people: two in three of the region's workers in deciles 1–3, the rest in decile 6
    (listed, but too well off)."""
    from lindung.programs.eligibility import rules_for
    from lindung.programs.services import poverty_import

    rules = rules_for(program)
    if not rules.require_poverty_list:
        return 0
    top = rules.poverty_max_decile or 4
    niks = Worker.objects.filter(village__code__startswith=program.owner_region_id).order_by("id")
    rows = [
        (nik, 6 if index % 3 == 2 else index % top + 1)
        for index, nik in enumerate(niks.values_list("nik", flat=True))
    ]
    return poverty_import(actor=admin, rows=rows, source="DTSEN", year=program.coverage_start.year)


def login_for(action: str, village: str, fallback):
    """The demo login whose role takes `action` for the village, the narrowest scope first
    (the branch office before the regional office); `fallback` when there is none."""
    candidates = (
        User.objects.filter(is_active=True)
        .exclude(role=Role.SUPERADMIN)
        .prefetch_related("assignments")
        .order_by("username")
    )
    best, best_depth = fallback, -1
    for user in candidates:
        if not can(user, action, village):
            continue
        depth = max(
            len(a.region_id) for a in user.assignments.all() if village.startswith(a.region_id)
        )
        if depth > best_depth:
            best, best_depth = user, depth
    return best


def _advance(
    admin, program: Program, village: str, step: str, worker_ids: list[int] | None = None
) -> Submission:
    """Take the list to `step`, each step by the role it belongs to (separation of duties): the
    village's operator (or the superadmin entering the list for a village without one), then
    the regency admin, then BPJS. The list holds `worker_ids`, by default the village's people
    not already enrolled in another program over the period (the operator leaves those off)."""
    operator = login_for(Action.SUBMIT, village, admin)
    regency = login_for(Action.APPROVE_REGENCY, village, admin)
    bpjs = login_for(Action.VERIFY_BPJS, village, admin)
    submission = submission_for(actor=operator, program=program, village_code=village)
    if worker_ids is None:
        covered = Participant.objects.filter(
            village_id=village,
            start_date__lte=program.coverage_end,
            end_date__gte=program.coverage_start,
        ).values("worker_id")
        worker_ids = list(
            Worker.objects.filter(village_id=village)
            .exclude(pk__in=covered)
            .values_list("pk", flat=True)
        )
    ids = worker_ids
    submission_add_workers(actor=operator, submission=submission, worker_ids=ids)
    if step == "draft" or not ids:
        return submission  # (a village whose people are all covered already keeps a draft)

    def move(actor, to: str, notes: str = "") -> Submission:
        return submission_move(
            actor=actor,
            submission=submission,
            to=to,
            expected_state=Submission.objects.get(pk=submission.pk).state,
            notes=notes,
        )

    move(operator, "submitted")
    if step == "submitted":
        return submission
    if step == "returned":
        notes = "Lengkapi data ahli waris dan periksa peserta berusia 65 tahun ke atas."
        return move(regency, "returned", notes)
    if not submission.people.filter(eligible=True, removed_at__isnull=True).exists():
        # Nobody eligible (e.g. a poverty-list program before DTSEN data is loaded): approval
        # is refused for such a list, so the regency returns it, as it would in real life.
        notes = "Tidak ada peserta yang memenuhi syarat program; periksa usia, pekerjaan dan DTSEN."
        return move(regency, "returned", notes)
    move(regency, "approved")
    if step == "approved":
        return submission
    people_decide(actor=bpjs, submission=submission, person_ids=None, accept=True)
    people_decide(actor=bpjs, submission=submission, person_ids=None, accept=False)
    move(bpjs, "verified")
    return move(bpjs, "ready")


VARIANTS = {"Muhammad": "M.", "Ahmad": "Achmad", "Siti": "Sitti", "Nur": "Noor", "Yusuf": "Yusup"}


def plant_duplicates(actor, per_regency: int = 3) -> int:
    """A few people registered twice, as happens when two villages both list someone: another
    village of the regency, a spelling variant, one NIK digit off. They give the review queue
    something real to show."""
    from lindung.common.errors import ApplicationError
    from lindung.registry.services import worker_create
    from lindung.registry.validation import WorkerInput

    planted = 0
    for regency in ("1603", "1606", "1612", "1503"):
        villages = list(
            Worker.objects.filter(village__code__startswith=regency)
            .values_list("village_id", flat=True)
            .distinct()
            .order_by("village_id")
        )
        people = Worker.objects.filter(village_id=villages[0]).order_by("id")[:per_regency]
        for person in people:
            name = " ".join(VARIANTS.get(part, part) for part in person.name.split())
            serial = int(person.nik[12:]) % 9000 + 1000
            try:
                worker_create(
                    actor=actor,
                    data=WorkerInput(
                        nik=person.nik[:12] + f"{serial:04d}",
                        name=name if name != person.name else person.name.upper(),
                        village_code=villages[-1],
                        occupation_code=person.occupation.code,
                    ),
                )
                planted += 1
            except ApplicationError:
                continue  # that NIK happens to exist: skip this one
    return planted
