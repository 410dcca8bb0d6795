"""The public status check: "am I (is my husband, my mother) protected, until when, by which
program?", asked by anyone, without an account.

The NIK alone proves nothing (it is printed on every KTP and the birth date is written inside
it), so a second factor that the NIK does not give away is asked for: the family card (KK)
number, or a one-time code sent to the phone registered with the worker. A membership card's
QR token stands on its own (160 random bits cannot be guessed).

Rules that hold on every path:
- **One answer for every refusal.** An unknown NIK, a wrong KK, a wrong, expired or used-up
  code, a NIK with no phone: the same `REFUSED` answer, the same status, the same bytes. Both
  sides do the same work: one look-up of the NIK, one keyed hash of the factor given, one
  constant-time compare (against a placeholder when there is nothing to compare with), one
  audit row. Only a confirmed check goes on to compute the protection.
- **The answer** comes from `billing.protection.protection_on`, the one "protected on D?",
  and shows the status, the program, until when, and the name masked as `masking.mask_name`
  says (initials). Never the KPJ (it unlocks balances in BPJS's own app), the NIK, KK, phone,
  birth date, address or heirs.
- **Rate limits** per address and per NIK (`LINDUNG_PUBLIC_CHECKS_PER_IP`, `…_PER_NIK` an
  hour), counted in the database (see `PublicCheckHit`); over the limit answers 429.
- **Audited**: every check and every code request is one audit event, with the NIK masked and
  a keyed hash of it (enough to follow one NIK's attempts, useless to read it back).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.masking import mask_name, mask_number
from lindung.audit.services import record
from lindung.common.errors import ApplicationError

from .models import CardToken, OneTimeCode, PublicCheckHit

CHECK = "coverage.public_check"
CODE_REQUEST = "coverage.public_code"

CODE_DIGITS = 6
CODE_MINUTES = 5
CODE_ATTEMPTS = 3
WINDOW = dt.timedelta(hours=1)
# Longer than any input of this page may be: refused before any other work.
MAX_INPUT = 64

KK, OTP, CARD = "kk", "otp", "card"


def today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class PublicAnswer:
    """What the public may see. `confirmed` False: the one refusal, identical for every cause."""

    confirmed: bool
    status: str = ""
    name: str = ""
    program: str = ""
    until: dt.date | None = None
    day: dt.date | None = None
    reason: str = ""

    def as_dict(self) -> dict:
        from lindung.billing.protection import STATUS_WORDS

        if not self.confirmed:
            return {"confirmed": False, "message": refused_message()}
        return {
            "confirmed": True,
            "status": self.status,
            "status_text": str(STATUS_WORDS[self.status]),
            "name": self.name,
            "program": self.program,
            "until": self.until.isoformat() if self.until else None,
            "date": self.day.isoformat() if self.day else None,
            "reason": self.reason,
        }


REFUSED = PublicAnswer(confirmed=False)


def refused_message() -> str:
    return _("We could not confirm this NIK with that KK number or code. Check both and try again.")


class RateLimited(ApplicationError):
    def __init__(self):
        super().__init__(
            _(
                "Too many checks in the last hour from this connection or for this NIK. "
                "Please try again in an hour."
            ),
            code="rate_limited",
            status=429,
        )


# --- hashing ---------------------------------------------------------------------------------


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 under the site's secret key: a NIK or code hash cannot be rebuilt by hashing
    all 10^6 codes or all plausible NIKs without the key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    # A card token has 160 random bits: a plain hash suffices, and it stays valid when the
    # secret key is rotated.
    return hashlib.sha256(token.encode()).hexdigest()


# Compared against when there is no real hash (unknown NIK, no code): the compare runs anyway.
_NOTHING = "0" * 64


def _same(given: str, stored: str | None) -> bool:
    """Constant-time compare, always run once, against `_NOTHING` when `stored` is None."""
    return hmac.compare_digest(given, stored if stored is not None else _NOTHING) and (
        stored is not None
    )


# --- input -----------------------------------------------------------------------------------


def _digits(value, length: int, message: str, field: str) -> str:
    text = value if isinstance(value, str) else ""
    if len(text) > MAX_INPUT:
        text = ""  # a megabyte of input is refused without reading it further
    text = "".join(text.split())
    if not (text.isascii() and text.isdigit() and len(text) == length):
        raise ApplicationError(message, code="invalid", fields={field: [message]})
    return text


def clean_nik(value) -> str:
    return _digits(value, 16, _("A NIK has 16 digits."), "nik")


def clean_kk(value) -> str:
    return _digits(value, 16, _("A KK number has 16 digits."), "kk")


def clean_code(value) -> str:
    return _digits(value, CODE_DIGITS, _("The code has 6 digits."), "code")


def clean_token(value) -> str:
    """A card token as printed in the QR code; anything else becomes an unmatched token."""
    text = value if isinstance(value, str) else ""
    ok = 20 <= len(text) <= MAX_INPUT and all(c.isalnum() or c in "-_" for c in text)
    return text if ok else ""


# --- rate limits -----------------------------------------------------------------------------


def _limit(*, ip: str, nik: str | None, factor: str) -> None:
    """Count this attempt, or refuse it (429, audited) when the address or the NIK has had its
    hour's worth. A race between processes may let one or two extra attempts through; the limit
    is there against guessing thousands, which it stops."""
    now = timezone.now()
    since = now - WINDOW
    ip_key = (ip or "-")[:64]
    nik_key = keyed_hash("nik", nik) if nik else None
    by_ip = PublicCheckHit.objects.filter(kind=PublicCheckHit.IP, key=ip_key, at__gte=since)
    over = by_ip.count() >= settings.LINDUNG_PUBLIC_CHECKS_PER_IP
    if nik_key and not over:
        by_nik = PublicCheckHit.objects.filter(kind=PublicCheckHit.NIK, key=nik_key, at__gte=since)
        over = by_nik.count() >= settings.LINDUNG_PUBLIC_CHECKS_PER_NIK
    if over:
        with transaction.atomic():
            _audit(CHECK, nik=nik, ip=ip, factor=factor, result="rate_limited")
        raise RateLimited()
    hits = [PublicCheckHit(kind=PublicCheckHit.IP, key=ip_key, at=now)]
    if nik_key:
        hits.append(PublicCheckHit(kind=PublicCheckHit.NIK, key=nik_key, at=now))
    PublicCheckHit.objects.bulk_create(hits)
    # Old rows are of no use after the window; the `at` index makes this cheap.
    PublicCheckHit.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()


# --- audit -----------------------------------------------------------------------------------


def _audit(action: str, *, nik: str | None, ip: str, factor: str, result: str, worker=None):
    record(
        actor=None,
        action=action,
        object_type="registry.worker" if worker is not None else "",
        object_id=str(worker.pk) if worker is not None else "",
        object_repr="public status check" if action == CHECK else "one-time code request",
        region_code=worker.village_id if worker is not None else "",
        after={
            "factor": factor,
            "result": result,
            "nik": mask_number(nik) if nik else "",
            "nik_hash": keyed_hash("nik", nik)[:16] if nik else "",
            "ip": (ip or "")[:64],
        },
    )


# --- the answer ------------------------------------------------------------------------------


def _worker(nik: str):
    """The one look-up of the NIK, on every path."""
    from lindung.registry.models import Worker

    return (
        Worker.objects.filter(nik=nik)
        .only("id", "nik", "name", "kk_number", "phone", "village_id")
        .first()
    )


def _answer(worker, *, nik: str | None, ip: str, factor: str, day: dt.date | None):
    """The refusal, or the masked answer of `protection_on` for `worker`; audited either way."""
    if worker is None:
        _audit(CHECK, nik=nik, ip=ip, factor=factor, result="refused")
        return REFUSED
    return answer_for(worker, day=day, audit={"nik": nik, "ip": ip, "factor": factor})


def answer_for(worker, *, day: dt.date | None = None, audit: dict | None = None) -> PublicAnswer:
    from lindung.billing.protection import NOT_PROTECTED, protection_on
    from lindung.enrolment.models import Participant

    day = day or today()
    protection = protection_on(worker.pk, day)
    participant = (
        Participant.objects.select_related("program").filter(pk=protection.participant_id).first()
        if protection.participant_id
        else None
    )
    if audit is not None:
        _audit(CHECK, result="confirmed", worker=worker, **audit)
    return PublicAnswer(
        confirmed=True,
        status=protection.status,
        name=mask_name(worker.name),
        program=participant.program.name if participant else "",
        until=participant.end_date if participant and protection.status != NOT_PROTECTED else None,
        day=day,
        reason=protection.reason,
    )


# --- the three ways in -----------------------------------------------------------------------


def check_with_kk(*, nik, kk, ip: str, day: dt.date | None = None) -> PublicAnswer:
    nik, kk = clean_nik(nik), clean_kk(kk)
    _limit(ip=ip, nik=nik, factor=KK)
    with transaction.atomic():
        worker = _worker(nik)
        real = worker is not None and bool(worker.kk_number)
        # The stored side is hashed on both paths (a placeholder when there is no KK to hash).
        stored = keyed_hash("kk", worker.kk_number if real else "-")
        ok = _same(keyed_hash("kk", kk), stored if real else None)
        return _answer(worker if ok else None, nik=nik, ip=ip, factor=KK, day=day)


def code_request(*, nik, ip: str) -> None:
    """Send a one-time code to the phone registered with this NIK, if there is one. The caller
    learns nothing either way: a code row is made for every NIK, known or not."""
    from . import sms

    nik = clean_nik(nik)
    _limit(ip=ip, nik=nik, factor=OTP)
    now = timezone.now()
    nik_hash = keyed_hash("nik", nik)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        worker = _worker(nik)
        phone = worker.phone if worker is not None else ""
        # A new code replaces the ones before it.
        OneTimeCode.objects.filter(nik_hash=nik_hash, used_at__isnull=True).update(used_at=now)
        OneTimeCode.objects.create(
            nik_hash=nik_hash,
            code_hash=keyed_hash("otp", f"{nik_hash}:{code}"),
            worker=worker if phone else None,
            created_at=now,
            expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
        )
        _audit(CODE_REQUEST, nik=nik, ip=ip, factor=OTP, result="requested", worker=worker)
    # After the code is saved: a message is never sent for a code that was not stored.
    if phone:
        text = _(
            "Lindung: your code is %(code)s. Valid for %(minutes)s minutes. Never give it to "
            "anyone."
        ) % {"code": code, "minutes": CODE_MINUTES}
        sms.send(phone, text)


def check_with_code(*, nik, code, ip: str, day: dt.date | None = None) -> PublicAnswer:
    nik, code = clean_nik(nik), clean_code(code)
    _limit(ip=ip, nik=nik, factor=OTP)
    now = timezone.now()
    nik_hash = keyed_hash("nik", nik)
    with transaction.atomic():
        worker = _worker(nik)
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(nik_hash=nik_hash, used_at__isnull=True, expires_at__gt=now)
            .filter(attempts__lt=CODE_ATTEMPTS)
            .order_by("-created_at", "-id")
            .first()
        )
        ok = _same(keyed_hash("otp", f"{nik_hash}:{code}"), row.code_hash if row else None)
        ok = ok and worker is not None and row.worker_id == worker.pk
        if row is not None:
            row.attempts += 1
            row.used_at = now if ok else None
            row.save(update_fields=["attempts", "used_at"])
        return _answer(worker if ok else None, nik=nik, ip=ip, factor=OTP, day=day)


def check_with_card(*, token, ip: str, day: dt.date | None = None) -> PublicAnswer:
    """A membership card's QR token: no second factor (it cannot be guessed); a revoked or
    unknown token gets the one refusal."""
    token = clean_token(token)
    _limit(ip=ip, nik=None, factor=CARD)
    with transaction.atomic():
        row = (
            CardToken.objects.select_related("participant__worker")
            .filter(token_hash=token_hash(token or "-"), revoked_at__isnull=True)
            .first()
        )
        worker = row.participant.worker if row is not None and token else None
        return _answer(worker, nik=None, ip=ip, factor=CARD, day=day)
