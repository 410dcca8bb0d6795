"""The REST API under /api/ (django-ninja): same services, same scoping as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

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


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc: AuthenticationError):
    # A known but refused token (expired, revoked by a password change) carries its reason;
    # ninja's own refusal says only "Unauthorized".
    reason = str(exc.message)
    if reason == "Unauthorized":
        reason = _("Send a valid API token (Authorization: Bearer).")
    return api.create_response(request, {"code": "unauthorized", "message": reason}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(
        request, {"code": "error", "message": str(exc.message)}, status=exc.status_code
    )


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    """422 in the one error shape: each invalid input named, with pydantic's reason."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_reason(error))
    message = _("Some inputs are not valid: %(fields)s.") % {"fields": ", ".join(fields)}
    return api.create_response(
        request,
        {"code": "invalid", "message": message, "fields": fields, "detail": exc.errors},
        status=422,
    )


# pydantic's reasons are English; the common ones are said in the user's language instead.
_REASONS = {
    "string_too_long": gettext_lazy("At most %(max_length)s characters."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters."),
    "too_long": gettext_lazy("At most %(max_length)s items."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "greater_than": gettext_lazy("Must be more than %(gt)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "enum": gettext_lazy("Must be one of %(expected)s."),
    "literal_error": gettext_lazy("Must be one of %(expected)s."),
    "string_pattern_mismatch": gettext_lazy("Does not have the required form %(pattern)s."),
    "missing": gettext_lazy("Required."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "int_type": gettext_lazy("Must be a whole number."),
}


def _reason(error: dict) -> str:
    template = _REASONS.get(error.get("type", ""))
    try:
        return str(template) % (error.get("ctx") or {}) if template else str(error.get("msg", ""))
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def _field_name(loc) -> str:
    """('body', 'payload', 'heirs', 0, 'name') → 'heirs.0.name'; ('query', 'limit') → 'limit'."""
    parts = [str(part) for part in loc]
    if parts[:1] == ["body"] and len(parts) > 2:
        parts = parts[2:]  # the body parameter's own name says nothing to the client
    elif parts[:1] in (["body"], ["query"], ["path"], ["form"], ["file"], ["header"]):
        parts = parts[1:]
    return ".".join(parts) or "request"


def _mount() -> None:
    from lindung.accounts.api import router as accounts_router
    from lindung.audit.api import router as audit_router
    from lindung.billing.api import router as billing_router
    from lindung.claims.api import router as claims_router
    from lindung.coverage.api import router as coverage_router
    from lindung.coverage.figures_api import router as figures_router
    from lindung.duplicates.api import router as duplicates_router
    from lindung.enrolment.api import router as enrolment_router
    from lindung.intake.api import router as intake_router
    from lindung.programs.api import router as programs_router
    from lindung.regions.api import router as regions_router
    from lindung.registry.api import router as registry_router

    api.add_router("/me", accounts_router)
    api.add_router("/regions", regions_router)
    api.add_router("/", registry_router)
    api.add_router("/audit", audit_router)
    api.add_router("/uploads", intake_router)
    api.add_router("/", duplicates_router)
    api.add_router("/", programs_router)
    api.add_router("/", billing_router)
    api.add_router("/", enrolment_router)
    api.add_router("/", claims_router)
    api.add_router("/", coverage_router)
    api.add_router("/coverage", figures_router)  # after coverage's own /coverage/… routes


_mount()
