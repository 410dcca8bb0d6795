"""The public check pages under /cek/: no log-in, no script, a few kilobytes, server-rendered.

- `/cek/`: the form (NIK + KK number, or NIK + a code sent by SMS); POST answers.
- `/cek/kode/`: asks for a code (POST), then shows the code form.
- `/cek/k/<token>/`: a membership card's QR code lands here.

Every answer page (`public_result.html`) is the same template for every outcome and holds no
form and no CSRF token, so a refusal is the same bytes whatever its cause.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.lockout import client_ip
from lindung.common.errors import ApplicationError

from . import publiccheck
from .publiccheck import RateLimited


def _field(request, name: str) -> str:
    return request.POST.get(name, "")


def _result(request, answer: publiccheck.PublicAnswer, status: int = 200):
    from lindung.billing.protection import STATUS_WORDS

    context = {
        "answer": answer,
        "status_text": STATUS_WORDS.get(answer.status, ""),
        "refused_message": publiccheck.refused_message(),
    }
    return render(request, "coverage/public_result.html", context, status=status)


def _limited(request, exc: RateLimited):
    return render(request, "coverage/public_limited.html", {"message": exc.message}, status=429)


def _form(request, *, mode: str = "kk", errors: dict | None = None, status: int = 200):
    """The form again, with the NIK the person typed (never longer than a NIK) and the
    problems found in what they typed."""
    nik = _field(request, "nik")[:16] if request.method == "POST" else ""
    return render(
        request,
        "coverage/public_check.html",
        {"mode": mode, "nik": nik if nik.isdigit() else "", "errors": errors or {}},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def check(request):
    if request.method == "GET":
        return _form(request)
    ip = client_ip(request)
    mode = "code" if _field(request, "code") else "kk"
    try:
        if mode == "code":
            answer = publiccheck.check_with_code(
                nik=_field(request, "nik"), code=_field(request, "code"), ip=ip
            )
        else:
            answer = publiccheck.check_with_kk(
                nik=_field(request, "nik"), kk=_field(request, "kk"), ip=ip
            )
    except RateLimited as exc:
        return _limited(request, exc)
    except ApplicationError as exc:
        return _form(request, mode=mode, errors=exc.fields, status=400)
    return _result(request, answer)


@never_cache
@require_POST
def code(request):
    try:
        publiccheck.code_request(nik=_field(request, "nik"), ip=client_ip(request))
    except RateLimited as exc:
        return _limited(request, exc)
    except ApplicationError as exc:
        return _form(request, mode="code", errors=exc.fields, status=400)
    return _form(request, mode="code_sent")


@never_cache
def card(request, token: str):
    try:
        answer = publiccheck.check_with_card(token=token, ip=client_ip(request))
    except RateLimited as exc:
        return _limited(request, exc)
    return _result(request, answer)


urlpatterns = [
    path("", check, name="check"),
    path("kode/", code, name="code"),
    path("k/<str:token>/", card, name="card"),
]
