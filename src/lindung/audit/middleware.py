from __future__ import annotations

from . import context


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
        request_id = request.headers.get("X-Request-ID", "")[:64] or context.new_request_id()
        request.request_id = request_id
        with context.channel(name, request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
