"""What every API route shares: the error shapes it may answer with, and bounded paging.

Each route declares its answers with `answers({200: Out})`, which adds the error statuses every
route can give (400 refused by a rule, 401 no token, 403 role, 404 missing or out of scope, 422
invalid input). The OpenAPI document then lists exactly what a client can get back, and the
schemathesis test holds the routes to it.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .inputs import MAX_INT


class ErrorOut(Schema):
    """One shape for every refusal: a stable code, a sentence for people, messages per field."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ValidationErrorOut(ErrorOut):
    """422: `fields` names each invalid input; `detail` is pydantic's list, kept for clients."""

    detail: list[dict] = []


COMMON_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


def answers(success: dict, *extra: int) -> dict:
    """A route's `response=` map: its success answers, the common errors and any `extra`
    statuses it can give (e.g. 409 for a stale transition)."""
    return {**COMMON_ERRORS, **{status: ErrorOut for status in extra}, **success}


PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class Paging(LimitOffsetPagination):
    """limit/offset with upper bounds: `offset=2**63` would overflow the database driver."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_INT)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)
