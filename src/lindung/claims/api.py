"""Claims over the API: the same services and scoping as the pages (issue 10 §5).

Out of scope (or missing) answers 404, a role that may not act 403, a decision on a state that
has moved on 409. Bank accounts and NIKs are masked by the one policy (`accounts.masking`).
"""

import datetime as dt
from typing import Literal

from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from lindung.accounts import masking
from lindung.accounts.roles import Action
from lindung.common.api import Paging, answers
from lindung.common.inputs import MAX_BIGINT, Id, Text
from lindung.registry.models import Heir

from . import selectors, services

router = Router(tags=["claims"])

TypeName = Literal["jkm", "jkk-medical", "jkk-stmb", "jkk-disability", "jkk-death", "scholarship"]
StateName = Literal["filed", "documents_complete", "verified", "approved", "paid", "rejected"]


class ClaimFilter(Schema):
    program: Text(40) = ""
    village: Text(13) = ""
    type: TypeName | Literal[""] = ""
    state: StateName | Literal[""] = ""
    q: Text(100) = ""


class ClaimIn(Schema):
    participant_id: Id
    claim_type: TypeName
    event_date: dt.date
    place: Text(200) = ""
    cause: Text(2000) = ""
    report_1_date: dt.date | None = None
    doctor_statement_date: dt.date | None = None
    report_2_date: dt.date | None = None
    at_work: bool = False
    event_time: dt.time | None = None
    report_1_time: dt.time | None = None
    doctor_statement_time: dt.time | None = None
    report_2_time: dt.time | None = None


class ClaimListOut(Schema):
    id: int
    program: str
    village_code: str
    name: str
    nik: str
    claim_type: str
    event_date: str
    state: str
    payable: int

    # The register is paginated in the database: each row is resolved from the claim itself.
    @staticmethod
    def resolve_program(obj, context) -> str:
        return obj["program"] if isinstance(obj, dict) else obj.program.code

    @staticmethod
    def resolve_village_code(obj, context) -> str:
        return obj["village_code"] if isinstance(obj, dict) else obj.participant.village_id

    @staticmethod
    def resolve_name(obj, context) -> str:
        return obj["name"] if isinstance(obj, dict) else obj.worker.name

    @staticmethod
    def resolve_nik(obj, context) -> str:
        if isinstance(obj, dict):
            return obj["nik"]
        user = context["request"].auth
        return masking.nik_for(user, obj.participant.village_id, obj.worker.nik)

    @staticmethod
    def resolve_event_date(obj, context) -> str:
        return obj["event_date"] if isinstance(obj, dict) else obj.event_date.isoformat()


class DocumentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int


class ClaimHeirOut(Schema):
    id: int
    heir_id: int | None
    name: str
    relationship: str
    heir_class: int
    share_bp: int
    bank_name: str
    bank_account: str
    due: int


class PaymentOut(Schema):
    id: int
    claim_heir_id: int | None
    amount: int
    bank_name: str
    bank_account: str
    paid_on: str
    reference: str


class ClaimOut(ClaimListOut):
    participant_id: int
    kpj: str | None
    place: str
    cause: str
    at_work: bool
    wage: int
    rejection_reason: str
    computed: dict
    paid: int
    missing_documents: list[str]
    documents: list[DocumentOut]
    heirs: list[ClaimHeirOut]
    payments: list[PaymentOut]
    moves: list[str]
    reporting: dict | None = Field(
        None,
        description="JKK only: stage I and stage II reports judged against the dated rules "
        "(status on_time, late, uncertain, missing, before_doctor, no_doctor_statement; "
        "minutes after and minutes late when the times are known)",
    )
    message: str = ""


class MoveIn(Schema):
    to: StateName
    expected_state: StateName
    reason: Text(2000) = ""
    acknowledge_reporting: bool = Field(
        False, description="verifying a JKK claim whose reports warn: the officer read them"
    )


class HeirShareIn(Schema):
    heir_id: Id | None = None
    name: Text(150) = ""
    share_bp: int = Field(..., ge=1, le=10_000, description="basis points: 5000 = 50 %")
    bank_name: Text(60) = ""
    bank_account: Text(30) = ""


class HeirsIn(Schema):
    expected_state: StateName
    heirs: list[HeirShareIn] = Field(..., max_length=50)


class PaymentIn(Schema):
    claim_heir_id: Id | None = None
    amount: int = Field(..., ge=1, le=MAX_BIGINT, description="whole rupiah")
    paid_on: dt.date
    reference: Text(60, min_length=1)
    bank_name: Text(60) = ""
    bank_account: Text(30) = ""


class PlaceIn(Schema):
    participant_id: Id
    child_id: Id


class PlaceMoveIn(Schema):
    child_id: Id


class YearIn(Schema):
    school_year: int = Field(..., ge=1990, le=2200)
    level: Literal["tk", "sd", "smp", "sma", "university"]
    grade: int = Field(1, ge=1, le=12)


class PlaceOut(Schema):
    id: int
    participant_id: int
    child_id: int
    child: str
    moved_from_id: int | None
    years: list[dict]


def _list_out(user, c) -> dict:
    region = c.participant.village_id
    return {
        "id": c.pk,
        "program": c.program.code,
        "village_code": region,
        "name": c.worker.name,
        "nik": masking.nik_for(user, region, c.worker.nik),
        "claim_type": c.claim_type,
        "event_date": c.event_date.isoformat(),
        "state": c.state,
        "payable": c.payable,
    }


def _out(user, claim, message: str = "") -> dict:
    claim = selectors.claim_for_user(user, claim.pk)
    region = claim.participant.village_id
    dues = services.heir_dues(claim) if claim.payable else {}
    return {
        **_list_out(user, claim),
        "participant_id": claim.participant_id,
        "kpj": masking.kpj_for(user, region, claim.participant.kpj) or None,
        "place": claim.place,
        "cause": claim.cause,
        "at_work": claim.at_work,
        "wage": claim.wage,
        "rejection_reason": claim.rejection_reason,
        "computed": claim.computed or {},
        "paid": services.paid_total(claim),
        "missing_documents": services.missing_documents(claim),
        "documents": list(claim.documents.all()),
        "heirs": [
            {
                "id": h.pk,
                "heir_id": h.heir_id,
                "name": h.name,
                "relationship": h.relationship,
                "heir_class": h.heir_class,
                "share_bp": h.share_bp,
                "bank_name": h.bank_name,
                "bank_account": masking.account_for(user, region, h.bank_account),
                "due": dues.get(h.pk, 0),
            }
            for h in claim.heirs.all()
        ],
        "payments": [
            {
                "id": p.pk,
                "claim_heir_id": p.claim_heir_id,
                "amount": p.amount,
                "bank_name": p.bank_name,
                "bank_account": masking.account_for(user, region, p.bank_account),
                "paid_on": p.paid_on.isoformat(),
                "reference": p.reference,
            }
            for p in claim.payments.all()
        ],
        "moves": services.moves_for(user, claim),
        "reporting": _reporting(claim),
        "message": message,
    }


def _reporting(claim) -> dict | None:
    from . import reporting

    judged = reporting.judge(claim)
    return judged.as_dict() if judged else None


@router.get("/claims", response=answers({200: list[ClaimListOut]}), summary="The claim register")
@paginate(Paging)
def claims(request, filters: Query[ClaimFilter]):
    f = filters.dict()
    found = selectors.claims_for(
        request.auth,
        program=f["program"],
        village=f["village"],
        claim_type=f["type"],
        state=f["state"],
        q=f["q"],
    )
    return found


@router.post("/claims", response=answers({201: ClaimOut}, 409), summary="File a claim")
def claim_create(request, payload: ClaimIn):
    from . import notices

    participant = selectors.participant_to_claim(request.auth, payload.participant_id)
    claim = services.claim_file(
        actor=request.auth,
        participant=participant,
        **payload.dict(exclude={"participant_id"}),
    )
    return Status(201, _out(request.auth, claim, notices.filed(claim)))


@router.get("/claims/{claim_id}", response=answers({200: ClaimOut}), summary="One claim")
def claim_detail(request, claim_id: Id):
    return _out(request.auth, selectors.claim_for_user(request.auth, claim_id))


@router.post(
    "/claims/{claim_id}/documents",
    response=answers({201: DocumentOut}, 409),
    summary="Upload a document of the claim's checklist (PDF, JPEG or PNG)",
)
def claim_document(
    request,
    claim_id: Id,
    file: File[UploadedFile],
    kind: str = Form(..., max_length=30),
):
    claim = selectors.claim_for_user(request.auth, claim_id, Action.FILE_CLAIM)
    if file.size is not None and file.size > services.MAX_DOCUMENT_BYTES:
        data = b"\0" * (services.MAX_DOCUMENT_BYTES + 1)  # refused by the service, unread
    else:
        data = file.read(services.MAX_DOCUMENT_BYTES + 1)
    document = services.claim_document_add(
        actor=request.auth, claim=claim, kind=kind, data=data, filename=file.name or ""
    )
    return Status(201, document)


@router.post(
    "/claims/{claim_id}/move",
    response=answers({200: ClaimOut}, 409),
    summary="Move a claim (documents complete, verified, approved, rejected)",
)
def claim_move(request, claim_id: Id, payload: MoveIn):
    from . import notices

    claim = selectors.claim_for_user(request.auth, claim_id)
    claim = services.claim_move(
        actor=request.auth,
        claim=claim,
        to=payload.to,
        expected_state=payload.expected_state,
        reason=payload.reason,
        acknowledge_reporting=payload.acknowledge_reporting,
    )
    return _out(request.auth, claim, notices.moved(claim))


@router.put(
    "/claims/{claim_id}/heirs",
    response=answers({200: ClaimOut}, 409),
    summary="Record the heirs and their shares from the heirs' statement",
)
def claim_heirs(request, claim_id: Id, payload: HeirsIn):
    claim = selectors.claim_for_user(request.auth, claim_id, Action.FILE_CLAIM)
    services.claim_heirs_set(
        actor=request.auth,
        claim=claim,
        heirs=[h.dict() for h in payload.heirs],
        expected_state=payload.expected_state,
    )
    return _out(request.auth, claim)


@router.post(
    "/claims/{claim_id}/payments",
    response=answers({201: ClaimOut}, 409),
    summary="Record a payment to an heir (the claim is paid when they reach the payable)",
)
def claim_payment(request, claim_id: Id, payload: PaymentIn):
    from . import notices

    claim = selectors.claim_for_user(request.auth, claim_id, Action.PAY_CLAIM)
    payment = services.claim_payment_record(actor=request.auth, claim=claim, **payload.dict())
    claim.refresh_from_db()
    return Status(201, _out(request.auth, claim, notices.paid(payment, claim)))


def _place_out(place) -> dict:
    return {
        "id": place.pk,
        "participant_id": place.participant_id,
        "child_id": place.child_id,
        "child": place.child.name,
        "moved_from_id": place.moved_from_id,
        "years": [
            {
                "school_year": y.school_year,
                "level": y.level,
                "grade": y.grade,
                "child_id": y.child_id,
                "claim_id": y.claim_id,
            }
            for y in place.years.all()
        ],
    }


def _child(participant, child_id: int) -> Heir:
    child = Heir.objects.filter(pk=child_id, worker_id=participant.worker_id).first()
    if child is None:
        from django.http import Http404

        raise Http404
    return child


@router.post(
    "/scholarship-places",
    response=answers({201: PlaceOut}, 409),
    summary="Give a child of a deceased participant a scholarship place (at most two)",
)
def place_create(request, payload: PlaceIn):
    participant = selectors.participant_to_claim(request.auth, payload.participant_id)
    place = services.scholarship_place_add(
        actor=request.auth, participant=participant, child=_child(participant, payload.child_id)
    )
    return Status(201, _place_out(place))


@router.post(
    "/scholarship-places/{place_id}/move",
    response=answers({200: PlaceOut}, 409),
    summary="Move a scholarship place once to a substitute child",
)
def place_move(request, place_id: Id, payload: PlaceMoveIn):
    place = selectors.place_for_user(request.auth, place_id, Action.FILE_CLAIM)
    place = services.scholarship_place_move(
        actor=request.auth,
        place=place,
        substitute=_child(place.participant, payload.child_id),
    )
    return _place_out(place)


@router.post(
    "/scholarship-places/{place_id}/years",
    response=answers({200: PlaceOut}),
    summary="Record a scholarship child's level and school year",
)
def place_year(request, place_id: Id, payload: YearIn):
    place = selectors.place_for_user(request.auth, place_id, Action.FILE_CLAIM)
    services.scholarship_year_record(actor=request.auth, place=place, **payload.dict())
    return _place_out(place)
