"""The REST API under /api/ (django-ninja): same services, same scoping as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI

from lindung.accounts.auth import API_AUTH
from lindung.common.errors import ApplicationError

api = NinjaAPI(
    title="Lindung API",
    version="1",
    description=(
        "Registry of vulnerable informal workers (Perlindungan Pekerja Rentan). Authenticate "
        "with `Authorization: Bearer <token>` (create a token on your profile page). Every "
        "route only sees the regions assigned to the token's user: anything else is 404."
    ),
    auth=API_AUTH,
    urls_namespace="api",
)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    body = {**exc.extra, "code": exc.code, "message": exc.message, "fields": exc.fields}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "message": "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    # A refusal that explains itself (PermissionDenied("…")) passes its reason on.
    message = str(exc) or "Not allowed for your role"
    return api.create_response(request, {"code": "forbidden", "message": message}, status=403)


def _mount() -> None:
    from lindung.accounts.api import router as accounts_router
    from lindung.audit.api import router as audit_router
    from lindung.intake.api import router as intake_router
    from lindung.programs.api import router as programs_router
    from lindung.regions.api import router as regions_router
    from lindung.registry.api import router as registry_router

    api.add_router("/me", accounts_router)
    api.add_router("/regions", regions_router)
    api.add_router("/", registry_router)
    api.add_router("/audit", audit_router)
    api.add_router("/uploads", intake_router)
    api.add_router("/", programs_router)


_mount()
