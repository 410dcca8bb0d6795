from ninja import Router, Schema

from lindung.accounts.lockout import client_ip
from lindung.common.api import ErrorOut, answers
from lindung.common.inputs import Text

router = Router(tags=["coverage"])


# --- the public status check (no token: see coverage.publiccheck) ---------------------------


class PublicStatusIn(Schema):
    """The NIK and ONE second factor: the KK number, a code sent by SMS, or a card's token."""

    nik: Text(64) = ""
    kk: Text(64) = ""
    code: Text(64) = ""
    token: Text(64) = ""


class PublicStatusOut(Schema):
    """`confirmed` false is the one refusal (unknown NIK, wrong KK or code, revoked card)."""

    confirmed: bool
    message: str = ""
    status: str = ""
    status_text: str = ""
    name: str = ""
    program: str = ""
    until: str | None = None
    date: str | None = None
    reason: str = ""


class PublicCodeIn(Schema):
    nik: Text(64)


class PublicCodeOut(Schema):
    message: str


@router.post(
    "/public/status",
    auth=None,
    response=answers({200: PublicStatusOut, 429: ErrorOut}),
    summary="Public status check: protected, until when, by which program (no token)",
    url_name="public_status",
)
def public_status(request, payload: PublicStatusIn):
    from . import publiccheck

    ip = client_ip(request)
    if payload.token:
        answer = publiccheck.check_with_card(token=payload.token, ip=ip)
    elif payload.code:
        answer = publiccheck.check_with_code(nik=payload.nik, code=payload.code, ip=ip)
    else:
        answer = publiccheck.check_with_kk(nik=payload.nik, kk=payload.kk, ip=ip)
    return answer.as_dict()


@router.post(
    "/public/code",
    auth=None,
    response=answers({200: PublicCodeOut, 429: ErrorOut}),
    summary="Send a one-time code to the phone registered with a NIK, if any (no token)",
    url_name="public_code",
)
def public_code(request, payload: PublicCodeIn):
    from django.utils.translation import gettext as _

    from . import publiccheck

    publiccheck.code_request(nik=payload.nik, ip=client_ip(request))
    message = _(
        "If this NIK is registered with a phone number, a 6-digit code has been sent to it by "
        "SMS. It is valid for 5 minutes."
    )
    return {"message": message}
