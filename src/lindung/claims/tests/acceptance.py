"""The setup issue 10's browser acceptance starts from: users `dpmd` (regency admin of PALI),
`bpjs1` and `bpjs2` (BPJS officers), and a PALI participant (KPJ issued, Jul–Dec 2025 paid)
with a spouse and a child as heirs. Everything after it (filing, documents, heirs, decisions,
payments) is the test's to click. Runs in a child process's database (`lindung shell`)."""

from __future__ import annotations

import datetime as dt

from lindung.conftest import PALI_VILLAGE, make_nik

PASSWORD = "lindung-demo-2025"
KPJ = "15000000077"
DEATH = "2025-11-20"


def claim_setup() -> str:
    from lindung.accounts.services import user_create
    from lindung.billing.invoicing import payment_record
    from lindung.enrolment.services import participants_enrol
    from lindung.programs.models import Outcome, Submission, SubmissionPerson
    from lindung.programs.services import program_create
    from lindung.registry.services import worker_create
    from lindung.registry.validation import HeirInput, WorkerInput

    admin = user_create(
        username="dpmd", password=PASSWORD, role="regency_admin", region_codes=["1612"]
    )
    for name in ("bpjs1", "bpjs2"):
        user_create(username=name, password=PASSWORD, role="bpjs_officer", region_codes=["1612"])
    program = program_create(
        actor=admin,
        code="pali-klaim",
        name="Pekerja Rentan PALI 2025",
        owner_region_code="1612",
        coverage_start=dt.date(2025, 7, 1),
        coverage_end=dt.date(2025, 12, 31),
        occupation_codes=["petani"],
        funders=[{"kind": "apbd", "name": "APBD PALI"}],
    )
    worker = worker_create(
        actor=admin,
        data=WorkerInput(
            nik=make_nik(PALI_VILLAGE[:6], dt.date(1975, 5, 12), "L", 901),
            name="Suparman",
            village_code=PALI_VILLAGE,
            occupation_code="petani",
        ),
        heirs=[
            HeirInput(name="Sri Wahyuni", relationship="spouse"),
            HeirInput(name="Dimas Saputra", relationship="child"),
        ],
    )
    submission = Submission.objects.create(
        program=program, village_id=PALI_VILLAGE, state="ready", version=5
    )
    SubmissionPerson.objects.create(
        submission=submission, worker=worker, eligible=True, outcome=Outcome.ACCEPTED
    )
    participants_enrol(actor=admin, program=program)
    participant = program.participants.get()
    participant.kpj, participant.state = KPJ, "active"
    participant.save(update_fields=["kpj", "state"])
    payment_record(
        actor=admin,
        funder_id=participant.funder_id,
        reference="TRF-APBD-2025",
        amount=6 * 16_800,
        paid_on=dt.date(2025, 7, 1),
        first_month=dt.date(2025, 7, 1),
        months=6,
    )
    return KPJ


def scholarship_setup() -> int:
    """`claim_setup`, then two more children registered long before the death, and the JKM
    death claim decided (approved) by the services: the scholarship page starts from there.
    Returns the participant's id."""
    from django.utils import timezone

    from lindung.accounts.models import User
    from lindung.claims.choices import CHECKLIST
    from lindung.claims.services import (
        claim_document_add,
        claim_file,
        claim_heirs_set,
        claim_move,
    )
    from lindung.enrolment.models import Participant
    from lindung.registry.models import Heir

    claim_setup()
    participant = Participant.objects.get(kpj=KPJ)
    for name in ("Rina Lestari", "Bayu Pratama"):
        Heir.objects.create(worker_id=participant.worker_id, name=name, relationship="child")
    Heir.objects.filter(worker_id=participant.worker_id).update(
        created_at=timezone.make_aware(dt.datetime(2024, 1, 1))
    )
    admin, bpjs1, bpjs2 = (User.objects.get(username=u) for u in ("dpmd", "bpjs1", "bpjs2"))
    claim = claim_file(
        actor=admin,
        participant=participant,
        claim_type="jkm",
        event_date=dt.date.fromisoformat(DEATH),
    )
    for kind in CHECKLIST["jkm"]:
        claim_document_add(
            actor=admin, claim=claim, kind=kind, data=b"%PDF-1.4\n%%EOF\n", filename="s.pdf"
        )
    spouse = Heir.objects.get(worker_id=participant.worker_id, relationship="spouse")
    claim_heirs_set(
        actor=admin,
        claim=claim,
        heirs=[{"heir_id": spouse.pk, "share_bp": 10_000}],
        expected_state="filed",
    )
    claim_move(actor=admin, claim=claim, to="documents_complete", expected_state="filed")
    claim_move(actor=bpjs1, claim=claim, to="verified", expected_state="documents_complete")
    claim_move(actor=bpjs2, claim=claim, to="approved", expected_state="verified")
    return participant.pk
