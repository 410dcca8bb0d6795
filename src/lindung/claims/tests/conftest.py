"""Claims' fixtures: a PALI participant with a spouse and a child as heirs, contributions paid
(so protected) or not, claims filed through the services, users per role."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.accounts.roles import Role

# Billing's and enrolment's fixtures (programs, enrolled people with a KPJ) serve claims' tests.
from lindung.billing.tests.conftest import (  # noqa: F401
    active,
    bpjs,
    enrolled,
    make_program,
    ready_list,
    regency_admin,
    village_operator,
)
from lindung.conftest import PALI_VILLAGE, SAROLANGUN_VILLAGE

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
# Death on 20 Nov 2025 after five paid months (Jul–Nov): protected, past 3 months' membership.
DEATH = dt.date(2025, 11, 20)
JKM_TOTAL = 42_000_000


@pytest.fixture(autouse=True)
def _claim_files(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def users(make_user):
    return {
        "admin": make_user(Role.REGENCY_ADMIN, ["1612"]),
        "bpjs": make_user(Role.BPJS_OFFICER, ["1612"]),
        "bpjs2": make_user(Role.BPJS_OFFICER, ["1612"]),
        "operator": make_user(Role.VILLAGE_OPERATOR, [PALI_VILLAGE]),
        "auditor": make_user(Role.AUDITOR, ["16"]),
        "head": make_user(Role.REGIONAL_HEAD, ["16"]),
        "other_admin": make_user(Role.REGENCY_ADMIN, ["1503"]),
        "other_bpjs": make_user(Role.BPJS_OFFICER, ["1503"]),
        "other_operator": make_user(Role.VILLAGE_OPERATOR, [SAROLANGUN_VILLAGE]),
    }


@pytest.fixture
def participant_of(make_program, make_worker, ready_list, regency_admin):  # noqa: F811
    """A participant (KPJ issued) of a PALI program Jul–Dec 2025 with a spouse and a child as
    heirs; `paid=True` pays the six months on 1 Jul 2025, so the person is protected."""
    from lindung.billing.invoicing import payment_record
    from lindung.enrolment.services import participants_enrol

    def make(paid: bool = True, heirs=None, **kw):
        program = make_program(start=dt.date(2025, 7, 1), end=dt.date(2025, 12, 31))
        worker = make_worker(
            heirs=[
                {"name": "Sri Wahyuni", "relationship": "spouse"},
                {"name": "Dimas Saputra", "relationship": "child"},
            ]
            if heirs is None
            else heirs,
            **kw,
        )
        ready_list(program, [worker])
        participants_enrol(actor=regency_admin, program=program)
        participant = program.participants.get()
        participant.kpj = f"{program.pk:03d}{worker.pk:08d}"[-11:]
        participant.state = "active"
        participant.save(update_fields=["kpj", "state"])
        if paid:
            payment_record(
                actor=regency_admin,
                funder_id=participant.funder_id,
                reference=f"TRF-{program.pk}",
                amount=6 * 16_800,
                paid_on=dt.date(2025, 7, 1),
                first_month=dt.date(2025, 7, 1),
                months=6,
            )
        return participant

    return make


def documents_for(actor, claim, kinds=None):
    from lindung.claims.choices import CHECKLIST
    from lindung.claims.services import claim_document_add

    for kind in kinds or CHECKLIST[claim.claim_type]:
        claim_document_add(actor=actor, claim=claim, kind=kind, data=PDF, filename=f"{kind}.pdf")


def half_and_half(claim, **extra):
    """The heirs' statement: spouse and child, 50 % each."""
    from lindung.registry.models import Heir

    rows = list(
        Heir.objects.filter(worker_id=claim.worker_id, relationship__in=["spouse", "child"])
    )
    return [
        {"heir_id": h.pk, "share_bp": 5_000, "bank_name": "BRI", "bank_account": f"0012345678{i}"}
        for i, h in enumerate(rows)
    ]


@pytest.fixture
def jkm_claim(participant_of, users):
    """A JKM claim filed for a protected participant, documents and heirs complete (filed)."""
    from lindung.claims.services import claim_file, claim_heirs_set

    def make(paid: bool = True, complete: bool = True):
        participant = participant_of(paid=paid)
        claim = claim_file(
            actor=users["admin"],
            participant=participant,
            claim_type="jkm",
            event_date=DEATH,
            place="Talang Ubi",
            cause="sakit",
        )
        if complete:
            documents_for(users["admin"], claim)
            claim_heirs_set(
                actor=users["admin"],
                claim=claim,
                heirs=half_and_half(claim),
                expected_state="filed",
            )
        claim.refresh_from_db()
        return claim

    return make


def move(actor, claim, to, reason=""):
    from lindung.claims.services import claim_move

    claim.refresh_from_db()
    return claim_move(actor=actor, claim=claim, to=to, expected_state=claim.state, reason=reason)


@pytest.fixture
def api_for():
    from django.test import Client

    from lindung.accounts.services import api_token_create

    def make(user) -> Client:
        _token, raw = api_token_create(actor=user, user=user, name="t")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make
