"""The one application error type; the API and the pages map it to one error shape."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule of the domain refused the request. `message` is shown to the user as it is.

    `fields` maps a field name to its messages, so forms and API clients can point at the cell
    or input that needs fixing. `status` is the HTTP status the API answers with: 400 for a
    request that breaks a rule, 403 for a rule about who may act (with its reason, unlike a
    bare PermissionDenied), 409 when the request was based on a state that has moved on.
    `extra` adds facts the client needs to recover (e.g. the current state) to the JSON body.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: dict | None = None,
        status: int = 400,
        extra: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status = status
        self.extra = extra or {}
