"""Checking a NIK against the population registry (Dukcapil), behind one small interface.

Two implementations:
- `OfflineDukcapil`: structure rules only (what `nik.py` can tell without the registry);
- `HttpDukcapil`: a web service configured by `LINDUNG_DUKCAPIL_URL` and `LINDUNG_DUKCAPIL_KEY`.
  Dukcapil grants access per agreement (PKS) and its interface is not public, so this adapter
  speaks a small JSON contract (below) that a deployment maps onto the service it is granted:
      POST {url}/nik/verify   {"nik", "name", "birth_date"}   Authorization: Bearer {key}
      → 200 {"found": bool, "name_match": bool, "birth_date_match": bool}

Results are cached (`DukcapilCheck`) for `LINDUNG_DUKCAPIL_CACHE_DAYS`, so a re-check of a list
does not query the registry again. A service that is down gives "unavailable", never an error
page and never a silent "valid". Standard-library `urllib` is used: one JSON POST does not
justify another HTTP dependency.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from .nik import inspect_nik

VALID, NOT_FOUND, MISMATCH, INVALID, UNAVAILABLE = (
    "valid",
    "not_found",
    "mismatch",
    "structure_invalid",
    "unavailable",
)


@dataclass(frozen=True)
class NikCheck:
    nik: str
    status: str  # one of the constants above
    source: str  # "offline" or "dukcapil"
    name_match: bool | None = None
    birth_date_match: bool | None = None


class Dukcapil(Protocol):
    source: str

    def check(self, nik: str, name: str, birth_date: dt.date | None) -> NikCheck: ...


class OfflineDukcapil:
    source = "offline"

    def check(self, nik: str, name: str, birth_date: dt.date | None) -> NikCheck:
        from lindung.regions.selectors import region_names

        result = inspect_nik(nik, regions=region_names())
        status = VALID if result.valid else INVALID
        matches = (
            None if birth_date is None or not result.valid else result.birth_date == birth_date
        )
        return NikCheck(nik=nik, status=status, source=self.source, birth_date_match=matches)


class HttpDukcapil:
    source = "dukcapil"

    def __init__(self, url: str, key: str, timeout: float = 10.0):
        self.url, self.key, self.timeout = url.rstrip("/"), key, timeout

    def check(self, nik: str, name: str, birth_date: dt.date | None) -> NikCheck:
        body = json.dumps(
            {"nik": nik, "name": name, "birth_date": birth_date.isoformat() if birth_date else None}
        ).encode()
        request = urllib.request.Request(
            f"{self.url}/nik/verify",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, ValueError, OSError):
            return NikCheck(nik=nik, status=UNAVAILABLE, source=self.source)
        if not answer.get("found"):
            return NikCheck(nik=nik, status=NOT_FOUND, source=self.source)
        name_ok, date_ok = bool(answer.get("name_match")), bool(answer.get("birth_date_match"))
        return NikCheck(
            nik=nik,
            status=VALID if name_ok and date_ok else MISMATCH,
            source=self.source,
            name_match=name_ok,
            birth_date_match=date_ok,
        )


def configured() -> bool:
    """Whether a Dukcapil service is configured; without one only structure rules are checked."""
    return bool(getattr(settings, "LINDUNG_DUKCAPIL_URL", ""))


def adapter() -> Dukcapil:
    url = getattr(settings, "LINDUNG_DUKCAPIL_URL", "")
    if url:
        return HttpDukcapil(url, getattr(settings, "LINDUNG_DUKCAPIL_KEY", ""))
    return OfflineDukcapil()


def check_nik(nik: str, name: str, birth_date: dt.date | None, *, service: Dukcapil | None = None):
    """A cached check: a fresh answer from the cache, else ask the service (and keep a
    definite answer; "unavailable" is never cached)."""
    from .models import DukcapilCheck

    service = service or adapter()
    days = getattr(settings, "LINDUNG_DUKCAPIL_CACHE_DAYS", 30)
    fresh_after = timezone.now() - dt.timedelta(days=days)
    cached = (
        DukcapilCheck.objects.filter(
            nik=nik, name=name, source=service.source, checked_at__gte=fresh_after
        )
        .order_by("-checked_at")
        .first()
    )
    if cached:
        return NikCheck(**cached.result)
    result = service.check(nik, name, birth_date)
    if result.status != UNAVAILABLE:
        DukcapilCheck.objects.create(
            nik=nik, name=name, source=service.source, result=asdict(result)
        )
    return result
