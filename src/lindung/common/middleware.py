from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose English (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most village
    laptops run an English browser; the pages must still open in Indonesian. API clients, which
    have no cookie, may ask for English messages with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.available:
            chosen = settings.LANGUAGE_CODE
            if request.path_info.startswith("/api/"):
                asked = translation.get_language_from_request(request)
                chosen = asked if asked in self.available else chosen
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", chosen)
        translation.deactivate()
        return response


# JSON bodies larger than this are not API payloads of Lindung (uploads are multipart).
_JSON_SCAN_MAX_BYTES = 5 * 1024 * 1024


class InputGuardMiddleware:
    """Refuse, before any view runs, input no column can hold: NUL bytes and unreadable forms.

    PostgreSQL refuses a NUL byte in text (SQLite stores it), so a `\\x00` in a path, a query
    parameter, a form field or a JSON string would be a 500 on one database and silent garbage on
    the other. One check at the edge covers every page and API route, present and future. A
    multipart body with a broken boundary is refused here too, with a reason, instead of
    surfacing in whichever view reads the form first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem is not None:
            return refusal(request, *problem)
        return self.get_response(request)

    def _problem(self, request) -> tuple[str, str] | None:
        nul = _(
            "The request contains a NUL character (code 0), which no field may hold. Remove it "
            "and try again."
        )
        query = unquote_to_bytes(request.META.get("QUERY_STRING", ""))
        if "\x00" in request.path or b"\x00" in query:
            return "nul_character", nul
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return None
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            try:
                fields = request.POST
            except MultiPartParserError:
                return "bad_form", _(
                    "The form data could not be read (broken multipart body). Send the form again."
                )
            if any("\x00" in k or "\x00" in v for k, values in fields.lists() for v in values):
                return "nul_character", nul
        elif "json" in content_type and 0 < len(request.body) <= _JSON_SCAN_MAX_BYTES:
            try:
                payload = json.loads(request.body)
            except ValueError:
                return None  # the API answers malformed JSON itself
            if _contains_nul(payload):
                return "nul_character", nul
        return None


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def refusal(request, code: str, message: str, status: int = 400):
    """The API's error shape under /api/, a short page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    html = render_to_string("errors/400.html", {"message": message}, request=request)
    return HttpResponseBadRequest(html)
