"""The one application error type; the API and the pages map it to one error shape."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule of the domain refused the request. `message` is shown to the user as it is.

    `fields` maps a field name to its messages, so forms and API clients can point at the cell
    or input that needs fixing.
    """

    def __init__(self, message: str, *, code: str = "invalid", fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
