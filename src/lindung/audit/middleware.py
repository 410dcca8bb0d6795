from __future__ import annotations

import re

from . import context

# A client's request id is echoed in responses and logs and stored with every audit event: only
# a plain token is taken over, anything else (newlines, markup, 10 kB) gets a fresh id.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_of(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if SAFE_REQUEST_ID.fullmatch(given) else context.new_request_id()


class AuditContextMiddleware:
    """Tags every request with an id and a channel (`api` under /api/, `admin`, else `web`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        name = (
            context.API
            if path.startswith("/api/")
            else context.ADMIN
            if path.startswith("/admin/")
            else context.WEB
        )
        request_id = request_id_of(request)
        request.request_id = request_id
        with context.channel(name, request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
