from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
